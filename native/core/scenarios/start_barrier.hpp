#pragma once
// The common start of a sample: every worker of a run arrives here after
// receiving its job (at different times: a postMessage hop costs tens of
// microseconds to milliseconds), and all leave together, so the timed loops
// overlap. The last to arrive records the release time, which is the sample's
// common start. The barrier can be cancelled (timeout, Ctrl-C, a failed
// worker) so that no waiter hangs when a party never arrives.
//
// One-shot: a run group makes a fresh barrier for each sample.
#include <atomic>
#include <chrono>
#include <cstdint>

#include "platform/wait.hpp"

namespace poolscope {

using platform::spinPause;

// Monotonic clock in ns (CLOCK_MONOTONIC on Linux), the one clock the harness
// uses for wall times, so that times from different threads compare.
inline std::uint64_t monotonicNs() noexcept {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
          .count());
}

class StartBarrier {
 public:
  enum class Outcome { Started, Cancelled };

  explicit StartBarrier(unsigned parties) noexcept : parties_(parties) {}
  StartBarrier(const StartBarrier&) = delete;
  StartBarrier& operator=(const StartBarrier&) = delete;

  // Blocks until every party has arrived (Started) or the barrier is
  // cancelled (Cancelled). Spins for up to spinNs first: after the release a
  // spinning waiter starts within ~100 ns, a futex sleeper only after the
  // scheduler wakes it (tens of µs), which would skew the common start.
  Outcome arriveAndWait(std::uint64_t spinNs = 20'000'000) noexcept {
    // acq_rel: the last arriver's acquire sees every earlier arrival; its
    // release of state_ below then publishes releaseNs_ to all.
    const unsigned before = arrived_.fetch_add(1, std::memory_order_acq_rel);
    if (before + 1 == parties_) {
      releaseNs_ = monotonicNs();
      std::uint32_t expected = kWaiting;
      // release pairs with the waiters' load-acquire of state_: releaseNs_ is
      // visible to every party that sees kStarted. A cancel that won the race
      // stays (compare_exchange), so the outcome is the same for all.
      state_.compare_exchange_strong(expected, kStarted, std::memory_order_release, std::memory_order_acquire);
      state_.notify_all();
      return outcome(state_.load(std::memory_order_acquire));
    }
    const std::uint64_t spinUntil = monotonicNs() + spinNs;
    for (unsigned i = 0;; ++i) {
      // load-acquire pairs with the last arriver's release (or cancel()).
      const std::uint32_t s = state_.load(std::memory_order_acquire);
      if (s != kWaiting) return outcome(s);
      spinPause();
      if ((i & 1023) == 1023 && monotonicNs() > spinUntil) break;
    }
    // Returns when state_ is no longer kWaiting (std::atomic::wait: a futex
    // on Linux); acquire for the same pairing as above.
    platform::waitWhileEqual(state_, kWaiting, std::memory_order_acquire);
    return outcome(state_.load(std::memory_order_acquire));
  }

  // Any thread: releases every waiter with Cancelled, unless the barrier
  // already started (then the loops see the run's stop flag instead).
  void cancel() noexcept {
    std::uint32_t expected = kWaiting;
    // release: pairs with the waiters' acquire (nothing else is published,
    // but it keeps the one state word's transitions totally ordered).
    state_.compare_exchange_strong(expected, kCancelled, std::memory_order_release, std::memory_order_relaxed);
    state_.notify_all();
  }

  // The common start, valid after arriveAndWait() returned Started.
  std::uint64_t releaseNs() const noexcept { return releaseNs_; }

 private:
  static constexpr std::uint32_t kWaiting = 0, kStarted = 1, kCancelled = 2;
  static Outcome outcome(std::uint32_t s) noexcept { return s == kStarted ? Outcome::Started : Outcome::Cancelled; }

  const unsigned parties_;
  // Parties arrived so far; each party increments it once.
  std::atomic<unsigned> arrived_{0};
  // kWaiting → kStarted (last arriver) or kWaiting → kCancelled (cancel());
  // never changes again after that.
  std::atomic<std::uint32_t> state_{kWaiting};
  // Written once by the last arriver before it releases state_; read by the
  // parties after they acquire kStarted.
  std::uint64_t releaseNs_ = 0;
};

}  // namespace poolscope
