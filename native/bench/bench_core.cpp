// bench:core — every pool variant's native get-put and batch loops next to a bare thread-local slot (and,
// for batch, a bare thread-local stack of 64 and a bare port of Go's poolDequeue, the floor for a ring
// based pool: ratio-to-bare-go-dequeue), in one process, printed as Go benchmark lines with the ratio
// to that floor. Shared, noisy machines: each round runs every variant once, in a shuffled order, and
// ratios are taken within a round (variant / floor measured in the same round), then the median over
// rounds is reported, with the median ns/op. Also the bare cost of each publish instruction.
//
// ns/op is the thread's CPU time (CLOCK_THREAD_CPUTIME_ID) per get+put pair: on a machine shared with
// other work the wall clock also counts the time the thread spent descheduled, which has nothing to do
// with the pool. The wall-clock figure is printed too (wall-ns/op).
//
//   build-native/bench/bench_core [--rounds N] [--ms M]   (scripts/bench-core.sh builds and runs it)
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <time.h>

#include "core/block_allocator.hpp"
#include "core/loop_spec.hpp"
#include "core/make_pool.hpp"
#include "core/publish.hpp"
#include "core/scenarios/producer_consumer.hpp"
#include "core/scenarios/run_control.hpp"
#include "core/scenarios/run_scenario.hpp"
#include "core/sync_pool.hpp"
#include "core/baselines.hpp"
#include "platform/affinity.hpp"

using namespace poolscope;

namespace {

// The floors: what a pool's fast path cannot beat. Same loop templates, same doNotOptimize.
[[gnu::tls_model("initial-exec")]] thread_local void* tlsSlot = nullptr;
[[gnu::tls_model("initial-exec")]] thread_local void* tlsStack[64];
[[gnu::tls_model("initial-exec")]] thread_local std::uint32_t tlsDepth = 0;

struct TlsSlotLocal {
  BlockAllocator* alloc;
  void* get() noexcept {
    void* p = tlsSlot;
    if (p != nullptr) {
      tlsSlot = nullptr;
      return p;
    }
    return alloc->allocate();
  }
  void put(void* p) noexcept {
    if (tlsSlot == nullptr) {
      tlsSlot = p;
      return;
    }
    alloc->deallocate(p);
  }
};

struct TlsStackLocal {
  BlockAllocator* alloc;
  void* get() noexcept {
    if (tlsDepth > 0) return tlsStack[--tlsDepth];
    return alloc->allocate();
  }
  void put(void* p) noexcept {
    if (tlsDepth < 64) {
      tlsStack[tlsDepth++] = p;
      return;
    }
    alloc->deallocate(p);
  }
};

// The batch floor a ring-based pool is measured against: a bare port of Go's poolDequeue (64 slots,
// head|tail packed in one word), used by its owner only: pushHead publishes with `lock xadd` (Go's
// headTail.Add), popHead claims with a `lock cmpxchg` loop (Go's CompareAndSwap), and Go's checks stay
// (full test, the slot-still-being-emptied test on push). No chain, no private slot, no statistics, no
// handle: what a pool's shared path costs at least.
struct BareDequeue {
  static constexpr std::uint32_t kSlots = 64;
  std::atomic<std::uint64_t> headTail{0};
  std::atomic<void*> vals[kSlots] = {};

  // Owner only (Go's pushHead).
  bool pushHead(void* p) noexcept {
    const std::uint64_t ht = headTail.load(std::memory_order_acquire);
    const std::uint32_t head = detail::headOf(ht);
    if (head - detail::tailOf(ht) == kSlots) return false;  // full
    std::atomic<void*>& slot = vals[head & (kSlots - 1)];
    if (slot.load(std::memory_order_acquire) != nullptr) return false;  // a popTail is still emptying it
    slot.store(p, std::memory_order_relaxed);
    detail::xaddWord(headTail, detail::kHeadOne);  // lock xadd: publishes the slot
    return true;
  }
  // Owner only (Go's popHead).
  void* popHead() noexcept {
    std::uint64_t ht = headTail.load(std::memory_order_relaxed);
    for (;;) {
      const std::uint32_t head = detail::headOf(ht);
      if (head == detail::tailOf(ht)) return nullptr;
      if (detail::casWord(headTail, ht, ht - detail::kHeadOne)) {  // lock cmpxchg
        std::atomic<void*>& slot = vals[(head - 1) & (kSlots - 1)];
        void* p = slot.load(std::memory_order_relaxed);
        slot.store(nullptr, std::memory_order_relaxed);
        return p;
      }
    }
  }
};

struct BareDequeueLocal {
  BareDequeue* ring;
  BlockAllocator* alloc;
  void* get() noexcept {
    if (void* p = ring->popHead()) return p;
    return alloc->allocate();
  }
  void put(void* p) noexcept {
    if (ring->pushHead(p)) return;
    alloc->deallocate(p);
  }
};

using Clock = std::chrono::steady_clock;

double threadCpuNs() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e9 + static_cast<double>(ts.tv_nsec);
}

struct Timing {
  double cpuNsPerOp;
  double wallNsPerOp;
};

struct Variant {
  Variant(std::string n, std::function<Timing(const LoopSpec&)> r) : name(std::move(n)), run(std::move(r)) {}
  std::string name;                            // "pool=sync/layout=pad128/publish=xadd"
  std::function<Timing(const LoopSpec&)> run;       // per get+put pair
  std::uint64_t ops = 0;                            // calibrated per scenario
  std::vector<double> nsPerOp, wallNsPerOp, ratio, ratio2;  // one per round
};

template <class Local>
Timing timeLocal(Local& local, const LoopSpec& spec) {
  const double c0 = threadCpuNs();
  const auto t0 = Clock::now();
  const std::uint64_t done = runScenario(local, spec);
  const auto t1 = Clock::now();
  const double c1 = threadCpuNs();
  const double n = static_cast<double>(done);
  return {(c1 - c0) / n,
          static_cast<double>(std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count()) / n};
}

// The order the variants run in within one round: shuffled every round (seeded, so runs repeat),
// so no variant always runs first or right after the same neighbour.
class RoundOrder {
 public:
  RoundOrder(std::size_t n, unsigned seed) : rng_(seed), order_(n) {
    for (std::size_t i = 0; i < n; ++i) order_[i] = i;
  }
  void shuffle() { std::shuffle(order_.begin(), order_.end(), rng_); }
  auto begin() const { return order_.begin(); }
  auto end() const { return order_.end(); }

 private:
  std::mt19937 rng_;
  std::vector<std::size_t> order_;
};

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

std::string cpuModel() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("model name", 0) == 0) return line.substr(line.find(':') + 2);
  }
  return "unknown";
}

// Runs one scenario over all variants; floor is index 0. With ref2 >= 0, a second ratio column against
// variant ref2 (measured in the same rounds).
void benchScenario(const char* goName, Scenario scenario, std::vector<Variant>& vs, int rounds, double targetMs,
                   const char* floorName, int ref2 = -1, const char* ref2Name = nullptr) {
  LoopSpec spec;
  spec.scenario = scenario;
  spec.batch = 32;
  for (auto& v : vs) {  // calibrate: a run of about targetMs
    spec.ops = 200'000;
    v.run(spec);  // warm-up (rings grown, caches filled)
    const double ns = v.run(spec).cpuNsPerOp;
    v.ops = std::clamp<std::uint64_t>(static_cast<std::uint64_t>(targetMs * 1e6 / std::max(ns, 0.1)), 100'000,
                                      200'000'000);
    v.ops -= v.ops % 32;
    v.nsPerOp.clear();
    v.wallNsPerOp.clear();
    v.ratio.clear();
    v.ratio2.clear();
  }
  RoundOrder order(vs.size(), 12345);
  for (int r = 0; r < rounds; ++r) {
    order.shuffle();
    std::vector<double> ns(vs.size());
    for (std::size_t i : order) {
      spec.ops = vs[i].ops;
      const Timing t = vs[i].run(spec);
      ns[i] = t.cpuNsPerOp;
      vs[i].nsPerOp.push_back(t.cpuNsPerOp);
      vs[i].wallNsPerOp.push_back(t.wallNsPerOp);
    }
    for (std::size_t i = 0; i < vs.size(); ++i) {
      vs[i].ratio.push_back(ns[i] / ns[0]);
      if (ref2 >= 0) vs[i].ratio2.push_back(ns[i] / ns[static_cast<std::size_t>(ref2)]);
    }
  }
  for (auto& v : vs) {
    std::printf("Benchmark%s/%s\t%llu\t%.3f ns/op\t%.3f ratio-to-%s", goName, v.name.c_str(),
                static_cast<unsigned long long>(v.ops), median(v.nsPerOp), median(v.ratio), floorName);
    if (ref2 >= 0) std::printf("\t%.3f ratio-to-%s", median(v.ratio2), ref2Name);
    std::printf("\t%.3f wall-ns/op\n", median(v.wallNsPerOp));
  }
  std::fflush(stdout);
}

// The bare publish instructions on a private word, for scale (what each variant pays per head change).
template <class F>
double timeInstr(F f, std::uint64_t n) {
  const double c0 = threadCpuNs();
  for (std::uint64_t i = 0; i < n; ++i) f(i);
  return (threadCpuNs() - c0) / static_cast<double>(n);
}

// Producer-consumer: one thread gets blocks and hands them through an SPSC ring to another, which puts
// them back (so every producer get is served by a steal, or by new). Wall time per handoff over both
// threads; steals/op is the producer's gets served by stealing per handoff. The two threads are pinned to
// the process's first two CPUs, as the harness pins its workers: left to the scheduler, on a shared
// 2-CPU machine both often land on one CPU and take turns, which measures no cross-core handoff at all.
struct PcTiming {
  double wallNsPerOp;
  double stealsPerOp;  // producer gets served by stealing, per handoff
  double claimsPerOp;  // steal claims (one contended CAS each), per handoff
  double cpuNsPerOp;   // both threads' CPU time per handoff (includes their spinning on the channel)
};

template <class L>
std::uint64_t claimsOf(const L& local) {
  if constexpr (requires { local.stealClaims(); }) return local.stealClaims();
  else return 0;
}

template <class P>
PcTiming pcRun(P& pool, std::uint64_t n) {
  PcChannel ch;
  StopFlag stop;
  std::uint64_t steals = 0, claims = 0;
  double cpuConsumer = 0, cpuProducer = 0;
  const auto t0 = Clock::now();
  std::thread consumer([&] {
    platform::pinNthCpu(0);
    auto local = pool.pin();
    const double c0 = threadCpuNs();
    consumerLoop(local, ch, stop);
    cpuConsumer = threadCpuNs() - c0;
  });
  std::thread producer([&] {
    platform::pinNthCpu(1);
    auto local = pool.pin();
    const PoolStats before = local.stats();
    const std::uint64_t claims0 = claimsOf(local);
    const double c0 = threadCpuNs();
    const std::uint64_t made = producerLoop(local, ch, 0, n, stop);
    cpuProducer = threadCpuNs() - c0;
    steals = local.stats().fromSteal - before.fromSteal;
    claims = static_cast<std::uint32_t>(claimsOf(local) - claims0);
    ch.finish(made);
  });
  producer.join();
  consumer.join();
  const double ns = static_cast<double>(std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - t0).count());
  if (ch.orderErrors != 0 || ch.consumed != n) {
    std::fprintf(stderr, "producer-consumer: %llu order errors, %llu of %llu consumed\n",
                 static_cast<unsigned long long>(ch.orderErrors), static_cast<unsigned long long>(ch.consumed),
                 static_cast<unsigned long long>(n));
    std::exit(1);
  }
  const double dn = static_cast<double>(n);
  return {ns / dn, static_cast<double>(steals) / dn, static_cast<double>(claims) / dn, (cpuConsumer + cpuProducer) / dn};
}

struct PcVariant {
  PcVariant(std::string n, std::function<PcTiming(std::uint64_t)> r) : name(std::move(n)), run(std::move(r)) {}
  std::string name;
  std::function<PcTiming(std::uint64_t)> run;
  std::vector<double> ns, ratio, steals, claims, cpu;
};

// Rounds in shuffled order; ratio to glibc malloc (variant 0) within each round; medians printed.
void benchProducerConsumer(int rounds, std::uint64_t n) {
  PoolConfig config;
  config.objectSize = 64;
  auto mallocPool = std::make_shared<MallocPool<>>(config);
  auto xadd = std::make_shared<SyncPool<Pad128, Xadd>>(config);
  auto cas = std::make_shared<SyncPool<Pad128, Cas>>(config);
  auto xchg = std::make_shared<SyncPool<Pad128, Xchg>>(config);
  auto mutex = std::make_shared<MutexPool<>>(config);
  PoolConfig single = config;
  single.batchSteal = false;
  auto xaddSingle = std::make_shared<SyncPool<Pad128, Xadd>>(single);
  PoolConfig unbatched = config;  // batched claims, but the putting thread's puts published one by one
  unbatched.batchPuts = false;
  auto xaddUnbatched = std::make_shared<SyncPool<Pad128, Xadd>>(unbatched);
  std::vector<PcVariant> vs;
  vs.emplace_back("pool=malloc", [=](std::uint64_t k) { return pcRun(*mallocPool, k); });
  vs.emplace_back("pool=sync/layout=pad128/publish=xadd", [=](std::uint64_t k) { return pcRun(*xadd, k); });
  vs.emplace_back("pool=sync/layout=pad128/publish=xadd/puts=unbatched", [=](std::uint64_t k) { return pcRun(*xaddUnbatched, k); });
  vs.emplace_back("pool=sync/layout=pad128/publish=xadd/steal=single", [=](std::uint64_t k) { return pcRun(*xaddSingle, k); });
  vs.emplace_back("pool=sync/layout=pad128/publish=cas", [=](std::uint64_t k) { return pcRun(*cas, k); });
  vs.emplace_back("pool=sync/layout=pad128/publish=xchg", [=](std::uint64_t k) { return pcRun(*xchg, k); });
  vs.emplace_back("pool=mutex", [=](std::uint64_t k) { return pcRun(*mutex, k); });
  for (auto& v : vs) v.run(n / 4);  // warm-up: rings grown, threads' records taken
  RoundOrder order(vs.size(), 777);
  for (int r = 0; r < rounds; ++r) {
    order.shuffle();
    std::vector<double> ns(vs.size());
    for (std::size_t i : order) {
      const PcTiming t = vs[i].run(n);
      ns[i] = t.wallNsPerOp;
      vs[i].ns.push_back(t.wallNsPerOp);
      vs[i].steals.push_back(t.stealsPerOp);
      vs[i].claims.push_back(t.claimsPerOp);
      vs[i].cpu.push_back(t.cpuNsPerOp);
    }
    for (std::size_t i = 0; i < vs.size(); ++i) vs[i].ratio.push_back(ns[i] / ns[0]);
  }
  for (auto& v : vs) {
    std::printf("BenchmarkProducerConsumer/%s-2\t%llu\t%.3f ns/op\t%.3f ratio-to-malloc\t%.3f steals/op\t%.4f claims/op\t%.3f cpu-ns/op\n",
                v.name.c_str(), static_cast<unsigned long long>(n), median(v.ns), median(v.ratio), median(v.steals),
                median(v.claims), median(v.cpu));
  }
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  platform::rememberProcessCpuMask();  // before any thread is pinned
  int rounds = 7;
  double targetMs = 40;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--rounds") && i + 1 < argc) rounds = std::atoi(argv[++i]);
    else if (!std::strcmp(argv[i], "--ms") && i + 1 < argc) targetMs = std::atof(argv[++i]);
    else {
      std::fprintf(stderr, "usage: %s [--rounds N] [--ms M]\n", argv[0]);
      return 2;
    }
  }
  if (rounds < 1 || targetMs <= 0) {
    std::fprintf(stderr, "--rounds must be >= 1 and --ms > 0\n");
    return 2;
  }
  std::printf("goos: linux\ngoarch: amd64\npkg: poolscope/native/bench\ncpu: %s\n", cpuModel().c_str());
  std::printf("# %d rounds, ~%.0f ms per measurement, objectSize 64, single thread; medians over rounds;\n"
              "# ns/op = thread CPU time per get+put pair, ratios within a round; wall-ns/op includes descheduled time\n",
              rounds, targetMs);

  PoolConfig config;
  config.objectSize = 64;
  BlockAllocator floorAlloc(64, 16);
  std::vector<std::shared_ptr<AnyPool>> pools;
  for (const char* layout : {"packed", "pad64", "pad128"}) {
    for (const char* publish : {"xadd", "cas", "mfence", "xchg"}) pools.push_back(makePool("sync", layout, publish, config));
  }
  for (const char* kind : {"malloc", "mutex", "treiber"}) pools.push_back(makePool(kind, "pad128", "xadd", config));

  auto variants = [&](const char* floorName, std::function<Timing(const LoopSpec&)> floorRun) {
    std::vector<Variant> vs;
    vs.emplace_back(floorName, std::move(floorRun));
    for (auto& p : pools) {
      vs.emplace_back(p->name(), [p](const LoopSpec& s) {
        const double c0 = threadCpuNs();
        const LoopResult r = p->run(s);
        const double n = static_cast<double>(r.ops);
        return Timing{(threadCpuNs() - c0) / n, static_cast<double>(r.elapsedNs) / n};
      });
    }
    return vs;
  };

  auto slotRun = [&](const LoopSpec& s) {
    TlsSlotLocal l{&floorAlloc};
    return timeLocal(l, s);
  };
  auto stackRun = [&](const LoopSpec& s) {
    TlsStackLocal l{&floorAlloc};
    return timeLocal(l, s);
  };

  auto getPut = variants("pool=tls-slot", slotRun);
  benchScenario("GetPut", Scenario::GetPut, getPut, rounds, targetMs, "tls-slot");
  BareDequeue bareRing;
  auto bareRun = [&](const LoopSpec& s) {
    BareDequeueLocal l{&bareRing, &floorAlloc};
    return timeLocal(l, s);
  };
  auto batch = variants("pool=tls-stack", stackRun);
  batch.insert(batch.begin() + 1, Variant{"pool=tls-slot", slotRun});
  batch.insert(batch.begin() + 2, Variant{"pool=bare-go-dequeue", bareRun});
  benchScenario("Batch", Scenario::Batch, batch, rounds, targetMs, "tls-stack", 2, "bare-go-dequeue");

  // Two threads: ns/op is wall time per handoff (the machine's other load counts too).
  benchProducerConsumer(rounds, static_cast<std::uint64_t>(std::max(100'000.0, targetMs * 25'000)));

  // Publish instructions alone, on a word no other thread touches.
  std::atomic<std::uint64_t> word{0};
  std::atomic<std::uint32_t> head{0};
  const std::uint64_t n = 20'000'000;
  std::vector<double> xadd, cas, mfence, xchg;
  for (int r = 0; r < rounds; ++r) {
    xadd.push_back(timeInstr([&](std::uint64_t) { Xadd::publishPush(word); }, n));
    cas.push_back(timeInstr([&](std::uint64_t) { Cas::publishPush(word); }, n));
    mfence.push_back(timeInstr([&](std::uint64_t i) { Mfence::storeHead(head, static_cast<std::uint32_t>(i)); }, n / 4));
    xchg.push_back(timeInstr([&](std::uint64_t i) { Xchg::storeHead(head, static_cast<std::uint32_t>(i)); }, n));
  }
  std::printf("BenchmarkPublish/instr=lock-xadd\t%llu\t%.3f ns/op\n", static_cast<unsigned long long>(n), median(xadd));
  std::printf("BenchmarkPublish/instr=lock-cmpxchg-loop\t%llu\t%.3f ns/op\n", static_cast<unsigned long long>(n), median(cas));
  std::printf("BenchmarkPublish/instr=mov-mfence\t%llu\t%.3f ns/op\n", static_cast<unsigned long long>(n / 4), median(mfence));
  std::printf("BenchmarkPublish/instr=xchg\t%llu\t%.3f ns/op\n", static_cast<unsigned long long>(n), median(xchg));
  return 0;
}
