#pragma once
// MutexPool: one free list (a vector used as a stack) behind one std::mutex: the pool most people write
// first. Every get and put takes the lock, so every operation moves the lock's cache line between the
// threads using it. Holds at most maxCached objects; further puts are dropped.
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "core/baseline_state.hpp"

namespace poolscope {

template <class Alloc = BlockAllocator>
class MutexPool {
  struct State : detail::BaselineState<Alloc> {
    State(const PoolConfig& c, Alloc a) : detail::BaselineState<Alloc>(c, std::move(a)), maxCached(c.maxCached) {
      free.reserve(maxCached);  // so put never allocates (or throws) under the lock
    }
    ~State() override {
      for (void* p : free) this->alloc_.deallocate(p);
    }
    std::mutex mu;
    std::vector<void*> free;  // guarded by mu
    const std::size_t maxCached;
  };

 public:
  class Local {
   public:
    [[gnu::always_inline]] void* get() noexcept {
      {
        std::lock_guard<std::mutex> lock(s_->mu);
        if (!s_->free.empty()) {
          void* p = s_->free.back();
          s_->free.pop_back();
          count_(&StatsLine::fromShared);
          return p;
        }
      }
      void* p = s_->alloc_.allocate();
      if (p != nullptr) count_(&StatsLine::fromNew);
      return p;
    }
    [[gnu::always_inline]] void put(void* p) noexcept {
      if (p == nullptr) return;
      count_(&StatsLine::puts);
      {
        std::lock_guard<std::mutex> lock(s_->mu);
        if (s_->free.size() < s_->maxCached) {
          s_->free.push_back(p);  // capacity reserved: no allocation
          return;
        }
      }
      s_->alloc_.deallocate(p);
      count_(&StatsLine::drops);
    }
    PoolStats stats() const noexcept { return count_.line->snapshot(); }

   private:
    friend class MutexPool;
    Local(State* s, typename State::Counter c) noexcept : s_(s), count_(c) {}
    State* s_;
    typename State::Counter count_;
  };

  MutexPool(const PoolConfig& config, Alloc alloc) : state_(make(config, std::move(alloc))) {}
  explicit MutexPool(const PoolConfig& config) : MutexPool(config, Alloc(config.objectSize, config.alignment)) {}

  Local pin() { return Local(state_.get(), state_->counterForThisThread()); }
  void* get() { return pin().get(); }
  void put(void* p) { pin().put(p); }
  void clear() {
    std::vector<void*> taken;
    taken.reserve(state_->maxCached);
    {
      std::lock_guard<std::mutex> lock(state_->mu);
      taken.swap(state_->free);  // the pool keeps the reserved vector's twin
    }
    for (void* p : taken) state_->alloc_.deallocate(p);
  }
  PoolStats stats() const noexcept { return state_->stats(); }
  Alloc& allocator() noexcept { return state_->alloc_; }
  std::size_t objectSize() const noexcept { return state_->alloc_.objectSize(); }

 private:
  static std::shared_ptr<State> make(const PoolConfig& c, Alloc alloc) {
    detail::validateBaselineConfig(c);
    return std::make_shared<State>(c, std::move(alloc));
  }
  std::shared_ptr<State> state_;
};

}  // namespace poolscope
