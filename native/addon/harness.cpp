// The harness's native side: run groups (barrier, stop flag, channels) and
// one worker's timed sample. lib/harness/worker.ts calls harnessRunSample on
// its own thread; everything between the start barrier and the end timestamp
// is native code (the scenario loop in chunks, see run_control.hpp), with the
// counters enabled just after the barrier and disabled just after the loop.
//
// Exports:
//   harnessGroupCreate(parties, channels) -> id
//   harnessGroupStop(id) -> boolean          stop flag + cancel the barrier
//   harnessGroupDestroy(id)
//   harnessGroupCount() -> number            groups alive (tests: nothing leaks)
//   harnessRunSample(job, counters?) -> result   blocks: barrier, timed loop
//   harnessRunInProcess(job) -> result       the fidelity reference: for get-put, batch and
//                                            false-sharing one AnyPool::run() call timed by the core
//                                            itself; alloc through the same runner; no barrier
//   harnessPoolCount() -> number             pools alive (tests: nothing leaks)
//   harnessPoolCreate(options) -> id         a benchmark's pool, placed (dataOffset); poolDestroy frees it
//   harnessCompiler() -> string              e.g. 'g++ 12.2.0'
//   harnessPinThread(n) -> cpu               pin the calling thread (-1: unpin)
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "addon/errors.hpp"
#include "addon/harness_affinity.hpp"
#include "addon/exports.hpp"
#include "addon/harness_groups.hpp"
#include "addon/harness_job.hpp"
#include "addon/prepared_scenario.hpp"
#include "addon/pool_registry.hpp"
#include "addon/pool_stats_object.hpp"
#include "core/make_pool.hpp"

namespace {

using namespace poolscope;
using addon::throwRangeError;
using addon::throwTypeError;

std::uint32_t groupIdArg(const Napi::Value& v, const char* field) {
  return addon::integerArg<std::uint32_t>(v, field, 1, 4294967295.0);
}

Napi::Value groupCreate(const Napi::CallbackInfo& info) {
  const auto parties = addon::integerArg<unsigned>(info[0], "parties", 1, 1024);
  const auto channels = addon::integerArg<std::size_t>(info[1], "channels", 0, 512);
  if (channels * 2 > parties) throwRangeError(info.Env(), "channels", "at most parties / 2", info[1]);
  return Napi::Number::New(info.Env(), addon::RunGroupRegistry::instance().create(parties, channels));
}

Napi::Value groupStop(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), addon::RunGroupRegistry::instance().stop(groupIdArg(info[0], "group")));
}

Napi::Value groupDestroy(const Napi::CallbackInfo& info) {
  addon::RunGroupRegistry::instance().destroy(groupIdArg(info[0], "group"));
  return info.Env().Undefined();
}

Napi::Value groupCount(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(addon::RunGroupRegistry::instance().size()));
}

Napi::Object toJs(Napi::Env env, const addon::WorkerOutcome& o) {
  Napi::Object r = Napi::Object::New(env);
  r.Set("ops", static_cast<double>(o.ops));
  r.Set("startOffsetNs", static_cast<double>(o.startNs - o.releaseNs));
  r.Set("endOffsetNs", static_cast<double>(o.endNs - o.releaseNs));
  r.Set("tscCycles", static_cast<double>(o.tscCycles));
  r.Set("stopped", o.stopped);
  r.Set("cancelled", o.cancelled);
  if (o.hasStats) r.Set("stats", addon::poolStatsObject(env, o.stats));
  if (o.role != addon::PcRole::None) {
    Napi::Object m = Napi::Object::New(env);
    m.Set("role", o.role == addon::PcRole::Producer ? "producer" : "consumer");
    m.Set("produced", static_cast<double>(o.produced));
    m.Set("consumed", static_cast<double>(o.consumed));
    m.Set("orderErrors", static_cast<double>(o.orderErrors));
    r.Set("handoff", m);
  }
  if (o.clears != 0) r.Set("clears", static_cast<double>(o.clears));
  if (o.pinnedCpu >= 0) r.Set("cpu", o.pinnedCpu);
  return r;
}

// harnessRunSample(job, counters?): everything that can fail is checked
// before the barrier, so a party that arrives always runs to the end.
Napi::Value runSample(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  addon::Job job = addon::parseJob(info[0], /*needGroup=*/true);
  auto group = addon::RunGroupRegistry::instance().find(job.group);
  if (!group) throwRangeError(env, "job.group", "the id of a live run group", info[0].As<Napi::Object>().Get("group"));
  addon::CounterHook counters = addon::counterHookFrom(info[1]);
  auto prepared = addon::prepareScenario(env, job, group.get());
  int pinned = -1;
  if (job.cpu >= 0) {
    pinned = addon::pinCallingThreadToNthCpu(job.cpu);
  } else {
    addon::unpinCallingThread();
  }
  addon::WorkerOutcome out = prepared->run(job, group.get(), counters);
  out.pinnedCpu = pinned;
  return toJs(env, out);
}

// harnessRunInProcess(job): the reference the harness's fidelity is judged
// against. For the pool loops it is the core's own timing of one
// AnyPool::run() call on the calling thread (no chunks, no barrier, no
// worker); alloc has no such call and goes through the same runner.
Napi::Value runInProcess(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  addon::Job job = addon::parseJob(info[0], /*needGroup=*/false);
  if (job.scenario == Scenario::GetPut || job.scenario == Scenario::Batch || job.scenario == Scenario::FalseSharing) {
    if (job.bounds.ops == 0) throwRangeError(env, "job.ops", "positive for the in-process reference", info[0]);
    auto pool = addon::lookupPool(static_cast<std::uint32_t>(job.poolId));
    if (!pool) throwRangeError(env, "job.poolId", "the id of a live pool", info[0]);
    LoopSpec spec;
    spec.scenario = job.scenario;
    spec.ops = job.bounds.ops;
    spec.batch = static_cast<std::uint32_t>(job.batch);
    spec.codeCopy = job.codeCopy;
    LoopResult r;
    addon::withStackOffset(job.stackOffset, [&] { r = pool->run(spec); });
    addon::WorkerOutcome out;
    out.ops = r.ops;
    out.releaseNs = out.startNs = 0;
    out.endNs = r.elapsedNs;
    out.tscCycles = r.tscCycles;
    out.hasStats = true;
    out.stats = r.stats;
    return toJs(env, out);
  }
  addon::CounterHook none;
  auto prepared = addon::prepareScenario(env, job, nullptr);
  addon::WorkerOutcome out = prepared->run(job, nullptr, none);
  return toJs(env, out);
}

// harnessPoolCreate({ pool, layout, publish, objectSize, victim, dataOffset }) -> id: a benchmark's pool,
// registered like NativePool's (destroy it with poolDestroy). dataOffset (a multiple of 64 below 4096)
// puts a SyncPool's per-thread records that far into a page (PoolConfig::recordPageOffset); absent, they
// sit where the allocator puts them. The harness makes one per sample when placement is randomized.
Napi::Value poolCreateForHarness(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsObject()) throwTypeError(env, "options", "an object", info[0]);
  const Napi::Object o = info[0].As<Napi::Object>();
  auto str = [&](const char* key) {
    const Napi::Value v = o.Get(key);
    if (!v.IsString()) throwTypeError(env, std::string("options.") + key, "a string", v);
    return v.As<Napi::String>().Utf8Value();
  };
  const std::string pool = str("pool"), layout = str("layout"), publish = str("publish");
  PoolConfig c;
  c.objectSize = addon::integerArg<std::size_t>(o.Get("objectSize"), "options.objectSize", 8, 1 << 20);
  const Napi::Value victim = o.Get("victim");
  if (!victim.IsBoolean()) throwTypeError(env, "options.victim", "true or false", victim);
  c.victim = victim.As<Napi::Boolean>().Value();
  const Napi::Value dataOffset = o.Get("dataOffset");
  if (!dataOffset.IsUndefined()) {
    c.recordPageOffset = addon::integerArg<int>(dataOffset, "options.dataOffset", 0, 4032);
    if (c.recordPageOffset % 64 != 0) throwRangeError(env, "options.dataOffset", "a multiple of 64 from 0 to 4032", dataOffset);
  }
  try {
    return Napi::Number::New(env, addon::registerPool(makePool(pool, layout, publish, c)));
  } catch (const std::invalid_argument& e) {
    throw Napi::RangeError::New(env, e.what());  // names the field and the accepted values
  } catch (const std::runtime_error& e) {
    // An allocator peer that is not loaded: its reason says why (as poolCreate reports it).
    addon::throwWithCode(env, "ERR_PEER_UNAVAILABLE", e.what());
  }
}

// harnessPoolCount() -> live pools in the addon's one registry (pool_registry.hpp). The harness makes
// its pools with NativePool (poolCreate in pool_binding.cpp); tests check that runs leave none behind.
Napi::Value poolCount(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(addon::livePoolCount()));
}

// harnessPinThread(n): pins the calling thread to the n-th CPU of the
// process's mask (returns the CPU, or -1 when that failed); n = -1 gives the
// thread the whole mask back. The fidelity check puts the main thread and
// its worker on the same CPU, so the comparison is not between two vCPUs.
Napi::Value pinThread(const Napi::CallbackInfo& info) {
  const int n = addon::integerArg<int>(info[0], "cpu", -1, 1023);
  if (n < 0) {
    addon::unpinCallingThread();
    return Napi::Number::New(info.Env(), -1);
  }
  return Napi::Number::New(info.Env(), addon::pinCallingThreadToNthCpu(n));
}

// The compiler the addon was built with, e.g. "g++ 12.2.0", for the results document.
Napi::Value compiler(const Napi::CallbackInfo& info) {
#if defined(__clang__)
  return Napi::String::New(info.Env(), std::string("clang++ ") + __clang_version__);
#elif defined(__GNUC__)
  return Napi::String::New(info.Env(), std::string("g++ ") + __VERSION__);
#else
  return Napi::String::New(info.Env(), "unknown");
#endif
}

void registerHarness(Napi::Env env, Napi::Object exports) {
  addon::processCpuMask();  // captured now, before any thread is pinned
  exports.Set("harnessCompiler", Napi::Function::New(env, compiler, "harnessCompiler"));
  exports.Set("harnessPinThread", Napi::Function::New(env, pinThread, "harnessPinThread"));
  exports.Set("harnessGroupCreate", Napi::Function::New(env, groupCreate, "harnessGroupCreate"));
  exports.Set("harnessGroupStop", Napi::Function::New(env, groupStop, "harnessGroupStop"));
  exports.Set("harnessGroupDestroy", Napi::Function::New(env, groupDestroy, "harnessGroupDestroy"));
  exports.Set("harnessGroupCount", Napi::Function::New(env, groupCount, "harnessGroupCount"));
  exports.Set("harnessRunSample", Napi::Function::New(env, runSample, "harnessRunSample"));
  exports.Set("harnessRunInProcess", Napi::Function::New(env, runInProcess, "harnessRunInProcess"));
  exports.Set("harnessPoolCount", Napi::Function::New(env, poolCount, "harnessPoolCount"));
  exports.Set("harnessPoolCreate", Napi::Function::New(env, poolCreateForHarness, "harnessPoolCreate"));
}

const addon::ExportRegistrar registrar(registerHarness);

}  // namespace
