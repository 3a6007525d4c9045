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

namespace detail {

template <class Alloc>
struct MutexState : BaselineState<Alloc> {
  MutexState(const PoolConfig& c, Alloc a) : BaselineState<Alloc>(c, std::move(a)), maxCached(c.maxCached) {
    free.reserve(maxCached);  // so put never allocates (or throws) under the lock
  }
  ~MutexState() override {
    for (void* p : free) this->alloc_.deallocate(p);
  }
  std::mutex mu;
  std::vector<void*> free;  // guarded by mu
  const std::size_t maxCached;
};

template <class Alloc>
class MutexLocal : public BaselineLocal<MutexState<Alloc>> {
 public:
  using BaselineLocal<MutexState<Alloc>>::BaselineLocal;
  [[gnu::always_inline]] void* get() noexcept {
    {
      std::lock_guard<std::mutex> lock(this->s_->mu);
      if (!this->s_->free.empty()) {
        void* p = this->s_->free.back();
        this->s_->free.pop_back();
        this->count_(&StatsLine::fromShared);
        return p;
      }
    }
    void* p = this->s_->alloc_.allocate();
    if (p != nullptr) this->count_(&StatsLine::fromNew);
    return p;
  }
  [[gnu::always_inline]] void put(void* p) noexcept {
    if (p == nullptr) return;
    this->count_(&StatsLine::puts);
    {
      std::lock_guard<std::mutex> lock(this->s_->mu);
      if (this->s_->free.size() < this->s_->maxCached) {
        this->s_->free.push_back(p);  // capacity reserved: no allocation
        return;
      }
    }
    this->s_->alloc_.deallocate(p);
    this->count_(&StatsLine::drops);
  }
};

}  // namespace detail

template <class Alloc = BlockAllocator>
class MutexPool : public detail::BaselinePool<Alloc, detail::MutexState<Alloc>, detail::MutexLocal<Alloc>> {
 public:
  using detail::BaselinePool<Alloc, detail::MutexState<Alloc>, detail::MutexLocal<Alloc>>::BaselinePool;
  using Local = detail::MutexLocal<Alloc>;
  void clear() {
    std::vector<void*> taken;
    taken.reserve(this->state_->maxCached);
    {
      std::lock_guard<std::mutex> lock(this->state_->mu);
      taken.swap(this->state_->free);  // the pool keeps the reserved vector's twin
    }
    for (void* p : taken) this->state_->alloc_.deallocate(p);
  }
};

}  // namespace poolscope
