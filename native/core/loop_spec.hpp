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
  // Harness scenarios (native/core/scenarios/harness_loops.hpp); they need LoopSpec::harness.
  ProducerConsumer,  // get on one thread, put on another through an SPSC ring: steals
  GcChurn,           // clear() every M operations: the victim cache
  FalseSharing,      // get-put per layout at N threads: shared cache lines
};

inline constexpr std::string_view kScenarioNames[] = {"get-put", "batch", "producer-consumer", "gc-churn",
                                                      "false-sharing"};
inline constexpr std::string_view kScenarioList = "'get-put', 'batch'";

inline std::string_view scenarioName(Scenario s) { return kScenarioNames[static_cast<std::uint32_t>(s)]; }

inline std::optional<Scenario> parseScenario(std::string_view name) {
  for (std::uint32_t i = 0; i < sizeof(kScenarioNames) / sizeof(kScenarioNames[0]); ++i) {
    if (kScenarioNames[i] == name) return static_cast<Scenario>(i);
  }
  return std::nullopt;
}

inline constexpr std::uint32_t kMaxBatch = 4096;

struct HarnessLoopExtras;  // harness scenarios' shared state (scenarios/harness_loops.hpp)

// Placement-randomized sampling (docs/benchmarks.md): every scenario loop exists in kCodeCopies copies
// whose loop heads sit kCodeCopyStep bytes apart mod 64 (scenarios/run_scenario.hpp); a sample picks one.
inline constexpr std::uint32_t kCodeCopies = 8;
inline constexpr std::uint32_t kCodeCopyStep = 8;

struct LoopSpec {
  Scenario scenario = Scenario::GetPut;
  std::uint64_t ops = 0;     // get+put pairs
  std::uint32_t batch = 32;  // objects held at once (Batch), 1..kMaxBatch
  std::uint32_t codeCopy = 0;  // which copy of the loop runs, 0..kCodeCopies-1 (higher bits ignored)
  const HarnessLoopExtras* harness = nullptr;  // set by the harness for its scenarios; owned by the caller
};

struct LoopResult {
  std::uint64_t elapsedNs = 0;  // steady_clock around the loop
  std::uint64_t tscCycles = 0;  // rdtscp around the loop (TSC ticks, not core cycles)
  std::uint64_t ops = 0;        // pairs completed (fewer than asked only if the allocator ran out)
  PoolStats stats;              // this thread's counters during the loop
};

}  // namespace poolscope
