#pragma once
// A growing chain of SPMC rings: Go's poolChain. The owner pushes into the newest ring (head) and, when
// it is full, links a new ring twice the size (up to a cap). The owner pops from the newest ring and walks
// back through older ones; consumers pop from the oldest (tail) and, finding it empty with a newer ring
// after it, drop it from the chain.
//
// Unlike Go there is no garbage collector, so a dropped ring is not freed: a consumer may still hold a
// pointer to it. A dropped ring is empty for good (the owner only pushes into the newest ring, and a ring
// with a successor is not the newest), so a stale consumer only finds it empty. Every ring is handed to a
// RingRegistry, which frees them all when the pool is destroyed, and a chain allocates at most maxRings
// rings in its lifetime; after that, a push that finds the head ring full fails (the pool counts a drop).
//
// The chain itself is two pointers, so a per-thread record holding two chains stays small (see layout.hpp:
// the Packed layout relies on records sharing lines).
#include <atomic>
#include <cstdint>
#include <mutex>
#include <vector>

#include "core/spmc_ring.hpp"

namespace poolscope {

struct ChainLimits {
  std::uint32_t initialRingSize;  // power of two
  std::uint32_t maxRingSize;      // power of two >= initialRingSize
  std::uint32_t maxRings;
  std::uint32_t startIndex;
};

// Owns every ring of a pool's chains; frees them at destruction. Growth is rare (a chain allocates at
// most maxRings rings), so a mutex is fine here and keeps the chains themselves small.
template <class Ring>
class RingRegistry {
 public:
  RingRegistry() = default;
  RingRegistry(const RingRegistry&) = delete;
  RingRegistry& operator=(const RingRegistry&) = delete;
  ~RingRegistry() {
    for (Ring* r : rings_) Ring::destroy(r);
  }
  bool adopt(Ring* r) noexcept {
    try {
      std::lock_guard<std::mutex> lock(mu_);
      rings_.push_back(r);
      return true;
    } catch (...) {
      return false;
    }
  }

 private:
  std::mutex mu_;
  std::vector<Ring*> rings_;  // guarded by mu_
};

template <class Publish>
class PoolChain {
 public:
  using Ring = RingFor<Publish>;

  PoolChain() = default;
  PoolChain(const PoolChain&) = delete;
  PoolChain& operator=(const PoolChain&) = delete;

  // Owner only. False when the object could not be cached (ring budget spent, or out of memory).
  bool pushHead(void* obj, const ChainLimits& limits, RingRegistry<Ring>& registry) noexcept {
    Ring* d = head_;
    if (d != nullptr && d->pushHead(obj)) return true;
    const std::uint32_t ordinal = d == nullptr ? 1 : d->ordinal + 1;
    if (ordinal > limits.maxRings) return false;
    std::uint32_t size = d == nullptr ? limits.initialRingSize : d->size() * 2;
    if (size > limits.maxRingSize) size = limits.maxRingSize;
    Ring* d2 = Ring::create(size, limits.startIndex);
    if (d2 == nullptr) return false;
    if (!registry.adopt(d2)) {
      Ring::destroy(d2);
      return false;
    }
    d2->ordinal = ordinal;
    head_ = d2;
    if (d == nullptr) {
      // Release: pairs with consumers' acquire load of tail_, so they see the ring initialised.
      tail_.store(d2, std::memory_order_release);
    } else {
      d2->prev.store(d, std::memory_order_relaxed);  // read by the owner only, or cleared by a consumer
      // Release: pairs with the consumers' acquire load of next (they then see d2 initialised).
      d->next.store(d2, std::memory_order_release);
    }
    d2->pushHead(obj);  // a fresh ring has room
    return true;
  }

  // Owner only.
  void* popHead() noexcept {
    for (Ring* d = head_; d != nullptr;) {
      if (void* obj = d->popHead()) return obj;
      // Older rings may still hold objects. Acquire pairs with nothing that matters for safety (rings are
      // never freed while the chain lives); relaxed would do, acquire keeps TSan's view simple.
      d = d->prev.load(std::memory_order_acquire);
    }
    return nullptr;
  }

  // Any thread.
  void* popTail() noexcept {
    // Acquire: pairs with the release stores of tail_ (first ring) and of the CAS below.
    Ring* d = tail_.load(std::memory_order_acquire);
    while (d != nullptr) {
      // Load next before trying the ring: if d is empty and has a successor, it was empty when the owner
      // moved on, and stays empty (see above), so dropping it loses nothing.
      Ring* d2 = d->next.load(std::memory_order_acquire);  // pairs with pushHead's release store
      if (void* obj = d->popTail()) return obj;
      if (d2 == nullptr) return nullptr;
      // acq_rel: release publishes nothing new but keeps the order with the chain's other tail stores.
      Ring* expected = d;
      if (tail_.compare_exchange_strong(expected, d2, std::memory_order_acq_rel, std::memory_order_acquire)) {
        // The owner's popHead must not walk back into the dropped ring (it is empty anyway).
        d2->prev.store(nullptr, std::memory_order_relaxed);
      }
      d = d2;
    }
    return nullptr;
  }

 private:
  Ring* head_ = nullptr;              // newest ring: owner only
  std::atomic<Ring*> tail_{nullptr};  // oldest live ring: set once by the owner, then advanced by consumers' CAS
};

}  // namespace poolscope
