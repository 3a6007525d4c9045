#pragma once
// A fixed-size single-producer, multi-consumer ring of object pointers: Go's poolDequeue. The owner
// (producer) pushes and pops at the head; any thread pops at the tail. Indices are 32-bit and wrap around
// (the size is a power of two that divides 2^32, so index & mask stays right across the wrap).
//
// Two index representations, chosen by the Publish policy (publish.hpp):
//   PackedRing : head|tail in one 64-bit word (Xadd, Cas). Go's protocol: a consumer first claims slot
//                `tail` by CASing the word, then reads the slot and stores nullptr into it (release) to
//                hand the slot back to the producer; the producer only writes a slot it has seen null.
//   SplitRing  : head and tail in separate words (Mfence, Xchg): Chase-Lev. A consumer reads slot `tail`
//                first, then claims it by CASing tail; the owner pops the last element by the same CAS.
//                tail only ever increases, so a stale read loses its CAS (no ABA within 2^32 steals).
//
// Ownership of slots (both): slots in [tail, head) hold objects owned by the ring; the producer owns
// every other slot. Indices are never reset, not even when a chain retires a ring and later reuses it:
// to a consumer that still holds a pointer from the ring's earlier use, a reused ring is just a ring
// (its claims are the same CAS on the same monotonic indices). The memory of a ring is freed only when
// no consumer can hold such a pointer (ring_epochs.hpp).
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <new>

#include "core/cacheline.hpp"
#include "core/publish.hpp"

namespace poolscope {

// Memory shared by both rings: links used by the chain (pool_chain.hpp says who touches which), and the
// slots.
template <class Derived>
struct RingLinks {
  std::atomic<Derived*> next{nullptr};  // newer ring: written by the chain's owner, read by consumers
  Derived* prev = nullptr;              // older ring: owner only
  Derived* spareNext = nullptr;         // next on the owner's retired list: owner only
  std::uint64_t stamp = 0;              // RingEpochs stamp taken when retired: owner only
};

template <class Publish>
class PackedRing : public RingLinks<PackedRing<Publish>> {
 public:
  static PackedRing* create(std::uint32_t size, std::uint32_t startIndex) {
    void* mem = ::operator new(sizeof(PackedRing) + size * sizeof(std::atomic<void*>), std::align_val_t{kCacheLine},
                               std::nothrow);
    if (mem == nullptr) return nullptr;
    auto* r = new (mem) PackedRing(size, startIndex);
    for (std::uint32_t i = 0; i < size; ++i) new (&r->slots()[i]) std::atomic<void*>(nullptr);
    return r;
  }
  static void destroy(PackedRing* r) noexcept {
    r->~PackedRing();
    ::operator delete(r, std::align_val_t{kCacheLine});
  }

  std::uint32_t size() const noexcept { return mask_ + 1; }

  // Owner only. False when full (the caller grows the chain).
  bool pushHead(void* obj) noexcept {
    // Acquire: pairs with the consumers' CAS of tail, so slots they claimed are seen as taken.
    const std::uint64_t ht = headTail_.load(std::memory_order_acquire);
    const std::uint32_t head = detail::headOf(ht);
    if (head - detail::tailOf(ht) == size()) return false;
    std::atomic<void*>& slot = slots()[head & mask_];
    // Acquire: pairs with a consumer's store-release of nullptr. A consumer may have claimed this slot
    // (advanced tail) but not yet read it; until it stores nullptr the ring counts as full.
    if (slot.load(std::memory_order_acquire) != nullptr) return false;
    slot.store(obj, std::memory_order_relaxed);  // published by the release in publishPush
    Publish::publishPush(headTail_);
    return true;
  }

  // Owner only: pushes objs[0, n) with one head publish (Publish::publishPushN), so a stealer sees all n
  // at once or none. False, pushing nothing, when fewer than n slots are free (the caller pushes one by
  // one, growing the chain).
  bool pushHeadBatch(void* const* objs, std::uint32_t n) noexcept {
    // Acquire: as pushHead.
    const std::uint64_t ht = headTail_.load(std::memory_order_acquire);
    const std::uint32_t head = detail::headOf(ht);
    if (head - detail::tailOf(ht) + n > size()) return false;
    for (std::uint32_t i = 0; i < n; ++i) {
      // Acquire: as pushHead, slot by slot (a stealer may have claimed one and not yet handed it back).
      if (slots()[(head + i) & mask_].load(std::memory_order_acquire) != nullptr) return false;
    }
    for (std::uint32_t i = 0; i < n; ++i) {
      slots()[(head + i) & mask_].store(objs[i], std::memory_order_relaxed);  // published by publishPushN
    }
    Publish::publishPushN(headTail_, n);
    return true;
  }

  // Owner only: true when no object is left. For a ring the owner no longer pushes into, this stays
  // true (only the owner raises head). Relaxed: nothing is read on the strength of it (a reuse of the
  // ring checks each slot with acquire before writing it, see pushHead).
  bool emptyForOwner() const noexcept {
    const std::uint64_t ht = headTail_.load(std::memory_order_relaxed);
    return detail::countOf(detail::headOf(ht), detail::tailOf(ht)) <= 0;
  }

  // Owner only.
  void* popHead() noexcept {
    std::uint32_t index;
    if (!Publish::claimPop(headTail_, index)) return nullptr;
    // The owner wrote this slot itself and the claim keeps consumers off it.
    std::atomic<void*>& slot = slots()[index & mask_];
    void* obj = slot.load(std::memory_order_relaxed);
    slot.store(nullptr, std::memory_order_relaxed);  // owner-to-owner: read by its own next pushHead
    return obj;
  }

  // Any thread.
  void* popTail() noexcept {
    // Acquire: pairs with publishPush's release, so the slot's object is visible after a successful CAS.
    std::uint64_t ht = headTail_.load(std::memory_order_acquire);
    std::uint32_t tail;
    for (;;) {
      tail = detail::tailOf(ht);
      if (detail::countOf(detail::headOf(ht), tail) <= 0) return nullptr;
      const std::uint64_t next = (ht & ~std::uint64_t{0xffffffff}) | std::uint32_t(tail + 1);
      // acq_rel on success: acquire as above; release pairs with the owner's acquire load in pushHead.
      if (headTail_.compare_exchange_weak(ht, next, std::memory_order_acq_rel, std::memory_order_acquire)) break;
    }
    std::atomic<void*>& slot = slots()[tail & mask_];
    void* obj = slot.load(std::memory_order_relaxed);
    // Release: hands the slot back; pairs with the owner's acquire load of the slot in pushHead, so our
    // read above happens before its next write.
    slot.store(nullptr, std::memory_order_release);
    return obj;
  }

  // Any thread: claims up to `max` objects with one CAS of the packed word, about half of what the ring
  // holds (at least one), or all of it with `all` (the caller judged the owner is not taking from its
  // ring, sync_pool.hpp), and writes them to out, oldest first. Returns how many. The owner's pop is a
  // change of the same word (xadd or CAS), so either our CAS saw it (and claims below the new head) or
  // it saw our new tail; the claimed slots [tail, tail + n) are never the owner's. Then as popTail, slot
  // by slot: read, hand back with a release store of nullptr.
  std::uint32_t popTailBatch(void** out, std::uint32_t max, bool all = false) noexcept {
    // Acquire: as popTail.
    std::uint64_t ht = headTail_.load(std::memory_order_acquire);
    std::uint32_t tail, n;
    for (;;) {
      tail = detail::tailOf(ht);
      const std::int32_t count = detail::countOf(detail::headOf(ht), tail);
      if (count <= 0) return 0;
      n = all ? static_cast<std::uint32_t>(count) : (static_cast<std::uint32_t>(count) + 1) / 2;
      if (n > max) n = max;
      const std::uint64_t next = (ht & ~std::uint64_t{0xffffffff}) | std::uint32_t(tail + n);
      // acq_rel on success: as popTail.
      if (headTail_.compare_exchange_weak(ht, next, std::memory_order_acq_rel, std::memory_order_acquire)) break;
    }
    for (std::uint32_t i = 0; i < n; ++i) {
      std::atomic<void*>& slot = slots()[(tail + i) & mask_];
      // Relaxed: the successful acq_rel CAS above synchronised with the owner's release that
      // published these slots, and the claim makes them this consumer's alone.
      out[i] = slot.load(std::memory_order_relaxed);
      slot.store(nullptr, std::memory_order_release);  // as popTail: pairs with the owner's acquire in pushHead
    }
    return n;
  }

 private:
  PackedRing(std::uint32_t size, std::uint32_t start) noexcept
      : headTail_((std::uint64_t{start} << 32) | start), mask_(size - 1) {}
  std::atomic<void*>* slots() noexcept { return reinterpret_cast<std::atomic<void*>*>(this + 1); }

  std::atomic<std::uint64_t> headTail_;  // head (high 32) written by the owner, tail (low 32) by consumers' CAS
  const std::uint32_t mask_;             // immutable
};

template <class Publish>
class SplitRing : public RingLinks<SplitRing<Publish>> {
 public:
  static SplitRing* create(std::uint32_t size, std::uint32_t startIndex) {
    void* mem = ::operator new(sizeof(SplitRing) + size * sizeof(std::atomic<void*>), std::align_val_t{kCacheLine},
                               std::nothrow);
    if (mem == nullptr) return nullptr;
    auto* r = new (mem) SplitRing(size, startIndex);
    for (std::uint32_t i = 0; i < size; ++i) new (&r->slots()[i]) std::atomic<void*>(nullptr);
    return r;
  }
  static void destroy(SplitRing* r) noexcept {
    r->~SplitRing();
    ::operator delete(r, std::align_val_t{kCacheLine});
  }

  std::uint32_t size() const noexcept { return mask_ + 1; }

  // Owner only.
  bool pushHead(void* obj) noexcept {
    const std::uint32_t head = head_.load(std::memory_order_relaxed);  // owner's own value
    // Acquire: pairs with a consumer's successful CAS of tail (seq_cst), which comes after its read of the
    // slot; so the slot we may now overwrite has been read.
    const std::uint32_t tail = tail_.load(std::memory_order_acquire);
    if (head - tail >= size()) return false;
    slots()[head & mask_].store(obj, std::memory_order_relaxed);  // published by storeHead (a release too)
    Publish::storeHead(head_, head + 1);
    return true;
  }

  // Owner only: as PackedRing::pushHeadBatch, one seq_cst head store (Publish::storeHead) for n slots.
  bool pushHeadBatch(void* const* objs, std::uint32_t n) noexcept {
    const std::uint32_t head = head_.load(std::memory_order_relaxed);  // owner's own value
    // Acquire: as pushHead (the slots we may now overwrite have been read by their stealers).
    const std::uint32_t tail = tail_.load(std::memory_order_acquire);
    if (head - tail + n > size()) return false;
    for (std::uint32_t i = 0; i < n; ++i) {
      slots()[(head + i) & mask_].store(objs[i], std::memory_order_relaxed);  // published by storeHead
    }
    Publish::storeHead(head_, head + n);
    return true;
  }

  // Owner only: as PackedRing::emptyForOwner. Acquire on tail: pairs with the consumers' CAS, so a
  // reuse of the ring starts after their slot reads (pushHead loads tail with acquire again anyway).
  bool emptyForOwner() const noexcept {
    return detail::countOf(head_.load(std::memory_order_relaxed), tail_.load(std::memory_order_acquire)) <= 0;
  }

  // Owner only.
  void* popHead() noexcept {
    const std::uint32_t head = head_.load(std::memory_order_relaxed) - 1;
    // seq_cst store then seq_cst load of tail: consumers that load head after this see the element gone;
    // a consumer that loaded the old head must win the CAS below on tail, which we also contend for
    // when one element is left.
    Publish::storeHead(head_, head);
    std::uint32_t tail = tail_.load(std::memory_order_seq_cst);
    if (detail::countOf(head, tail) < 0) {  // was empty: restore (no consumer acts on head < tail)
      head_.store(head + 1, std::memory_order_relaxed);
      return nullptr;
    }
    void* obj = slots()[head & mask_].load(std::memory_order_relaxed);
    if (head != tail) return obj;  // more than one element: consumers stop at tail < head
    // Last element: whoever advances tail from `tail` owns it.
    const bool won = tail_.compare_exchange_strong(tail, tail + 1, std::memory_order_seq_cst, std::memory_order_relaxed);
    head_.store(head + 1, std::memory_order_relaxed);  // head == tail + 1 == new tail: empty either way
    return won ? obj : nullptr;
  }

  // Any thread.
  void* popTail() noexcept {
    for (;;) {
      // seq_cst loads (plain movs on x86): tail before head, pairing with the owner's seq_cst head store
      // and tail load in popHead (the Chase-Lev argument needs one total order over these four accesses).
      std::uint32_t tail = tail_.load(std::memory_order_seq_cst);
      const std::uint32_t head = head_.load(std::memory_order_seq_cst);
      if (detail::countOf(head, tail) <= 0) return nullptr;
      // Read before claiming: the owner overwrites slot `tail` only after tail has moved past it, in which
      // case the CAS below fails and the value read is discarded.
      void* obj = slots()[tail & mask_].load(std::memory_order_relaxed);
      // seq_cst: the claim; its release orders our slot read before the owner's acquire load of tail.
      if (tail_.compare_exchange_strong(tail, tail + 1, std::memory_order_seq_cst, std::memory_order_relaxed)) {
        return obj;
      }
    }
  }

  // Any thread: one object at a time. A Chase-Lev owner takes its last elements without a CAS once
  // head > tail, so a claim of several slots by a consumer could overlap the owner's pops.
  std::uint32_t popTailBatch(void** out, std::uint32_t max, bool /*all*/ = false) noexcept {
    if (max == 0) return 0;
    out[0] = popTail();
    return out[0] != nullptr ? 1 : 0;
  }

 private:
  SplitRing(std::uint32_t size, std::uint32_t start) noexcept : head_(start), tail_(start), mask_(size - 1) {}
  std::atomic<void*>* slots() noexcept { return reinterpret_cast<std::atomic<void*>*>(this + 1); }

  std::atomic<std::uint32_t> head_;  // written by the owner only (Publish::storeHead, or restores)
  std::atomic<std::uint32_t> tail_;  // CAS by consumers, and by the owner for the last element
  const std::uint32_t mask_;         // immutable
};

template <class Publish>
using RingFor = std::conditional_t<Publish::kPackedWord, PackedRing<Publish>, SplitRing<Publish>>;

}  // namespace poolscope
