#pragma once
// Multiplexing arithmetic, as `perf stat` does it: when the kernel had to
// time-share a counter between groups, a count covers only `running` of the
// `enabled` nanoseconds, and the estimate for the whole interval is
// raw × enabled / running. runningPct says how much of it was really counted.
#include <cstdint>

namespace poolscope::counters {

struct Scaled {
  double scaled;      // raw × enabled / running; equals raw when running == enabled; 0 when it never ran
  double runningPct;  // 100 × running / enabled; 100 when the interval was empty (nothing to scale)
};

inline Scaled scaleCount(std::uint64_t raw, std::uint64_t enabledNs, std::uint64_t runningNs) noexcept {
  if (enabledNs == 0) return {static_cast<double>(raw), 100.0};
  if (runningNs == 0) return {0.0, 0.0};
  if (runningNs >= enabledNs) return {static_cast<double>(raw), 100.0};
  const double ratio = static_cast<double>(enabledNs) / static_cast<double>(runningNs);
  return {static_cast<double>(raw) * ratio, 100.0 * static_cast<double>(runningNs) / static_cast<double>(enabledNs)};
}

}  // namespace poolscope::counters
