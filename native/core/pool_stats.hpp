#pragma once
// Where gets were served from, and what happened to puts. PoolStats is the plain value type returned to
// callers; StatsLine is the per-thread storage, one cache line each, so counting never bounces a line.
#include <atomic>
#include <cstdint>

#include "core/cacheline.hpp"

namespace poolscope {

struct PoolStats {
  std::uint64_t fromPrivate = 0;  // get served by the thread's private slot
  std::uint64_t fromShared = 0;   // get served by the thread's own shared chain (head)
  std::uint64_t fromSteal = 0;    // get served by another thread's shared chain (tail)
  std::uint64_t fromVictim = 0;   // get served by a victim cache (own or stolen)
  std::uint64_t fromNew = 0;      // get served by the allocator
  std::uint64_t puts = 0;         // put calls
  std::uint64_t drops = 0;        // puts whose object went back to the allocator (no room)

  std::uint64_t gets() const { return fromPrivate + fromShared + fromSteal + fromVictim + fromNew; }

  PoolStats& operator+=(const PoolStats& o) {
    fromPrivate += o.fromPrivate;
    fromShared += o.fromShared;
    fromSteal += o.fromSteal;
    fromVictim += o.fromVictim;
    fromNew += o.fromNew;
    puts += o.puts;
    drops += o.drops;
    return *this;
  }
  PoolStats& operator-=(const PoolStats& o) {
    fromPrivate -= o.fromPrivate;
    fromShared -= o.fromShared;
    fromSteal -= o.fromSteal;
    fromVictim -= o.fromVictim;
    fromNew -= o.fromNew;
    puts -= o.puts;
    drops -= o.drops;
    return *this;
  }
};

// One thread's counters on their own cache line.
// Writers: the thread owning the slot (bump: a relaxed load and a relaxed store, not an RMW, so the hot
// path has no locked instruction), or, for the shared overflow line, any thread (add: fetch_add).
// Readers: anyone (snapshot, relaxed loads: each counter is exact, they are not read at one instant).
//
// The private-slot fast path counts once per get+put pair, not twice: a put into the private slot bumps
// privateIn; an object leaving it other than by a get (thread exit, say) bumps privateOut; so
//   fromPrivate = privateIn - privateOut - (1 if the slot holds an object now).
// The caller of snapshot() says whether the slot is occupied (read before the counters, so a snapshot
// taken while the owner runs is at most one off, and clamped at 0; exact once the owner is idle).
struct alignas(kCacheLine) StatsLine {
  std::atomic<std::uint64_t> fromShared{0}, fromSteal{0}, fromVictim{0}, fromNew{0};
  std::atomic<std::uint64_t> puts{0};  // puts that did not go into the private slot (every put, for baselines)
  std::atomic<std::uint64_t> drops{0};
  std::atomic<std::uint64_t> privateIn{0}, privateOut{0};

  // Single-writer increment: relaxed suffices, nothing is published through a counter.
  [[gnu::always_inline]] static void bump(std::atomic<std::uint64_t>& c) noexcept {
    c.store(c.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  }
  // Multi-writer increment (the overflow line shared by threads that got no slot).
  [[gnu::always_inline]] static void add(std::atomic<std::uint64_t>& c) noexcept { c.fetch_add(1, std::memory_order_relaxed); }

  PoolStats snapshot(bool privateOccupied = false) const noexcept {
    PoolStats s;
    const std::uint64_t in = privateIn.load(std::memory_order_relaxed);
    const std::uint64_t out = privateOut.load(std::memory_order_relaxed) + (privateOccupied ? 1 : 0);
    s.fromPrivate = in > out ? in - out : 0;
    s.fromShared = fromShared.load(std::memory_order_relaxed);
    s.fromSteal = fromSteal.load(std::memory_order_relaxed);
    s.fromVictim = fromVictim.load(std::memory_order_relaxed);
    s.fromNew = fromNew.load(std::memory_order_relaxed);
    s.puts = puts.load(std::memory_order_relaxed) + in;
    s.drops = drops.load(std::memory_order_relaxed);
    return s;
  }
};
static_assert(sizeof(StatsLine) == kCacheLine && alignof(StatsLine) == kCacheLine);

}  // namespace poolscope
