#pragma once
// AnyPool: one type for every pool variant, for code that picks the variant at run time (the addon's
// registry, the harness, the benchmark). Only coarse calls are virtual: run() executes a whole hot loop
// inside PoolModel<P>, where the per-operation code is P's, inlined; nothing virtual runs per operation.
#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

#include "core/clearable.hpp"
#include "core/loop_spec.hpp"
#include "core/pool_stats.hpp"
#include "core/scenarios/run_scenario.hpp"
#include "counters/tsc.hpp"

namespace poolscope {

// Clearable: gc-churn's loops end an epoch through it (scenarios/group_loops.hpp).
class AnyPool : public Clearable {
 public:
  virtual ~AnyPool() = default;
  virtual void* get() = 0;         // through the calling thread's record (a thread_local lookup)
  virtual void put(void* p) = 0;   // p from get() of this pool, or nullptr (ignored)
  void clear() override = 0;
  virtual PoolStats stats() const = 0;  // summed over threads
  virtual std::size_t objectSize() const = 0;
  virtual std::string_view kind() const = 0;     // "sync", "malloc", "mutex", "treiber"
  virtual std::string_view layout() const = 0;   // SyncPool's layout; "" for baselines
  virtual std::string_view publish() const = 0;  // SyncPool's publish policy; "" for baselines
  // Runs the loop on the calling thread.
  virtual LoopResult run(const LoopSpec& spec) = 0;

  // Go benchmark style: "pool=sync/layout=pad128/publish=xadd", "pool=mutex".
  std::string name() const {
    std::string n = "pool=" + std::string(kind());
    if (!layout().empty()) n += "/layout=" + std::string(layout());
    if (!publish().empty()) n += "/publish=" + std::string(publish());
    return n;
  }
};

template <class P>
class PoolModel final : public AnyPool {
 public:
  template <class... Args>
  PoolModel(std::string_view kind, std::string_view layout, std::string_view publish, Args&&... args)
      : pool_(std::forward<Args>(args)...), kind_(kind), layout_(layout), publish_(publish) {}

  void* get() override { return pool_.get(); }
  void put(void* p) override { pool_.put(p); }
  void clear() override { pool_.clear(); }
  PoolStats stats() const override { return pool_.stats(); }
  std::size_t objectSize() const override { return pool_.objectSize(); }
  std::string_view kind() const override { return kind_; }
  std::string_view layout() const override { return layout_; }
  std::string_view publish() const override { return publish_; }

  LoopResult run(const LoopSpec& spec) override {
    auto local = pool_.pin();
    LoopResult r;
    const PoolStats before = local.stats();
    const auto t0 = std::chrono::steady_clock::now();
    const std::uint64_t c0 = counters::readTsc();
    r.ops = runScenario(local, spec);
    const std::uint64_t c1 = counters::readTsc();
    const auto t1 = std::chrono::steady_clock::now();
    r.stats = local.stats();
    r.stats -= before;
    r.elapsedNs = static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count());
    r.tscCycles = c1 - c0;
    return r;
  }

  P& pool() noexcept { return pool_; }

 private:
  P pool_;
  std::string_view kind_, layout_, publish_;  // static strings
};

}  // namespace poolscope
