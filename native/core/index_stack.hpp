#pragma once
// IndexStack: a bounded lock-free LIFO of block indices 0..capacity-1 (a
// Treiber stack whose links live in a side array, so the blocks themselves
// are never written by the stack). Any thread may push and pop.
//
// head_ packs { tag (high 32 bits), top index + 1 (low 32 bits; 0 = empty) }.
// Every successful CAS increments the tag, so a pop that read head A, was
// preempted while A was popped and pushed back with another successor, fails
// its CAS instead of installing a stale successor (ABA). The tag wraps after
// 2^32 successful operations inside one pop's read-to-CAS window; that is the
// accepted limit of this scheme.
//
// Ownership: an index is either on the stack (owned by the stack) or owned by
// the one thread that popped it, never both; links_[i] is written only by the
// thread pushing i (which owns i) and read by poppers that may be racing with
// it, hence atomic (relaxed; the tag check discards any value read from a
// link that changed).
//
// No Node includes here.
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>

#include "core/cacheline.hpp"

namespace poolscope {

class IndexStack {
 public:
  static constexpr std::uint32_t kEmpty = UINT32_MAX;

  enum class Start { Full, Empty };

  // Full: pop() returns 0, 1, 2, … capacity-1 in that order. Empty: indices enter by push().
  explicit IndexStack(std::uint32_t capacity, Start start = Start::Full)
      : capacity_(capacity), links_(std::make_unique<std::atomic<std::uint32_t>[]>(capacity)) {
    const bool full = start == Start::Full;
    for (std::uint32_t i = 0; i < capacity; ++i) {
      // below i is i+1, stored as (i+1)+1; the last one has nothing below it (0)
      links_[i].store(full && i + 1 < capacity ? i + 2 : 0, std::memory_order_relaxed);
    }
    head_.store(full && capacity > 0 ? 1 : 0, std::memory_order_relaxed);  // published by the owner's construction
  }

  IndexStack(const IndexStack&) = delete;
  IndexStack& operator=(const IndexStack&) = delete;

  std::uint32_t capacity() const noexcept { return capacity_; }

  // Gives index i (owned by the caller) to the stack.
  void push(std::uint32_t i) noexcept {
    std::uint64_t old = head_.load(std::memory_order_relaxed);
    for (;;) {
      links_[i].store(low(old), std::memory_order_relaxed);
      // release: pairs with pop()'s acquire load/CAS of head_, so the popper
      // sees links_[i] and everything the caller wrote to block i.
      if (head_.compare_exchange_weak(old, pack(tag(old) + 1, i + 1), std::memory_order_release,
                                      std::memory_order_relaxed)) {
        return;
      }
    }
  }

  // Takes an index from the stack; kEmpty when there is none.
  std::uint32_t pop() noexcept {
    // acquire: pairs with push()'s release CAS (see push).
    std::uint64_t old = head_.load(std::memory_order_acquire);
    for (;;) {
      const std::uint32_t top = low(old);
      if (top == 0) return kEmpty;
      const std::uint32_t below = links_[top - 1].load(std::memory_order_relaxed);
      // acquire on success: as above, for the head value this CAS replaces;
      // acquire on failure: the reloaded head is read from, like the first load.
      if (head_.compare_exchange_weak(old, pack(tag(old) + 1, below), std::memory_order_acquire,
                                      std::memory_order_acquire)) {
        return top - 1;
      }
    }
  }

 private:
  static constexpr std::uint32_t low(std::uint64_t w) noexcept { return static_cast<std::uint32_t>(w); }
  static constexpr std::uint32_t tag(std::uint64_t w) noexcept { return static_cast<std::uint32_t>(w >> 32); }
  static constexpr std::uint64_t pack(std::uint32_t t, std::uint32_t topPlusOne) noexcept {
    return (static_cast<std::uint64_t>(t) << 32) | topPlusOne;
  }

  const std::uint32_t capacity_;
  std::unique_ptr<std::atomic<std::uint32_t>[]> links_;  // links_[i]: (index below i) + 1; see class comment
  alignas(kCacheLine) std::atomic<std::uint64_t> head_{0};  // own cache line: every push/pop CASes it
  char pad_[kCacheLine - sizeof(std::atomic<std::uint64_t>)]{};
};

}  // namespace poolscope
