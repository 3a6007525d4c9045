#pragma once
// SyncPool: Go's sync.Pool for fixed-size native blocks.
//
// Per thread (a record, laid out by Layout):
//   private    one object, written by the owner only, no atomic RMW and no fence: the hot path. The private
//              slots sit in an array of their own beside the records, laid out by the same Layout
//              (PrivateBody), so Packed shares their one line between threads as it shares the records'.
//   chains[2]  two SPMC deque chains (pool_chain.hpp). chains[epoch & 1] is the primary cache, the other
//              the victim cache. The owner pushes and pops at the head; other threads steal at the tail.
//   stash      (StashLine, beside the records) objects the owner stole in one batched claim beyond the one
//              it needed, and, while its puts are batched (below), objects it put: owner only, like private.
// get order: private -> stash -> own primary head -> other threads' primary tails (one claim takes up to
// half a ring, or all of it from an owner that is only refilling: one object returned, the rest stashed)
// -> own victim head -> other threads' victim tails -> allocator (New). put: private if empty, else own
// primary head, else drop (the object goes back to the allocator). Unlike Go, a steal takes a batch
// (config.batchSteal, default on): a thread that keeps consuming what another produces then pays one
// contended claim per batch instead of per object.
//
// Handoff (one thread gets what another puts, the pattern servers live on). A consumer that drains a
// ring as fast as its owner refills it finds one or two objects per claim, however it batches: each
// claim moves the ring's index line and slot lines between the two cores, and the owner's next push
// pulls them back. So, with batchSteal, the pair batches on both sides:
//   - claim all, not half: a stealer that finds the victim's private slot full claims all it sees (up to
//     its stash). A get empties the private slot before anything else, so a full one says its owner has
//     not taken from the pool since its last put: it refills what others take, and half kept back would
//     only be the next claim's.
//   - batched puts (config.batchPuts): a stealer that claimed fewer than kSmallSteal objects from such an
//     owner sets the owner's batchPuts flag. The owner's puts then go to its stash (up to 15), and the 16th publishes all
//     16 into its ring with one head change (pushHeadBatch), so the stealer's next claim takes 16. The
//     owner clears the flag when one of its gets misses private, stash and own ring (getSlow): it takes
//     from the pool again. While the flag is set up to 15 put objects are invisible to other threads
//     (their gets may allocate instead, as Go's Get may): the price of one claim per 16 objects.
//
// clear() ends an epoch without stopping anyone: under a mutex (clears are serialised), it drains every
// record's victim chain from the tail (the consumer side, safe against its owner and other stealers),
// frees those objects, then flips the epoch, so the old primaries become the victims. Why that is safe
// while other threads get and put:
//   - Every object is in exactly one place at a time (a caller, a private slot, a ring slot, the
//     allocator), because every transfer into or out of a ring is one of the ring's claims; which chain an
//     object is in never matters for safety. An owner that read the epoch just before the flip pushes into
//     what is now a victim chain: the object is a victim one epoch early, still cached, still reachable.
//   - No memory is freed that another thread may read: clear() frees objects it has claimed itself, and
//     a ring is freed by its chain's owner only once no steal session can reach it (pool_chain.hpp,
//     ring_epochs.hpp). Every steal (getSlow's scans, clear()'s drains) runs inside a RingEpochs session
//     on the stealer's own announcement slot (clear() has one of its own, its mutex serialises it).
//   - The private slot is owner-only, so clear() does not touch it. Unlike Go (whose poolCleanup runs with
//     the world stopped), the one object in a thread's private slot survives clears until that thread
//     uses it, leaves, or the pool is destroyed. Tagging it with its epoch and demoting it on the owner's
//     next access was tried: the owner's next access is exactly when the object is wanted again, so the
//     tag only turned a reuse into a free plus an allocation, and its load/compare/store cost the hot path
//     ~1 ns against a ~1-2 ns floor. The stash is owner-only for the same reason and kept the same way.
//     So at most maxThreads x 16 objects outlive a clear (one private, up to 15 stashed or put-batched
//     per thread).
// Hence the epoch is read with relaxed loads: it only selects a chain, and every chain is valid.
//
// Threads: a thread takes a record on first use (ThreadSlots) and gives it back at exit; its private
// object moves to its primary chain, where others can steal it, and the next thread taking the record
// inherits both chains. Threads beyond maxThreads get no record: their gets allocate and their puts free
// (counted in stats as fromNew and drops), so the pool stays correct, just unpooled for them.
//
// Destruction: the caller must ensure no thread is inside get/put/pin handles (the addon's registry holds
// the pool by shared_ptr for this). Cached objects are then freed through the allocator.
//
// When not to use it: objects must not carry state between uses (a get may return any cached object or a
// new one), nothing stays cached across two clears, and a hot loop should use pin() (a thread_local
// lookup per call costs about as much as the operation itself).
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <new>
#include <stdexcept>
#include <string>
#include <utility>

#include "core/block_allocator.hpp"
#include "core/cacheline.hpp"
#include "core/layout.hpp"
#include "core/pool_chain.hpp"
#include "core/pool_config.hpp"
#include "core/pool_stats.hpp"
#include "core/publish.hpp"
#include "core/thread_slots.hpp"

namespace poolscope {

// Objects a thread claimed in one batched steal beyond the one it needed (pool_chain.hpp popTailBatch),
// and objects it put while its puts are batched (RecordBody::batchPuts): owned by that thread alone, like
// the private slot, and served by its next gets before its own chain. Steals happen only with an empty
// stash, so the stolen objects are always the bottom ones: items[0, stolen). One line pair per slot,
// indexed like the records; written and read by the slot's owner only.
struct alignas(kCacheLine) StashLine {
  static constexpr std::uint32_t kCapacity = 15;
  std::uint16_t n = 0;       // items[0, n) hold objects
  std::uint16_t stolen = 0;  // items[0, stolen) came from steals (a get of one counts fromSteal), the rest from puts
  std::uint32_t claims = 0;  // successful steal claims by this slot's threads (wraps; for benchmarks)
  void* items[kCapacity];
};
static_assert(sizeof(StashLine) == 2 * kCacheLine);

namespace detail {

inline void validateSyncConfig(const PoolConfig& c) {
  validateBlockShape(c.objectSize, c.alignment);
  auto pow2 = [](std::uint32_t v) { return v != 0 && (v & (v - 1)) == 0; };
  if (c.maxThreads < 1 || c.maxThreads > 4096) {
    throw std::invalid_argument("maxThreads must be an integer from 1 to 4096 (received " +
                                std::to_string(c.maxThreads) + ")");
  }
  if (!pow2(c.initialRingSize) || !pow2(c.maxRingSize) || c.initialRingSize > c.maxRingSize ||
      c.maxRingSize > (std::uint32_t{1} << 24)) {
    throw std::invalid_argument("initialRingSize and maxRingSize must be powers of two, initial <= max <= 16777216");
  }
  if (c.maxRingsPerChain < 1) throw std::invalid_argument("maxRingsPerChain must be at least 1");
}

template <class Layout, class Publish, class Alloc>
class SyncPoolState final : public ThreadSlots {
 public:
  using Chain = PoolChain<Publish>;
  using Ring = typename Chain::Ring;

  // The private slot of a record, in an array of its own laid out by Layout like the records: the one
  // word a get-put touches, so Packed puts 8 threads' slots on one cache line (the false sharing the
  // layouts exist to show) and Pad64/Pad128 give each its own line(s).
  struct PrivateBody {
    // Written by the owner only, with relaxed stores (plain movs): no other thread ever takes it. Atomic
    // so that stats snapshots may read it (to derive fromPrivate, see StatsLine) and stealers may read
    // whether it is full (a hint: see Handoff in the file comment). Relaxed loads there: nothing is read
    // through the pointer, and any value read only picks a batch size.
    std::atomic<void*> obj{nullptr};
  };
  using PrivateSlot = PerThreadRecord<Layout, PrivateBody>;
  static_assert(checkRecordLayout<Layout, PrivateBody>());

  struct RecordBody {
    Chain chains[2];  // owner: head side; any thread: tail side
    // The owner batches its puts in its stash (Handoff, file comment). Set by stealers, cleared by the
    // owner (getSlow, and when it leaves); relaxed everywhere: a hint that pairs with nothing, since no
    // object moves through it (objects still move only through ring claims or the owner's own memory).
    std::atomic<bool> batchPuts{false};
  };
  using Record = PerThreadRecord<Layout, RecordBody>;
  static_assert(checkRecordLayout<Layout, RecordBody>());
  static_assert(Layout::kAlign != alignof(void*) || sizeof(Record) % kCacheLine != 0,
                "packed records must straddle cache lines, or Packed would not share them");

  SyncPoolState(const PoolConfig& c, Alloc alloc)
      : ThreadSlots(static_cast<std::uint32_t>(c.maxThreads)),
        victim_(c.victim),
        batchSteal_(c.batchSteal),
        batchPuts_(c.batchSteal && c.batchPuts),
        limits_{c.initialRingSize, c.maxRingSize, c.maxRingsPerChain, c.ringStartIndex},
        alloc_(std::move(alloc)),
        epochs_(static_cast<std::uint32_t>(c.maxThreads)),
        nRecords_(static_cast<std::uint32_t>(c.maxThreads)),
        stats_(new StatsLine[c.maxThreads]),
        stash_(new StashLine[c.maxThreads]) {
    // Records start on a cache line whatever the layout, so Packed shares lines the same way every run;
    // the private slots follow them in the same allocation, from the next line pair. A placed array
    // (PoolConfig::recordPageOffset) starts that far into a page-aligned allocation, so both move with it.
    const std::size_t off = c.recordPageOffset < 0 ? 0 : static_cast<std::size_t>(c.recordPageOffset) % 4096;
    recordOffset_ = off - off % kRecordArrayAlign;
    recordAlign_ = c.recordPageOffset < 0 ? kRecordArrayAlign : 4096;
    const std::size_t recordBytes = sizeof(Record) * nRecords_;
    privateOffset_ = (recordBytes + kRecordArrayAlign - 1) / kRecordArrayAlign * kRecordArrayAlign;
    void* mem = ::operator new(recordOffset_ + privateOffset_ + sizeof(PrivateSlot) * nRecords_,
                               std::align_val_t{recordAlign_});
    records_ = reinterpret_cast<Record*>(static_cast<char*>(mem) + recordOffset_);
    privates_ = reinterpret_cast<PrivateSlot*>(reinterpret_cast<char*>(records_) + privateOffset_);
    for (std::uint32_t i = 0; i < nRecords_; ++i) {
      new (&records_[i]) Record();
      new (&privates_[i]) PrivateSlot();
    }
  }

  ~SyncPoolState() override {
    // No other thread uses the pool now (see SyncPool): free every cached object.
    for (std::uint32_t i = 0; i < nRecords_; ++i) {
      Record& r = records_[i];
      if (void* p = privates_[i].obj.load(std::memory_order_relaxed)) alloc_.deallocate(p);
      privates_[i].~PrivateSlot();
      for (std::uint32_t k = 0; k < stash_[i].n; ++k) alloc_.deallocate(stash_[i].items[k]);  // stolen or put
      for (Chain& ch : r.chains) {
        while (void* p = ch.popTail()) alloc_.deallocate(p);
        ch.destroyRings(epochs_);
      }
      r.~Record();
    }
    ::operator delete(reinterpret_cast<char*>(records_) - recordOffset_, std::align_val_t{recordAlign_});
  }

  // The record of `slot` for a handle about to use it; also makes the slot's steal announcements visible
  // to ring reclamation (RingEpochs::noteSlot: a relaxed load and compare once it has been seen).
  Record* record(std::uint32_t slot) noexcept {
    if (slot == kNone) return nullptr;
    epochs_.noteSlot(slot);
    return &records_[slot];
  }
  StatsLine* statsLine(std::uint32_t slot) noexcept { return slot == kNone ? &overflow_ : &stats_[slot]; }
  StashLine* stashLine(std::uint32_t slot) noexcept { return slot == kNone ? nullptr : &stash_[slot]; }
  std::atomic<void*>* privateSlot(std::uint32_t slot) noexcept { return slot == kNone ? nullptr : &privates_[slot].obj; }

  // Relaxed: see the file comment (the epoch only selects a chain).
  [[gnu::always_inline]] std::uint32_t epoch() const noexcept { return epoch_.load(std::memory_order_relaxed); }

  [[gnu::noinline]] void* getSlow(Record* r, StatsLine* st) noexcept {
    if (r == nullptr) {
      void* p = alloc_.allocate();
      if (p != nullptr) StatsLine::add(st->fromNew);
      return p;
    }
    // The owner takes from the pool beyond its private slot, stash and head ring: it is not only
    // refilling, so its puts go back to its ring one by one (relaxed: a hint, see batchPuts).
    if (r->batchPuts.load(std::memory_order_relaxed)) r->batchPuts.store(false, std::memory_order_relaxed);
    const unsigned primary = epoch() & 1;
    if (void* p = r->chains[primary].popHead(epochs_)) {
      StatsLine::bump(st->fromShared);
      return p;
    }
    const std::uint32_t self = static_cast<std::uint32_t>(r - records_);
    const std::uint32_t hw = highWater();
    if (void* p = stealFrom(self, hw, primary, batchSteal_ ? &stash_[self] : nullptr)) {
      StatsLine::bump(st->fromSteal);
      return p;
    }
    if (victim_) {
      if (void* p = r->chains[primary ^ 1].popHead(epochs_)) {
        StatsLine::bump(st->fromVictim);
        return p;
      }
      if (void* p = stealFrom(self, hw, primary ^ 1, nullptr)) {
        StatsLine::bump(st->fromVictim);
        return p;
      }
    }
    void* p = alloc_.allocate();
    if (p != nullptr) StatsLine::bump(st->fromNew);
    return p;
  }

  // A put by a thread with no record: unpooled.
  [[gnu::noinline]] void putSlow(Record* r, StatsLine* st, void* p) noexcept {
    if (r == nullptr) {
      alloc_.deallocate(p);
      StatsLine::add(st->puts);
      StatsLine::add(st->drops);
      return;
    }
    StatsLine::bump(st->puts);
    putGrow(r->chains[epoch() & 1], st, p);
  }

  // A put with batched puts and a full stash: the stash and p go into the primary chain with one publish
  // (PoolChain::pushHeadBatch); already counted in puts. What the chain cannot hold is dropped.
  [[gnu::noinline]] void putFlush(Record* r, StashLine* sh, StatsLine* st, void* p) noexcept {
    void* batch[StashLine::kCapacity + 1];
    const std::uint32_t n = sh->n;
    for (std::uint32_t k = 0; k < n; ++k) batch[k] = sh->items[k];
    batch[n] = p;
    sh->n = 0;
    sh->stolen = 0;
    const std::uint32_t kept = r->chains[epoch() & 1].pushHeadBatch(batch, n + 1, limits_, epochs_);
    for (std::uint32_t k = kept; k <= n; ++k) {
      alloc_.deallocate(batch[k]);
      StatsLine::bump(st->drops);
    }
  }

  // The owner's put found the head ring of `chain` full (or no ring yet); already counted in puts.
  [[gnu::noinline]] void putGrow(Chain& chain, StatsLine* st, void* p) noexcept {
    if (!chain.pushHead(p, limits_, epochs_)) {
      alloc_.deallocate(p);
      StatsLine::bump(st->drops);
    }
  }

  void clear() {
    std::lock_guard<std::mutex> lock(clearMu_);
    const std::uint32_t e = epoch();
    const unsigned primary = e & 1;
    const std::uint32_t hw = highWater();
    for (std::uint32_t i = 0; i < hw; ++i) drain(records_[i].chains[primary ^ 1]);
    if (!victim_) {
      for (std::uint32_t i = 0; i < hw; ++i) drain(records_[i].chains[primary]);
    }
    // Relaxed would be safe (see the file comment); release orders the drains before the flip for a
    // reader that acquires the epoch (stats tooling), at no cost on x86.
    epoch_.store(e + 1, std::memory_order_release);
  }

  PoolStats stats() const noexcept {
    PoolStats s = overflow_.snapshot();
    const std::uint32_t hw = highWater();
    for (std::uint32_t i = 0; i < hw; ++i) s += threadStats(i);
    return s;
  }

  PoolStats threadStats(std::uint32_t slot) const noexcept {
    if (slot == kNone) return overflow_.snapshot();
    // Relaxed: an approximation while the owner runs, exact when it is idle (see StatsLine).
    const bool occupied = privates_[slot].obj.load(std::memory_order_relaxed) != nullptr;
    return stats_[slot].snapshot(occupied);
  }

  Alloc& allocator() noexcept { return alloc_; }
  const RingEpochs& rings() const noexcept { return epochs_; }

 protected:
  // The exiting owner of `slot`: its stashed and private objects move where other threads can reach them.
  void beforeRelease(std::uint32_t slot) noexcept override {
    Record& r = records_[slot];
    StashLine& sh = stash_[slot];
    while (sh.n != 0) {
      void* p = sh.items[--sh.n];
      if (!r.chains[epoch() & 1].pushHead(p, limits_, epochs_)) alloc_.deallocate(p);
    }
    sh.stolen = 0;
    r.batchPuts.store(false, std::memory_order_relaxed);  // the next thread on this record starts unbatched
    std::atomic<void*>& priv = privates_[slot].obj;
    if (void* p = priv.load(std::memory_order_relaxed)) {
      priv.store(nullptr, std::memory_order_relaxed);
      StatsLine::bump(stats_[slot].privateOut);
      if (!r.chains[epoch() & 1].pushHead(p, limits_, epochs_)) alloc_.deallocate(p);
    }
  }

 private:
  static constexpr std::size_t kRecordArrayAlign = alignof(Record) > kCacheLine ? alignof(Record) : kCacheLine;

  // A claim from a refilling owner (Handoff, file comment) that took fewer than this asks it to batch.
  static constexpr std::uint32_t kSmallSteal = (StashLine::kCapacity + 1) / 2;

  // One steal pass over the other records' chains[which], inside a session on our announcement slot.
  // With a stash (primary chains, called with an empty stash): one claim takes up to half a victim ring
  // (PackedRing), or all of it when the victim's owner is only refilling, returns one object and keeps
  // the rest in the stash, so a consumer thread that keeps taking what a producer puts pays one contended
  // claim per batch, not per object; a small claim from a refilling owner sets its batchPuts (see
  // Handoff in the file comment). Victim chains: one object per claim.
  void* stealFrom(std::uint32_t self, std::uint32_t hw, unsigned which, StashLine* stash) noexcept {
    if (hw < 2) return nullptr;
    RingEpochs::Session session(epochs_, self);
    for (std::uint32_t i = 1; i < hw; ++i) {
      const std::uint32_t o = (self + i) % hw;
      Record& owner = records_[o];
      Chain& victim = owner.chains[which];
      if (stash == nullptr) {
        if (void* p = victim.popTail()) {
          ++stash_[self].claims;
          return p;
        }
        continue;
      }
      // Relaxed: a hint that only picks the batch size (see PrivateBody).
      const bool refilling = privates_[o].obj.load(std::memory_order_relaxed) != nullptr;
      void* got[StashLine::kCapacity + 1];
      const std::uint32_t n = victim.popTailBatch(got, StashLine::kCapacity + 1 - stash->n, refilling);
      if (n == 0) continue;
      ++stash->claims;
      // Relaxed load and store: a hint (see batchPuts); loaded first so a set flag's line is not written.
      if (batchPuts_ && refilling && n < kSmallSteal && !owner.batchPuts.load(std::memory_order_relaxed)) {
        owner.batchPuts.store(true, std::memory_order_relaxed);
      }
      for (std::uint32_t k = 1; k < n; ++k) stash->items[stash->n++] = got[k];
      stash->stolen = stash->n;
      return got[0];
    }
    return nullptr;
  }

  // Frees what a chain holds, from the tail (safe against its owner and other consumers). Bounded so a
  // clear() cannot be kept busy forever by an owner that keeps pushing into the same chain.
  void drain(Chain& ch) noexcept {
    RingEpochs::Session session(epochs_, epochs_.clearSlot());  // clear()'s own slot (clearMu_ is held)
    const std::uint64_t bound = 2ull * limits_.maxRings * limits_.maxRingSize;
    for (std::uint64_t n = 0; n < bound; ++n) {
      void* p = ch.popTail();
      if (p == nullptr) return;
      alloc_.deallocate(p);
    }
  }

  alignas(kCacheLine) std::atomic<std::uint32_t> epoch_{0};  // read-mostly line of its own; written by clear()
  alignas(kCacheLine) const bool victim_;                    // immutable from here on
  const bool batchSteal_;
  const bool batchPuts_;  // stealers may set batchPuts (config.batchPuts, with batchSteal)
  const ChainLimits limits_;
  Alloc alloc_;  // used by any thread: the allocator policy must be thread-safe
  RingEpochs epochs_;  // ring reclamation: any thread (see ring_epochs.hpp)
  const std::uint32_t nRecords_;
  Record* records_ = nullptr;             // nRecords_ records; record i belongs to the thread holding slot i
  PrivateSlot* privates_ = nullptr;       // nRecords_ private slots, right after the records (immutable pointer)
  std::size_t recordOffset_ = 0;          // records_ is this far into its allocation (immutable)
  std::size_t privateOffset_ = 0;         // privates_ is this far past records_ (immutable)
  std::size_t recordAlign_ = 0;           // the allocation's alignment (immutable)
  std::unique_ptr<StatsLine[]> stats_;    // line i: written by the thread holding slot i
  std::unique_ptr<StashLine[]> stash_;    // line pair i: the thread holding slot i only
  StatsLine overflow_;                    // written by threads without a slot (fetch_add)
  std::mutex clearMu_;                    // serialises clear()
};

}  // namespace detail

template <class Layout, class Publish, class Alloc = BlockAllocator>
class SyncPool {
  using State = detail::SyncPoolState<Layout, Publish, Alloc>;
  using Record = typename State::Record;

 public:
  using LayoutPolicy = Layout;
  using PublishPolicy = Publish;
  using Allocator = Alloc;

  // A handle bound to the calling thread's record: get/put without a thread_local lookup. Valid only on
  // the thread that called pin(), while that thread and the pool live. Cheap to copy.
  class Local {
   public:
    // always_inline: the fast path must inline into loops however large the calling function grows
    // (measured: GCC stopped inlining put() into the scenario dispatch, tripling get-put's cost). The
    // slow paths stay out of line.
    // Fast path: a load and a store of the private slot; counted at put (see StatsLine). Next, inline too,
    // the head ring of the thread's primary chain (one pop: Publish's claim); everything else (older
    // rings, steals, victims, the allocator) is out of line. Measured with callgrind on batch K=32: the
    // out-of-line call with its register saves was a third of the instructions the pool added over a bare
    // Go poolDequeue.
    [[gnu::always_inline]] void* get() noexcept {
      if (r_ != nullptr) {
        void* p = pv_->load(std::memory_order_relaxed);
        if (p != nullptr) [[likely]] {
          pv_->store(nullptr, std::memory_order_relaxed);
          return p;
        }
        if (sh_->n != 0) {  // objects stolen in an earlier batch, or put while puts are batched (StashLine)
          const std::uint16_t k = --sh_->n;
          if (k < sh_->stolen) {
            sh_->stolen = k;
            StatsLine::bump(st_->fromSteal);
          } else {
            StatsLine::bump(st_->fromShared);
          }
          return sh_->items[k];
        }
        if (auto* ring = r_->chains[s_->epoch() & 1].headRing()) {
          if (void* q = ring->popHead()) {
            StatsLine::bump(st_->fromShared);
            return q;
          }
        }
      }
      return s_->getSlow(r_, st_);
    }

    // Private slot, else (inline) the head ring of the primary chain (or the stash while puts are
    // batched), else out of line: grow the chain, flush the stash, or drop.
    [[gnu::always_inline]] void put(void* p) noexcept {
      if (p == nullptr) return;
      if (r_ == nullptr) [[unlikely]] {
        s_->putSlow(r_, st_, p);
        return;
      }
      if (pv_->load(std::memory_order_relaxed) == nullptr) [[likely]] {
        pv_->store(p, std::memory_order_relaxed);
        StatsLine::bump(st_->privateIn);
        return;
      }
      StatsLine::bump(st_->puts);
      // Relaxed: a hint (RecordBody::batchPuts).
      if (r_->batchPuts.load(std::memory_order_relaxed)) [[unlikely]] {
        if (sh_->n < StashLine::kCapacity) {
          sh_->items[sh_->n++] = p;
          return;
        }
        s_->putFlush(r_, sh_, st_, p);
        return;
      }
      auto& chain = r_->chains[s_->epoch() & 1];
      if (auto* ring = chain.headRing()) {
        if (ring->pushHead(p)) return;
      }
      s_->putGrow(chain, st_, p);
    }

    // This thread's counters (all threads' when it has no slot: they share one line).
    PoolStats stats() const noexcept { return s_->threadStats(r_ == nullptr ? ThreadSlots::kNone : slot_); }
    // Steal claims (one per successful claim, however many objects it took) by this slot's threads.
    std::uint32_t stealClaims() const noexcept { return sh_ == nullptr ? 0 : sh_->claims; }
    bool hasSlot() const noexcept { return r_ != nullptr; }

   private:
    friend class SyncPool;
    Local(State* s, std::uint32_t slot) noexcept
        : s_(s),
          r_(s->record(slot)),
          pv_(s->privateSlot(slot)),
          st_(s->statsLine(slot)),
          sh_(s->stashLine(slot)),
          slot_(slot) {}
    State* s_;
    Record* r_;                  // nullptr: the thread has no slot
    std::atomic<void*>* pv_;     // its private slot (PrivateBody); nullptr with r_
    StatsLine* st_;
    StashLine* sh_;  // nullptr with r_
    std::uint32_t slot_;
  };

  SyncPool(const PoolConfig& config, Alloc alloc) : state_(make(config, std::move(alloc))) {}
  explicit SyncPool(const PoolConfig& config) : SyncPool(config, Alloc(config.objectSize, config.alignment)) {}

  Local pin() { return Local(state_.get(), state_->slotOfThisThread()); }
  void* get() { return pin().get(); }
  void put(void* p) { pin().put(p); }
  void clear() { state_->clear(); }
  PoolStats stats() const noexcept { return state_->stats(); }
  Alloc& allocator() noexcept { return state_->allocator(); }
  std::size_t objectSize() const noexcept { return state_->allocator().objectSize(); }
  // Ring memory over all chains: live now, peak, and frees so far (reporting; relaxed counters).
  std::int64_t liveRings() const noexcept { return state_->rings().liveRings(); }
  std::int64_t peakLiveRings() const noexcept { return state_->rings().peakLiveRings(); }
  std::uint64_t ringsFreed() const noexcept { return state_->rings().ringsFreedTotal(); }

 private:
  static std::shared_ptr<State> make(const PoolConfig& config, Alloc alloc) {
    detail::validateSyncConfig(config);
    return std::make_shared<State>(config, std::move(alloc));
  }
  std::shared_ptr<State> state_;
};

}  // namespace poolscope
