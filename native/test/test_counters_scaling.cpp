// perf stat's multiplexing arithmetic: scaled = raw × enabled / running.
#include <cmath>

#include "counters/scaling.hpp"
#include "test/check.hpp"

using poolscope::counters::scaleCount;

static bool near(double a, double b) { return std::fabs(a - b) <= 1e-9 * std::fmax(1.0, std::fabs(b)); }

int main() {
  // ran the whole time: no scaling
  auto full = scaleCount(1000, 5000, 5000);
  CHECK(near(full.scaled, 1000) && near(full.runningPct, 100));
  // ran a quarter of the time: 4× the raw count, 25%
  auto quarter = scaleCount(1000, 4000, 1000);
  CHECK(near(quarter.scaled, 4000) && near(quarter.runningPct, 25));
  auto third = scaleCount(10, 3, 1);
  CHECK(near(third.scaled, 30) && near(third.runningPct, 100.0 / 3));
  // never ran: nothing to scale, 0% (the reading is then not-counted)
  auto never = scaleCount(0, 4000, 0);
  CHECK(near(never.scaled, 0) && near(never.runningPct, 0));
  // empty interval: raw as is
  auto empty = scaleCount(0, 0, 0);
  CHECK(near(empty.scaled, 0) && near(empty.runningPct, 100));
  // running > enabled (clock granularity): clamp, never scale down
  auto over = scaleCount(7, 100, 101);
  CHECK(near(over.scaled, 7) && near(over.runningPct, 100));
  // large counts stay exact enough: 2^40 × 3 / 2
  auto big = scaleCount(1ull << 40, 3, 2);
  CHECK(near(big.scaled, 1.5 * static_cast<double>(1ull << 40)));
  return 0;
}
