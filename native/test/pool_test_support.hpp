#pragma once
// Shared by the pool tests: an allocator that keeps a ledger of every block it handed out (so a test can
// prove each block was freed exactly once), per-block ownership tags, and a way to run one test body for
// every pool variant (12 SyncPool combinations + 3 baselines).
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <mutex>
#include <unordered_set>

#include "core/baselines.hpp"
#include "core/block_allocator.hpp"
#include "core/sync_pool.hpp"
#include "test/check.hpp"

namespace poolscope::test {

struct Ledger {
  std::mutex mu;
  std::unordered_set<void*> live;  // guarded by mu
  std::uint64_t allocs = 0;        // guarded by mu
  std::uint64_t frees = 0;         // guarded by mu
  std::uint64_t badFrees = 0;      // frees of a block not live (double or foreign): guarded by mu
  std::uint64_t limit = UINT64_MAX;  // allocate() returns nullptr after this many allocations
};

// A BlockAllocator policy that records every block. New blocks are zero-filled, so an ownership tag at
// offset 0 starts "free".
class CountingAllocator {
 public:
  CountingAllocator(std::size_t objectSize, std::size_t alignment)
      : base_(objectSize, alignment), ledger_(std::make_shared<Ledger>()) {}
  void* allocate() noexcept {
    {
      std::lock_guard<std::mutex> lock(ledger_->mu);
      if (ledger_->allocs >= ledger_->limit) return nullptr;
    }
    void* p = base_.allocate();
    if (p == nullptr) return nullptr;
    std::memset(p, 0, base_.objectSize());
    std::lock_guard<std::mutex> lock(ledger_->mu);
    ++ledger_->allocs;
    ledger_->live.insert(p);
    return p;
  }
  void deallocate(void* p) noexcept {
    {
      std::lock_guard<std::mutex> lock(ledger_->mu);
      if (ledger_->live.erase(p) == 0) {
        ++ledger_->badFrees;
        return;  // never free twice, even in a failing test
      }
      ++ledger_->frees;
    }
    base_.deallocate(p);
  }
  std::size_t objectSize() const noexcept { return base_.objectSize(); }
  std::shared_ptr<Ledger> ledger() const { return ledger_; }

 private:
  BlockAllocator base_;
  std::shared_ptr<Ledger> ledger_;
};

// Ownership tag at the start of each block: 0 while the pool (or allocator) has it, the holder's id while
// a caller has it. take/give CHECK that no block is handed to two holders at once.
inline std::atomic<std::uint64_t>& tagOf(void* p) { return *static_cast<std::atomic<std::uint64_t>*>(p); }
inline void take(void* p, std::uint64_t me) {
  std::uint64_t expected = 0;
  // acq_rel: the tag is the test's own proof; pairs with give's release.
  if (!tagOf(p).compare_exchange_strong(expected, me, std::memory_order_acq_rel)) {
    std::fprintf(stderr, "block %p handed to %llu while held by %llu\n", p, static_cast<unsigned long long>(me),
                 static_cast<unsigned long long>(expected));
    std::exit(1);
  }
}
inline void give(void* p, std::uint64_t me) {
  const std::uint64_t was = tagOf(p).exchange(0, std::memory_order_acq_rel);
  if (was != me) {
    std::fprintf(stderr, "block %p put by %llu but tagged %llu\n", p, static_cast<unsigned long long>(me),
                 static_cast<unsigned long long>(was));
    std::exit(1);
  }
}

template <class F>
void forEachSync(F&& f) {
  f.template operator()<SyncPool<Packed, Xadd, CountingAllocator>>("sync/packed/xadd");
  f.template operator()<SyncPool<Packed, Cas, CountingAllocator>>("sync/packed/cas");
  f.template operator()<SyncPool<Packed, Mfence, CountingAllocator>>("sync/packed/mfence");
  f.template operator()<SyncPool<Packed, Xchg, CountingAllocator>>("sync/packed/xchg");
  f.template operator()<SyncPool<Pad64, Xadd, CountingAllocator>>("sync/pad64/xadd");
  f.template operator()<SyncPool<Pad64, Cas, CountingAllocator>>("sync/pad64/cas");
  f.template operator()<SyncPool<Pad64, Mfence, CountingAllocator>>("sync/pad64/mfence");
  f.template operator()<SyncPool<Pad64, Xchg, CountingAllocator>>("sync/pad64/xchg");
  f.template operator()<SyncPool<Pad128, Xadd, CountingAllocator>>("sync/pad128/xadd");
  f.template operator()<SyncPool<Pad128, Cas, CountingAllocator>>("sync/pad128/cas");
  f.template operator()<SyncPool<Pad128, Mfence, CountingAllocator>>("sync/pad128/mfence");
  f.template operator()<SyncPool<Pad128, Xchg, CountingAllocator>>("sync/pad128/xchg");
}

template <class F>
void forEachBaseline(F&& f) {
  f.template operator()<MallocPool<CountingAllocator>>("malloc");
  f.template operator()<MutexPool<CountingAllocator>>("mutex");
  f.template operator()<TreiberPool<CountingAllocator>>("treiber");
}

template <class F>
void forEachVariant(F&& f) {
  forEachSync(f);
  forEachBaseline(f);
}

// After the pool is gone: every block allocated was freed exactly once.
inline void checkLedgerBalanced(const Ledger& l, const char* name) {
  if (l.badFrees != 0 || l.allocs != l.frees || !l.live.empty()) {
    std::fprintf(stderr, "%s: allocs %llu frees %llu live %zu bad frees %llu\n", name,
                 static_cast<unsigned long long>(l.allocs), static_cast<unsigned long long>(l.frees), l.live.size(),
                 static_cast<unsigned long long>(l.badFrees));
    std::exit(1);
  }
}

}  // namespace poolscope::test
