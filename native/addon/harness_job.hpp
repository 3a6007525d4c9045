#pragma once
// One worker's job for one sample, as lib/harness/worker.ts passes it
// (validated here too: the addon never trusts its caller), and what the
// worker reports back.
#include <napi.h>

#include <cstdint>
#include <string>

#include "addon/counters_binding.hpp"
#include "addon/errors.hpp"
#include "core/loop_spec.hpp"
#include "core/name_list.hpp"
#include "core/pool_stats.hpp"
#include "core/scenarios/run_control.hpp"

namespace poolscope::addon {

struct Job {
  std::uint32_t group = 0;   // run group id; 0 for the in-process reference
  std::uint32_t worker = 0;  // index within the group: producer-consumer pairs are (2i, 2i+1)
  Scenario scenario = Scenario::GetPut;
  std::string pool;         // 'sync', 'malloc', ... (alloc: the allocator)
  double poolId = 0;        // the core's pool id, for the pool scenarios
  LoopBounds bounds;  // per worker
  std::size_t objectSize = 64;
  std::size_t batch = 1;          // K objects held
  std::uint64_t clearEvery = 0;   // gc-churn: M
  bool victim = true;             // gc-churn
  int cpu = -1;                   // pin the worker to the cpu-th CPU the process may use; -1 = no pinning
  // Placement of this sample (placement-randomized sampling, docs/benchmarks.md):
  std::size_t stackOffset = 0;  // bytes the loop's stack frame moves down, multiple of 16, < 4096
  std::size_t dataOffset = 0;   // bytes of heap taken on this thread before the sample (the rings follow), multiple of 64
  std::uint32_t codeCopy = 0;   // which code copy of the loop runs, 0..7
};

enum class PcRole { None, Producer, Consumer };

struct WorkerOutcome {
  std::uint64_t ops = 0;
  std::uint64_t releaseNs = 0;  // the common start (barrier release); own start for in-process
  std::uint64_t startNs = 0;    // own timed region, monotonic ns
  std::uint64_t endNs = 0;
  std::uint64_t tscCycles = 0;
  bool stopped = false;    // the stop flag cut the loop short
  bool cancelled = false;  // the barrier was cancelled: nothing ran
  bool hasStats = false;
  PoolStats stats;  // where this worker's gets were served during the sample, and its puts (deltas)
  PcRole role = PcRole::None;
  std::uint64_t produced = 0, consumed = 0, orderErrors = 0;
  std::uint64_t clears = 0;
  int pinnedCpu = -1;  // the CPU the worker was pinned to, -1 when not pinned
};

inline Scenario scenarioField(const Napi::Value& v) {
  const std::string accepted = "one of " + quotedList(kScenarioNames);
  if (!v.IsString()) throwTypeError(v.Env(), "job.scenario", accepted, v);
  const auto s = parseScenario(v.As<Napi::String>().Utf8Value());
  if (!s) throwRangeError(v.Env(), "job.scenario", accepted, v);
  return *s;
}

inline Job parseJob(const Napi::Value& v, bool needGroup) {
  Napi::Env env = v.Env();
  if (!v.IsObject()) throwTypeError(env, "job", "an object", v);
  Napi::Object o = v.As<Napi::Object>();
  Job job;
  if (needGroup) {
    job.group = integerArg<std::uint32_t>(o.Get("group"), "job.group", 1, 4294967295.0);
    job.worker = integerArg<std::uint32_t>(o.Get("worker"), "job.worker", 0, 1023);
  }
  job.scenario = scenarioField(o.Get("scenario"));
  Napi::Value pool = o.Get("pool");
  if (!pool.IsString()) throwTypeError(env, "job.pool", "a string", pool);
  job.pool = pool.As<Napi::String>().Utf8Value();
  Napi::Value poolId = o.Get("poolId");
  if (!poolId.IsUndefined()) job.poolId = integerArg(poolId, "job.poolId", 0, 9007199254740991.0);
  job.bounds.ops = integerArg<std::uint64_t>(o.Get("ops"), "job.ops", 0, 1e15);
  job.bounds.durationNs = integerArg<std::uint64_t>(o.Get("durationNs"), "job.durationNs", 0, 3.6e12);
  if (job.bounds.ops == 0 && job.bounds.durationNs == 0) {
    throwRangeError(env, "job.ops", "positive when job.durationNs is 0 (a loop needs a bound)", o.Get("ops"));
  }
  job.objectSize = integerArg<std::size_t>(o.Get("objectSize"), "job.objectSize", 8, 1 << 20);
  job.batch = integerArg<std::size_t>(o.Get("batch"), "job.batch", 1, 4096);
  job.clearEvery = integerArg<std::uint64_t>(o.Get("clearEvery"), "job.clearEvery", 1, 1e15);
  Napi::Value victim = o.Get("victim");
  if (!victim.IsBoolean()) throwTypeError(env, "job.victim", "true or false", victim);
  job.victim = victim.As<Napi::Boolean>().Value();
  Napi::Value cpu = o.Get("cpu");
  if (!cpu.IsUndefined()) job.cpu = integerArg<int>(cpu, "job.cpu", -1, 1023);
  const Napi::Value stackOffset = o.Get("stackOffset");
  if (!stackOffset.IsUndefined()) {
    job.stackOffset = integerArg<std::size_t>(stackOffset, "job.stackOffset", 0, 4080);
    if (job.stackOffset % 16 != 0) throwRangeError(env, "job.stackOffset", "a multiple of 16 from 0 to 4080", stackOffset);
  }
  const Napi::Value dataOffset = o.Get("dataOffset");
  if (!dataOffset.IsUndefined()) {
    job.dataOffset = integerArg<std::size_t>(dataOffset, "job.dataOffset", 0, 4032);
    if (job.dataOffset % 64 != 0) throwRangeError(env, "job.dataOffset", "a multiple of 64 from 0 to 4032", dataOffset);
  }
  const Napi::Value codeCopy = o.Get("codeCopy");
  if (!codeCopy.IsUndefined()) {
    job.codeCopy = integerArg<std::uint32_t>(codeCopy, "job.codeCopy", 0, kCodeCopies - 1);
  }
  return job;
}

// The counters of the calling thread (lib/counters `Counters.nativeHandle`),
// enabled just after the start barrier and disabled just after the loop; no
// set (no-op) when the worker measures no events. The set belongs to this
// thread: the worker that opened it is the one calling harnessRunSample.
struct CounterHook {
  counters::CounterSet* set = nullptr;
  void enable() noexcept {
    if (set != nullptr) set->enable();
  }
  void disable() noexcept {
    if (set != nullptr) set->disable();
  }
};

inline CounterHook counterHookFrom(const Napi::Value& v) { return {counterSetFromHandle(v, "counters")}; }

}  // namespace poolscope::addon
