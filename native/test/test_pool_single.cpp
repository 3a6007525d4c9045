// Single-thread semantics of every pool variant: where each get is served from, LIFO order of the shared
// chain, clear() and the victim cache, drops, threads without a slot, a thread's cache surviving its exit,
// and that destroying a pool frees every cached block exactly once.
#include <thread>
#include <vector>

#include "test/pool_test_support.hpp"

using namespace poolscope;
using namespace poolscope::test;

namespace {

PoolConfig smallConfig() {
  PoolConfig c;
  c.objectSize = 64;
  return c;
}

template <class P>
void syncGetOrder() {
  std::shared_ptr<Ledger> ledger;
  {
    P pool(smallConfig());
    ledger = pool.allocator().ledger();
    void* a = pool.get();
    CHECK(a != nullptr);
    CHECK_EQ(pool.stats().fromNew, 1u);
    pool.put(a);
    CHECK(pool.get() == a);  // the private slot
    CHECK_EQ(pool.stats().fromPrivate, 1u);

    void* b = pool.get();
    void* c = pool.get();
    pool.put(a);  // private
    pool.put(b);  // shared
    pool.put(c);  // shared (head)
    auto local = pool.pin();
    CHECK(local.get() == a);
    CHECK(local.get() == c);  // owner pops the head: LIFO
    CHECK(local.get() == b);
    const PoolStats s = pool.stats();
    CHECK_EQ(s.fromPrivate, 2u);
    CHECK_EQ(s.fromShared, 2u);
    CHECK_EQ(s.fromNew, 3u);
    CHECK_EQ(s.puts, 4u);
    CHECK_EQ(s.gets(), 7u);
    CHECK_EQ(s.drops, 0u);
    local.put(a);
    local.put(b);
    local.put(c);
    CHECK_EQ(ledger->frees, 0u);
  }
  checkLedgerBalanced(*ledger, "get order");  // destruction freed the three cached blocks
  CHECK_EQ(ledger->allocs, 3u);
}

template <class P>
void syncVictim() {
  PoolConfig cfg = smallConfig();
  P pool(cfg);
  auto ledger = pool.allocator().ledger();
  void* a = pool.get();
  void* b = pool.get();
  pool.put(a);   // private
  pool.put(b);   // shared
  pool.clear();  // b becomes a victim; a stays in the private slot (owner-only, see sync_pool.hpp)
  CHECK_EQ(ledger->frees, 0u);
  CHECK(pool.get() == a);  // private
  CHECK(pool.get() == b);  // own victim chain
  CHECK_EQ(pool.stats().fromVictim, 1u);
  void* c = pool.get();
  CHECK_EQ(pool.stats().fromNew, 3u);
  pool.put(a);
  pool.put(b);
  pool.put(c);
  pool.clear();
  CHECK_EQ(ledger->frees, 0u);  // b, c are victims now
  pool.clear();                 // and are freed by the second clear
  CHECK_EQ(ledger->frees, 2u);
  CHECK(pool.get() == a);  // the private object survived
  void* d = pool.get();
  CHECK_EQ(pool.stats().fromNew, 4u);
  pool.put(d);
  pool.put(a);
}

template <class P>
void syncNoVictim() {
  PoolConfig cfg = smallConfig();
  cfg.victim = false;
  P pool(cfg);
  auto ledger = pool.allocator().ledger();
  void* a = pool.get();
  void* b = pool.get();
  void* c = pool.get();
  pool.put(a);
  pool.put(b);
  pool.put(c);
  pool.clear();
  CHECK_EQ(ledger->frees, 2u);  // b and c, from the chain, at once
  CHECK(pool.get() == a);
  void* d = pool.get();
  CHECK_EQ(pool.stats().fromVictim, 0u);
  CHECK_EQ(pool.stats().fromNew, 4u);
  pool.put(a);
  pool.put(d);
}

template <class P>
void syncDrops() {
  PoolConfig cfg = smallConfig();
  cfg.initialRingSize = 8;
  cfg.maxRingSize = 8;
  cfg.maxRingsPerChain = 1;
  P pool(cfg);
  auto ledger = pool.allocator().ledger();
  std::vector<void*> held;
  for (int i = 0; i < 11; ++i) held.push_back(pool.get());
  for (void* p : held) pool.put(p);  // 1 private + 8 in the only ring + 2 dropped
  CHECK_EQ(pool.stats().drops, 2u);
  CHECK_EQ(ledger->frees, 2u);
  std::vector<void*> back;
  for (int i = 0; i < 9; ++i) back.push_back(pool.get());  // all cached ones come back
  CHECK_EQ(pool.stats().fromPrivate + pool.stats().fromShared, 9u);
  for (void* p : back) pool.allocator().deallocate(p);  // the test's, not the pool's, to free (LSan)
}

template <class P>
void syncThreadsBeyondMax() {
  PoolConfig cfg = smallConfig();
  cfg.maxThreads = 1;
  P pool(cfg);
  auto ledger = pool.allocator().ledger();
  void* mine = pool.get();  // main thread takes the only slot
  pool.put(mine);
  std::thread([&] {
    auto local = pool.pin();
    CHECK(!local.hasSlot());
    void* p = local.get();  // unpooled: allocate
    CHECK(p != nullptr);
    local.put(p);  // unpooled: free
  }).join();
  const PoolStats s = pool.stats();
  CHECK_EQ(s.fromNew, 2u);
  CHECK_EQ(s.drops, 1u);
  CHECK_EQ(ledger->frees, 1u);
}

template <class P>
void syncThreadExitKeepsCache() {
  P pool(smallConfig());
  auto ledger = pool.allocator().ledger();
  auto mainLocal = pool.pin();  // the main thread takes slot 0 first
  void* a = nullptr;
  void* b = nullptr;
  std::thread([&] {
    a = pool.get();
    b = pool.get();
    pool.put(a);  // private: moved to the shared chain at thread exit
    pool.put(b);
  }).join();
  CHECK_EQ(ledger->frees, 0u);
  std::thread([&] {
    // This thread inherits the exited thread's record (slot 1): its own chain now.
    void* x = pool.get();
    void* y = pool.get();
    CHECK((x == a && y == b) || (x == b && y == a));
    CHECK_EQ(pool.pin().stats().fromShared, 2u);
    pool.put(x);
    pool.put(y);
  }).join();
  void* x = mainLocal.get();  // main thread (slot 0) steals from slot 1
  CHECK(x == a || x == b);
  CHECK_EQ(mainLocal.stats().fromSteal, 1u);
  mainLocal.put(x);
}

template <class P>
void baselineBasics(const char* name) {
  std::shared_ptr<Ledger> ledger;
  {
    P pool(smallConfig());
    ledger = pool.allocator().ledger();
    void* a = pool.get();
    void* b = pool.get();
    CHECK(a != nullptr && b != nullptr && a != b);
    pool.put(a);
    pool.put(b);
    const bool caches = std::string_view(name) != "malloc";
    if (caches) {
      void* x = pool.get();
      void* y = pool.get();
      CHECK((x == a && y == b) || (x == b && y == a));
      CHECK_EQ(pool.stats().fromShared, 2u);
      pool.put(x);
      pool.put(y);
      CHECK_EQ(ledger->frees, 0u);
      pool.clear();
      CHECK_EQ(ledger->frees, 2u);
    } else {
      CHECK_EQ(ledger->frees, 2u);
      CHECK_EQ(pool.stats().fromNew, 2u);
    }
    CHECK_EQ(pool.stats().puts, caches ? 4u : 2u);
    pool.put(pool.get());
  }
  checkLedgerBalanced(*ledger, name);
}

template <class P>
void baselineDrops() {
  PoolConfig cfg = smallConfig();
  cfg.maxCached = 2;
  P pool(cfg);
  void* a = pool.get();
  void* b = pool.get();
  void* c = pool.get();
  pool.put(a);
  pool.put(b);
  pool.put(c);
  CHECK_EQ(pool.stats().drops, 1u);
}

}  // namespace

int main() {
  forEachSync([]<class P>(const char* name) {
    std::fprintf(stderr, "%s\n", name);
    syncGetOrder<P>();
    syncVictim<P>();
    syncNoVictim<P>();
    syncDrops<P>();
    syncThreadsBeyondMax<P>();
    syncThreadExitKeepsCache<P>();
  });
  forEachBaseline([]<class P>(const char* name) {
    std::fprintf(stderr, "%s\n", name);
    baselineBasics<P>(name);
    if (std::string_view(name) != "malloc") baselineDrops<P>();
  });
  // Pools destroyed with blocks still cached everywhere: nothing leaks, nothing is freed twice.
  forEachVariant([]<class P>(const char* name) {
    std::shared_ptr<Ledger> ledger;
    {
      P pool(smallConfig());
      ledger = pool.allocator().ledger();
      std::vector<void*> held;
      for (int i = 0; i < 100; ++i) held.push_back(pool.get());
      for (void* p : held) pool.put(p);
      pool.clear();
      for (int i = 0; i < 50; ++i) held[i] = pool.get();
      for (int i = 0; i < 50; ++i) pool.put(held[i]);
    }
    checkLedgerBalanced(*ledger, name);
  });
  return 0;
}
