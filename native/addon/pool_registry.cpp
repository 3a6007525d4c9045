// The process-wide pool registry (pool_registry.hpp).
#include "addon/pool_registry.hpp"

#include <cmath>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "addon/errors.hpp"

namespace poolscope::addon {

namespace {

// Ids are issued in order and never reused, so an id up to lastId that is not live has been destroyed:
// nothing is kept per destroyed id (the harness makes a pool per sample; a set of dead ids grew forever).
struct Registry {
  std::mutex mu;
  std::uint32_t lastId = 0;                                                // guarded by mu
  std::unordered_map<std::uint32_t, std::shared_ptr<PoolEntry>> live;      // guarded by mu
};

// One per process: the addon's shared object is loaded once however many isolates require it. Never
// destroyed (a worker thread may still look a pool up while the process exits).
Registry& registry() {
  static Registry* r = new Registry();
  return *r;
}

[[noreturn]] void throwPoolError(Napi::Env env, const char* code, const std::string& message) {
  Napi::Error e = Napi::Error::New(env, message);
  e.Set("code", Napi::String::New(env, code));
  throw e;
}

}  // namespace

std::uint32_t registerPool(std::shared_ptr<AnyPool> pool) {
  auto entry = std::make_shared<PoolEntry>();
  entry->pool = std::move(pool);
  Registry& r = registry();
  std::lock_guard<std::mutex> lock(r.mu);
  const std::uint32_t id = ++r.lastId;
  r.live.emplace(id, std::move(entry));
  return id;
}

std::shared_ptr<PoolEntry> findPoolEntry(Napi::Env env, std::uint32_t id) {
  Registry& r = registry();
  bool wasDestroyed;
  {
    std::lock_guard<std::mutex> lock(r.mu);
    auto it = r.live.find(id);
    if (it != r.live.end()) return it->second;
    wasDestroyed = id != 0 && id <= r.lastId;
  }
  if (wasDestroyed) {
    throwPoolError(env, "ERR_POOL_DESTROYED", "pool " + std::to_string(id) + " has been destroyed");
  }
  throwPoolError(env, "ERR_POOL_NOT_FOUND", "no pool has id " + std::to_string(id));
}

std::shared_ptr<AnyPool> findPool(Napi::Env env, std::uint32_t id) { return findPoolEntry(env, id)->pool; }

namespace {

// Takes the id out of the live set (it then reads as destroyed, see Registry) and gives the blocks JS still holds back
// to the pool. Returns nullptr if the id was not live. The entry, and the pool unless a loop still runs
// on it, is freed by the caller's last reference, outside every lock.
std::shared_ptr<PoolEntry> unregister(std::uint32_t id) {
  std::shared_ptr<PoolEntry> entry;
  {
    Registry& r = registry();
    std::lock_guard<std::mutex> lock(r.mu);
    auto it = r.live.find(id);
    if (it == r.live.end()) return nullptr;
    entry = std::move(it->second);
    r.live.erase(it);
  }
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
    throwPoolError(env, "ERR_POOL_DESTROYED", "pool " + std::to_string(id) + " has been destroyed");
  }
}

std::shared_ptr<AnyPool> lookupPool(std::uint32_t id) {
  Registry& r = registry();
  std::lock_guard<std::mutex> lock(r.mu);
  auto it = r.live.find(id);
  return it == r.live.end() ? nullptr : it->second->pool;
}

bool releasePool(std::uint32_t id) { return unregister(id) != nullptr; }

std::size_t livePoolCount() {
  Registry& r = registry();
  std::lock_guard<std::mutex> lock(r.mu);
  return r.live.size();
}

std::uint32_t poolIdArg(const Napi::CallbackInfo& info, std::size_t index, const char* field) {
  const Napi::Value v = info[index];
  const std::string accepted = "an integer from 1 to 4294967295";
  if (!v.IsNumber()) throwTypeError(info.Env(), field, accepted, v);
  const double d = v.As<Napi::Number>().DoubleValue();
  if (!std::isfinite(d) || d != std::floor(d) || d < 1 || d > 4294967295.0) {
    throwRangeError(info.Env(), field, accepted, v);
  }
  return static_cast<std::uint32_t>(d);
}

}  // namespace poolscope::addon
