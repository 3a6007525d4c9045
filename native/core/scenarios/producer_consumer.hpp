#pragma once
// Scenario `producer-consumer`: get on one thread, put on another. The
// producer gets objects from the pool and hands them through an SPSC ring to
// the consumer, which puts them back; so the producer's own caches are always
// empty and every get is served by stealing from the consumer's deque (or by
// new), and each object's cache lines cross between the two cores.
//
// Exactly-once check, counted here in native code: the producer stamps each
// object with a sequence number before handing it over; the consumer checks
// that the numbers arrive consecutively. A pool that handed one object to two
// owners at once would make the producer overwrite a stamp still in the ring,
// which shows up as an order error; a lost or duplicated object shows up as
// produced != consumed.
//
// Handle: the pinned per-thread pool handle, with `void* get()` and
// `void put(void*)`.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <thread>

#include "core/scenarios/run_control.hpp"
#include "core/scenarios/start_barrier.hpp"
#include "core/spsc_ring.hpp"

namespace poolscope {

// One producer/consumer pair's channel; lives in the run group for one sample.
class PcChannel {
 public:
  static constexpr std::size_t kRingCapacity = 256;

  SpscRing<void*> ring{kRingCapacity};

  // Producer only, after its last push: publishes how many it produced.
  void finish(std::uint64_t produced) noexcept {
    produced_ = produced;
    // store-release pairs with the consumer's load-acquire in consumerMayStop:
    // produced_ (and every push before) is visible once done_ reads true.
    done_.store(true, std::memory_order_release);
  }

  // Consumer only: true once the producer finished and all it produced was consumed.
  bool consumerMayStop(std::uint64_t consumed) const noexcept {
    return done_.load(std::memory_order_acquire) && consumed == produced_;
  }

  bool producerDone() const noexcept { return done_.load(std::memory_order_acquire); }
  // Valid after producerDone() returned true.
  std::uint64_t produced() const noexcept { return produced_; }

  // Consumer-side tallies, written by the consumer thread only, read by the
  // harness after both workers returned (the worker results' message passing
  // orders them).
  std::uint64_t consumed = 0;
  std::uint64_t orderErrors = 0;

 private:
  std::atomic<bool> done_{false};
  std::uint64_t produced_ = 0;  // written before done_ (release), read after it (acquire)
};

// Waiting for the other side: spin briefly (it is usually running on the
// other core and about to move), then yield, so that when the two threads
// share a core (an oversubscribed machine) the waiter gives its time slice to
// the thread it waits for instead of burning it.
inline void backOff(unsigned spins) noexcept {
  if (spins < 256) {
    spinPause();
  } else {
    std::this_thread::yield();
  }
}

inline void stamp(void* obj, std::uint64_t seq) noexcept { std::memcpy(obj, &seq, sizeof seq); }
inline std::uint64_t readStamp(const void* obj) noexcept {
  std::uint64_t seq;
  std::memcpy(&seq, obj, sizeof seq);
  return seq;
}

// Producer: up to n more objects, numbered from `next`; returns how many were
// handed over. Stops early (returning fewer) when `stop` is requested while
// the ring is full (the object in hand then goes back to the pool) or when
// the pool's allocator runs out.
template <typename Handle>
[[gnu::always_inline]] inline std::uint64_t producerLoop(Handle& h, PcChannel& ch, std::uint64_t next, std::uint64_t n, const StopFlag& stop) {
  for (std::uint64_t i = 0; i < n; ++i) {
    void* obj = h.get();
    if (obj == nullptr) return i;  // a bounded allocator ran out
    stamp(obj, next + i);
    for (unsigned spins = 0; !ch.ring.tryPush(obj); ++spins) {
      backOff(spins);
      if ((spins & 255) == 255 && stop.requested()) {
        h.put(obj);
        return i;
      }
    }
  }
  return n;
}

// Consumer: pops and puts back until the producer finished and the ring is
// drained. Ignores the stop flag while the producer is still running (the
// producer sees it and finishes), but gives up after `graceNs` of a stop
// request with the producer not finished, so nothing can hang.
template <typename Handle>
[[gnu::always_inline]] inline std::uint64_t consumerLoop(Handle& h, PcChannel& ch, const StopFlag& stop,
                           std::uint64_t graceNs = 2'000'000'000) {
  std::uint64_t stopSeenAt = 0;
  void* obj = nullptr;
  for (unsigned spins = 0;;) {
    if (ch.ring.tryPop(obj)) {
      if (readStamp(obj) != ch.consumed) ++ch.orderErrors;
      ++ch.consumed;
      h.put(obj);
      spins = 0;
      continue;
    }
    if (ch.consumerMayStop(ch.consumed)) return ch.consumed;
    backOff(spins);
    if ((++spins & 1023) == 0 && stop.requested()) {
      const std::uint64_t now = monotonicNs();
      if (stopSeenAt == 0) stopSeenAt = now;
      if (now - stopSeenAt > graceNs) return ch.consumed;
    }
  }
}

}  // namespace poolscope
