#pragma once
// TreiberPool: one global lock-free stack (Treiber). Every get and put is a CAS on one shared head word,
// so the head's cache line moves between threads on every operation.
//
// The stack's nodes are a fixed array of maxCached {next, obj} records owned by the pool, not the blocks
// themselves: a popper reads the top node's link before its CAS, and with intrusive links in the blocks
// that read could touch a block another thread already got (or freed, after clear()). With an array that
// lives as long as the pool, a stale read is only a stale index, and the tag rejects it. Two stacks: `full`
// (nodes holding objects) and `spare` (empty nodes). get = pop full + push spare; put = pop spare + push
// full: two CASes per operation, the price of safe memory reclamation without hazard pointers.
//
// Head word: tag (high 32 bits, +1 on every successful CAS: ABA protection; it can only be fooled if
// 2^32 CASes happen inside one pop's read-to-CAS window) | top index + 1 (low 32; 0 = empty).
#include <atomic>
#include <cstdint>
#include <memory>
#include <utility>

#include "core/baseline_state.hpp"
#include "core/cacheline.hpp"

namespace poolscope {

namespace detail {

struct TreiberNode {
  std::atomic<std::uint32_t> next{0};  // index+1 of the node below; written by the pusher, read racily by poppers
  void* obj = nullptr;                 // owned by whoever popped the node (published by the push CAS)
};

class TaggedStack {
 public:
  // Pushes node i (owned by the caller).
  void push(TreiberNode* nodes, std::uint32_t i) noexcept {
    std::uint64_t old = head_.load(std::memory_order_relaxed);
    for (;;) {
      nodes[i].next.store(static_cast<std::uint32_t>(old), std::memory_order_relaxed);
      // Release: pairs with pop's acquire; the popper sees next and obj.
      if (head_.compare_exchange_weak(old, ((old >> 32) + 1) << 32 | (i + 1), std::memory_order_release,
                                      std::memory_order_relaxed)) {
        return;
      }
    }
  }
  // A node index, or UINT32_MAX when empty.
  std::uint32_t pop(TreiberNode* nodes) noexcept {
    std::uint64_t old = head_.load(std::memory_order_acquire);  // pairs with push's release
    for (;;) {
      const std::uint32_t top = static_cast<std::uint32_t>(old);
      if (top == 0) return UINT32_MAX;
      const std::uint32_t below = nodes[top - 1].next.load(std::memory_order_relaxed);  // may be stale: the tag decides
      if (head_.compare_exchange_weak(old, ((old >> 32) + 1) << 32 | below, std::memory_order_acquire,
                                      std::memory_order_acquire)) {
        return top - 1;
      }
    }
  }

 private:
  alignas(kCacheLine) std::atomic<std::uint64_t> head_{0};
};

template <class Alloc>
struct TreiberState : BaselineState<Alloc> {
  TreiberState(const PoolConfig& c, Alloc a)
      : BaselineState<Alloc>(c, std::move(a)), nodes(new TreiberNode[c.maxCached]) {
    for (std::uint32_t i = 0; i < c.maxCached; ++i) spare.push(nodes.get(), i);
  }
  ~TreiberState() override {
    for (std::uint32_t i; (i = full.pop(nodes.get())) != UINT32_MAX;) this->alloc_.deallocate(nodes[i].obj);
  }
  std::unique_ptr<TreiberNode[]> nodes;  // lives as long as the pool
  TaggedStack full;
  TaggedStack spare;
};

template <class Alloc>
class TreiberLocal : public BaselineLocal<TreiberState<Alloc>> {
 public:
  using BaselineLocal<TreiberState<Alloc>>::BaselineLocal;
  [[gnu::always_inline]] void* get() noexcept {
    TreiberNode* nodes = this->s_->nodes.get();
    const std::uint32_t i = this->s_->full.pop(nodes);
    if (i != UINT32_MAX) {
      void* p = nodes[i].obj;
      this->s_->spare.push(nodes, i);
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
    TreiberNode* nodes = this->s_->nodes.get();
    const std::uint32_t i = this->s_->spare.pop(nodes);
    if (i == UINT32_MAX) {
      this->s_->alloc_.deallocate(p);
      this->count_(&StatsLine::drops);
      return;
    }
    nodes[i].obj = p;
    this->s_->full.push(nodes, i);
  }
};

}  // namespace detail

template <class Alloc = BlockAllocator>
class TreiberPool : public detail::BaselinePool<Alloc, detail::TreiberState<Alloc>, detail::TreiberLocal<Alloc>> {
 public:
  using detail::BaselinePool<Alloc, detail::TreiberState<Alloc>, detail::TreiberLocal<Alloc>>::BaselinePool;
  using Local = detail::TreiberLocal<Alloc>;
  void clear() noexcept {
    detail::TreiberNode* nodes = this->state_->nodes.get();
    for (std::uint32_t i; (i = this->state_->full.pop(nodes)) != UINT32_MAX;) {
      this->state_->alloc_.deallocate(nodes[i].obj);
      this->state_->spare.push(nodes, i);
    }
  }
};

}  // namespace poolscope
