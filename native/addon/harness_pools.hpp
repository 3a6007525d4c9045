#pragma once
// The pools the harness runs its benchmarks on: made on the main thread
// (harnessPoolCreate), reached by id from every worker's native code,
// destroyed when the benchmark ends. Process-wide, like the run groups.
//
// Access rule: the map is guarded by `mutex`; a worker copies the shared_ptr
// before it runs, so destroying the entry while a worker still runs (a failed
// or timed-out run) only drops the registry's reference: the pool is freed by
// the last worker to let go, never under a running loop.
#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "core/any_pool.hpp"

namespace poolscope::addon {

class HarnessPools {
 public:
  static HarnessPools& instance() {
    static HarnessPools pools;
    return pools;
  }

  std::uint32_t add(std::shared_ptr<AnyPool> pool) {
    std::lock_guard<std::mutex> lock(mutex_);
    const std::uint32_t id = nextId_++;
    pools_.emplace(id, std::move(pool));
    return id;
  }

  std::shared_ptr<AnyPool> find(std::uint32_t id) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = pools_.find(id);
    return it == pools_.end() ? nullptr : it->second;
  }

  void remove(std::uint32_t id) {
    std::shared_ptr<AnyPool> last;  // freed outside the lock
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = pools_.find(id);
    if (it == pools_.end()) return;
    last = std::move(it->second);
    pools_.erase(it);
  }

  std::size_t size() {
    std::lock_guard<std::mutex> lock(mutex_);
    return pools_.size();
  }

 private:
  std::mutex mutex_;
  std::uint32_t nextId_ = 1;                                             // guarded by mutex_
  std::unordered_map<std::uint32_t, std::shared_ptr<AnyPool>> pools_;  // guarded by mutex_
};

}  // namespace poolscope::addon
