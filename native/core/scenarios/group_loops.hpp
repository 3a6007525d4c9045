#pragma once
// The loops that run as one worker of a run group (run_group.hpp): over a
// pool's pinned handle (Local), called from runScenario (run_scenario.hpp) so
// each pool type gets its own inlined copy. What a worker shares with the
// others of its group (the stop flag, the producer-consumer channel, its
// gc-churn position) comes in LoopSpec::group, plain data that whoever drives
// the group (the addon's harness, the tests) fills, plus one small interface:
// gc-churn ends an epoch through Clearable (clearable.hpp), which AnyPool
// implements. Without LoopSpec::group they run nothing, except false-sharing,
// which needs nothing shared.
#include <cstdint>

#include "core/clearable.hpp"
#include "core/loop_spec.hpp"
#include "core/scenarios/false_sharing.hpp"
#include "core/scenarios/gc_churn.hpp"
#include "core/scenarios/producer_consumer.hpp"
#include "core/scenarios/run_control.hpp"

namespace poolscope {

// One worker's share of a run group's sample. Owned by that worker (its
// driver fills it) for the duration of one AnyPool::run() call; the objects
// it points to are the group's (stop flag, channel) or the worker's (gcState).
struct GroupLoopState {
  const StopFlag* stop = nullptr;  // the group's stop flag (never null when set by a driver)
  // producer-consumer
  PcChannel* channel = nullptr;
  bool producer = false;
  std::uint64_t firstSeq = 0;  // producer: the stamp of this chunk's first object
  // gc-churn
  Clearable* clearer = nullptr;  // the pool the loop runs on (AnyPool): clear() ends an epoch
  GcChurnParams gc{1024, false};
  GcChurnState* gcState = nullptr;
};

// always_inline (here and in the loops they call): each code copy (code_copy.hpp) must hold its own loop.
template <class Local>
[[gnu::always_inline]] inline std::uint64_t runProducerConsumer(Local& local, const LoopSpec& spec) {
  const GroupLoopState* x = spec.group;
  if (x == nullptr || x->channel == nullptr || x->stop == nullptr) return 0;
  if (x->producer) return producerLoop(local, *x->channel, x->firstSeq, spec.ops, *x->stop);
  return consumerLoop(local, *x->channel, *x->stop);
}

template <class Local>
[[gnu::always_inline]] inline std::uint64_t runGcChurn(Local& local, const LoopSpec& spec) {
  const GroupLoopState* x = spec.group;
  if (x == nullptr || x->clearer == nullptr || x->gcState == nullptr) return 0;
  void* held[kMaxBatch];
  const std::size_t k = spec.batch < 1 ? 1 : (spec.batch > kMaxBatch ? kMaxBatch : spec.batch);
  return gcChurnLoop(
      local, [x] { x->clearer->clear(); }, x->gc, *x->gcState, held, k, spec.ops);
}

template <class Local>
[[gnu::always_inline]] inline std::uint64_t runFalseSharing(Local& local, const LoopSpec& spec) {
  return falseSharingLoop(local, spec.ops);
}

}  // namespace poolscope
