#pragma once
// SharedSlab: the native half of SharedBufferPool. One mapping holds
//   [ blocks × blockSize bytes of data | pad to 64 | blocks × int32 state words ]
// and every thread maps all of it once (the addon wraps it in one external
// ArrayBuffer per thread). Free blocks are managed by the core's SyncPool
// (per-thread private slot and SPMC chains, stealing from other threads)
// over a SlabAllocator, the pool's bounded New: when the pool's caches and
// the allocator are both empty, get() returns nullptr and the slab is
// exhausted. Blocks cross the pool as pointers; the index is computed from
// the pointer. Each thread's JS side keeps a small cache of indices on top
// and moves them in batches with take()/give().
//
// Nothing is ever lost to Go's "may drop" semantics: a put the pool has no
// room for, and anything a clear() frees, goes back to the SlabAllocator.
// One limit: a block in another thread's private slot cannot be stolen, so
// with every block out, up to one per other thread may be free but
// unreachable until that thread takes or gives again (or exits).
//
// State word of block i (the invariant "one owner at a time" made visible):
//   kInPool (0)       free, owned by the allocator
//   kHeld (1)         owned by a caller (acquired, maybe handed to another thread by index)
//   tag >= 2          free, in the JS-side cache of the attachment with that tag
// Transitions:  kInPool -> tag   take()            (native, the thread that took it)
//               tag -> kHeld     acquire()         (JS, owner of the cache)
//               kHeld -> tag     release()         (JS, CAS: fails on double release,
//                                                   from any thread, at once)
//               tag -> kInPool   give()/reclaim()  (native, CAS from the expected tag)
// All state-word accesses are seq_cst, native (std::atomic_ref) and JS
// (Atomics.*) alike: JS Atomics are seq_cst, and keeping one order on a word
// shared by both sides costs nothing measurable on the batch path.
//
// No Node includes here.
#include <atomic>
#include <cstddef>
#include <cstdint>

#include <memory>

#include "core/layout.hpp"
#include "core/pool_config.hpp"
#include "core/pool_stats.hpp"
#include "core/publish.hpp"
#include "core/slab_allocator.hpp"
#include "core/slab_memory.hpp"
#include "core/sync_pool.hpp"

namespace poolscope {

// The slab's memory and its free-block allocator, immovable, shared by the
// SharedSlab and by its SyncPool's allocator handle: the pool's state may
// outlive the SharedSlab for a moment (a worker thread exiting holds it while
// it gives back its slot), and must still be able to free blocks into it.
struct SlabStorage {
  SlabStorage(std::size_t bytes, std::size_t blockSize, std::uint32_t blocks)
      : memory(bytes), alloc(memory.data(), blockSize, blocks) {}
  SlabMemory memory;
  SlabAllocator alloc;
};

// The SyncPool's Alloc policy: a copyable handle on the slab's SlabAllocator.
class SlabBlocks {
 public:
  explicit SlabBlocks(std::shared_ptr<SlabStorage> s) noexcept : s_(std::move(s)) {}
  void* allocate() noexcept { return s_->alloc.allocate(); }  // nullptr when every block is out
  void deallocate(void* p) noexcept { s_->alloc.deallocate(p); }
  std::size_t objectSize() const noexcept { return s_->alloc.objectSize(); }

 private:
  std::shared_ptr<SlabStorage> s_;
};

// Pad128 (Go's choice: defeats the adjacent-line prefetcher) and LOCK XADD to publish.
using SlabIndexPool = poolscope::SyncPool<poolscope::Pad128, poolscope::Xadd, SlabBlocks>;

class SharedSlab {
 public:
  static constexpr std::int32_t kInPool = 0;
  static constexpr std::int32_t kHeld = 1;
  static constexpr std::int32_t kFirstTag = 2;

  // Throws std::system_error when the mapping fails.
  SharedSlab(std::size_t blockSize, std::uint32_t blocks)
      : blockSize_(blockSize),
        blocks_(blocks),
        stateOffset_((blockSize * blocks + 63) / 64 * 64),
        storage_(std::make_shared<SlabStorage>(stateOffset_ + sizeof(std::int32_t) * blocks, blockSize, blocks)),
        pool_(poolConfig(blockSize), SlabBlocks(storage_)) {}

  SharedSlab(const SharedSlab&) = delete;
  SharedSlab& operator=(const SharedSlab&) = delete;

  std::byte* base() const noexcept { return storage_->memory.data(); }
  std::size_t mappedBytes() const noexcept { return storage_->memory.size(); }
  std::size_t stateOffset() const noexcept { return stateOffset_; }
  std::size_t blockSize() const noexcept { return blockSize_; }
  std::uint32_t blocks() const noexcept { return blocks_; }

  // A tag no other attachment of this slab has had (relaxed: only uniqueness matters).
  std::int32_t newTag() noexcept { return nextTag_.fetch_add(1, std::memory_order_relaxed); }

  // Moves up to n free blocks from the allocator into out[], marking each as
  // cached by `tag`. Returns how many (0 = none free in the allocator).
  std::size_t take(std::uint32_t* out, std::size_t n, std::int32_t tag) {
    auto local = pool_.pin();
    std::size_t got = 0;
    while (got < n) {
      void* p = local.get();
      if (p == nullptr) break;
      const std::uint32_t i = storage_->alloc.indexOf(p);
      state(i).store(tag, std::memory_order_seq_cst);
      out[got++] = i;
    }
    return got;
  }

  // Returns blocks cached by `tag` to the allocator. An index out of range or
  // not in state `tag` is skipped and counted (the caller reports it): a
  // caller bug must not put a block in the allocator twice.
  std::size_t give(const std::uint32_t* in, std::size_t n, std::int32_t tag) {
    auto local = pool_.pin();
    std::size_t rejected = 0;
    for (std::size_t k = 0; k < n; ++k) {
      const std::uint32_t i = in[k];
      std::int32_t expected = tag;
      if (i >= blocks_ || !state(i).compare_exchange_strong(expected, kInPool, std::memory_order_seq_cst)) {
        ++rejected;
        continue;
      }
      local.put(storage_->alloc.blockAt(i));
    }
    return rejected;
  }

  // Returns every block still cached by `tag` to the allocator (straight to
  // the SlabAllocator: this may run on a thread that is being torn down): for
  // a thread that went away without flushing its cache (worker exit). Blocks
  // it held (kHeld) stay held: they may have been handed on by index.
  std::size_t reclaim(std::int32_t tag) noexcept {
    std::size_t n = 0;
    for (std::uint32_t i = 0; i < blocks_; ++i) {
      std::int32_t expected = tag;
      if (state(i).compare_exchange_strong(expected, kInPool, std::memory_order_seq_cst)) {
        storage_->alloc.deallocateIndex(i);
        ++n;
      }
    }
    return n;
  }

  struct Census {
    std::uint32_t inPool = 0;
    std::uint32_t held = 0;
    std::uint32_t cached = 0;
  };
  // Counts blocks by state; exact for each word, a moving snapshot overall.
  Census census() const noexcept {
    Census c;
    for (std::uint32_t i = 0; i < blocks_; ++i) {
      const std::int32_t s = state(i).load(std::memory_order_seq_cst);
      if (s == kInPool) {
        ++c.inPool;
      } else if (s == kHeld) {
        ++c.held;
      } else {
        ++c.cached;
      }
    }
    return c;
  }

  // Where the pool's gets were served from (private, shared, steal, victim, new), all threads.
  poolscope::PoolStats poolStats() const noexcept { return pool_.stats(); }

  std::atomic_ref<std::int32_t> state(std::uint32_t i) const noexcept {
    return std::atomic_ref<std::int32_t>(stateWords()[i]);
  }

 private:
  static poolscope::PoolConfig poolConfig(std::size_t blockSize) {
    poolscope::PoolConfig c;
    c.objectSize = blockSize;
    c.alignment = 16;  // validated only: the slab decides where blocks are
    c.maxThreads = 256;  // threads beyond this still work, unpooled (straight to the SlabAllocator)
    return c;
  }

  std::int32_t* stateWords() const noexcept { return reinterpret_cast<std::int32_t*>(base() + stateOffset_); }

  const std::size_t blockSize_;
  const std::uint32_t blocks_;
  const std::size_t stateOffset_;
  std::shared_ptr<SlabStorage> storage_;  // zero-filled mapping: every state word starts kInPool
  SlabIndexPool pool_;                     // free blocks, as pointers into the slab
  std::atomic<std::int32_t> nextTag_{kFirstTag};
};

}  // namespace poolscope
