// Every pool variant under concurrent get/put/clear: 4 threads, 1e6 operations each (1e5 under
// ThreadSanitizer, which is ~10x slower), a mix of get+put, batches of up to 40 held objects, and hand-offs
// (got on one thread, put on another, so other threads' chains are stolen from), while another thread
// calls clear() in a loop. Then a second wave of threads inherits the first wave's records.
// Proof that no block is lost or handed out twice:
//   - each block carries an ownership tag, set when a caller gets it and cleared when it is put; taking
//     a block whose tag is set fails the test (take/give in pool_test_support.hpp);
//   - the allocator keeps a ledger: after the pool is destroyed every block it ever allocated has been
//     freed exactly once (a double free fails), and the pool's statistics agree with the ledger and with
//     the operations the threads counted.
// Rings start just below 2^32 and are small (8..64 slots), so indices wrap and chains grow, shrink, and
// retire, reuse and free rings under every variant.
// Then handoffBatchesPuts: the batched claims and puts of a handoff (sync_pool.hpp), step by step.
// Then chainRetireRace: one chain, its owner growing and shrinking it (rings retired, reused, freed) while
// three stealers race at the tail, for every publish policy; every block is accounted for once.
#include <atomic>
#include <chrono>
#include <mutex>
#include <random>
#include <thread>
#include <unordered_set>
#include <vector>

#include "core/pool_chain.hpp"
#include "core/ring_epochs.hpp"
#include "test/pool_test_support.hpp"

using namespace poolscope;
using namespace poolscope::test;

namespace {

#if defined(POOLSCOPE_TSAN) && POOLSCOPE_TSAN
constexpr std::uint64_t kOps = 100'000;
#else
constexpr std::uint64_t kOps = 1'000'000;
#endif
constexpr int kThreads = 4;
constexpr std::uint64_t kInExchange = UINT64_MAX;  // tag of a block parked between two threads

struct Exchange {
  std::mutex mu;
  std::vector<void*> parked;  // guarded by mu; tagged kInExchange
};

struct Counts {
  std::atomic<std::uint64_t> gets{0}, puts{0};
};

template <class P>
void worker(P& pool, Exchange& ex, Counts& counts, std::uint64_t me, std::uint64_t ops) {
  std::mt19937_64 rng(me * 7919);
  auto local = pool.pin();
  std::vector<void*> held;
  std::uint64_t gets = 0, puts = 0;
  auto get = [&]() -> void* {
    void* p = local.get();
    CHECK(p != nullptr);
    take(p, me);
    ++gets;
    return p;
  };
  auto put = [&](void* p) {
    give(p, me);
    local.put(p);
    ++puts;
  };
  for (std::uint64_t done = 0; done < ops;) {
    const unsigned r = rng() % 16;
    if (r < 8) {
      put(get());
      done += 1;
    } else if (r < 12) {
      const unsigned k = 1 + rng() % 40;
      for (unsigned i = 0; i < k; ++i) held.push_back(get());
      if (rng() & 1) std::swap(held.front(), held.back());
      for (void* p : held) put(p);
      held.clear();
      done += k;
    } else if (r < 14) {
      void* p = get();
      give(p, me);
      take(p, kInExchange);
      std::lock_guard<std::mutex> lock(ex.mu);
      if (ex.parked.size() < 512) {
        ex.parked.push_back(p);
      } else {
        give(p, kInExchange);
        take(p, me);
        put(p);
      }
      done += 1;
    } else {
      void* p = nullptr;
      {
        std::lock_guard<std::mutex> lock(ex.mu);
        if (!ex.parked.empty()) {
          p = ex.parked.back();
          ex.parked.pop_back();
        }
      }
      if (p != nullptr) {
        give(p, kInExchange);
        take(p, me);
        put(p);  // another thread got it: this put lands in our chain, theirs will steal
      }
      done += 1;
    }
  }
  counts.gets.fetch_add(gets, std::memory_order_relaxed);
  counts.puts.fetch_add(puts, std::memory_order_relaxed);
}

template <class P>
void stress(const char* name, const PoolConfig& cfg, int threads, std::uint64_t ops) {
  std::shared_ptr<Ledger> ledger;
  {
    P pool(cfg);
    ledger = pool.allocator().ledger();
    Exchange ex;
    Counts counts;
    std::atomic<bool> stop{false};
    std::atomic<std::uint64_t> clears{0};
    std::thread clearer([&] {
      // acquire: pairs with the release store below (only to end the loop promptly).
      while (!stop.load(std::memory_order_acquire)) {
        pool.clear();
        clears.fetch_add(1, std::memory_order_relaxed);
        std::this_thread::sleep_for(std::chrono::microseconds(200));
      }
    });
    // The workers start only once the clearer has cleared once, so even on a machine too busy to give the
    // clearer a time slice during the waves, clear() has run on this pool (no CHECK on a count that load
    // decides: it failed once at load 8).
    while (clears.load(std::memory_order_relaxed) == 0) std::this_thread::yield();
    std::uint64_t id = 1;
    for (int wave = 0; wave < 2; ++wave) {  // the second wave inherits the first wave's records
      std::vector<std::thread> ts;
      for (int t = 0; t < threads; ++t) {
        ts.emplace_back(worker<P>, std::ref(pool), std::ref(ex), std::ref(counts), id++, wave == 0 ? ops : ops / 5);
      }
      for (auto& t : ts) t.join();
    }
    stop.store(true, std::memory_order_release);
    clearer.join();
    for (void* p : ex.parked) {
      give(p, kInExchange);
      pool.put(p);
      counts.puts.fetch_add(1);
    }
    const PoolStats s = pool.stats();
    CHECK_EQ(s.gets(), counts.gets.load());
    CHECK_EQ(s.puts, counts.puts.load());
    CHECK_EQ(s.gets(), s.puts);  // every block got was put back
    {
      std::lock_guard<std::mutex> lock(ledger->mu);
      CHECK_EQ(s.fromNew, ledger->allocs);
      CHECK_EQ(ledger->badFrees, 0u);
      CHECK(ledger->frees >= s.drops);
    }
    std::fprintf(stderr, "%-20s threads %d  gets %llu  private %llu shared %llu steal %llu victim %llu new %llu drops %llu clears %llu\n",
                 name, threads, static_cast<unsigned long long>(s.gets()), static_cast<unsigned long long>(s.fromPrivate),
                 static_cast<unsigned long long>(s.fromShared), static_cast<unsigned long long>(s.fromSteal),
                 static_cast<unsigned long long>(s.fromVictim), static_cast<unsigned long long>(s.fromNew),
                 static_cast<unsigned long long>(s.drops), static_cast<unsigned long long>(clears.load()));
  }
  checkLedgerBalanced(*ledger, name);  // the pool's destructor freed every cached block once
}

PoolConfig stressConfig() {
  PoolConfig c;
  c.objectSize = 64;
  c.initialRingSize = 8;
  c.maxRingSize = 64;
  c.ringStartIndex = 0xffffff00u;
  c.maxCached = 4096;
  return c;
}

// One chain, small rings (8..32 slots), its owner (this thread) pushing and popping runs of up to 200
// blocks, so rings are linked, emptied, retired, reused and freed all the time, while three stealers
// pop at the tail inside RingEpochs sessions and hand what they stole back to the owner. Ownership tags
// catch a block handed to two parties; at the end every block is found exactly once; rings must have
// been freed during the race (the test proves the reclamation ran, not only the reuse).
template <class Publish>
void chainRetireRace(const char* name, std::uint64_t iterations) {
  using Chain = PoolChain<Publish>;
  constexpr std::uint32_t kStealers = 3;
  constexpr std::size_t kBlocks = 600;
  constexpr std::uint64_t kOwner = 100;
  RingEpochs epochs(kStealers + 1);  // slot 0: the owner (it never steals here); 1..3: stealers
  for (std::uint32_t i = 0; i <= kStealers; ++i) epochs.noteSlot(i);
  Chain chain;
  const ChainLimits limits{8, 32, 1u << 20, 0xffffff00u};
  struct alignas(64) Block {
    std::atomic<std::uint64_t> tag{0};
  };
  std::vector<Block> blocks(kBlocks);
  std::mutex mu;
  std::vector<void*> returned;  // guarded by mu: stolen blocks on their way back to the owner (tag 0)
  std::atomic<bool> stop{false};
  std::atomic<std::uint64_t> steals{0};
  std::atomic<std::uint64_t> freedDuringRace{0};
  std::vector<std::thread> ts;
  for (std::uint32_t id = 1; id <= kStealers; ++id) {
    ts.emplace_back([&, id] {
      std::uint64_t n = 0;
      // acquire: pairs with the release store of stop (only to end the loop promptly).
      while (!stop.load(std::memory_order_acquire)) {
        void* p;
        {
          RingEpochs::Session session(epochs, id);
          p = chain.popTail();
        }
        if (p == nullptr) {
          std::this_thread::yield();
          continue;
        }
        take(p, id);
        give(p, id);
        ++n;
        std::lock_guard<std::mutex> lock(mu);
        returned.push_back(p);
      }
      steals.fetch_add(n, std::memory_order_relaxed);
    });
  }
  std::vector<void*> held;
  for (auto& b : blocks) {
    take(&b, kOwner);
    held.push_back(&b);
  }
  std::mt19937_64 rng(77);
  std::uint64_t pushes = 0, pops = 0;
  for (std::uint64_t it = 0; it < iterations; ++it) {
    {
      std::lock_guard<std::mutex> lock(mu);
      for (void* p : returned) {
        take(p, kOwner);
        held.push_back(p);
      }
      returned.clear();
    }
    const std::size_t k = rng() % 201;
    for (std::size_t i = 0; i < k && !held.empty(); ++i) {
      void* p = held.back();
      held.pop_back();
      give(p, kOwner);
      CHECK(chain.pushHead(p, limits, epochs));  // no cap in reach: a push never fails
      ++pushes;
    }
    const std::size_t j = rng() % 201;
    for (std::size_t i = 0; i < j; ++i) {
      void* p = chain.popHead(epochs);
      if (p == nullptr) break;
      take(p, kOwner);
      held.push_back(p);
      ++pops;
    }
    if (it == iterations / 2) freedDuringRace.store(epochs.ringsFreedTotal(), std::memory_order_relaxed);
  }
  const std::uint64_t freedWhileRacing = epochs.ringsFreedTotal();
  stop.store(true, std::memory_order_release);
  for (auto& t : ts) t.join();
  // Every block exactly once: held by the owner, on the way back, or still in the chain.
  std::unordered_set<void*> seen;
  auto account = [&](void* p) { CHECK(seen.insert(p).second); };
  for (void* p : held) {
    give(p, kOwner);
    account(p);
  }
  for (void* p : returned) account(p);
  while (void* p = chain.popTail()) account(p);
  CHECK_EQ(seen.size(), kBlocks);
  for (auto& b : blocks) CHECK(seen.count(&b) == 1);
  CHECK(steals.load() > 0);
  CHECK(freedWhileRacing > 0);
  std::fprintf(stderr, "chain-retire/%-8s pushes %llu pops %llu steals %llu rings freed %llu (%llu by mid-run) peak live %lld\n",
               name, static_cast<unsigned long long>(pushes), static_cast<unsigned long long>(pops),
               static_cast<unsigned long long>(steals.load()), static_cast<unsigned long long>(freedWhileRacing),
               static_cast<unsigned long long>(freedDuringRace.load()), static_cast<long long>(epochs.peakLiveRings()));
  chain.destroyRings(epochs);
  CHECK_EQ(epochs.liveRings(), 0);
}

// A batched steal keeps the extra objects in the thief's stash; when the thief exits they move to its
// chain, where others find them: nothing is allocated anew, nothing leaks (ledger), for every policy.
template <class P>
void stashMovesOnExit(const char* name) {
  std::shared_ptr<Ledger> ledger;
  {
    PoolConfig cfg;
    cfg.objectSize = 64;
    P pool(cfg);
    ledger = pool.allocator().ledger();
    std::vector<void*> held;
    for (int i = 0; i < 20; ++i) held.push_back(pool.get());
    for (void* p : held) pool.put(p);  // 1 private + 19 in the main thread's chain
    held.clear();
    std::uint32_t claims = 0;
    std::thread([&] {
      auto local = pool.pin();
      void* p = local.get();  // a steal from a refilling owner (private full): packed rings hand over all they
                              // hold up to 16 (1 returned, 15 stashed), split ones 1
      CHECK(p != nullptr);
      claims = local.stealClaims();
      local.put(p);  // into its private slot; moves to its chain at exit, with the stash
    }).join();
    CHECK_EQ(claims, 1u);
    for (int i = 0; i < 20; ++i) held.push_back(pool.get());
    const PoolStats s = pool.stats();
    CHECK_EQ(s.fromNew, 20u);  // all 20 came back from the pool
    for (void* p : held) pool.put(p);
  }
  checkLedgerBalanced(*ledger, name);
}

// Handoff (sync_pool.hpp): a thread that only puts, robbed a few objects per claim, is asked to batch its
// puts; its next 15 wait in its stash, the 16th publishes all 16 at once, and a packed ring's next steal
// takes all 16 in one claim (a split ring still gives one per claim). A get of the owner's that reaches
// getSlow ends the batching: its next put is at once where others can steal it. Nothing allocated anew,
// nothing lost (ledger), for every policy; with config.batchPuts off, puts stay unbatched.
template <class P>
void handoffBatchesPuts(const char* name, bool batchPuts) {
  constexpr bool kPacked = P::PublishPolicy::kPackedWord;
  std::shared_ptr<Ledger> ledger;
  {
    PoolConfig cfg;
    cfg.objectSize = 64;
    cfg.batchPuts = batchPuts;
    cfg.initialRingSize = 16;  // room for a flush of 16 in the owner's first ring (a smaller one splits it)
    P pool(cfg);
    ledger = pool.allocator().ledger();
    auto owner = pool.pin();  // this thread: the refilling owner
    void* a = owner.get();
    void* b = owner.get();
    void* c = owner.get();
    owner.put(a);  // private
    owner.put(b);  // ring
    owner.put(c);  // ring
    // A consumer robs the owner (private full: a refilling owner) of its two ring objects, then gets 14
    // new ones (nothing left to steal), and hands all 16 to the owner. (The owner must not get them
    // itself: a get of its own that reaches getSlow ends the batching.)
    std::vector<void*> taken;
    std::uint32_t claims = 0;
    std::thread([&] {
      auto local = pool.pin();
      const PoolStats before = local.stats();  // a thread's stats are its record's, since the pool began
      const std::uint32_t claims0 = local.stealClaims();
      for (int i = 0; i < 16; ++i) taken.push_back(local.get());
      claims = local.stealClaims() - claims0;
      CHECK_EQ(local.stats().fromSteal - before.fromSteal, 2u);
      CHECK_EQ(local.stats().fromNew - before.fromNew, 14u);
    }).join();
    CHECK_EQ(claims, kPacked ? 1u : 2u);  // packed: all (2) in one claim, not half
    // The owner puts the 16: batched (if on), 15 wait in its stash, the 16th flushes.
    for (std::size_t i = 0; i + 1 < taken.size(); ++i) owner.put(taken[i]);
    if (batchPuts) {
      // 15 put, none published yet: another thread finds nothing to steal and allocates.
      std::thread([&] {
        auto local = pool.pin();
        const PoolStats before = local.stats();
        void* p = local.get();
        CHECK_EQ(local.stats().fromNew - before.fromNew, 1u);
        taken[0] = p;  // kept by the owner below, to put back at the end
      }).join();
    } else {
      taken[0] = nullptr;
    }
    owner.put(taken.back());  // the 16th
    std::vector<void*> stolen;
    std::thread([&] {
      auto local = pool.pin();
      const PoolStats before = local.stats();
      const std::uint32_t claims0 = local.stealClaims();
      for (int i = 0; i < 16; ++i) stolen.push_back(local.get());
      claims = local.stealClaims() - claims0;
      CHECK_EQ(local.stats().fromNew - before.fromNew, 0u);  // all 16 from the owner's ring
      CHECK_EQ(local.stats().fromSteal - before.fromSteal, 16u);
    }).join();
    // Batched: one publish of 16, a packed ring hands all over in one claim. Unbatched: the owner's ring
    // held the objects one by one; a packed claim still takes all from a refilling owner, so one claim too.
    CHECK_EQ(claims, kPacked ? 1u : 16u);
    // The owner gets past private and stash (getSlow): batching ends, its next put is visible at once.
    CHECK(owner.get() == a);
    void* n = owner.get();  // new (nothing cached anywhere)
    owner.put(n);           // private
    owner.put(stolen[0]);   // ring, at once
    std::thread([&] {
      auto local = pool.pin();
      const PoolStats before = local.stats();
      void* p = local.get();
      CHECK(p == stolen[0]);
      CHECK_EQ(local.stats().fromSteal - before.fromSteal, 1u);
      local.put(p);  // its private; to its chain at exit
    }).join();
    owner.put(a);
    for (std::size_t i = 1; i < stolen.size(); ++i) owner.put(stolen[i]);
    if (taken[0] != nullptr) owner.put(taken[0]);
  }
  checkLedgerBalanced(*ledger, name);
}

}  // namespace

int main() {
  forEachSync([]<class P>(const char* name) { stashMovesOnExit<P>(name); });
  forEachSync([]<class P>(const char* name) {
    handoffBatchesPuts<P>(name, true);
    handoffBatchesPuts<P>(name, false);
  });
  {
#if defined(POOLSCOPE_TSAN) && POOLSCOPE_TSAN
    constexpr std::uint64_t kRaceIterations = 2'000;
#else
    constexpr std::uint64_t kRaceIterations = 40'000;
#endif
    chainRetireRace<Xadd>("xadd", kRaceIterations);
    chainRetireRace<Cas>("cas", kRaceIterations);
    chainRetireRace<Mfence>("mfence", kRaceIterations);
    chainRetireRace<Xchg>("xchg", kRaceIterations);
  }
  forEachVariant([]<class P>(const char* name) { stress<P>(name, stressConfig(), kThreads, kOps); });
  // Fewer records than threads: two threads run unpooled, next to two pooled ones.
  forEachSync([]<class P>(const char* name) {
    PoolConfig c = stressConfig();
    c.maxThreads = 2;
    stress<P>(name, c, kThreads, kOps / 10);
  });
  // No victim cache: clear() drains the primary chains while their owners push into them.
  forEachSync([]<class P>(const char* name) {
    PoolConfig c = stressConfig();
    c.victim = false;
    stress<P>(name, c, 2, kOps / 4);
  });
  return 0;
}
