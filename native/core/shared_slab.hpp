#pragma once
// SharedSlab: the native half of SharedBufferPool. Two mappings:
//   data:   blocks × blockSize bytes, the blocks themselves
//   states: blocks × int32 state words, the pool's bookkeeping
// kept apart so that nothing a caller can reach through a block (the addon
// wraps each block in its own external ArrayBuffer) can read or rewrite the
// state words. Free blocks are managed by the core's SyncPool (per-thread
// private slot and SPMC chains, stealing from other threads) over a
// SlabAllocator, the pool's bounded New: when the pool's caches and the
// allocator are both empty, get() returns nullptr and the slab is
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
// State word of block i (the invariant "one owner at a time" made visible;
// a tag names one thread's attachment to the pool):
//   kInPool (0)      free, owned by the allocator
//   kInTransit (1)   held, handed on by index (JS indexOf): any thread may claim it
//   tag >= 2         free, in the JS-side cache of the attachment with that tag
//   -tag             held by the attachment with that tag
// Transitions (who may write the word, and how):
//   kInPool -> tag        take()              native, the thread `tag`, seq_cst store
//   tag -> -tag           acquire()           JS, thread `tag`, plain store
//   -tag -> tag           release()           JS, thread `tag`, plain load + store
//   -tag -> kInTransit    indexOf()           JS, thread `tag`, plain store
//   kInTransit -> -tag'   fromIndex()         JS, any thread tag', CAS ('atomic')
//   kInTransit -> tag'    release() after     JS, thread tag', CAS ('atomic')
//                         indexOf()
//   tag, -tag -> kInPool  give()/reclaim()    native, thread `tag` (or its teardown), CAS
// Why plain accesses are enough where they are used: a word that reads tag
// or -tag is written only by thread `tag` (every other thread's transition
// out of those values is a CAS that expects kInTransit or its own tag, and
// fails), so thread `tag`'s load-then-store cannot lose a racing update.
// The one word several threads may write at once is kInTransit, and every
// transition out of it is a compare-exchange: of two threads claiming one
// handed-on block, exactly one wins. (releaseCheck 'plain' uses a load and
// a store there too, and so does not catch that race.) Native accesses are
// seq_cst through std::atomic_ref; JS Atomics are seq_cst.
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
  SlabStorage(std::size_t blockSize, std::uint32_t blocks)
      : memory(blockSize * blocks), states(sizeof(std::int32_t) * blocks), alloc(memory.data(), blockSize, blocks) {}
  SlabMemory memory;  // the blocks
  SlabMemory states;  // the state words: a mapping of their own, never reachable through a block
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
  static constexpr std::int32_t kInTransit = 1;
  static constexpr std::int32_t kFirstTag = 2;
  // The state word of a block held by the attachment `tag`.
  static constexpr std::int32_t heldBy(std::int32_t tag) noexcept { return -tag; }

  // Throws std::system_error when the mapping fails.
  SharedSlab(std::size_t blockSize, std::uint32_t blocks)
      : blockSize_(blockSize),
        blocks_(blocks),
        storage_(std::make_shared<SlabStorage>(blockSize, blocks)),
        pool_(poolConfig(blockSize), SlabBlocks(storage_)) {}

  SharedSlab(const SharedSlab&) = delete;
  SharedSlab& operator=(const SharedSlab&) = delete;

  std::byte* base() const noexcept { return storage_->memory.data(); }
  std::byte* blockAt(std::uint32_t i) const noexcept { return base() + static_cast<std::size_t>(i) * blockSize_; }
  std::size_t mappedBytes() const noexcept { return storage_->memory.size(); }
  // The state words, one int32 per block, in their own mapping.
  std::int32_t* stateWords() const noexcept { return reinterpret_cast<std::int32_t*>(storage_->states.data()); }
  std::size_t stateBytes() const noexcept { return sizeof(std::int32_t) * blocks_; }
  std::size_t blockSize() const noexcept { return blockSize_; }
  std::uint32_t blocks() const noexcept { return blocks_; }

  // A tag no other attachment of this slab has had (relaxed: only uniqueness matters), or 0
  // once 2^31 - 2 attachments have been made (the caller refuses to attach).
  std::int32_t newTag() noexcept {
    std::int32_t t = nextTag_.load(std::memory_order_relaxed);
    while (t != kMaxTag && !nextTag_.compare_exchange_weak(t, t + 1, std::memory_order_relaxed)) {
    }
    return t == kMaxTag ? 0 : t;
  }

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
      // seq_cst CAS, like every native state change (see the file comment): pairs with the
      // acquiring thread's claim of the word; a failure means the word is not this thread's.
      if (i >= blocks_ || !state(i).compare_exchange_strong(expected, kInPool, std::memory_order_seq_cst)) {
        ++rejected;
        continue;
      }
      local.put(storage_->alloc.blockAt(i));
    }
    return rejected;
  }

  struct Reclaimed {
    std::size_t cached = 0;
    std::size_t held = 0;
  };
  // Returns every block cached by `tag`, and with `alsoHeld` every block held
  // by `tag`, to the allocator (straight to the SlabAllocator: this may run on
  // a thread that is being torn down): for a thread that closed the pool or
  // went away. Held blocks only when that thread's views of them are gone
  // (detached, or the thread's heap torn down), so nobody can still use or
  // release them; what it handed on by index (kInTransit, or held by another
  // tag) is not its any more.
  Reclaimed reclaim(std::int32_t tag, bool alsoHeld = true) noexcept {
    Reclaimed r;
    for (std::uint32_t i = 0; i < blocks_; ++i) {
      std::int32_t expected = tag;
      // seq_cst CAS, like every native state change (see the file comment): only thread `tag`
      // writes these values, so a failed CAS means the word holds something else.
      if (state(i).compare_exchange_strong(expected, kInPool, std::memory_order_seq_cst)) {
        storage_->alloc.deallocateIndex(i);
        ++r.cached;
        continue;
      }
      expected = heldBy(tag);
      if (alsoHeld && state(i).compare_exchange_strong(expected, kInPool, std::memory_order_seq_cst)) {
        storage_->alloc.deallocateIndex(i);
        ++r.held;
      }
    }
    return r;
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
      } else if (s == kInTransit || s < 0) {
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
    c.batchPuts = false;  // the slab is bounded: no block may wait where other threads cannot take it
    return c;
  }

  static constexpr std::int32_t kMaxTag = 0x7fffffff;

  const std::size_t blockSize_;
  const std::uint32_t blocks_;
  std::shared_ptr<SlabStorage> storage_;  // zero-filled mappings: every state word starts kInPool
  SlabIndexPool pool_;                     // free blocks, as pointers into the slab
  std::atomic<std::int32_t> nextTag_{kFirstTag};
};

}  // namespace poolscope
