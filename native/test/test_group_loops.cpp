// The run-group scenarios on real pools, through AnyPool::run (the path the
// addon takes): producer-consumer moves every object exactly once and in
// order for every pool kind and layout, with the consumer's puts feeding the
// producer's steals; gc-churn's clears show up as victim hits with the
// victim cache and as allocations without it; false-sharing is a pure
// private-slot loop. Under TSan (scripts/test-native.sh --tsan) this also
// checks the SPSC ring and start barrier against the pool's own protocol.
#include <cstdint>
#include <memory>
#include <string>
#include <thread>

#include "core/any_pool.hpp"
#include "core/make_pool.hpp"
#include "core/scenarios/group_loops.hpp"
#include "core/scenarios/run_control.hpp"
#include "core/scenarios/run_group.hpp"
#include "test/check.hpp"

using namespace poolscope;

#if defined(POOLSCOPE_TSAN)
constexpr std::uint64_t kObjects = 20'000;
#else
constexpr std::uint64_t kObjects = 300'000;
#endif

// One producer/consumer pair through a run group, chunked like the addon does.
static void handoff(const char* kind, const char* layout, const char* publish) {
  PoolConfig config;
  auto pool = makePool(kind, layout, publish, config);
  RunGroup group(2, 1);
  PcChannel& ch = *group.channels[0];
  PoolStats producerStats, consumerStats;
  std::uint64_t produced = 0;
  // One side of the pair, as the addon fills it for each worker.
  auto sideOf = [&](bool isProducer) {
    GroupLoopState x;
    x.stop = &group.stopFlag;
    x.channel = &ch;
    x.producer = isProducer;
    return x;
  };
  auto pcSpec = [](const GroupLoopState& x) {
    LoopSpec spec;
    spec.scenario = Scenario::ProducerConsumer;
    spec.group = &x;
    return spec;
  };

  std::thread producer([&] {
    CHECK(group.barrier.arriveAndWait() == StartBarrier::Outcome::Started);
    GroupLoopState x = sideOf(true);
    LoopSpec spec = pcSpec(x);
    runChunked(LoopBounds{kObjects, 0}, group.stopFlag, [&](std::uint64_t n) {
      x.firstSeq = produced;
      spec.ops = n;
      const LoopResult r = pool->run(spec);
      producerStats += r.stats;
      produced += r.ops;
      return r.ops;
    });
    ch.finish(produced);
  });
  std::thread consumer([&] {
    CHECK(group.barrier.arriveAndWait() == StartBarrier::Outcome::Started);
    GroupLoopState x = sideOf(false);
    consumerStats = pool->run(pcSpec(x)).stats;
  });
  producer.join();
  consumer.join();

  if (produced != kObjects || ch.consumed != kObjects || ch.orderErrors != 0) {
    std::fprintf(stderr, "%s/%s/%s: produced %llu consumed %llu order errors %llu\n", kind, layout, publish,
                 static_cast<unsigned long long>(produced), static_cast<unsigned long long>(ch.consumed),
                 static_cast<unsigned long long>(ch.orderErrors));
  }
  CHECK_EQ(produced, kObjects);
  CHECK_EQ(ch.consumed, kObjects);
  CHECK_EQ(ch.orderErrors, 0u);
  CHECK_EQ(ch.ring.sizeApprox(), 0u);
  CHECK_EQ(producerStats.gets(), kObjects);  // every get of the sample is the producer's
  CHECK_EQ(producerStats.puts, 0u);
  CHECK_EQ(consumerStats.gets(), 0u);
  CHECK_EQ(consumerStats.puts, kObjects);  // every put is the consumer's
  if (std::string(kind) == "sync") {
    // The producer's own caches stay empty: it is refilled by stealing what the consumer put back.
    CHECK_EQ(producerStats.fromPrivate + producerStats.fromShared, 0u);
    CHECK(producerStats.fromSteal > kObjects / 2);
  }
}

static void gcChurn(bool victim) {
  PoolConfig config;
  config.victim = victim;
  auto pool = makePool("sync", "pad128", "xadd", config);
  GroupLoopState x;
  StopFlag stop;
  GcChurnState state;
  x.stop = &stop;
  x.clearer = pool.get();
  x.gc = {64, true};
  x.gcState = &state;
  LoopSpec spec;
  spec.scenario = Scenario::GcChurn;
  spec.batch = 4;
  spec.ops = 64'000;
  spec.group = &x;
  pool->run(spec);  // warm: the first round allocates
  const LoopResult r = pool->run(spec);
  CHECK_EQ(r.ops, 64'000u);
  CHECK_EQ(r.stats.gets(), 64'000u);
  CHECK_EQ(state.clears, 2'000u);  // 128k ops over two runs, a clear every 64
  if (victim) {
    CHECK(r.stats.fromVictim >= 1'000u);  // after each clear the held objects come back from the victim cache
    CHECK(r.stats.fromNew <= 8u);
  } else {
    CHECK_EQ(r.stats.fromVictim, 0u);
    CHECK(r.stats.fromNew >= 1'000u);  // each clear frees them: the next gets allocate
  }
}

static void falseSharingIsPrivate() {
  auto pool = makePool("sync", "packed", "xadd", PoolConfig{});
  LoopSpec spec;
  spec.scenario = Scenario::FalseSharing;
  spec.ops = 100'000;
  pool->run(spec);
  const LoopResult r = pool->run(spec);
  CHECK_EQ(r.ops, 100'000u);
  CHECK_EQ(r.stats.fromPrivate, 100'000u);
}

// Without the harness's shared state the harness scenarios run nothing (a caller outside the harness).
static void needsHarness() {
  auto pool = makePool("sync", "pad128", "xadd", PoolConfig{});
  LoopSpec spec;
  spec.ops = 1000;
  spec.scenario = Scenario::ProducerConsumer;
  CHECK_EQ(pool->run(spec).ops, 0u);
  spec.scenario = Scenario::GcChurn;
  CHECK_EQ(pool->run(spec).ops, 0u);
}

int main() {
  for (const char* layout : {"packed", "pad64", "pad128"}) {
    for (const char* publish : {"xadd", "cas", "mfence", "xchg"}) handoff("sync", layout, publish);
  }
  for (const char* kind : {"malloc", "mutex", "treiber"}) handoff(kind, "pad128", "xadd");
  gcChurn(true);
  gcChurn(false);
  falseSharingIsPrivate();
  needsHarness();
  return 0;
}
