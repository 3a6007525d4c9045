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
#include <string>
#include <vector>

#include "addon/errors.hpp"
#include "addon/harness_job.hpp"
#include "core/peer_allocator.hpp"
#include "core/scenarios/alloc.hpp"
#include "core/scenarios/run_control.hpp"
#include "core/scenarios/run_group.hpp"
#include "core/scenarios/start_barrier.hpp"
#include "counters/tsc.hpp"

namespace poolscope::addon {

class PreparedScenario {
 public:
  virtual ~PreparedScenario() = default;
  // group: null for the in-process reference (no barrier, never stopped).
  virtual WorkerOutcome run(const Job& job, core::RunGroup* group, CounterHook& counters) = 0;
};

// The stop flag of the in-process reference: never set.
inline const core::StopFlag& neverStop() {
  static const core::StopFlag flag;
  return flag;
}

// The timed region, the same for every scenario: barrier, counters on,
// timestamps, body, timestamps, counters off. `body(out, stop)` fills ops
// (and scenario extras) and reports whether the stop flag cut it short.
template <typename Body>
WorkerOutcome timedRegion(core::RunGroup* group, CounterHook& counters, Body&& body) {
  WorkerOutcome out;
  if (group != nullptr) {
    if (group->barrier.arriveAndWait() == core::StartBarrier::Outcome::Cancelled) {
      out.cancelled = true;
      out.releaseNs = out.startNs = out.endNs = core::monotonicNs();
      return out;
    }
    out.releaseNs = group->barrier.releaseNs();
  }
  const core::StopFlag& stop = group != nullptr ? group->stopFlag : neverStop();
  counters.enable();
  out.startNs = core::monotonicNs();
  const std::uint64_t tsc0 = counters::readTsc();
  body(out, stop);
  const std::uint64_t tsc1 = counters::readTsc();
  out.endNs = core::monotonicNs();
  counters.disable();
  if (group == nullptr) out.releaseNs = out.startNs;
  out.tscCycles = tsc1 - tsc0;
  return out;
}

// alloc: the allocator itself, glibc's malloc or a peer loaded RTLD_LOCAL.
class AllocScenario final : public PreparedScenario {
 public:
  AllocScenario(core::AllocFunctions fns, std::size_t batch) : fns_(fns), held_(batch) {}

  WorkerOutcome run(const Job& job, core::RunGroup* group, CounterHook& counters) override {
    return timedRegion(group, counters, [&](WorkerOutcome& out, const core::StopFlag& stop) {
      const auto r = core::runChunked(job.bounds, stop, [&](std::uint64_t n) {
        return core::allocLoop(fns_, job.objectSize, n, held_.data(), held_.size());
      });
      out.ops = r.ops;
      out.stopped = r.stopped;
    });
  }

 private:
  core::AllocFunctions fns_;
  std::vector<void*> held_;  // scratch for the K held blocks; this worker only
};

inline core::AllocFunctions allocFunctionsFor(Napi::Env env, const std::string& pool) {
  if (pool == "malloc") return {&std::malloc, &std::free};
  peers::PeerId id{};
  if (!peers::peerFromName(pool, id)) {
    throwRangeError(env, "job.pool", "'malloc', 'mimalloc', 'jemalloc' or 'tcmalloc' for alloc",
                    Napi::String::New(env, pool));
  }
  const peers::PeerLoad& load = peers::peer(id);
  if (load.state != peers::PeerState::loaded) {
    Napi::Error e = Napi::Error::New(env, pool + ": " + load.reason);
    e.Set("code", Napi::String::New(env, load.state == peers::PeerState::notInstalled ? "ERR_PEER_NOT_INSTALLED"
                                                                                       : "ERR_PEER_CANNOT_LOAD"));
    throw e;
  }
  return {load.fns.malloc, load.fns.free};
}

inline std::unique_ptr<PreparedScenario> prepareScenario(Napi::Env env, const Job& job, core::RunGroup* group) {
  (void)group;
  switch (job.scenario) {
    case Scenario::Alloc:
      return std::make_unique<AllocScenario>(allocFunctionsFor(env, job.pool), job.batch);
    default:
      break;
  }
  Napi::Error e = Napi::Error::New(env, "scenario needs the core pool, which is not built into this addon yet");
  e.Set("code", Napi::String::New(env, "ERR_NOT_AVAILABLE"));
  throw e;
}

}  // namespace poolscope::addon
