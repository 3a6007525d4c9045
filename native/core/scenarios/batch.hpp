#pragma once
// batch: get `batch` objects (held at once), then put them all back; `ops` get+put pairs in all. With
// SyncPool one object of each round uses the private slot and the rest go through the thread's own
// shared ring (pushHead/popHead), so this measures the publish instruction.
#include <algorithm>
#include <cstdint>

#include "core/loop_spec.hpp"
#include "core/scenarios/do_not_optimize.hpp"

namespace poolscope {

template <class Local>
[[gnu::always_inline]] inline std::uint64_t runBatch(Local& pinned, const LoopSpec& spec) {
  Local local = pinned;  // kept in registers: see runGetPut
  void* held[kMaxBatch];
  const std::uint32_t k = std::clamp<std::uint32_t>(spec.batch, 1, kMaxBatch);
  std::uint64_t done = 0;
  while (done < spec.ops) {
    const std::uint32_t n = static_cast<std::uint32_t>(std::min<std::uint64_t>(k, spec.ops - done));
    for (std::uint32_t j = 0; j < n; ++j) {
      void* p = local.get();
      if (p == nullptr) {  // a bounded allocator ran out: give back what we hold
        for (std::uint32_t m = 0; m < j; ++m) local.put(held[m]);
        return done;
      }
      doNotOptimize(p);
      held[j] = p;
    }
    for (std::uint32_t j = 0; j < n; ++j) local.put(held[j]);
    done += n;
  }
  return done;
}

}  // namespace poolscope
