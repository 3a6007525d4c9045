#pragma once
// Code placement for placement-randomized sampling (Mytkowicz et al., ASPLOS 2009: where a loop sits
// relative to 64-byte fetch blocks and the uop cache changes its speed by tens of percent). A scenario
// loop is instantiated kCodeCopies times as a template over `Copy`; each copy is its own function that
// starts on a 64-byte boundary and begins with Copy × kCodeCopyStep bytes of padding that is jumped over,
// so copy c's loop head sits c × kCodeCopyStep bytes (mod 64) after copy 0's. The compiler's own loop and
// jump alignment would round those offsets back to 16 bytes, so it is switched off in the copies
// (POOLSCOPE_CODE_COPY); scripts/check-code-copies.mjs checks the loop heads with objdump.
#include <cstdint>

#include "core/loop_spec.hpp"

#if defined(__clang__) || !defined(__GNUC__)
// clang has no optimize attribute: its copies still differ by the padding, rounded by its loop alignment.
#define POOLSCOPE_CODE_COPY [[gnu::noinline, gnu::aligned(64)]]
#else
#define POOLSCOPE_CODE_COPY \
  [[gnu::noinline, gnu::aligned(64), gnu::optimize("align-loops=1", "align-jumps=1", "align-labels=1")]]
#endif

namespace poolscope {

// The padding at the top of copy `Copy`: skipped by a branch, so it costs one taken jump per call. Copy 0
// has the branch too (over nothing), so every copy compiles to the same code and block order and only
// the padding differs.
template <std::uint32_t Copy>
[[gnu::always_inline]] inline void codeCopyPadding() noexcept {
  static_assert(Copy < kCodeCopies);
#if defined(__x86_64__) || defined(__i386__)
  if constexpr (Copy > 0) {
    asm volatile("jmp 1f\n\t.skip %c0, 0xcc\n1:" : : "i"(Copy * kCodeCopyStep));
  } else {
    asm volatile("jmp 1f\n1:");
  }
#elif defined(__aarch64__)
  if constexpr (Copy > 0) {
    asm volatile("b 1f\n\t.skip %c0, 0\n1:" : : "i"(Copy * kCodeCopyStep));
  } else {
    asm volatile("b 1f\n1:");
  }
#endif
}

// Calls fn.template operator()<Copy>() for the copy `copy` selects (its low bits).
template <class Fn>
[[gnu::always_inline]] inline decltype(auto) dispatchCodeCopy(std::uint32_t copy, Fn&& fn) {
  static_assert(kCodeCopies == 8);
  switch (copy % kCodeCopies) {
    case 0: return fn.template operator()<0>();
    case 1: return fn.template operator()<1>();
    case 2: return fn.template operator()<2>();
    case 3: return fn.template operator()<3>();
    case 4: return fn.template operator()<4>();
    case 5: return fn.template operator()<5>();
    case 6: return fn.template operator()<6>();
    default: return fn.template operator()<7>();
  }
}

}  // namespace poolscope
