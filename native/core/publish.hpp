#pragma once
// Publish policies: the instruction the owner of a shared ring uses to publish a new head index.
//
//   Xadd   : head and tail packed in one 64-bit word (head high, tail low, as Go's poolDequeue);
//            push is `lock xadd` of 1<<32; pop is `lock xadd` of -(1<<32), undone with another xadd if a
//            stealer took the last element meanwhile.
//   Cas    : the same packed word; push and pop are `lock cmpxchg` loops (Go's popHead).
//   Mfence : head and tail in separate 32-bit words (a Chase-Lev deque: a plain store to a packed word
//            would overwrite a concurrent steal's tail); every head store is `mov` then `mfence`.
//   Xchg   : separate words; every head store is `xchg` (implicitly locked, a full barrier).
//
// Separate words need the store of head to be ordered before the owner's following load of tail (the
// pop's last-element race; a store-load order, which x86 only gives with a full barrier): that is the
// seq_cst store these two spell in different ways. Pushes use the same store, so every head change costs
// the named instruction; that is the cost the variants exist to show.
//
// On x86-64 the instruction is inline asm, so it is the one named (test_publish_asm checks the object
// code). Elsewhere, and when POOLSCOPE_PORTABLE_ATOMICS=1 (the ThreadSanitizer build: TSan cannot see
// inside asm), each is the std::atomic operation with the same memory order, so TSan checks the protocol.
#include <atomic>
#include <cstdint>

#ifndef POOLSCOPE_PORTABLE_ATOMICS
#if defined(__x86_64__)
#define POOLSCOPE_PORTABLE_ATOMICS 0
#else
#define POOLSCOPE_PORTABLE_ATOMICS 1
#endif
#endif

namespace poolscope {

namespace detail {
template <class T>
inline T* rawWord(std::atomic<T>& a) noexcept {
  static_assert(sizeof(std::atomic<T>) == sizeof(T) && alignof(std::atomic<T>) == alignof(T));
  static_assert(std::atomic<T>::is_always_lock_free);
  return reinterpret_cast<T*>(&a);
}

inline constexpr std::uint64_t kHeadOne = std::uint64_t{1} << 32;
inline std::uint32_t headOf(std::uint64_t ht) noexcept { return static_cast<std::uint32_t>(ht >> 32); }
inline std::uint32_t tailOf(std::uint64_t ht) noexcept { return static_cast<std::uint32_t>(ht); }
// Elements in [tail, head), wrap-around safe; <= 0 means empty (negative only transiently, during an
// Xadd pop that is about to undo itself).
inline std::int32_t countOf(std::uint32_t head, std::uint32_t tail) noexcept {
  return static_cast<std::int32_t>(head - tail);
}

// lock xadd on the packed word, acq_rel. Returns the previous value.
inline std::uint64_t xaddWord(std::atomic<std::uint64_t>& w, std::uint64_t delta) noexcept {
#if POOLSCOPE_PORTABLE_ATOMICS
  return w.fetch_add(delta, std::memory_order_acq_rel);
#else
  asm volatile("lock xaddq %0, %1" : "+r"(delta), "+m"(*rawWord(w)) : : "memory", "cc");
  return delta;
#endif
}

// lock cmpxchg on the packed word, acq_rel on success, relaxed on failure; `expected` gets the current
// value on failure.
inline bool casWord(std::atomic<std::uint64_t>& w, std::uint64_t& expected, std::uint64_t desired) noexcept {
#if POOLSCOPE_PORTABLE_ATOMICS
  return w.compare_exchange_weak(expected, desired, std::memory_order_acq_rel, std::memory_order_relaxed);
#else
  bool ok;
  asm volatile("lock cmpxchgq %3, %1"
               : "=@ccz"(ok), "+m"(*rawWord(w)), "+a"(expected)
               : "r"(desired)
               : "memory");
  return ok;
#endif
}
}  // namespace detail

struct Xadd {
  static constexpr const char* name = "xadd";
  static constexpr bool kPackedWord = true;

  // Owner only. head += 1 (release: the slot store before it becomes visible to a stealer whose CAS reads
  // this value, acquire side: its compare-exchange).
  static void publishPush(std::atomic<std::uint64_t>& ht) noexcept { publishPushN(ht, 1); }
  // Owner only. head += n in one `lock xadd` (acq_rel, as publishPush): n slots published at once.
  static void publishPushN(std::atomic<std::uint64_t>& ht, std::uint32_t n) noexcept {
    detail::xaddWord(ht, std::uint64_t{n} << 32);
  }

  // Owner only. Claims the head slot; false when empty. The decrement is one atomic step on the word a
  // stealer CASes, so either the stealer's CAS saw our decrement (it then sees one element fewer) or ours
  // saw its increment of tail (we see it in the returned value and undo).
  static bool claimPop(std::atomic<std::uint64_t>& ht, std::uint32_t& slot) noexcept {
    // Relaxed: the owner is the only thread that raises head, so "empty" read here stays true; no data
    // is read on the strength of this load.
    const std::uint64_t seen = ht.load(std::memory_order_relaxed);
    if (detail::countOf(detail::headOf(seen), detail::tailOf(seen)) <= 0) return false;
    const std::uint64_t old = detail::xaddWord(ht, std::uint64_t{0} - detail::kHeadOne);
    const std::uint32_t head = detail::headOf(old);
    if (detail::countOf(head, detail::tailOf(old)) <= 0) {
      // Stealers took the rest first. head < tail now reads as empty to everyone; put head back.
      detail::xaddWord(ht, detail::kHeadOne);
      return false;
    }
    slot = head - 1;
    return true;
  }
};

struct Cas {
  static constexpr const char* name = "cas";
  static constexpr bool kPackedWord = true;

  // Owner only. head += 1 by compare-exchange (release on success, as Xadd).
  static void publishPush(std::atomic<std::uint64_t>& ht) noexcept { publishPushN(ht, 1); }
  // Owner only. head += n by compare-exchange (release on success, as publishPush).
  static void publishPushN(std::atomic<std::uint64_t>& ht, std::uint32_t n) noexcept {
    // Relaxed: only the CAS's first expected value; a stale one fails the CAS, which reloads it.
    std::uint64_t cur = ht.load(std::memory_order_relaxed);
    while (!detail::casWord(ht, cur, cur + (std::uint64_t{n} << 32))) {
    }
  }

  // Owner only. Go's popHead: decrement head only while head != tail.
  static bool claimPop(std::atomic<std::uint64_t>& ht, std::uint32_t& slot) noexcept {
    std::uint64_t cur = ht.load(std::memory_order_relaxed);
    for (;;) {
      const std::uint32_t head = detail::headOf(cur);
      if (detail::countOf(head, detail::tailOf(cur)) <= 0) return false;
      if (detail::casWord(ht, cur, cur - detail::kHeadOne)) {
        slot = head - 1;
        return true;
      }
    }
  }
};

struct Mfence {
  static constexpr const char* name = "mfence";
  static constexpr bool kPackedWord = false;

  // Owner only. A seq_cst store of head: `mov` then `mfence`. Pairs with stealers' seq_cst loads of head
  // (they then see the slot stored before it) and orders this store before the owner's next load of tail.
  static void storeHead(std::atomic<std::uint32_t>& head, std::uint32_t value) noexcept {
#if POOLSCOPE_PORTABLE_ATOMICS
    head.store(value, std::memory_order_seq_cst);
#else
    asm volatile("movl %1, %0\n\tmfence" : "=m"(*detail::rawWord(head)) : "r"(value) : "memory");
#endif
  }
};

struct Xchg {
  static constexpr const char* name = "xchg";
  static constexpr bool kPackedWord = false;

  // Owner only. The same seq_cst store of head as Mfence, spelled `xchg` (locked implicitly).
  static void storeHead(std::atomic<std::uint32_t>& head, std::uint32_t value) noexcept {
#if POOLSCOPE_PORTABLE_ATOMICS
    head.store(value, std::memory_order_seq_cst);
#else
    asm volatile("xchgl %0, %1" : "+r"(value), "+m"(*detail::rawWord(head)) : : "memory");
#endif
  }
};

}  // namespace poolscope
