// poolscope's own pool, measured by the peers run in the same process and
// run as the peers (so the peers table has its reference even where the
// harness's `bench` suite is not run): get-put and batch through the core's
// makePool/AnyPool::run, producer-consumer with the core's producer/consumer
// loops on two std::threads over one SyncPool, and gc-churn (clear() every M
// operations, the victim cache on).
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>

#include "addon/errors.hpp"
#include "addon/exports.hpp"
#include "core/layout.hpp"
#include "core/make_pool.hpp"
#include "core/publish.hpp"
#include "core/scenarios/producer_consumer.hpp"
#include "core/sync_pool.hpp"

namespace {

using poolscope::addon::throwRangeError;
using poolscope::addon::throwTypeError;

std::string stringField(const Napi::Object& o, const char* field) {
  Napi::Value v = o.Get(field);
  if (!v.IsString()) throwTypeError(o.Env(), field, "a string", v);
  return v.As<Napi::String>().Utf8Value();
}

std::uint64_t intField(const Napi::Object& o, const char* field, double min, double max) {
  return poolscope::addon::integerArg<std::uint64_t>(o.Get(field), field, min, max);
}

// Pools by "pool/layout/publish/objectSize", made on first use and kept warm
// across samples for the life of the process. Guarded by mu (JS calls come
// from one thread per isolate, but workers could call too).
std::mutex poolsMu;
std::map<std::string, std::shared_ptr<poolscope::AnyPool>>& pools() {
  static std::map<std::string, std::shared_ptr<poolscope::AnyPool>> m;
  return m;
}

std::shared_ptr<poolscope::AnyPool> poolFor(Napi::Env env, const std::string& pool, const std::string& layout,
                                            const std::string& publish, std::size_t objectSize) {
  const std::string key = pool + "/" + layout + "/" + publish + "/" + std::to_string(objectSize);
  std::lock_guard<std::mutex> lock(poolsMu);
  auto it = pools().find(key);
  if (it != pools().end()) return it->second;
  poolscope::PoolConfig config;
  config.objectSize = objectSize;
  try {
    auto p = poolscope::makePool(pool, layout, publish, config);
    pools().emplace(key, p);
    return p;
  } catch (const std::invalid_argument& e) {
    throw Napi::RangeError::New(env, e.what());
  } catch (const std::exception& e) {
    throw Napi::Error::New(env, e.what());
  }
}

// peersRunPool({ pool, layout, publish, scenario: 'get-put'|'batch', objectSize, ops, batch })
//   -> { ops, elapsedNs, fromNew }
Napi::Value runPool(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsObject()) throwTypeError(env, "options", "an object", info[0]);
  Napi::Object o = info[0].As<Napi::Object>();
  const std::string scenario = stringField(o, "scenario");
  auto parsed = poolscope::parseScenario(scenario);
  if (!parsed) throwRangeError(env, "scenario", std::string("one of ") + std::string(poolscope::kScenarioList), o.Get("scenario"));
  auto pool = poolFor(env, stringField(o, "pool"), stringField(o, "layout"), stringField(o, "publish"),
                      intField(o, "objectSize", 1, 1 << 24));
  poolscope::LoopSpec spec;
  spec.scenario = *parsed;
  spec.ops = intField(o, "ops", 1, 1e12);
  spec.batch = static_cast<std::uint32_t>(intField(o, "batch", 1, poolscope::kMaxBatch));
  poolscope::LoopResult r = pool->run(spec);
  Napi::Object out = Napi::Object::New(env);
  out.Set("ops", static_cast<double>(r.ops));
  out.Set("elapsedNs", static_cast<double>(r.elapsedNs));
  out.Set("fromNew", static_cast<double>(r.stats.fromNew));
  return out;
}

// One producer/consumer sample over `pool`: the producer gets and hands over
// `ops` objects, the consumer puts them back. Both threads start together
// (spin on `go`); the time is from the start signal to both threads joined.
template <class Pool>
Napi::Object producerConsumer(Napi::Env env, Pool& pool, std::uint64_t ops) {
  poolscope::core::PcChannel ch;
  poolscope::core::StopFlag stop;
  std::atomic<bool> go{false};  // release by the main thread, acquire by both workers: start together
  std::uint64_t produced = 0;
  const poolscope::PoolStats before = pool.stats();
  std::thread producer([&] {
    auto h = pool.pin();
    while (!go.load(std::memory_order_acquire)) poolscope::core::spinPause();
    produced = poolscope::core::producerLoop(h, ch, 0, ops, stop);
    ch.finish(produced);
  });
  std::thread consumer([&] {
    auto h = pool.pin();
    while (!go.load(std::memory_order_acquire)) poolscope::core::spinPause();
    poolscope::core::consumerLoop(h, ch, stop);
  });
  const auto t0 = std::chrono::steady_clock::now();
  go.store(true, std::memory_order_release);
  producer.join();
  consumer.join();
  const auto t1 = std::chrono::steady_clock::now();
  poolscope::PoolStats d = pool.stats();
  d -= before;
  Napi::Object out = Napi::Object::New(env);
  out.Set("ops", static_cast<double>(produced));
  out.Set("elapsedNs", std::chrono::duration<double, std::nano>(t1 - t0).count());
  out.Set("steals", static_cast<double>(d.fromSteal));
  out.Set("news", static_cast<double>(d.fromNew));
  out.Set("victims", static_cast<double>(d.fromVictim));
  out.Set("orderErrors", static_cast<double>(ch.orderErrors));
  out.Set("consumed", static_cast<double>(ch.consumed));
  return out;
}

// peersRunProducerConsumer({ objectSize, ops }) -> { ops, elapsedNs, steals, news, victims, orderErrors, consumed }
// over SyncPool<Pad128, Xadd> (the pool is per call: a pool's thread records
// belong to the threads that used it, and these threads end with the call).
Napi::Value runProducerConsumer(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsObject()) throwTypeError(env, "options", "an object", info[0]);
  Napi::Object o = info[0].As<Napi::Object>();
  poolscope::PoolConfig config;
  config.objectSize = intField(o, "objectSize", 8, 1 << 24);  // the stamp needs 8 bytes
  const std::uint64_t ops = intField(o, "ops", 1, 1e12);
  poolscope::SyncPool<poolscope::Pad128, poolscope::Xadd> pool(config);
  return producerConsumer(env, pool, ops);
}

// peersRunGcChurn({ objectSize, ops, clearEvery }) -> { ops, elapsedNs, clears, victimHits, news }
// over SyncPool<Pad128, Xadd> with its victim cache: get+put, and clear()
// (Go's GC) every clearEvery operations, as bench/peers/go's GcChurn does
// runtime.GC(). victimHits: clears after which the next get did not allocate.
Napi::Value runGcChurn(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsObject()) throwTypeError(env, "options", "an object", info[0]);
  Napi::Object o = info[0].As<Napi::Object>();
  poolscope::PoolConfig config;
  config.objectSize = intField(o, "objectSize", 1, 1 << 24);
  const std::uint64_t ops = intField(o, "ops", 1, 1e12);
  const std::uint64_t every = intField(o, "clearEvery", 1, 1e9);
  poolscope::SyncPool<poolscope::Pad128, poolscope::Xadd> pool(config);
  auto local = pool.pin();
  local.put(local.get());  // one object in circulation, as in the Go benchmark
  const poolscope::PoolStats before = local.stats();
  std::uint64_t clears = 0, victimHits = 0;
  const auto t0 = std::chrono::steady_clock::now();
  for (std::uint64_t i = 0; i < ops; ++i) {
    if (i % every == every - 1) {
      pool.clear();
      ++clears;
      const std::uint64_t news = local.stats().fromNew;
      void* p = local.get();
      if (local.stats().fromNew == news) ++victimHits;
      static_cast<volatile unsigned char*>(p)[0] = static_cast<unsigned char>(i);
      local.put(p);
      continue;
    }
    void* p = local.get();
    static_cast<volatile unsigned char*>(p)[0] = static_cast<unsigned char>(i);
    local.put(p);
  }
  const auto t1 = std::chrono::steady_clock::now();
  poolscope::PoolStats d = local.stats();
  d -= before;
  Napi::Object out = Napi::Object::New(env);
  out.Set("ops", static_cast<double>(ops));
  out.Set("elapsedNs", std::chrono::duration<double, std::nano>(t1 - t0).count());
  out.Set("clears", static_cast<double>(clears));
  out.Set("victimHits", static_cast<double>(victimHits));
  out.Set("news", static_cast<double>(d.fromNew));
  out.Set("victims", static_cast<double>(d.fromVictim));
  out.Set("privates", static_cast<double>(d.fromPrivate));
  out.Set("shared", static_cast<double>(d.fromShared));
  out.Set("steals", static_cast<double>(d.fromSteal));
  return out;
}

void registerReference(Napi::Env env, Napi::Object exports) {
  exports.Set("peersRunPool", Napi::Function::New(env, runPool, "peersRunPool"));
  exports.Set("peersRunProducerConsumer", Napi::Function::New(env, runProducerConsumer, "peersRunProducerConsumer"));
  exports.Set("peersRunGcChurn", Napi::Function::New(env, runGcChurn, "peersRunGcChurn"));
}

const poolscope::addon::ExportRegistrar registrar(registerReference);

}  // namespace
