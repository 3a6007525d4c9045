#pragma once
// get-put: one get then one put, `ops` times. With SyncPool every pair is served by the private slot
// after the first, so this measures the pool's fastest path.
#include <cstdint>

#include "core/loop_spec.hpp"
#include "core/scenarios/do_not_optimize.hpp"

namespace poolscope {

template <class Local>
[[gnu::always_inline]] inline std::uint64_t runGetPut(Local& pinned, const LoopSpec& spec) {
  // A copy whose address never escapes, so its fields stay in registers: doNotOptimize's memory clobber
  // would otherwise reload them from the caller's frame every iteration (measured: ~3x the cost of the
  // operations themselves). Pinned handles are cheap to copy by contract.
  Local local = pinned;
  const std::uint64_t ops = spec.ops;
  for (std::uint64_t i = 0; i < ops; ++i) {
    void* p = local.get();
    if (p == nullptr) return i;  // a bounded allocator ran out
    doNotOptimize(p);
    local.put(p);
  }
  return ops;
}

}  // namespace poolscope
