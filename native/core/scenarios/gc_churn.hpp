#pragma once
// Scenario `gc-churn`: clear() every M operations, as Go's GC does to
// sync.Pool. With the victim cache, the objects cached before a clear survive
// one epoch and the gets after it are victim hits; without it (Go before
// 1.13) every clear turns the next K gets into allocations. The scenario
// shows the hit rate (sources: victim vs new) and what the misses cost.
//
// "Victim off" is a pool made with PoolConfig::victim = false (clear() then
// frees the cached objects at once, as Go did before 1.13).
//
// One thread (the clearer, worker 0) calls clear(); the others only get and
// put, as goroutines do while the GC runs concurrently. Handle: the pinned
// per-thread pool handle (`void* get()`, `void put(void*)`).
#include <cstddef>
#include <cstdint>

namespace poolscope {

// Loop state carried across the harness's chunks; owned by one worker.
struct GcChurnState {
  std::uint64_t sinceClear = 0;
  std::uint64_t clears = 0;
};

struct GcChurnParams {
  std::uint64_t clearEvery;  // M, operations between clears
  bool clearer;              // this worker calls clear()
};

// Runs about n operations (whole rounds of K = k gets then K puts) and returns
// how many ran. `held` is scratch for k pointers, owned by the caller.
template <typename Handle, typename Clear>
[[gnu::always_inline]] inline std::uint64_t gcChurnLoop(Handle& h, Clear&& clear, const GcChurnParams& p, GcChurnState& st, void** held,
                          std::size_t k, std::uint64_t n) {
  std::uint64_t done = 0;
  while (done < n) {
    for (std::size_t i = 0; i < k; ++i) {
      auto* obj = static_cast<std::uint64_t*>(h.get());
      if (obj == nullptr) {  // a bounded allocator ran out: give back what we hold
        for (std::size_t j = 0; j < i; ++j) h.put(held[j]);
        return done;
      }
      obj[0] = i;  // the caller uses the object it got (a uint64_t store: see false_sharing.hpp)
      held[i] = obj;
    }
    for (std::size_t i = 0; i < k; ++i) h.put(held[i]);
    done += k;
    st.sinceClear += k;
    if (p.clearer && st.sinceClear >= p.clearEvery) {
      clear();
      st.sinceClear = 0;
      ++st.clears;
    }
  }
  return done;
}

}  // namespace poolscope
