#pragma once
// MallocPool: the baseline of no pool at all. get() is the allocator's allocate, put() its deallocate.
#include <memory>
#include <utility>

#include "core/baseline_state.hpp"

namespace poolscope {

template <class Alloc = BlockAllocator>
class MallocPool {
  using State = detail::BaselineState<Alloc>;

 public:
  class Local {
   public:
    [[gnu::always_inline]] void* get() noexcept {
      void* p = s_->alloc_.allocate();
      if (p != nullptr) count_(&StatsLine::fromNew);
      return p;
    }
    [[gnu::always_inline]] void put(void* p) noexcept {
      if (p == nullptr) return;
      s_->alloc_.deallocate(p);
      count_(&StatsLine::puts);
    }
    PoolStats stats() const noexcept { return count_.line->snapshot(); }

   private:
    friend class MallocPool;
    Local(State* s, typename State::Counter c) noexcept : s_(s), count_(c) {}
    State* s_;
    typename State::Counter count_;
  };

  MallocPool(const PoolConfig& config, Alloc alloc) : state_(make(config, std::move(alloc))) {}
  explicit MallocPool(const PoolConfig& config) : MallocPool(config, Alloc(config.objectSize, config.alignment)) {}

  Local pin() { return Local(state_.get(), state_->counterForThisThread()); }
  void* get() { return pin().get(); }
  void put(void* p) { pin().put(p); }
  void clear() noexcept {}  // holds nothing
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
