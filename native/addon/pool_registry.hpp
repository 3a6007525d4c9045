#pragma once
// The process-wide pool registry: every pool the addon creates gets a numeric id, and every worker thread
// (each its own isolate, all sharing this one loaded addon) reaches the same pool by that id.
//
// Ownership: the registry holds each live pool by shared_ptr; findPool hands out another shared_ptr, so a
// loop running on a pool keeps it alive even if another thread destroys the id meanwhile (the pool is
// freed when the last user lets go). Ids are issued in order and never reused, so a destroyed id (any id up
// to the last one issued that is not live: nothing is kept per destroyed id) stays recognisable and every
// later lookup throws ERR_POOL_DESTROYED naming it; an id never issued throws ERR_POOL_NOT_FOUND.
#include <napi.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_set>

#include "core/any_pool.hpp"

namespace poolscope::addon {

// A registered pool and the blocks JS currently holds from it (poolGet/poolPut), so a put of an
// address the pool never handed out, or handed out and already got back, is refused instead of crashing.
struct PoolEntry {
  std::shared_ptr<AnyPool> pool;  // immutable
  std::mutex mu;
  std::unordered_set<std::uintptr_t> heldByJs;  // guarded by mu
  // Bumped by poolStopLoops (any thread); a runLoop returns at its next chunk once the value differs from
  // the one it started with. Relaxed on both sides: it publishes no data, only "come back soon" (as
  // StopFlag).
  std::atomic<std::uint64_t> stopGeneration{0};
};

// Registers a pool; returns its id (>= 1).
std::uint32_t registerPool(std::shared_ptr<AnyPool> pool);

// The pool with this id; throws a JS Error with code ERR_POOL_DESTROYED / ERR_POOL_NOT_FOUND.
std::shared_ptr<AnyPool> findPool(Napi::Env env, std::uint32_t id);
std::shared_ptr<PoolEntry> findPoolEntry(Napi::Env env, std::uint32_t id);

// Removes the id (throws as findPool if it is not live). Blocks JS still holds go back to the pool; the
// pool itself is freed when its last user (a running loop, say) lets go.
void destroyPool(Napi::Env env, std::uint32_t id);

// For native code that has no JS environment to throw into (the harness's loops, its cleanup after a
// failed run): the live pool with this id, or nullptr.
std::shared_ptr<AnyPool> lookupPool(std::uint32_t id);

// Removes the id if it is live, as destroyPool does, without throwing; false if it was not live.
bool releasePool(std::uint32_t id);

// How many ids are live (tests check that runs leave none behind).
std::size_t livePoolCount();

// Reads argument `index` as a pool id: an integer from 1 to 4294967295 (TypeError/RangeError otherwise,
// naming `field`).
std::uint32_t poolIdArg(const Napi::CallbackInfo& info, std::size_t index, const char* field = "poolId");

}  // namespace poolscope::addon
