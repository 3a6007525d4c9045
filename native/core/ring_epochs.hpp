#pragma once
// RingEpochs: epoch-based reclamation of a pool's retired rings (pool_chain.hpp says when a ring is
// retired and why reusing one needs no epoch; this file says when one may be freed).
//
// One per pool. A global epoch G (starts at 1, only grows) and one announcement word per slot: slot i
// belongs to the thread holding pool slot i, slot `clearSlot()` to clear() (serialised by its mutex).
// 0 means "not touching any ring of another thread's chain".
//
// Protocol (every access named here is seq_cst unless marked, so they sit in one total order S):
//   stealer  enter:  a = G.load(); ann[i].store(a)    then loads tail_/next of chains (seq_cst loads)
//            exit:   ann[i].store(0) (release)        after its last access to any ring it reached
//   owner    retire: unlink R with a seq_cst store of tail_ or of the predecessor's next (U),
//                    then R.stamp = G.fetch_add(1)     (value before the increment)
//            free:   R may be freed once, for every i, ann[i] == 0 or ann[i] > R.stamp
//                    (oldestAnnounced() > R.stamp).
// Why a freed R is never touched: take a stealer session that reaches R.
//   - If the owner's read of ann[i] did not see that session's announcement, the read precedes the
//     announcement in S, so U < read < announcement < the stealer's chain loads: every chain pointer it
//     loads is U's value or a later one. After U no chain pointer leads to R unless R is relinked, and a
//     relinked (reused) ring is no longer on the retired list, so it is not freed.
//   - If it saw the announcement a with a > stamp, the stealer's G load read the owner's fetch_add or a
//     later increment, so U < fetch_add < G load < its chain loads in S: the same conclusion.
//   - If it saw a <= stamp (or a live announcement of an earlier session), R is kept.
//   - An exit store of 0 that the owner sees comes after (sequenced) the session's last ring access, and
//     the release store / seq_cst load synchronise, so that access happens before the free.
// Costs: a session is one seq_cst store (xchg on x86) on the stealer's own cache line plus a plain store
// at exit, per steal attempt (not per ring visited); retire is one fetch_add on G's line (rare: a ring
// is retired when a chain shrinks); a free check reads highWater + 1 announcement lines (rarer still).
#include <atomic>
#include <cstdint>
#include <memory>

#include "core/cacheline.hpp"

namespace poolscope {

class RingEpochs {
 public:
  // slots: the pool's maxThreads; one more announcement word is reserved for clear().
  explicit RingEpochs(std::uint32_t slots) : slots_(slots), ann_(new Announcement[slots + 1]) {}
  RingEpochs(const RingEpochs&) = delete;
  RingEpochs& operator=(const RingEpochs&) = delete;

  std::uint32_t clearSlot() const noexcept { return slots_; }

  // A stealer session on announcement `slot` (the caller's own). RAII so every exit path clears it.
  class Session {
   public:
    Session(RingEpochs& e, std::uint32_t slot) noexcept : a_(e.ann_[slot].word) {
      // seq_cst load of G and seq_cst store of the announcement: see the protocol above (partners: the
      // owner's fetch_add in retireStamp and its seq_cst loads in oldestAnnounced).
      a_.store(e.global_.load(std::memory_order_seq_cst), std::memory_order_seq_cst);
    }
    ~Session() {
      // Release (a plain mov on x86): pairs with oldestAnnounced's seq_cst loads, so this session's ring
      // accesses happen before a free decided on seeing 0. It need not be in S: an owner read that returns
      // this 0 instead of the next session's announcement cannot follow that announcement in S (the 0 is
      // sequenced before it), so the first case of the proof covers the next session.
      a_.store(0, std::memory_order_release);
    }
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

   private:
    std::atomic<std::uint64_t>& a_;
  };

  // Owner, right after unlinking a ring with a seq_cst store: the ring's stamp. seq_cst RMW: it follows
  // the unlink in S and is what a stealer's G load pairs with.
  std::uint64_t retireStamp() noexcept { return global_.fetch_add(1, std::memory_order_seq_cst); }

  // Before a thread first opens a Session on `slot` (the pool calls it when it hands out a handle):
  // slots below scanned() are the ones oldestAnnounced reads. seq_cst RMW, in S before every announcement
  // of that slot: an owner whose seq_cst load of the bound misses it read the bound before the
  // announcement in S, which the proof's first case covers.
  void noteSlot(std::uint32_t slot) noexcept {
    std::uint32_t n = scan_.load(std::memory_order_relaxed);  // a hint only; the CAS decides
    while (n <= slot && !scan_.compare_exchange_weak(n, slot + 1, std::memory_order_seq_cst, std::memory_order_relaxed)) {
    }
  }

  // The smallest epoch announced by a running session (UINT64_MAX when none runs). A ring whose stamp
  // is below it may be freed.
  std::uint64_t oldestAnnounced() const noexcept {
    std::uint64_t oldest = UINT64_MAX;
    auto see = [&](std::uint32_t i) {
      // seq_cst: pairs with Session's stores (see the protocol).
      const std::uint64_t v = ann_[i].word.load(std::memory_order_seq_cst);
      if (v != 0 && v < oldest) oldest = v;
    };
    const std::uint32_t n = scan_.load(std::memory_order_seq_cst);  // pairs with noteSlot
    for (std::uint32_t i = 0; i < n && i < slots_; ++i) see(i);
    see(slots_);
    return oldest;
  }

  // Rings allocated and not yet freed, over all chains of the pool (for the soak benchmark and tests).
  // Relaxed: a counter read for reporting only.
  void ringCreated() noexcept { bumpLive(1); }
  void ringFreed() noexcept { bumpLive(-1); }
  std::int64_t liveRings() const noexcept { return live_.load(std::memory_order_relaxed); }
  std::int64_t peakLiveRings() const noexcept { return peak_.load(std::memory_order_relaxed); }
  std::uint64_t ringsFreedTotal() const noexcept { return freed_.load(std::memory_order_relaxed); }

 private:
  struct alignas(kCacheLine) Announcement {
    std::atomic<std::uint64_t> word{0};  // written by its slot's thread only; read by owners freeing rings
  };
  void bumpLive(std::int64_t d) noexcept {
    const std::int64_t now = live_.fetch_add(d, std::memory_order_relaxed) + d;
    if (d < 0) freed_.fetch_add(1, std::memory_order_relaxed);
    std::int64_t p = peak_.load(std::memory_order_relaxed);
    while (now > p && !peak_.compare_exchange_weak(p, now, std::memory_order_relaxed)) {
    }
  }

  alignas(kCacheLine) std::atomic<std::uint64_t> global_{1};  // G: only grows, by retireStamp
  // Reporting counters (ring create/free: rare). All relaxed, pairing with nothing: each is a
  // figure read on demand, and no access to a ring is ordered by them.
  alignas(kCacheLine) std::atomic<std::int64_t> live_{0};    // reporting counters (ring create/free: rare)
  std::atomic<std::int64_t> peak_{0};
  std::atomic<std::uint64_t> freed_{0};
  std::atomic<std::uint32_t> scan_{0};  // slots [0, scan_) may have announced: only grows (noteSlot)
  const std::uint32_t slots_;
  std::unique_ptr<Announcement[]> ann_;  // slots_ + 1 lines
};

}  // namespace poolscope
