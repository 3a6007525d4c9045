#pragma once
// The one dispatch from Scenario to its loop. Loops are templates over a pool's pinned handle (Local), so
// each pool type gets its own fully inlined copy, and over the code copy (code_copy.hpp), so each loop
// also exists at kCodeCopies code placements; add new scenarios here.
#include <cstdint>

#include "core/loop_spec.hpp"
#include "core/scenarios/batch.hpp"
#include "core/scenarios/code_copy.hpp"
#include "core/scenarios/get_put.hpp"
#include "core/scenarios/group_loops.hpp"

namespace poolscope {

// One code copy of every scenario loop over Local (see code_copy.hpp for the padding).
template <std::uint32_t Copy, class Local>
POOLSCOPE_CODE_COPY std::uint64_t runScenarioCopy(Local& local, const LoopSpec& spec) {
  codeCopyPadding<Copy>();
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
    case Scenario::Alloc:  // the allocator's own loop (alloc.hpp), not a pool's
      break;
  }
  return 0;
}

template <class Local>
std::uint64_t runScenario(Local& local, const LoopSpec& spec) {
  return dispatchCodeCopy(spec.codeCopy,
                          [&]<std::uint32_t Copy>() { return runScenarioCopy<Copy>(local, spec); });
}

}  // namespace poolscope
