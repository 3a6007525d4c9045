#pragma once
// A chain of SPMC rings: Go's poolChain, with the rings reclaimed (there is no garbage collector).
//
// Shape: rings linked oldest (tail_) to newest (head_) through `next`, and back through `prev`. The owner
// pushes into the head ring and, when it is full, links a ring twice the size (up to maxRingSize) after
// it; it pops from the head ring and walks back through older ones. Consumers (stealers, clear()) pop at
// the tail ring and walk forward through `next`.
//
// Who touches what:
//   head_, prev, linked_, spares_, spareCount_, and a ring's spareNext/stamp: the owner only (plain).
//   tail_, and each ring's next: written by the owner only, read by consumers (atomics).
//   Consumers never change the chain's shape (unlike Go, where they drop the tail ring): every link,
//   unlink and reuse is the owner's, so the shape has a single writer and needs no CAS.
//   Each ring's indices and slots: the ring's own protocol (spmc_ring.hpp).
//
// Retiring. A ring other than the head ring that the owner finds empty is unlinked: when the owner's
// popHead walks over it, and at growth time for the empty rings at the tail (consumers drained them). No
// one pushes into a non-head ring, so an empty one stays empty: unlinking it loses no object. The head
// ring is never unlinked, so a chain, once it has a ring, always has one (tail_ is never null again),
// and a workload that holds K objects settles in one ring big enough for K, with no churn. An unlinked
// ring goes on the owner's retired list (spares_) with a RingEpochs stamp.
//
// Reusing a retired ring needs no wait. When the owner needs a new ring it first takes a retired one of
// at least the wanted size, resets its next to null and links it as the head. A consumer may still hold
// a pointer from the ring's earlier place in the chain; for it the ring is just a ring (claims are the
// ring's CAS on indices that are never reset, spmc_ring.hpp), and its next leads to the current chain
// or null. So reuse can only make that consumer take an object the owner pushed since (a valid steal) or
// miss objects elsewhere (a get that falls through to the allocator: allowed, Go's steals can miss too).
// Every object is still owned by exactly one party, because every move in or out of a ring is a claim.
//
// Freeing a retired ring does need a wait: the memory must outlive every consumer session that could
// have reached it. The owner frees retired rings beyond kKeepSpares once RingEpochs says every running
// session started after the ring was unlinked (proof in ring_epochs.hpp), smallest first. The unlink stores are seq_cst
// and consumers' chain loads are seq_cst for that proof (plain movs on x86; the stores are rare).
//
// Memory bound per chain: the linked rings are the head ring plus non-empty rings (an emptied one is
// unlinked by the owner's next walk over it or next growth); plus at most kKeepSpares retired rings, plus
// the retired rings a running consumer session may still reach (freed at the owner's next retire after
// that session ends). maxRings caps the linked rings (a capacity against runaway growth, not a lifetime
// budget): a put is dropped only when the chain links maxRings rings and the head ring is full.
//
// Walk bound: a consumer follows at most kMaxWalk links per attempt (the owner may move rings around
// under it; stopping early is a miss, never a loss).
#include <atomic>
#include <cstdint>

#include "core/ring_epochs.hpp"
#include "core/spmc_ring.hpp"

namespace poolscope {

struct ChainLimits {
  std::uint32_t initialRingSize;  // power of two
  std::uint32_t maxRingSize;      // power of two >= initialRingSize
  std::uint32_t maxRings;         // most rings linked in the chain at once
  std::uint32_t startIndex;       // first head/tail index of a new ring (tests: near 2^32)
};

template <class Publish>
class PoolChain {
 public:
  using Ring = RingFor<Publish>;
  static constexpr std::uint32_t kKeepSpares = 2;   // retired rings kept for reuse before any is freed
  static constexpr std::uint32_t kMaxWalk = 1024;  // links a consumer follows per popTail

  PoolChain() = default;
  PoolChain(const PoolChain&) = delete;
  PoolChain& operator=(const PoolChain&) = delete;

  // Owner only: the ring pushHead and popHead try first (null before the first push). A caller may
  // push into or pop from it directly, then call pushHead/popHead when that fails.
  [[gnu::always_inline]] Ring* headRing() const noexcept { return head_; }

  // Owner only. False when the object could not be cached (maxRings linked and all full, or no memory).
  [[gnu::always_inline]] bool pushHead(void* obj, const ChainLimits& limits, RingEpochs& epochs) noexcept {
    Ring* d = head_;
    if (d != nullptr && d->pushHead(obj)) [[likely]] return true;
    return pushGrow(obj, limits, epochs);
  }

  // Owner only: pushes objs[0, n), into the head ring with one publish when it has room for all of
  // them (stealers then see the n at once), else one by one as pushHead. Returns how many were cached:
  // a prefix of objs; the caller frees the rest.
  std::uint32_t pushHeadBatch(void* const* objs, std::uint32_t n, const ChainLimits& limits,
                              RingEpochs& epochs) noexcept {
    Ring* d = head_;
    if (d != nullptr && d->pushHeadBatch(objs, n)) return n;
    for (std::uint32_t k = 0; k < n; ++k) {
      if (!pushHead(objs[k], limits, epochs)) return k;
    }
    return n;
  }

  // Owner only.
  [[gnu::always_inline]] void* popHead(RingEpochs& epochs) noexcept {
    Ring* d = head_;
    if (d == nullptr) return nullptr;
    if (void* obj = d->popHead()) [[likely]] return obj;
    if (d->prev == nullptr) return nullptr;
    return popOlder(epochs);
  }

  // Any thread, inside a RingEpochs::Session on its own announcement slot (or with no owner running:
  // the pool's destructor).
  void* popTail() noexcept {
    // seq_cst loads of tail_ and next: the reclamation proof (ring_epochs.hpp) needs them in S after the
    // session's announcement; they also acquire, pairing with the owner's release/seq_cst stores that
    // link a ring, so the ring is seen initialised.
    Ring* d = tail_.load(std::memory_order_seq_cst);
    for (std::uint32_t i = 0; d != nullptr && i < kMaxWalk; ++i) {
      if (void* obj = d->popTail()) return obj;
      d = d->next.load(std::memory_order_seq_cst);
    }
    return nullptr;
  }

  // As popTail, but claims up to `max` objects of one ring in one claim (PackedRing: about half of what
  // it holds, or all with `all`; SplitRing: one). Returns how many were written to out.
  std::uint32_t popTailBatch(void** out, std::uint32_t max, bool all = false) noexcept {
    // seq_cst: as popTail.
    Ring* d = tail_.load(std::memory_order_seq_cst);
    for (std::uint32_t i = 0; d != nullptr && i < kMaxWalk; ++i) {
      if (const std::uint32_t n = d->popTailBatch(out, max, all)) return n;
      d = d->next.load(std::memory_order_seq_cst);
    }
    return 0;
  }

  // Only with no other thread using the chain (pool destruction), after it was drained: frees every
  // ring, linked or retired.
  void destroyRings(RingEpochs& epochs) noexcept {
    for (Ring* d = tail_.load(std::memory_order_relaxed); d != nullptr;) {
      Ring* n = d->next.load(std::memory_order_relaxed);
      Ring::destroy(d);
      epochs.ringFreed();
      d = n;
    }
    for (Ring* d = spares_; d != nullptr;) {
      Ring* n = d->spareNext;
      Ring::destroy(d);
      epochs.ringFreed();
      d = n;
    }
    head_ = spares_ = nullptr;
    tail_.store(nullptr, std::memory_order_relaxed);
    linked_ = spareCount_ = 0;
  }

  // Owner only (or an idle chain): rings linked, rings retired and not yet freed.
  std::uint32_t linkedRings() const noexcept { return linked_; }
  std::uint32_t retiredRings() const noexcept { return spareCount_; }

 private:
  // The head ring is full (or there is none): link a new head ring and push into it.
  [[gnu::noinline]] bool pushGrow(void* obj, const ChainLimits& limits, RingEpochs& epochs) noexcept {
    for (int attempt = 0; attempt < 2; ++attempt) {
      Ring* d = head_;
      if (d != nullptr) unlinkEmptyTail(epochs);
      if (linked_ >= limits.maxRings) return false;
      std::uint32_t size = d == nullptr ? limits.initialRingSize : d->size() * 2;
      if (size > limits.maxRingSize) size = limits.maxRingSize;
      Ring* d2 = takeSpare(size);
      if (d2 == nullptr) {
        d2 = Ring::create(size, limits.startIndex);
        if (d2 == nullptr) return false;
        epochs.ringCreated();
      }
      // Relaxed: published by the release store that links d2 below. A consumer still inside d2 from
      // its earlier use may read either value (see the file comment).
      d2->next.store(nullptr, std::memory_order_relaxed);
      d2->prev = d;
      head_ = d2;
      ++linked_;
      if (d == nullptr) {
        // Release: pairs with consumers' (seq_cst, so acquire) load of tail_: they see d2 initialised.
        tail_.store(d2, std::memory_order_release);
      } else {
        // Release: pairs with consumers' (seq_cst, so acquire) load of next, as above.
        d->next.store(d2, std::memory_order_release);
      }
      // A reused ring can still count as full for a moment: a consumer that claimed a slot in its earlier
      // use may not yet have handed the slot back (PackedRing). Then grow once more.
      if (d2->pushHead(obj)) return true;
    }
    return false;
  }

  // The head ring is empty and has older rings: pop from them, unlinking each one found empty.
  [[gnu::noinline]] void* popOlder(RingEpochs& epochs) noexcept {
    Ring* newer = head_;
    for (Ring* d = newer->prev; d != nullptr;) {
      if (void* obj = d->popHead()) return obj;
      Ring* older = d->prev;
      unlink(d, older, newer, epochs);
      d = older;
    }
    return nullptr;
  }

  // Rings at the tail that consumers emptied (not the head ring).
  void unlinkEmptyTail(RingEpochs& epochs) noexcept {
    Ring* d = tail_.load(std::memory_order_relaxed);  // owner: its own last store
    while (d != head_ && d->emptyForOwner()) {
      Ring* newer = d->next.load(std::memory_order_relaxed);  // owner: its own store
      unlink(d, nullptr, newer, epochs);
      d = newer;
    }
  }

  // Unlinks the empty non-head ring d (between older and newer) and retires it.
  void unlink(Ring* d, Ring* older, Ring* newer, RingEpochs& epochs) noexcept {
    // seq_cst stores: the U of the proof in ring_epochs.hpp (before the stamp's fetch_add in S). They
    // also release: newer was linked by this thread with a release store already, so a consumer that
    // reaches newer through this new link sees it initialised.
    if (older == nullptr) {
      tail_.store(newer, std::memory_order_seq_cst);
    } else {
      older->next.store(newer, std::memory_order_seq_cst);
    }
    newer->prev = older;
    --linked_;
    d->prev = nullptr;
    d->stamp = epochs.retireStamp();
    d->spareNext = spares_;
    spares_ = d;
    ++spareCount_;
    if (spareCount_ > kKeepSpares) freeRetired(epochs);
  }

  // A retired ring of at least `size` slots, taken off the list (no wait needed: see the file comment).
  Ring* takeSpare(std::uint32_t size) noexcept {
    for (Ring** link = &spares_; *link != nullptr; link = &(*link)->spareNext) {
      Ring* d = *link;
      if (d->size() >= size) {
        *link = d->spareNext;
        d->spareNext = nullptr;
        --spareCount_;
        return d;
      }
    }
    return nullptr;
  }

  // Frees retired rings until kKeepSpares are left, smallest first (the big ones are the likely reuses),
  // among those whose stamp is older than every running session.
  void freeRetired(RingEpochs& epochs) noexcept {
    const std::uint64_t oldest = epochs.oldestAnnounced();
    while (spareCount_ > kKeepSpares) {
      Ring** victim = nullptr;
      for (Ring** link = &spares_; *link != nullptr; link = &(*link)->spareNext) {
        if ((*link)->stamp < oldest && (victim == nullptr || (*link)->size() < (*victim)->size())) victim = link;
      }
      if (victim == nullptr) return;  // the rest may still be reached by a running session: next time
      Ring* d = *victim;
      *victim = d->spareNext;
      --spareCount_;
      Ring::destroy(d);
      epochs.ringFreed();
    }
  }

  Ring* head_ = nullptr;              // newest ring: owner only
  std::atomic<Ring*> tail_{nullptr};  // oldest linked ring: written by the owner only, read by consumers
  Ring* spares_ = nullptr;            // retired rings, newest first (via spareNext): owner only
  std::uint32_t linked_ = 0;          // rings linked from tail_ to head_: owner only
  std::uint32_t spareCount_ = 0;      // rings on spares_: owner only
};

}  // namespace poolscope
