#pragma once
// TreiberPool: one global lock-free stack (Treiber). Every get and put is a CAS on one shared head word,
// so the head's cache line moves between threads on every operation.
//
// The stacks hold indices into a fixed array of maxCached object slots owned by the pool, not the blocks
// themselves: a popper reads the top entry's link before its CAS, and with intrusive links in the blocks
// that read could touch a block another thread already got (or freed, after clear()). With index links
// that live as long as the pool, a stale read is only a stale index, and the tag rejects it. Two stacks
// (core/index_stack.hpp, the project's one tagged Treiber stack): `full` (slots holding objects) and
// `spare` (empty slots). get = pop full + push spare; put = pop spare + push full: two CASes per
// operation, the price of safe memory reclamation without hazard pointers.
#include <atomic>
#include <cstdint>
#include <memory>
#include <utility>

#include "core/baseline_state.hpp"
#include "core/index_stack.hpp"

namespace poolscope {

namespace detail {

template <class Alloc>
struct TreiberState : BaselineState<Alloc> {
  TreiberState(const PoolConfig& c, Alloc a)
      : BaselineState<Alloc>(c, std::move(a)),
        objs(new void*[c.maxCached]),
        full(static_cast<std::uint32_t>(c.maxCached), IndexStack::Start::Empty),
        spare(static_cast<std::uint32_t>(c.maxCached), IndexStack::Start::Full) {}
  ~TreiberState() override {
    for (std::uint32_t i; (i = full.pop()) != IndexStack::kEmpty;) this->alloc_.deallocate(objs[i]);
  }
  // objs[i] is owned by whoever holds index i (popped it from a stack); a push's release CAS publishes
  // it to the next popper's acquire (IndexStack).
  std::unique_ptr<void*[]> objs;
  IndexStack full;   // indices whose slot holds an object
  IndexStack spare;  // indices whose slot is empty
};

template <class Alloc>
class TreiberLocal : public BaselineLocal<TreiberState<Alloc>> {
 public:
  using BaselineLocal<TreiberState<Alloc>>::BaselineLocal;
  [[gnu::always_inline]] void* get() noexcept {
    const std::uint32_t i = this->s_->full.pop();
    if (i != IndexStack::kEmpty) {
      void* p = this->s_->objs[i];
      this->s_->spare.push(i);
      this->count_(&StatsLine::fromShared);
      return p;
    }
    void* p = this->s_->alloc_.allocate();
    if (p != nullptr) this->count_(&StatsLine::fromNew);
    return p;
  }
  [[gnu::always_inline]] void put(void* p) noexcept {
    if (p == nullptr) return;
    this->count_(&StatsLine::puts);
    const std::uint32_t i = this->s_->spare.pop();
    if (i == IndexStack::kEmpty) {
      this->s_->alloc_.deallocate(p);
      this->count_(&StatsLine::drops);
      return;
    }
    this->s_->objs[i] = p;
    this->s_->full.push(i);
  }
};

}  // namespace detail

template <class Alloc = BlockAllocator>
class TreiberPool : public detail::BaselinePool<Alloc, detail::TreiberState<Alloc>, detail::TreiberLocal<Alloc>> {
 public:
  using detail::BaselinePool<Alloc, detail::TreiberState<Alloc>, detail::TreiberLocal<Alloc>>::BaselinePool;
  using Local = detail::TreiberLocal<Alloc>;
  void clear() noexcept {
    auto& st = *this->state_;
    for (std::uint32_t i; (i = st.full.pop()) != IndexStack::kEmpty;) {
      st.alloc_.deallocate(st.objs[i]);
      st.spare.push(i);
    }
  }
};

}  // namespace poolscope
