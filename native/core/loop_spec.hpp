#pragma once
// What a native hot loop runs (LoopSpec) and what it reports (LoopResult). The scenario list is the
// project's one list: the addon exports kScenarioNames (poolscopeNames) and a test checks that
// lib/harness/scenarios.ts spells the same; add a scenario here and in scenarios/run_scenario.hpp.
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/pool_stats.hpp"

namespace poolscope {

enum class Scenario : std::uint32_t {
  GetPut,  // get then put, repeatedly: the private-slot hot path
  Batch,   // get `batch` objects, then put them all back: the shared deque
  // Run-group scenarios (native/core/scenarios/group_loops.hpp); they need LoopSpec::group.
  ProducerConsumer,  // get on one thread, put on another through an SPSC ring: steals
  GcChurn,           // clear() every M operations: the victim cache
  FalseSharing,      // get-put per layout at N threads: shared cache lines
  // Not a pool loop: allocate+free on the allocator itself (scenarios/alloc.hpp); AnyPool::run runs nothing.
  Alloc,
};

// In the enum's order.
inline constexpr std::string_view kScenarioNames[] = {"get-put",  "batch",         "producer-consumer",
                                                      "gc-churn", "false-sharing", "alloc"};

inline std::string_view scenarioName(Scenario s) { return kScenarioNames[static_cast<std::uint32_t>(s)]; }

inline std::optional<Scenario> parseScenario(std::string_view name) {
  for (std::uint32_t i = 0; i < sizeof(kScenarioNames) / sizeof(kScenarioNames[0]); ++i) {
    if (kScenarioNames[i] == name) return static_cast<Scenario>(i);
  }
  return std::nullopt;
}

inline constexpr std::uint32_t kMaxBatch = 4096;

struct GroupLoopState;  // a run-group worker's shared state, plain data (scenarios/group_loops.hpp)

// Placement-randomized sampling (docs/benchmarks.md): every scenario loop exists in kCodeCopies copies
// whose loop heads sit kCodeCopyStep bytes apart mod 64 (scenarios/run_scenario.hpp); a sample picks one.
inline constexpr std::uint32_t kCodeCopies = 8;
inline constexpr std::uint32_t kCodeCopyStep = 8;

struct LoopSpec {
  Scenario scenario = Scenario::GetPut;
  std::uint64_t ops = 0;     // get+put pairs
  std::uint32_t batch = 32;  // objects held at once (Batch), 1..kMaxBatch
  std::uint32_t codeCopy = 0;  // which copy of the loop runs, 0..kCodeCopies-1 (higher bits ignored)
  const GroupLoopState* group = nullptr;  // set by the group's driver for its scenarios; owned by the caller
};

struct LoopResult {
  std::uint64_t elapsedNs = 0;  // steady_clock around the loop
  std::uint64_t tscCycles = 0;  // rdtscp around the loop (TSC ticks, not core cycles)
  std::uint64_t ops = 0;        // pairs completed (fewer than asked only if the allocator ran out)
  PoolStats stats;              // this thread's counters during the loop
};

}  // namespace poolscope
