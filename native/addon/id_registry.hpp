#pragma once
// The addon's one kind of process-wide id registry: numeric ids for objects that every worker thread
// (each its own isolate, all sharing this one loaded addon) reaches by id — pools (pool_registry.hpp)
// and run groups (harness_groups.hpp).
//
// Ownership: the registry holds each live object by shared_ptr; find() hands out another, so a thread
// using an object keeps it alive even if another thread removes its id meanwhile (the object is freed
// by its last user, outside the registry's lock). Ids start at 1 and are never reused, so an id that
// was issued and is no longer live is recognisable (issued() && !find()).
//
// Access rule: every field is guarded by mu_; the objects themselves are not (they guard their own
// state).
#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>

namespace poolscope::addon {

template <class T>
class IdRegistry {
 public:
  // Registers `value`; returns its id (>= 1).
  std::uint32_t add(std::shared_ptr<T> value) {
    std::lock_guard<std::mutex> lock(mu_);
    const std::uint32_t id = ++lastId_;
    live_.emplace(id, std::move(value));
    return id;
  }

  // The live object with this id, or nullptr.
  std::shared_ptr<T> find(std::uint32_t id) const {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = live_.find(id);
    return it == live_.end() ? nullptr : it->second;
  }

  // Removes the id and returns its object (the caller's reference may be the last); nullptr if not live.
  std::shared_ptr<T> take(std::uint32_t id) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = live_.find(id);
    if (it == live_.end()) return nullptr;
    std::shared_ptr<T> value = std::move(it->second);
    live_.erase(it);
    return value;
  }

  // Whether this id was ever handed out (live or removed since).
  bool issued(std::uint32_t id) const {
    std::lock_guard<std::mutex> lock(mu_);
    return id >= 1 && id <= lastId_;
  }

  // How many ids are live (tests check that runs leave none behind).
  std::size_t size() const {
    std::lock_guard<std::mutex> lock(mu_);
    return live_.size();
  }

 private:
  mutable std::mutex mu_;
  std::uint32_t lastId_ = 0;                                  // guarded by mu_
  std::unordered_map<std::uint32_t, std::shared_ptr<T>> live_;  // guarded by mu_
};

}  // namespace poolscope::addon
