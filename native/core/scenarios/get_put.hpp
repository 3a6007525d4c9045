#pragma once
// get-put: one get then one put, `ops` times. With SyncPool every pair is served by the private slot
// after the first, so this measures the pool's fastest path.
#include <cstdint>

#include "core/loop_spec.hpp"
#include "core/scenarios/do_not_optimize.hpp"

namespace poolscope {

template <class Local>
std::uint64_t runGetPut(Local& local, const LoopSpec& spec) {
  for (std::uint64_t i = 0; i < spec.ops; ++i) {
    void* p = local.get();
    if (p == nullptr) return i;  // a bounded allocator ran out
    doNotOptimize(p);
    local.put(p);
  }
  return spec.ops;
}

}  // namespace poolscope
