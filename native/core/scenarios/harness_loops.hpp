#pragma once
// The harness scenarios as loops over a pool's pinned handle (Local), called
// from runScenario (run_scenario.hpp) so each pool type gets its own inlined
// copy. What they share with the other workers of a sample (the
// producer-consumer channel, the stop flag, the gc-churn clear) comes in
// LoopSpec::harness; without it (a caller outside the harness) they run
// nothing, except false-sharing, which needs nothing shared.
#include <cstdint>

#include "core/loop_spec.hpp"
#include "core/scenarios/false_sharing.hpp"
#include "core/scenarios/gc_churn.hpp"
#include "core/scenarios/producer_consumer.hpp"
#include "core/scenarios/run_control.hpp"

namespace poolscope {

// One worker's share of a harness sample; owned by that worker for the
// duration of one AnyPool::run() call.
struct HarnessLoopExtras {
  const core::StopFlag* stop = nullptr;  // the run's stop flag (never null when set by the harness)
  // producer-consumer
  core::PcChannel* channel = nullptr;
  bool producer = false;
  std::uint64_t firstSeq = 0;  // producer: the stamp of this chunk's first object
  // gc-churn
  void (*clear)(void* ctx) = nullptr;  // the pool's clear(), safe concurrently with get/put
  void* clearCtx = nullptr;
  core::GcChurnParams gc{1024, false};
  core::GcChurnState* gcState = nullptr;
};

// always_inline (here and in the loops they call): each code copy (code_copy.hpp) must hold its own loop.
template <class Local>
[[gnu::always_inline]] inline std::uint64_t runProducerConsumer(Local& local, const LoopSpec& spec) {
  const HarnessLoopExtras* x = spec.harness;
  if (x == nullptr || x->channel == nullptr || x->stop == nullptr) return 0;
  if (x->producer) return core::producerLoop(local, *x->channel, x->firstSeq, spec.ops, *x->stop);
  return core::consumerLoop(local, *x->channel, *x->stop);
}

template <class Local>
[[gnu::always_inline]] inline std::uint64_t runGcChurn(Local& local, const LoopSpec& spec) {
  const HarnessLoopExtras* x = spec.harness;
  if (x == nullptr || x->clear == nullptr || x->gcState == nullptr) return 0;
  void* held[kMaxBatch];
  const std::size_t k = spec.batch < 1 ? 1 : (spec.batch > kMaxBatch ? kMaxBatch : spec.batch);
  return core::gcChurnLoop(
      local, [x] { x->clear(x->clearCtx); }, x->gc, *x->gcState, held, k, spec.ops);
}

template <class Local>
[[gnu::always_inline]] inline std::uint64_t runFalseSharing(Local& local, const LoopSpec& spec) {
  return core::falseSharingLoop(local, spec.ops);
}

}  // namespace poolscope
