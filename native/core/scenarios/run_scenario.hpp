#pragma once
// The one dispatch from Scenario to its loop. Loops are templates over a pool's pinned handle (Local), so
// each pool type gets its own fully inlined copy; add new scenarios here.
#include <cstdint>

#include "core/loop_spec.hpp"
#include "core/scenarios/batch.hpp"
#include "core/scenarios/get_put.hpp"
#include "core/scenarios/harness_loops.hpp"

namespace poolscope {

template <class Local>
std::uint64_t runScenario(Local& local, const LoopSpec& spec) {
  switch (spec.scenario) {
    case Scenario::GetPut:
      return runGetPut(local, spec);
    case Scenario::Batch:
      return runBatch(local, spec);
    case Scenario::ProducerConsumer:
      return runProducerConsumer(local, spec);
    case Scenario::GcChurn:
      return runGcChurn(local, spec);
    case Scenario::FalseSharing:
      return runFalseSharing(local, spec);
  }
  return 0;
}

}  // namespace poolscope
