#pragma once
// SharedSlab: the native half of SharedBufferPool. One mapping holds
//   [ blocks × blockSize bytes of data | pad to 64 | blocks × int32 state words ]
// and every thread maps all of it once (the addon wraps it in one external
// ArrayBuffer per thread). Free blocks are handed out as indices by a
// SlabAllocator (lock-free); each thread's JS side keeps a small cache of
// indices and moves them in batches with take()/give().
//
// State word of block i (the invariant "one owner at a time" made visible):
//   kInPool (0)       free, owned by the allocator
//   kHeld (1)         owned by a caller (acquired, maybe handed to another thread by index)
//   tag >= 2          free, in the JS-side cache of the attachment with that tag
// Transitions:  kInPool -> tag   take()            (native, the thread that took it)
//               tag -> kHeld     acquire()         (JS, owner of the cache)
//               kHeld -> tag     release()         (JS, CAS: fails on double release,
//                                                   from any thread, at once)
//               tag -> kInPool   give()/reclaim()  (native, CAS from the expected tag)
// All state-word accesses are seq_cst, native (std::atomic_ref) and JS
// (Atomics.*) alike: JS Atomics are seq_cst, and keeping one order on a word
// shared by both sides costs nothing measurable on the batch path.
//
// No Node includes here.
#include <atomic>
#include <cstddef>
#include <cstdint>

#include "core/slab_allocator.hpp"
#include "core/slab_memory.hpp"

namespace poolscope::core {

class SharedSlab {
 public:
  static constexpr std::int32_t kInPool = 0;
  static constexpr std::int32_t kHeld = 1;
  static constexpr std::int32_t kFirstTag = 2;

  // Throws std::system_error when the mapping fails.
  SharedSlab(std::size_t blockSize, std::uint32_t blocks)
      : blockSize_(blockSize),
        blocks_(blocks),
        stateOffset_((blockSize * blocks + 63) / 64 * 64),
        memory_(stateOffset_ + sizeof(std::int32_t) * blocks),
        alloc_(memory_.data(), blockSize, blocks) {}

  SharedSlab(const SharedSlab&) = delete;
  SharedSlab& operator=(const SharedSlab&) = delete;

  std::byte* base() const noexcept { return memory_.data(); }
  std::size_t mappedBytes() const noexcept { return memory_.size(); }
  std::size_t stateOffset() const noexcept { return stateOffset_; }
  std::size_t blockSize() const noexcept { return blockSize_; }
  std::uint32_t blocks() const noexcept { return blocks_; }

  // A tag no other attachment of this slab has had (relaxed: only uniqueness matters).
  std::int32_t newTag() noexcept { return nextTag_.fetch_add(1, std::memory_order_relaxed); }

  // Moves up to n free blocks from the allocator into out[], marking each as
  // cached by `tag`. Returns how many (0 = none free in the allocator).
  std::size_t take(std::uint32_t* out, std::size_t n, std::int32_t tag) noexcept {
    std::size_t got = 0;
    while (got < n) {
      const std::uint32_t i = alloc_.allocateIndex();
      if (i == IndexStack::kEmpty) break;
      state(i).store(tag, std::memory_order_seq_cst);
      out[got++] = i;
    }
    return got;
  }

  // Returns blocks cached by `tag` to the allocator. An index out of range or
  // not in state `tag` is skipped and counted (the caller reports it): a
  // caller bug must not put a block in the allocator twice.
  std::size_t give(const std::uint32_t* in, std::size_t n, std::int32_t tag) noexcept {
    std::size_t rejected = 0;
    for (std::size_t k = 0; k < n; ++k) {
      const std::uint32_t i = in[k];
      std::int32_t expected = tag;
      if (i >= blocks_ || !state(i).compare_exchange_strong(expected, kInPool, std::memory_order_seq_cst)) {
        ++rejected;
        continue;
      }
      alloc_.deallocateIndex(i);
    }
    return rejected;
  }

  // Returns every block still cached by `tag` to the allocator: for a thread
  // that went away without flushing its cache (worker exit). Blocks it held
  // (kHeld) stay held: they may have been handed to another thread by index.
  std::size_t reclaim(std::int32_t tag) noexcept {
    std::size_t n = 0;
    for (std::uint32_t i = 0; i < blocks_; ++i) {
      std::int32_t expected = tag;
      if (state(i).compare_exchange_strong(expected, kInPool, std::memory_order_seq_cst)) {
        alloc_.deallocateIndex(i);
        ++n;
      }
    }
    return n;
  }

  struct Census {
    std::uint32_t inPool = 0;
    std::uint32_t held = 0;
    std::uint32_t cached = 0;
  };
  // Counts blocks by state; exact for each word, a moving snapshot overall.
  Census census() const noexcept {
    Census c;
    for (std::uint32_t i = 0; i < blocks_; ++i) {
      const std::int32_t s = state(i).load(std::memory_order_seq_cst);
      if (s == kInPool) {
        ++c.inPool;
      } else if (s == kHeld) {
        ++c.held;
      } else {
        ++c.cached;
      }
    }
    return c;
  }

  std::atomic_ref<std::int32_t> state(std::uint32_t i) const noexcept {
    return std::atomic_ref<std::int32_t>(stateWords()[i]);
  }

 private:
  std::int32_t* stateWords() const noexcept { return reinterpret_cast<std::int32_t*>(base() + stateOffset_); }

  const std::size_t blockSize_;
  const std::uint32_t blocks_;
  const std::size_t stateOffset_;
  SlabMemory memory_;    // zero-filled: every state word starts kInPool
  SlabAllocator alloc_;  // which blocks are in the pool
  std::atomic<std::int32_t> nextTag_{kFirstTag};
};

}  // namespace poolscope::core
