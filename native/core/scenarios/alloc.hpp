#pragma once
// Scenario `alloc`: the same get/put patterns as the pool scenarios, on the
// allocator itself (glibc malloc/free, or a peer's entry points): the
// baseline a pool has to beat. One operation = one allocate + one free; with
// K held objects the loop allocates K, touches each, then frees the K.
#include <cstddef>
#include <cstdint>

#include "core/scenarios/code_copy.hpp"

namespace poolscope {

// An allocator's two entry points, as the loop calls them (function pointers:
// a peer allocator is only reachable through its dlsym'ed symbols).
struct AllocFunctions {
  void* (*allocate)(std::size_t);
  void (*release)(void*);
};

// Runs about n operations (rounded up to whole rounds of `held.size()`) and
// returns how many ran. `held` is scratch space for K pointers, owned by the
// caller. The first byte of every block is written, as a caller would.
[[gnu::always_inline]] inline std::uint64_t allocLoop(const AllocFunctions& f, std::size_t objectSize, std::uint64_t n, void** held,
                               std::size_t k) {
  std::uint64_t done = 0;
  if (k <= 1) {
    for (; done < n; ++done) {
      auto* p = static_cast<volatile unsigned char*>(f.allocate(objectSize));
      p[0] = static_cast<unsigned char>(done);
      f.release(const_cast<unsigned char*>(p));
    }
    return done;
  }
  while (done < n) {
    for (std::size_t i = 0; i < k; ++i) {
      auto* p = static_cast<volatile unsigned char*>(f.allocate(objectSize));
      p[0] = static_cast<unsigned char>(i);
      held[i] = const_cast<unsigned char*>(p);
    }
    for (std::size_t i = 0; i < k; ++i) f.release(held[i]);
    done += k;
  }
  return done;
}

// allocLoop at code copy `Copy` (code_copy.hpp).
template <std::uint32_t Copy>
POOLSCOPE_CODE_COPY std::uint64_t allocLoopCopy(const AllocFunctions& f, std::size_t objectSize, std::uint64_t n,
                                                void** held, std::size_t k) {
  codeCopyPadding<Copy>();
  return allocLoop(f, objectSize, n, held, k);
}

// allocLoop at the copy `copy` selects.
inline std::uint64_t allocLoopAt(std::uint32_t copy, const AllocFunctions& f, std::size_t objectSize,
                                 std::uint64_t n, void** held, std::size_t k) {
  return dispatchCodeCopy(copy, [&]<std::uint32_t Copy>() { return allocLoopCopy<Copy>(f, objectSize, n, held, k); });
}

}  // namespace poolscope
