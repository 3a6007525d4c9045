// The process-wide pool registry (pool_registry.hpp).
#include "addon/pool_registry.hpp"

#include <string>
#include <vector>

#include "addon/errors.hpp"
#include "addon/id_registry.hpp"

namespace poolscope::addon {

namespace {

// One per process: the addon's shared object is loaded once however many isolates require it. Never
// destroyed (a worker thread may still look a pool up while the process exits).
IdRegistry<PoolEntry>& registry() {
  static auto* r = new IdRegistry<PoolEntry>();
  return *r;
}

}  // namespace

std::uint32_t registerPool(std::shared_ptr<AnyPool> pool) {
  auto entry = std::make_shared<PoolEntry>();
  entry->pool = std::move(pool);
  return registry().add(std::move(entry));
}

std::shared_ptr<PoolEntry> findPoolEntry(Napi::Env env, std::uint32_t id) {
  if (auto entry = registry().find(id)) return entry;
  // Ids are never reused: one that was issued and is not live has been destroyed.
  if (registry().issued(id)) {
    throwWithCode(env, "ERR_POOL_DESTROYED", "pool " + std::to_string(id) + " has been destroyed");
  }
  throwWithCode(env, "ERR_POOL_NOT_FOUND", "no pool has id " + std::to_string(id));
}

std::shared_ptr<AnyPool> findPool(Napi::Env env, std::uint32_t id) { return findPoolEntry(env, id)->pool; }

namespace {

// Takes the id out of the registry (never reused, so it stays recognisable as destroyed) and gives the blocks JS still holds back
// to the pool. Returns nullptr if the id was not live. The entry, and the pool unless a loop still runs
// on it, is freed by the caller's last reference, outside every lock.
std::shared_ptr<PoolEntry> unregister(std::uint32_t id) {
  std::shared_ptr<PoolEntry> entry = registry().take(id);
  if (!entry) return nullptr;
  std::vector<std::uintptr_t> held;
  {
    std::lock_guard<std::mutex> lock(entry->mu);
    held.assign(entry->heldByJs.begin(), entry->heldByJs.end());
    entry->heldByJs.clear();
  }
  for (std::uintptr_t p : held) entry->pool->put(reinterpret_cast<void*>(p));
  return entry;
}

}  // namespace

void destroyPool(Napi::Env env, std::uint32_t id) {
  findPoolEntry(env, id);  // throws ERR_POOL_DESTROYED / ERR_POOL_NOT_FOUND
  if (!unregister(id)) {   // another thread destroyed it between the lookup and here
    throwWithCode(env, "ERR_POOL_DESTROYED", "pool " + std::to_string(id) + " has been destroyed");
  }
}

std::shared_ptr<AnyPool> lookupPool(std::uint32_t id) {
  auto entry = registry().find(id);
  return entry ? entry->pool : nullptr;
}

bool releasePool(std::uint32_t id) { return unregister(id) != nullptr; }

std::size_t livePoolCount() { return registry().size(); }

std::uint32_t poolIdArg(const Napi::CallbackInfo& info, std::size_t index, const char* field) {
  return integerArg<std::uint32_t>(info[index], field, 1, 4294967295.0);
}

}  // namespace poolscope::addon
