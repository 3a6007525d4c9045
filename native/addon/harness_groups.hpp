#pragma once
// The process-wide registry of run groups (core/scenarios/run_group.hpp), so
// that every worker's isolate (each loads the addon into the same process and
// shares its statics) reaches the same barrier, stop flag and channels by id.
//
// Access rule: as IdRegistry's (id_registry.hpp): a group is shared by
// shared_ptr, so a worker that found it keeps it alive while it runs even if
// the main thread drops its id (timeout, failure).
#include <cstdint>
#include <memory>

#include "addon/id_registry.hpp"
#include "core/scenarios/run_group.hpp"

namespace poolscope::addon {

class RunGroupRegistry {
 public:
  static RunGroupRegistry& instance() {
    static auto* registry = new RunGroupRegistry();  // never destroyed: worker threads may outlive static destruction
    return *registry;
  }

  std::uint32_t create(unsigned parties, std::size_t channels) {
    return groups_.add(std::make_shared<RunGroup>(parties, channels));
  }

  std::shared_ptr<RunGroup> find(std::uint32_t id) { return groups_.find(id); }

  // Stops the group's loops and releases its barrier; false when unknown.
  bool stop(std::uint32_t id) {
    auto group = find(id);
    if (!group) return false;
    group->stop();
    return true;
  }

  // Drops the registry's reference; running workers keep theirs.
  void destroy(std::uint32_t id) { groups_.take(id); }

  std::size_t size() { return groups_.size(); }

 private:
  IdRegistry<RunGroup> groups_;
};

}  // namespace poolscope::addon
