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

}  // namespace detail

template <class Alloc = BlockAllocator>
class TreiberPool {
  struct State : detail::BaselineState<Alloc> {
    State(const PoolConfig& c, Alloc a)
        : detail::BaselineState<Alloc>(c, std::move(a)), nodes(new detail::TreiberNode[c.maxCached]) {
      for (std::uint32_t i = 0; i < c.maxCached; ++i) spare.push(nodes.get(), i);
    }
    ~State() override {
      for (std::uint32_t i; (i = full.pop(nodes.get())) != UINT32_MAX;) this->alloc_.deallocate(nodes[i].obj);
    }
    std::unique_ptr<detail::TreiberNode[]> nodes;  // lives as long as the pool
    detail::TaggedStack full;
    detail::TaggedStack spare;
  };

 public:
  class Local {
   public:
    [[gnu::always_inline]] void* get() noexcept {
      detail::TreiberNode* nodes = s_->nodes.get();
      const std::uint32_t i = s_->full.pop(nodes);
      if (i != UINT32_MAX) {
        void* p = nodes[i].obj;
        s_->spare.push(nodes, i);
        count_(&StatsLine::fromShared);
        return p;
      }
      void* p = s_->alloc_.allocate();
      if (p != nullptr) count_(&StatsLine::fromNew);
      return p;
    }
    [[gnu::always_inline]] void put(void* p) noexcept {
      if (p == nullptr) return;
      count_(&StatsLine::puts);
      detail::TreiberNode* nodes = s_->nodes.get();
      const std::uint32_t i = s_->spare.pop(nodes);
      if (i == UINT32_MAX) {
        s_->alloc_.deallocate(p);
        count_(&StatsLine::drops);
        return;
      }
      nodes[i].obj = p;
      s_->full.push(nodes, i);
    }
    PoolStats stats() const noexcept { return count_.line->snapshot(); }

   private:
    friend class TreiberPool;
    Local(State* s, typename State::Counter c) noexcept : s_(s), count_(c) {}
    State* s_;
    typename State::Counter count_;
  };

  TreiberPool(const PoolConfig& config, Alloc alloc) : state_(make(config, std::move(alloc))) {}
  explicit TreiberPool(const PoolConfig& config) : TreiberPool(config, Alloc(config.objectSize, config.alignment)) {}

  Local pin() { return Local(state_.get(), state_->counterForThisThread()); }
  void* get() { return pin().get(); }
  void put(void* p) { pin().put(p); }
  void clear() noexcept {
    detail::TreiberNode* nodes = state_->nodes.get();
    for (std::uint32_t i; (i = state_->full.pop(nodes)) != UINT32_MAX;) {
      state_->alloc_.deallocate(nodes[i].obj);
      state_->spare.push(nodes, i);
    }
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
