#pragma once
// The process-wide registry of run groups (core/scenarios/run_group.hpp), so
// that every worker's isolate (each loads the addon into the same process and
// shares its statics) reaches the same barrier, stop flag and channels by id.
//
// Access rule: the map is guarded by `mutex`; a group itself is shared by
// shared_ptr, so a worker that found it keeps it alive while it runs even if
// the main thread drops it from the map (timeout, failure).
#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "core/scenarios/run_group.hpp"

namespace poolscope::addon {

class RunGroupRegistry {
 public:
  static RunGroupRegistry& instance() {
    static RunGroupRegistry registry;  // never destroyed before the workers: the process owns it
    return registry;
  }

  std::uint32_t create(unsigned parties, std::size_t channels) {
    auto group = std::make_shared<core::RunGroup>(parties, channels);
    std::lock_guard<std::mutex> lock(mutex_);
    const std::uint32_t id = nextId_++;
    groups_.emplace(id, std::move(group));
    return id;
  }

  std::shared_ptr<core::RunGroup> find(std::uint32_t id) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = groups_.find(id);
    return it == groups_.end() ? nullptr : it->second;
  }

  // Stops the group's loops and releases its barrier; false when unknown.
  bool stop(std::uint32_t id) {
    auto group = find(id);
    if (!group) return false;
    group->stop();
    return true;
  }

  // Drops the registry's reference; running workers keep theirs.
  void destroy(std::uint32_t id) {
    std::lock_guard<std::mutex> lock(mutex_);
    groups_.erase(id);
  }

  std::size_t size() {
    std::lock_guard<std::mutex> lock(mutex_);
    return groups_.size();
  }

 private:
  std::mutex mutex_;
  std::uint32_t nextId_ = 1;  // guarded by mutex_
  std::unordered_map<std::uint32_t, std::shared_ptr<core::RunGroup>> groups_;  // guarded by mutex_
};

}  // namespace poolscope::addon
