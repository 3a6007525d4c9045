#pragma once
// A bounded single-producer single-consumer ring of pointers: how the
// producer-consumer scenario hands objects from the thread that gets them to
// the thread that puts them back, so that every get on the producer must be
// refilled by the pool moving objects across threads (steals) and every
// object's cache lines travel between the two cores.
//
// Protocol (rigtorp/SPSCQueue, with indices that only grow):
//   - slots [tail, head) hold values owned by the consumer side of the ring;
//     slots [head, tail + capacity) are free and owned by the producer;
//   - the producer writes slot[head & mask] and then store-releases head + 1:
//     ownership of the value passes to the consumer at that store;
//   - the consumer reads slot[tail & mask] and then store-releases tail + 1:
//     ownership of the slot passes back to the producer at that store.
// Each side keeps a cached copy of the other side's index and reloads it
// (load-acquire) only when the cached value says the ring is full / empty, so
// in the steady state each index's cache line moves once per batch, not once
// per element.
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>

#include "core/cacheline.hpp"

namespace poolscope {

template <typename T>
class SpscRing {
 public:
  // kPrefetchPair (128), not kCacheLine: the adjacent-line prefetcher on x86
  // pulls lines in pairs, so two indices 64 bytes apart still bounce together
  // (Go pads to 128 too).
  static constexpr std::size_t kIndexAlign = kPrefetchPair;

  // capacity: a power of two ≥ 2.
  explicit SpscRing(std::size_t capacity) : mask_(capacity - 1), slots_(new T[capacity]) {
    if (capacity < 2 || (capacity & (capacity - 1)) != 0) {
      throw std::invalid_argument("SpscRing capacity must be a power of two >= 2");
    }
  }
  SpscRing(const SpscRing&) = delete;
  SpscRing& operator=(const SpscRing&) = delete;

  std::size_t capacity() const noexcept { return mask_ + 1; }

  // Producer thread only. False when the ring is full.
  bool tryPush(T value) noexcept {
    // relaxed: head_ is written only by this thread.
    const std::size_t head = head_.load(std::memory_order_relaxed);
    if (head - cachedTail_ == capacity()) {
      // load-acquire pairs with the consumer's store-release of tail_: the
      // consumer has finished reading the slots it gave back.
      cachedTail_ = tail_.load(std::memory_order_acquire);
      if (head - cachedTail_ == capacity()) return false;
    }
    slots_[head & mask_] = value;
    // store-release pairs with the consumer's load-acquire of head_ in tryPop:
    // the slot's value is visible before the index that hands it over.
    head_.store(head + 1, std::memory_order_release);
    return true;
  }

  // Consumer thread only. False when the ring is empty.
  bool tryPop(T& out) noexcept {
    // relaxed: tail_ is written only by this thread.
    const std::size_t tail = tail_.load(std::memory_order_relaxed);
    if (tail == cachedHead_) {
      // load-acquire pairs with the producer's store-release of head_.
      cachedHead_ = head_.load(std::memory_order_acquire);
      if (tail == cachedHead_) return false;
    }
    out = slots_[tail & mask_];
    // store-release pairs with the producer's load-acquire of tail_ in
    // tryPush: our read of the slot happens before the producer reuses it.
    tail_.store(tail + 1, std::memory_order_release);
    return true;
  }

  // Elements pushed and not yet popped. Exact only when both sides are
  // quiescent (used to check a run drained the ring).
  std::size_t sizeApprox() const noexcept {
    // acquire on both: a consistent-enough snapshot for a quiescent ring.
    return head_.load(std::memory_order_acquire) - tail_.load(std::memory_order_acquire);
  }

 private:
  // Producer's line. head_: written by the producer only (store-release),
  // read by the consumer (load-acquire). cachedTail_: producer only.
  alignas(kIndexAlign) std::atomic<std::size_t> head_{0};
  std::size_t cachedTail_ = 0;
  // Consumer's line. tail_: written by the consumer only (store-release),
  // read by the producer (load-acquire). cachedHead_: consumer only.
  alignas(kIndexAlign) std::atomic<std::size_t> tail_{0};
  std::size_t cachedHead_ = 0;
  // Read-only after construction; on its own line so the index lines stay
  // private to their writers.
  alignas(kIndexAlign) const std::size_t mask_;
  const std::unique_ptr<T[]> slots_;
};

static_assert(alignof(SpscRing<void*>) == SpscRing<void*>::kIndexAlign);
static_assert(sizeof(SpscRing<void*>) == 3 * SpscRing<void*>::kIndexAlign);

}  // namespace poolscope
