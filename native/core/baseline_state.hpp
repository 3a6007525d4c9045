#pragma once
// What the baseline pools share: the allocator, per-thread statistics lines (via ThreadSlots) and a
// pinned handle's way of counting. Baselines have no victim cache and no per-thread caches; clear() frees
// everything they hold.
#include <atomic>
#include <cstdint>
#include <memory>
#include <utility>

#include "core/block_allocator.hpp"
#include "core/pool_config.hpp"
#include "core/pool_stats.hpp"
#include "core/thread_slots.hpp"

namespace poolscope::detail {

template <class Alloc>
class BaselineState : public ThreadSlots {
 public:
  BaselineState(const PoolConfig& c, Alloc alloc)
      : ThreadSlots(static_cast<std::uint32_t>(c.maxThreads)), alloc_(std::move(alloc)), stats_(new StatsLine[c.maxThreads]) {}

  // A counter sink bound to one thread's line, or to the shared overflow line (then by fetch_add).
  struct Counter {
    StatsLine* line;
    bool shared;
    void operator()(std::atomic<std::uint64_t> StatsLine::*field) const noexcept {
      if (shared) {
        StatsLine::add(line->*field);
      } else {
        StatsLine::bump(line->*field);
      }
    }
  };

  Counter counterForThisThread() {
    const std::uint32_t slot = slotOfThisThread();
    return slot == kNone ? Counter{&overflow_, true} : Counter{&stats_[slot], false};
  }

  PoolStats stats() const noexcept {
    PoolStats s = overflow_.snapshot();
    const std::uint32_t hw = highWater();
    for (std::uint32_t i = 0; i < hw; ++i) s += stats_[i].snapshot();
    return s;
  }

  Alloc alloc_;  // thread-safe allocator policy

 private:
  std::unique_ptr<StatsLine[]> stats_;  // line i: written by the thread holding slot i
  StatsLine overflow_;                  // threads without a slot (fetch_add)
};

inline void validateBaselineConfig(const PoolConfig& c) {
  validateBlockShape(c.objectSize, c.alignment);
  if (c.maxThreads < 1 || c.maxThreads > 4096) {
    throw std::invalid_argument("maxThreads must be an integer from 1 to 4096 (received " +
                                std::to_string(c.maxThreads) + ")");
  }
  if (c.maxCached < 1 || c.maxCached > (std::size_t{1} << 24)) {
    throw std::invalid_argument("maxCached must be an integer from 1 to 16777216 (received " +
                                std::to_string(c.maxCached) + ")");
  }
}

// A baseline's pinned handle: the pool's state and this thread's counter sink. Each pool's Local derives
// from it and adds get/put. Made by pin(); valid only on the thread that called pin(), while the pool lives.
template <class State>
class BaselineLocal {
 public:
  BaselineLocal(State* s, typename State::Counter c) noexcept : s_(s), count_(c) {}
  PoolStats stats() const noexcept { return count_.line->snapshot(); }

 protected:
  State* s_;
  typename State::Counter count_;
};

// The surface every baseline pool shares: construction from a PoolConfig, pin(), get/put through a fresh
// pin, stats and the allocator. A pool supplies its State (a BaselineState<Alloc>) and Local (a
// BaselineLocal<State> with get/put) and adds clear().
template <class Alloc, class State, class Local>
class BaselinePool {
 public:
  BaselinePool(const PoolConfig& config, Alloc alloc) : state_(make(config, std::move(alloc))) {}
  explicit BaselinePool(const PoolConfig& config) : BaselinePool(config, Alloc(config.objectSize, config.alignment)) {}

  Local pin() { return Local(state_.get(), state_->counterForThisThread()); }
  void* get() { return pin().get(); }
  void put(void* p) { pin().put(p); }
  PoolStats stats() const noexcept { return state_->stats(); }
  Alloc& allocator() noexcept { return state_->alloc_; }
  std::size_t objectSize() const noexcept { return state_->alloc_.objectSize(); }

 protected:
  std::shared_ptr<State> state_;

 private:
  static std::shared_ptr<State> make(const PoolConfig& c, Alloc alloc) {
    validateBaselineConfig(c);
    return std::make_shared<State>(c, std::move(alloc));
  }
};

}  // namespace poolscope::detail
