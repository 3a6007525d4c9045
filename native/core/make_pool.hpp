#pragma once
// makePool: a pool variant chosen by name at run time. Every SyncPool Layout x Publish combination and the
// three baselines are instantiated here, each with its own inlined hot loops (PoolModel).
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

#include "core/any_pool.hpp"
#include "core/baselines.hpp"
#include "core/layout.hpp"
#include "core/name_list.hpp"
#include "core/peer_allocator.hpp"  // allocator peers (peers work)
#include "core/pool_config.hpp"
#include "core/publish.hpp"
#include "core/sync_pool.hpp"

namespace poolscope {

// The names makePool accepts: the one definition of each list. The addon exports them to JS
// (poolscopeNames), where a test checks that lib/pool.ts's lists are the same.
inline constexpr std::string_view kPoolKinds[] = {"sync", "malloc", "mutex", "treiber", "mimalloc", "jemalloc", "tcmalloc"};
inline constexpr std::string_view kLayoutNames[] = {Packed::name, Pad64::name, Pad128::name};
inline constexpr std::string_view kPublishNames[] = {Xadd::name, Cas::name, Mfence::name, Xchg::name};

namespace detail {

template <std::size_t N>
[[noreturn]] void badName(std::string_view field, std::string_view value, const std::string_view (&accepted)[N]) {
  throw std::invalid_argument(std::string(field) + " must be one of " + quotedList(accepted) + " (received '" +
                              std::string(value) + "')");
}

template <class Layout, class Publish>
std::shared_ptr<AnyPool> makeSync(const PoolConfig& c) {
  return std::make_shared<PoolModel<SyncPool<Layout, Publish>>>("sync", Layout::name, Publish::name, c);
}

template <class Layout>
std::shared_ptr<AnyPool> makeSyncWithLayout(std::string_view publish, const PoolConfig& c) {
  if (publish == Xadd::name) return makeSync<Layout, Xadd>(c);
  if (publish == Cas::name) return makeSync<Layout, Cas>(c);
  if (publish == Mfence::name) return makeSync<Layout, Mfence>(c);
  if (publish == Xchg::name) return makeSync<Layout, Xchg>(c);
  badName("publish", publish, kPublishNames);
}

}  // namespace detail

// Throws std::invalid_argument naming the field and the accepted values. layout and publish are checked
// for every kind (a typo is an error) but only SyncPool uses them.
inline std::shared_ptr<AnyPool> makePool(std::string_view pool, std::string_view layout, std::string_view publish,
                                         const PoolConfig& config) {
  if (layout != Packed::name && layout != Pad64::name && layout != Pad128::name) {
    detail::badName("layout", layout, kLayoutNames);
  }
  if (publish != Xadd::name && publish != Cas::name && publish != Mfence::name && publish != Xchg::name) {
    detail::badName("publish", publish, kPublishNames);
  }
  if (pool == "sync") {
    if (layout == Packed::name) return detail::makeSyncWithLayout<Packed>(publish, config);
    if (layout == Pad64::name) return detail::makeSyncWithLayout<Pad64>(publish, config);
    return detail::makeSyncWithLayout<Pad128>(publish, config);
  }
  if (pool == "malloc") return std::make_shared<PoolModel<MallocPool<>>>("malloc", "", "", config);
  if (pool == "mutex") return std::make_shared<PoolModel<MutexPool<>>>("mutex", "", "", config);
  if (pool == "treiber") return std::make_shared<PoolModel<TreiberPool<>>>("treiber", "", "", config);
  // Allocator peers (native/core/peer_allocator.hpp, peers work): MallocPool over a peer dlopen'ed
  // RTLD_LOCAL, allocate on get, free on put. Throws peers::PeerUnavailable (a std::runtime_error saying
  // "not installed: ... apt-get install ..." or why it cannot load) when the peer is not loaded.
  if (pool == "mimalloc") return std::make_shared<PoolModel<MallocPool<peers::MimallocAllocator>>>("mimalloc", "", "", config);
  if (pool == "jemalloc") return std::make_shared<PoolModel<MallocPool<peers::JemallocAllocator>>>("jemalloc", "", "", config);
  if (pool == "tcmalloc") return std::make_shared<PoolModel<MallocPool<peers::TcmallocAllocator>>>("tcmalloc", "", "", config);
  detail::badName("pool", pool, kPoolKinds);
}

}  // namespace poolscope
