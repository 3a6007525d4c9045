#pragma once
// From a job to a prepared scenario: everything that can fail (an unknown
// pool, an allocator that does not load, a bad size) fails in
// prepareScenario(), before the worker arrives at the start barrier; run()
// then cannot fail, so a party that arrived always reaches the end and the
// others are never left waiting for it.
#include <napi.h>

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "addon/errors.hpp"
#include "addon/harness_job.hpp"
#include "addon/pool_registry.hpp"
#include "core/any_pool.hpp"
#include "core/loop_spec.hpp"
#include "core/peer_allocator.hpp"
#include "core/scenarios/alloc.hpp"
#include "core/scenarios/group_loops.hpp"
#include "core/scenarios/run_control.hpp"
#include "core/scenarios/run_group.hpp"
#include "core/scenarios/start_barrier.hpp"
#include "counters/tsc.hpp"

namespace poolscope::addon {

class PreparedScenario {
 public:
  virtual ~PreparedScenario() = default;
  // group: null for the in-process reference (no barrier, never stopped).
  virtual WorkerOutcome run(const Job& job, RunGroup* group, CounterHook& counters) = 0;
};

// The stop flag of the in-process reference: never set.
inline const StopFlag& neverStop() {
  static const StopFlag flag;
  return flag;
}

// Runs fn() with the stack moved down by `bytes` (a multiple of 16): every frame the loop uses sits
// that much lower, so its addresses fall elsewhere relative to the data (4 KiB aliasing, cache sets).
template <typename Fn>
[[gnu::noinline]] void withStackOffset(std::size_t bytes, Fn&& fn) {
  void* pad = __builtin_alloca(bytes);
  asm volatile("" : : "r"(pad) : "memory");  // the pad exists: the alloca cannot be dropped
  fn();
  asm volatile("" : : "r"(pad) : "memory");  // and lives across the call (no sibling call)
}

// The timed region, the same for every scenario: barrier, counters on,
// timestamps, body, timestamps, counters off. `body(out, stop)` fills ops
// (and scenario extras) and reports whether the stop flag cut it short.
// The body runs `stackOffset` bytes lower on the stack (withStackOffset).
template <typename Body>
WorkerOutcome timedRegion(RunGroup* group, CounterHook& counters, std::size_t stackOffset, Body&& body) {
  WorkerOutcome out;
  if (group != nullptr) {
    if (group->barrier.arriveAndWait() == StartBarrier::Outcome::Cancelled) {
      out.cancelled = true;
      out.releaseNs = out.startNs = out.endNs = monotonicNs();
      return out;
    }
    out.releaseNs = group->barrier.releaseNs();
  }
  const StopFlag& stop = group != nullptr ? group->stopFlag : neverStop();
  counters.enable();
  out.startNs = monotonicNs();
  const std::uint64_t tsc0 = counters::readTsc();
  withStackOffset(stackOffset, [&] { body(out, stop); });
  const std::uint64_t tsc1 = counters::readTsc();
  out.endNs = monotonicNs();
  counters.disable();
  if (group == nullptr) out.releaseNs = out.startNs;
  out.tscCycles = tsc1 - tsc0;
  return out;
}

// alloc: the allocator itself, glibc's malloc or a peer loaded RTLD_LOCAL.
class AllocScenario final : public PreparedScenario {
 public:
  AllocScenario(AllocFunctions fns, std::size_t batch) : fns_(fns), held_(batch) {}

  WorkerOutcome run(const Job& job, RunGroup* group, CounterHook& counters) override {
    // The allocator's own state is its data placement: a block of dataOffset bytes taken from it for the
    // sample moves where its next blocks fall in an allocator that carves one heap (glibc's); size-class
    // allocators (the peers) keep small blocks apart from it. Best effort, and a null is fine: no shift.
    void* spacer = job.dataOffset != 0 ? fns_.allocate(job.dataOffset) : nullptr;
    WorkerOutcome result = timedRegion(group, counters, job.stackOffset, [&](WorkerOutcome& out, const StopFlag& stop) {
      const auto r = runChunked(job.bounds, stop, [&](std::uint64_t n) {
        return allocLoopAt(job.codeCopy, fns_, job.objectSize, n, held_.data(), held_.size());
      });
      out.ops = r.ops;
      out.stopped = r.stopped;
    });
    if (spacer != nullptr) fns_.release(spacer);
    return result;
  }

 private:
  AllocFunctions fns_;
  std::vector<void*> held_;  // scratch for the K held blocks; this worker only
};

inline AllocFunctions allocFunctionsFor(Napi::Env env, const std::string& pool) {
  if (pool == "malloc") return {&std::malloc, &std::free};
  peers::PeerId id{};
  if (!peers::peerFromName(pool, id)) {
    throwRangeError(env, "job.pool", "'malloc', 'mimalloc', 'jemalloc' or 'tcmalloc' for alloc",
                    Napi::String::New(env, pool));
  }
  const peers::PeerLoad& load = peers::peer(id);
  if (load.state != peers::PeerState::loaded) {
    throwWithCode(env, "ERR_PEER_UNAVAILABLE", pool + ": " + load.reason);
  }
  return {load.fns.malloc, load.fns.free};
}

// The scenarios that run on a pool: the loop is the pool's own (AnyPool::run,
// inlined per pool type), called once per chunk; each chunk's statistics
// delta (this thread's record) adds up to the sample's sources.
class PoolScenario final : public PreparedScenario {
 public:
  explicit PoolScenario(std::shared_ptr<AnyPool> pool) : pool_(std::move(pool)) {}

  WorkerOutcome run(const Job& job, RunGroup* group, CounterHook& counters) override {
    // The rings this thread's chains allocate during the sample (a fresh pool's first overflow) come
    // from this thread's heap after this spacer, so they move with the sample's dataOffset where glibc
    // carves them from the heap's top (best effort: a ring may reuse a freed chunk instead).
    std::unique_ptr<char[]> spacer(job.dataOffset != 0 ? new (std::nothrow) char[job.dataOffset] : nullptr);
    if (spacer) asm volatile("" : : "r"(spacer.get()) : "memory");
    WorkerOutcome result = timedRegion(group, counters, job.stackOffset, [&](WorkerOutcome& out, const StopFlag& stop) {
      out.hasStats = true;
      GroupLoopState extras;
      extras.stop = &stop;
      LoopSpec spec;
      spec.batch = static_cast<std::uint32_t>(job.batch);
      spec.codeCopy = job.codeCopy;
      spec.group = &extras;
      spec.scenario = job.scenario;
      if (job.scenario == Scenario::ProducerConsumer) {
        runProducerConsumer(job, *group, extras, spec, stop, out);
        return;
      }
      if (job.scenario == Scenario::GcChurn) {
        extras.clearer = pool_.get();
        extras.gc = {job.clearEvery, job.worker == 0};
        extras.gcState = &gcState_;
      }
      const auto r = runChunked(job.bounds, stop, [&](std::uint64_t n) {
        spec.ops = n;
        const LoopResult lr = pool_->run(spec);
        out.stats += lr.stats;
        return lr.ops;
      });
      out.ops = r.ops;
      out.stopped = r.stopped;
      out.clears = gcState_.clears;
    });
    return result;
  }

 private:
  // producer-consumer: worker 2i produces into channel i, worker 2i+1 consumes it.
  void runProducerConsumer(const Job& job, RunGroup& group, GroupLoopState& extras, LoopSpec& spec,
                           const StopFlag& stop, WorkerOutcome& out) {
    PcChannel& ch = *group.channels[job.worker / 2];
    extras.channel = &ch;
    extras.producer = job.worker % 2 == 0;
    out.role = extras.producer ? PcRole::Producer : PcRole::Consumer;
    if (extras.producer) {
      std::uint64_t produced = 0;
      const auto r = runChunked(job.bounds, stop, [&](std::uint64_t n) {
        extras.firstSeq = produced;
        spec.ops = n;
        const LoopResult lr = pool_->run(spec);
        out.stats += lr.stats;
        produced += lr.ops;
        return lr.ops;
      });
      // Every chunk ended before this store: the consumer drains exactly `produced`.
      ch.finish(produced);
      out.ops = out.produced = produced;
      out.stopped = r.stopped;
    } else {
      spec.ops = 0;
      const LoopResult lr = pool_->run(spec);  // returns once the producer finished and the ring is drained
      out.stats += lr.stats;
      out.ops = out.consumed = ch.consumed;
      out.orderErrors = ch.orderErrors;
      out.stopped = stop.requested();
    }
  }

  std::shared_ptr<AnyPool> pool_;     // kept alive for the whole sample
  GcChurnState gcState_;        // this worker's gc-churn position; one sample
};

inline std::unique_ptr<PreparedScenario> prepareScenario(Napi::Env env, const Job& job, RunGroup* group) {
  if (job.scenario == Scenario::Alloc) {
    return std::make_unique<AllocScenario>(allocFunctionsFor(env, job.pool), job.batch);
  }
  if (job.poolId < 1 || job.poolId > 4294967295.0) {
    throwRangeError(env, "job.poolId", "the id of a live pool (NativePool / poolCreate)", Napi::Number::New(env, job.poolId));
  }
  auto pool = lookupPool(static_cast<std::uint32_t>(job.poolId));
  if (!pool) {
    throwRangeError(env, "job.poolId", "the id of a live pool (NativePool / poolCreate)", Napi::Number::New(env, job.poolId));
  }
  if (job.scenario == Scenario::ProducerConsumer) {
    if (group == nullptr) {
      throwRangeError(env, "job.scenario", "a scenario that runs on one thread for the in-process reference",
                      Napi::String::New(env, "producer-consumer"));
    }
    if (job.worker / 2 >= group->channels.size()) {
      throwRangeError(env, "job.worker", "a worker with a producer-consumer channel (group made with too few channels)",
                      Napi::Number::New(env, job.worker));
    }
  }
  return std::make_unique<PoolScenario>(std::move(pool));
}

}  // namespace poolscope::addon
