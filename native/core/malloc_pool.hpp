#pragma once
// MallocPool: the baseline of no pool at all. get() is the allocator's allocate, put() its deallocate.
#include <utility>

#include "core/baseline_state.hpp"

namespace poolscope {

namespace detail {

template <class Alloc>
class MallocLocal : public BaselineLocal<BaselineState<Alloc>> {
 public:
  using BaselineLocal<BaselineState<Alloc>>::BaselineLocal;
  [[gnu::always_inline]] void* get() noexcept {
    void* p = this->s_->alloc_.allocate();
    if (p != nullptr) this->count_(&StatsLine::fromNew);
    return p;
  }
  [[gnu::always_inline]] void put(void* p) noexcept {
    if (p == nullptr) return;
    this->s_->alloc_.deallocate(p);
    this->count_(&StatsLine::puts);
  }
};

}  // namespace detail

template <class Alloc = BlockAllocator>
class MallocPool : public detail::BaselinePool<Alloc, detail::BaselineState<Alloc>, detail::MallocLocal<Alloc>> {
 public:
  using detail::BaselinePool<Alloc, detail::BaselineState<Alloc>, detail::MallocLocal<Alloc>>::BaselinePool;
  using Local = detail::MallocLocal<Alloc>;
  void clear() noexcept {}  // holds nothing
};

}  // namespace poolscope
