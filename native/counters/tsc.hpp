#pragma once
// The time-stamp counter: always available (no perf_event_open needed), so
// poolscope reports it as the pseudo-event `tsc` next to the real counters.
// On x86-64 `rdtscp` waits until earlier instructions have executed (not
// until later ones have not started), which is what bracketing a region
// needs; the TSC ticks at a constant rate (invariant TSC) independent of the
// core clock, so TSC "cycles" are time, not core cycles. Elsewhere the
// fallback is CLOCK_MONOTONIC_RAW in nanoseconds (readTscHz() then says 1e9).
#include <chrono>
#include <cstdint>
#include <ctime>

#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>
#endif

namespace poolscope::counters {

inline std::uint64_t readTsc() noexcept {
#if defined(__x86_64__) || defined(__i386__)
  unsigned int aux;  // IA32_TSC_AUX (the cpu number); unused
  return __rdtscp(&aux);
#else
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
  return static_cast<std::uint64_t>(ts.tv_sec) * 1000000000ull + static_cast<std::uint64_t>(ts.tv_nsec);
#endif
}

// TSC ticks per second, measured against CLOCK_MONOTONIC over `spanNs`
// (default 20 ms: the two clock reads at each end cost ~50 ns, so the error
// from them is ~5 ppm; preemption inside the span cancels out since both
// clocks keep running). Call once and keep the result.
inline double calibrateTscHz(std::int64_t spanNs = 20'000'000) {
#if defined(__x86_64__) || defined(__i386__)
  using clock = std::chrono::steady_clock;
  const auto t0 = clock::now();
  const std::uint64_t c0 = readTsc();
  auto t1 = clock::now();
  while (std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count() < spanNs) t1 = clock::now();
  const std::uint64_t c1 = readTsc();
  const double ns = static_cast<double>(std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count());
  return static_cast<double>(c1 - c0) * 1e9 / ns;
#else
  (void)spanNs;
  return 1e9;
#endif
}

}  // namespace poolscope::counters
