#pragma once
// What a native hot loop runs (LoopSpec) and what it reports (LoopResult). Scenario names are the ones
// the JS API and the benchmark use; add a scenario here and in scenarios/run_scenario.hpp.
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/pool_stats.hpp"

namespace poolscope {

enum class Scenario : std::uint32_t {
  GetPut,  // get then put, repeatedly: the private-slot hot path
  Batch,   // get `batch` objects, then put them all back: the shared deque
};

inline constexpr std::string_view kScenarioNames[] = {"get-put", "batch"};
inline constexpr std::string_view kScenarioList = "'get-put', 'batch'";

inline std::string_view scenarioName(Scenario s) { return kScenarioNames[static_cast<std::uint32_t>(s)]; }

inline std::optional<Scenario> parseScenario(std::string_view name) {
  for (std::uint32_t i = 0; i < sizeof(kScenarioNames) / sizeof(kScenarioNames[0]); ++i) {
    if (kScenarioNames[i] == name) return static_cast<Scenario>(i);
  }
  return std::nullopt;
}

inline constexpr std::uint32_t kMaxBatch = 4096;

struct LoopSpec {
  Scenario scenario = Scenario::GetPut;
  std::uint64_t ops = 0;     // get+put pairs
  std::uint32_t batch = 32;  // objects held at once (Batch), 1..kMaxBatch
};

struct LoopResult {
  std::uint64_t elapsedNs = 0;  // steady_clock around the loop
  std::uint64_t tscCycles = 0;  // rdtscp around the loop (TSC ticks, not core cycles)
  std::uint64_t ops = 0;        // pairs completed (fewer than asked only if the allocator ran out)
  PoolStats stats;              // this thread's counters during the loop
};

}  // namespace poolscope
