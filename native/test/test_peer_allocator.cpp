// The allocator peers: each loads RTLD_LOCAL (or says why not), serves the
// blocks handed out through its handle (not glibc), and works as a
// BlockAllocator policy from several threads.
//
// jemalloc needs static TLS that glibc only reserves for late dlopen when
// GLIBC_TUNABLES=glibc.rtld.optional_static_tls=... is set at process start,
// so this test re-executes itself once with it set, after first checking
// that without it jemalloc is reported `cannot-load` with that fix.
// A peer that is not there prints one line ("skipped: jemalloc not installed;
// apt-get install libjemalloc2 to enable") and its checks are skipped, so the
// test passes on a fresh machine. POOLSCOPE_REQUIRE_PEERS=1 (set by CI, which
// installs the packages) makes every peer that does not load a failure.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "check.hpp"
#include "core/make_pool.hpp"
#include "core/peer_allocator.hpp"
#include "core/peer_allocator_check.hpp"

using namespace poolscope::peers;

namespace {

bool tunableSet() {
  const char* t = std::getenv("GLIBC_TUNABLES");
  return t != nullptr && std::strstr(t, "optional_static_tls") != nullptr;
}

bool peersRequired() {
  const char* o = std::getenv("POOLSCOPE_REQUIRE_PEERS");
  return o != nullptr && std::strcmp(o, "1") == 0;
}

// One line for a peer that is not usable: skipped (and how to enable it), or,
// under POOLSCOPE_REQUIRE_PEERS=1, a failed CHECK.
void requireOrSkip(PeerId id) {
  const PeerLoad& l = peer(id);
  if (l.state == PeerState::loaded) return;
  const PeerSpec& spec = peerSpec(id);
  if (peersRequired()) {
    std::printf("POOLSCOPE_REQUIRE_PEERS=1 but %s is %s: %s\n", spec.name, peerStateName(l.state), l.reason.c_str());
    CHECK(l.state == PeerState::loaded);
    return;
  }
  if (l.state == PeerState::notInstalled)
    std::printf("skipped: %s not installed; apt-get install %s to enable\n", spec.name, spec.debianPackage);
  else
    std::printf("skipped: %s cannot load (%s)\n", spec.name, l.reason.c_str());
}

void checkMissingPath() {
  for (PeerId id : kAllPeers) {
    PeerLoad l = openPeer(id, "/nonexistent/poolscope/libnothere.so.9");
    CHECK(l.state == PeerState::notInstalled);
    CHECK(l.handle == nullptr);
    CHECK(l.reason.find(peerSpec(id).debianPackage) != std::string::npos);
    CHECK(l.reason.find("not installed") != std::string::npos);
  }
}

void checkNames() {
  PeerId id{};
  CHECK(peerFromName("mimalloc", id) && id == PeerId::mimalloc);
  CHECK(peerFromName("jemalloc", id) && id == PeerId::jemalloc);
  CHECK(peerFromName("tcmalloc", id) && id == PeerId::tcmalloc);
  CHECK(!peerFromName("glibc", id));
}

template <PeerId Id>
void checkAllocatorPolicy() {
  if (peer(Id).state != PeerState::loaded) {
    bool threw = false;
    try {
      PeerBlockAllocator<Id> a(64, 8);
    } catch (const PeerUnavailable&) {
      threw = true;
    }
    CHECK(threw);
    return;
  }
  for (std::size_t size : {std::size_t{64}, std::size_t{4096}, std::size_t{65536}}) {
    for (std::size_t align : {std::size_t{8}, std::size_t{64}, std::size_t{128}}) {
      PeerBlockAllocator<Id> a(size, align);
      std::vector<void*> v;
      for (int i = 0; i < 100; ++i) {
        void* p = a.allocate();
        CHECK(p != nullptr);
        CHECK(reinterpret_cast<std::uintptr_t>(p) % align == 0);
        std::memset(p, 0xab, size);  // the whole block is writable
        CHECK(peer(Id).fns.usableSize(p) >= size);
        v.push_back(p);
      }
      for (void* p : v) a.deallocate(p);
    }
  }
  // Blocks allocated on one thread and freed on another (remote frees), from two threads at once.
  PeerBlockAllocator<Id> a(64, 16);
  std::vector<void*> left(20000), right(20000);
  std::thread t1([&] {
    for (auto& p : left) p = a.allocate();
  });
  std::thread t2([&] {
    for (auto& p : right) p = a.allocate();
  });
  t1.join();
  t2.join();
  std::thread t3([&] {
    for (void* p : right) a.deallocate(p);
  });
  std::thread t4([&] {
    for (void* p : left) a.deallocate(p);
  });
  t3.join();
  t4.join();
}

// Each peer is a pool kind of the core's factory: MallocPool over the peer, its loops run through it.
void checkMakePool(PeerId id) {
  const PeerSpec& spec = peerSpec(id);
  poolscope::PoolConfig config;
  config.objectSize = 4096;
  if (peer(id).state != PeerState::loaded) {
    bool threw = false;
    try {
      poolscope::makePool(spec.name, "pad128", "xadd", config);
    } catch (const PeerUnavailable& e) {
      threw = std::string(e.what()).find(spec.name) != std::string::npos;
    }
    CHECK(threw);
    return;
  }
  auto pool = poolscope::makePool(spec.name, "pad128", "xadd", config);
  CHECK(pool->kind() == spec.name);
  CHECK_EQ(pool->objectSize(), std::size_t{4096});
  void* p = pool->get();
  CHECK(p != nullptr);
  CHECK(peer(id).fns.usableSize(p) >= 4096);
  pool->put(p);
  poolscope::LoopSpec loop;
  loop.scenario = poolscope::Scenario::Batch;
  loop.ops = 64 * 100;
  loop.batch = 64;
  poolscope::LoopResult r = pool->run(loop);
  CHECK_EQ(r.ops, loop.ops);
  CHECK_EQ(r.stats.fromNew, loop.ops);  // allocate on every get: nothing is cached
}

void checkServed(PeerId id) {
  const PeerLoad& l = peer(id);
  if (l.state != PeerState::loaded) return;
  std::printf("  %-9s %s\n", peerSpec(id).name, peerStateName(l.state));
  for (std::size_t size : {std::size_t{64}, std::size_t{4096}, std::size_t{65536}}) {
    ServedCheck c = checkServedByPeer(id, size, 256);
    CHECK(c.ran);
    CHECK(c.usableOk);
    CHECK(c.ownedByPeer);
    CHECK(c.glibcBlockNotOwned);
#if !defined(POOLSCOPE_TSAN)
    // glibc's arena must not have grown by anything like the 256 blocks.
    CHECK(c.glibcArenaDelta < static_cast<long long>(size * 256 / 8));
#endif
  }
}

}  // namespace

int main(int argc, char** argv) {
  (void)argc;
  checkNames();
  checkMissingPath();

  if (!tunableSet()) {
    // Without the tunable: jemalloc either loads (a glibc with more spare
    // static TLS) or says exactly what to do. Never crashes.
    const PeerLoad& je = peer(PeerId::jemalloc);
    if (je.state != PeerState::notInstalled)  // a missing jemalloc gets its one skip line below
      std::printf("without GLIBC_TUNABLES: jemalloc %s %s\n", peerStateName(je.state), je.reason.c_str());
    if (je.state == PeerState::cannotLoad) CHECK(je.reason.find(kStaticTlsTunable) != std::string::npos);
    std::fflush(stdout);
    // Re-run with the tunable so jemalloc can load too.
    std::string env = std::string("GLIBC_TUNABLES=") + kStaticTlsTunable;
    ::putenv(env.data());
    ::execv("/proc/self/exe", argv);
    std::perror("execv /proc/self/exe");
    return 1;
  }

  std::printf("with GLIBC_TUNABLES=%s:\n", std::getenv("GLIBC_TUNABLES"));
  for (PeerId id : kAllPeers) {
    requireOrSkip(id);
    checkServed(id);
  }
  for (PeerId id : kAllPeers) checkMakePool(id);
  checkAllocatorPolicy<PeerId::mimalloc>();
  checkAllocatorPolicy<PeerId::jemalloc>();
  checkAllocatorPolicy<PeerId::tcmalloc>();
  std::puts("ok");
  return 0;
}
