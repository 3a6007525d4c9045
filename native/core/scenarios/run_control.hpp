#pragma once
// How a worker's timed loop is bounded: by an operation count, by a duration,
// and always by the run's stop flag (timeout, Ctrl-C, another worker failed).
// A worker thread stuck in native code cannot be terminated from JS, so every
// loop must come back here within a bounded time: runChunked() calls the
// scenario's loop in chunks and checks the flag and the clock between chunks.
// The same runner times the in-process fidelity check, so both paths pay the
// same (tiny) per-chunk cost.
#include <algorithm>
#include <atomic>
#include <cstdint>

#include "core/scenarios/start_barrier.hpp"

namespace poolscope {

// Set once by any thread (the harness's main thread), read by the loops.
// relaxed on both sides: it publishes no data, only "come back soon"; the
// loops read it every chunk, so they see it within one chunk.
class StopFlag {
 public:
  void request() noexcept { stop_.store(true, std::memory_order_relaxed); }
  bool requested() const noexcept { return stop_.load(std::memory_order_relaxed); }

 private:
  std::atomic<bool> stop_{false};
};

struct LoopBounds {
  // Operations to run; 0 = no count bound (then durationNs must be set).
  std::uint64_t ops = 0;
  // Wall time to run, ns; 0 = no time bound.
  std::uint64_t durationNs = 0;
};

struct ChunkedOutcome {
  std::uint64_t ops = 0;
  bool stopped = false;  // the stop flag cut the loop short
};

// Runs `loop(n)` (which performs n operations and returns how many it did)
// until the bounds are met or stop is requested. Chunks start at 256 ops and
// double while a chunk takes under ~1 ms: a slow scenario (µs per op) still
// checks the flag every millisecond or so, and a fast one pays its per-chunk
// cost (a few clock reads and statistics snapshots, ~0.5 µs) once per
// millisecond of work, i.e. well under 0.1%. A duration bound overshoots by
// at most one chunk.
// Stop: StopFlag, or anything else with a `bool requested() const` that is cheap to call.
template <typename Stop, typename Loop>
ChunkedOutcome runChunked(const LoopBounds& bounds, const Stop& stop, Loop&& loop) {
  constexpr std::uint64_t kMaxChunk = 1 << 24;
  constexpr std::uint64_t kChunkTargetNs = 1'000'000;
  ChunkedOutcome out;
  std::uint64_t chunk = 256;
  const std::uint64_t start = monotonicNs();
  for (;;) {
    if (stop.requested()) {
      out.stopped = true;
      return out;
    }
    std::uint64_t n = chunk;
    if (bounds.ops != 0) n = std::min(n, bounds.ops - out.ops);
    const std::uint64_t t0 = monotonicNs();
    out.ops += loop(n);
    const std::uint64_t t1 = monotonicNs();
    if (bounds.ops != 0 && out.ops >= bounds.ops) return out;
    if (bounds.durationNs != 0 && t1 - start >= bounds.durationNs) return out;
    if (chunk < kMaxChunk && t1 - t0 < kChunkTargetNs) chunk *= 2;
  }
}

}  // namespace poolscope
