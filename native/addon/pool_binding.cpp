// The pool part of the addon: create/inspect/clear/destroy pools by id (pool_registry.hpp), run a native
// get-put or batch loop on the calling thread, and get/put single blocks (for tests and demos: one N-API
// call per block is ~20 ns, so real users run loops natively). lib/pool.ts is the typed wrapper.
#include <atomic>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "addon/errors.hpp"
#include "addon/exports.hpp"
#include "addon/pool_registry.hpp"
#include "addon/pool_stats_object.hpp"
#include "core/make_pool.hpp"
#include "core/scenarios/run_control.hpp"

namespace poolscope::addon {
namespace {

template <std::size_t N>
std::string stringOption(Napi::Env env, const Napi::Object& o, const char* key, const char* fallback,
                         const std::string_view (&accepted)[N]) {
  const Napi::Value v = o.Get(key);
  if (v.IsUndefined()) return fallback;
  if (!v.IsString()) throwTypeError(env, key, "one of " + quotedList(accepted), v);
  return v.As<Napi::String>().Utf8Value();
}

template <std::size_t N>
Napi::Array namesArray(Napi::Env env, const std::string_view (&names)[N]) {
  Napi::Array a = Napi::Array::New(env, N);
  for (std::size_t i = 0; i < N; ++i) a.Set(static_cast<std::uint32_t>(i), std::string(names[i]));
  return a;
}

// poolscopeNames() -> { pools, layouts, publishes, scenarios }: the core's lists (make_pool.hpp,
// loop_spec.hpp), for the test that lib/pool.ts and lib/harness/scenarios.ts spell them the same.
Napi::Value poolscopeNames(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object o = Napi::Object::New(env);
  o.Set("pools", namesArray(env, kPoolKinds));
  o.Set("layouts", namesArray(env, kLayoutNames));
  o.Set("publishes", namesArray(env, kPublishNames));
  o.Set("scenarios", namesArray(env, kScenarioNames));
  return o;
}

// An optional integer option: `fallback` when absent, else integerArg's checks.
template <typename T>
T integerOption(const Napi::Object& o, const char* key, T fallback, double min, double max) {
  const Napi::Value v = o.Get(key);
  return v.IsUndefined() ? fallback : integerArg<T>(v, key, min, max);
}

// poolCreate({ pool, layout?, publish?, objectSize, alignment?, victim?, maxThreads? }) -> id
Napi::Value poolCreate(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsObject() || info[0].IsArray() || info[0].IsFunction()) {
    throwTypeError(env, "options", "an object", info[0]);
  }
  const Napi::Object o = info[0].As<Napi::Object>();
  const std::string pool = stringOption(env, o, "pool", "sync", kPoolKinds);
  const std::string layout = stringOption(env, o, "layout", "pad128", kLayoutNames);
  const std::string publish = stringOption(env, o, "publish", "xadd", kPublishNames);
  PoolConfig c;
  c.objectSize = integerArg<std::size_t>(o.Get("objectSize"), "objectSize", 1, 1 << 20);
  const Napi::Value align = o.Get("alignment");
  c.alignment = integerOption<std::size_t>(o, "alignment", 16, 16, 4096);
  if ((c.alignment & (c.alignment - 1)) != 0) {
    throwRangeError(env, "alignment", "one of 16, 32, 64, 128, 256, 512, 1024, 2048, 4096", align);
  }
  const Napi::Value victim = o.Get("victim");
  if (!victim.IsUndefined()) {
    if (!victim.IsBoolean()) throwTypeError(env, "victim", "true or false", victim);
    c.victim = victim.As<Napi::Boolean>().Value();
  }
  c.maxThreads = integerOption<std::size_t>(o, "maxThreads", 64, 1, 4096);
  try {
    return Napi::Number::New(env, registerPool(makePool(pool, layout, publish, c)));
  } catch (const std::invalid_argument& e) {
    // makePool's messages already name the field and the accepted values.
    throw Napi::RangeError::New(env, e.what());
  } catch (const std::bad_alloc&) {
    throwErrno(env, "creating the pool", ENOMEM);
  } catch (const std::runtime_error& e) {
    // An allocator peer that is not loaded (native/core/peer_allocator.hpp, peers work): its reason says
    // "not installed" (with the Debian package) or why it cannot load.
    throwWithCode(env, "ERR_PEER_UNAVAILABLE", e.what());
  }
}

Napi::Value poolInfo(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const std::uint32_t id = poolIdArg(info, 0);
  auto pool = findPool(env, id);
  Napi::Object o = Napi::Object::New(env);
  o.Set("id", Napi::Number::New(env, id));
  o.Set("pool", Napi::String::New(env, std::string(pool->kind())));
  o.Set("layout", Napi::String::New(env, std::string(pool->layout())));
  o.Set("publish", Napi::String::New(env, std::string(pool->publish())));
  o.Set("objectSize", Napi::Number::New(env, static_cast<double>(pool->objectSize())));
  o.Set("name", Napi::String::New(env, pool->name()));
  return o;
}

Napi::Value poolStats(const Napi::CallbackInfo& info) {
  return poolStatsObject(info.Env(), findPool(info.Env(), poolIdArg(info, 0))->stats());
}

Napi::Value poolClear(const Napi::CallbackInfo& info) {
  findPool(info.Env(), poolIdArg(info, 0))->clear();
  return info.Env().Undefined();
}

// poolStopLoops(id): every poolRunLoop running on this pool (any thread) returns at its next chunk with
// stopped: true; loops started afterwards run normally.
Napi::Value poolStopLoops(const Napi::CallbackInfo& info) {
  auto entry = findPoolEntry(info.Env(), poolIdArg(info, 0));
  entry->stopGeneration.fetch_add(1, std::memory_order_relaxed);  // relaxed: see PoolEntry::stopGeneration
  return info.Env().Undefined();
}

Napi::Value poolDestroy(const Napi::CallbackInfo& info) {
  destroyPool(info.Env(), poolIdArg(info, 0));
  return info.Env().Undefined();
}

// poolRunLoop(id, { scenario, ops, batch? }) -> { elapsedNs, tscCycles, ops, stats, stopped }
// Runs on the calling thread, which it blocks; the pool stays alive for the loop's duration even if
// another thread destroys its id.
Napi::Value poolRunLoop(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const std::uint32_t id = poolIdArg(info, 0);
  if (!info[1].IsObject() || info[1].IsArray() || info[1].IsFunction()) {
    throwTypeError(env, "options", "an object", info[1]);
  }
  const Napi::Object o = info[1].As<Napi::Object>();
  const Napi::Value sv = o.Get("scenario");
  const char* accepted = "one of 'get-put', 'batch'";
  if (!sv.IsString()) throwTypeError(env, "scenario", accepted, sv);
  const std::string name = sv.As<Napi::String>().Utf8Value();
  LoopSpec spec;
  if (name == "get-put") {
    spec.scenario = Scenario::GetPut;
  } else if (name == "batch") {
    spec.scenario = Scenario::Batch;
  } else {
    throwRangeError(env, "scenario", accepted, sv);
  }
  spec.ops = integerArg<std::uint64_t>(o.Get("ops"), "ops", 0, 9007199254740991.0);
  spec.batch = integerOption<std::uint32_t>(o, "batch", 32, 1, kMaxBatch);
  auto entry = findPoolEntry(env, id);
  // In chunks (runChunked), so poolStopLoops on any thread stops the loop within about a millisecond.
  // A chunk that did fewer than asked (a bounded allocator ran out) ends the loop too, as one call would.
  struct LoopStop {
    const std::atomic<std::uint64_t>* generation;
    std::uint64_t start;
    bool exhausted = false;
    // Relaxed: see PoolEntry::stopGeneration.
    bool requested() const noexcept { return exhausted || generation->load(std::memory_order_relaxed) != start; }
  };
  LoopStop stop{&entry->stopGeneration, entry->stopGeneration.load(std::memory_order_relaxed)};
  LoopResult r;
  ChunkedOutcome c;
  if (spec.ops != 0) {
    LoopBounds bounds;
    bounds.ops = spec.ops;
    c = runChunked(bounds, stop, [&](std::uint64_t n) {
      spec.ops = n;
      const LoopResult chunk = entry->pool->run(spec);
      r.elapsedNs += chunk.elapsedNs;
      r.tscCycles += chunk.tscCycles;
      r.stats += chunk.stats;
      if (chunk.ops < n) stop.exhausted = true;
      return chunk.ops;
    });
  }
  r.ops = c.ops;
  Napi::Object out = Napi::Object::New(env);
  out.Set("elapsedNs", Napi::Number::New(env, static_cast<double>(r.elapsedNs)));
  out.Set("tscCycles", Napi::Number::New(env, static_cast<double>(r.tscCycles)));
  out.Set("ops", Napi::Number::New(env, static_cast<double>(r.ops)));
  out.Set("stopped", Napi::Boolean::New(env, c.stopped && !stop.exhausted));
  out.Set("stats", poolStatsObject(env, r.stats));
  return out;
}

// poolGet(id) -> bigint (the block's address, an opaque handle); null if the allocator is exhausted.
Napi::Value poolGet(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto entry = findPoolEntry(env, poolIdArg(info, 0));
  void* p = entry->pool->get();
  if (p == nullptr) return env.Null();
  {
    std::lock_guard<std::mutex> lock(entry->mu);
    entry->heldByJs.insert(reinterpret_cast<std::uintptr_t>(p));
  }
  return Napi::BigInt::New(env, static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(p)));
}

// poolPut(id, handle): handle must come from poolGet on this pool and not have been put since.
Napi::Value poolPut(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto entry = findPoolEntry(env, poolIdArg(info, 0));
  const Napi::Value v = info[1];
  const char* accepted = "a block handle (bigint) got from this pool and not yet put back";
  if (!v.IsBigInt()) throwTypeError(env, "block", accepted, v);
  bool lossless = false;
  const std::uint64_t raw = v.As<Napi::BigInt>().Uint64Value(&lossless);
  std::uintptr_t addr = static_cast<std::uintptr_t>(raw);
  {
    std::lock_guard<std::mutex> lock(entry->mu);
    if (!lossless || entry->heldByJs.erase(addr) == 0) {
      throw Napi::RangeError::New(env, std::string("block must be ") + accepted + " (received " + v.ToString().Utf8Value() + "n)");
    }
  }
  entry->pool->put(reinterpret_cast<void*>(addr));
  return env.Undefined();
}

void registerPoolExports(Napi::Env env, Napi::Object exports) {
  exports.Set("poolscopeNames", Napi::Function::New(env, poolscopeNames, "poolscopeNames"));
  exports.Set("poolCreate", Napi::Function::New(env, poolCreate, "poolCreate"));
  exports.Set("poolInfo", Napi::Function::New(env, poolInfo, "poolInfo"));
  exports.Set("poolStats", Napi::Function::New(env, poolStats, "poolStats"));
  exports.Set("poolClear", Napi::Function::New(env, poolClear, "poolClear"));
  exports.Set("poolDestroy", Napi::Function::New(env, poolDestroy, "poolDestroy"));
  exports.Set("poolRunLoop", Napi::Function::New(env, poolRunLoop, "poolRunLoop"));
  exports.Set("poolStopLoops", Napi::Function::New(env, poolStopLoops, "poolStopLoops"));
  exports.Set("poolGet", Napi::Function::New(env, poolGet, "poolGet"));
  exports.Set("poolPut", Napi::Function::New(env, poolPut, "poolPut"));
}

const ExportRegistrar registrar(registerPoolExports);

}  // namespace
}  // namespace poolscope::addon
