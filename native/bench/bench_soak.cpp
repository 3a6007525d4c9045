// bench:soak — does a SyncPool stay as fast and as small after many rounds as on its first ones?
// One thread (the holder) gets BLOCKS blocks, holds them all, then puts them all back, ROUNDS times.
// Meanwhile a second thread steals (it gets blocks, which come from the holder's chain when it has any,
// and frees them: a consumer) and the main thread calls clear() every CLEAR_MS milliseconds.
// Printed per publish policy (layout pad128): drops (puts the pool refused) over the whole run and in the
// last 10% of rounds; ns per get+put pair (holder's thread CPU time; median over rounds) over all rounds,
// the first and the last 10% of rounds, and last/first; and, since a shared machine's speed drifts over
// a run, the same against a reference measured in every round right after the pool's (the same round
// with malloc/free): pool/malloc over the first and the last 10%, and last/first of that, which shows
// what the pool's age alone changes; steals, clears; live and peak rings; the process's RSS now and at peak.
// A progress line goes to stderr every 10% of each run.
//
//   build-native/bench/bench_soak [--rounds N] [--blocks K] [--clear-ms M]   (scripts/bench-soak.sh)
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <time.h>

#include "core/scenarios/do_not_optimize.hpp"
#include "core/sync_pool.hpp"

using namespace poolscope;

namespace {

double threadCpuNs() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e9 + static_cast<double>(ts.tv_nsec);
}

// kB from /proc/self/status ("VmRSS", "VmHWM"); -1 if absent.
long procStatusKb(const char* key) {
  std::ifstream in("/proc/self/status");
  std::string line;
  const std::size_t n = std::strlen(key);
  while (std::getline(in, line)) {
    if (line.compare(0, n, key) == 0 && line.size() > n && line[n] == ':') return std::atol(line.c_str() + n + 1);
  }
  return -1;
}

// Median of v[from, to): robust to the rounds a shared machine descheduled or disturbed.
double median(const std::vector<double>& v, std::size_t from, std::size_t to) {
  std::vector<double> w(v.begin() + static_cast<std::ptrdiff_t>(from), v.begin() + static_cast<std::ptrdiff_t>(to));
  std::sort(w.begin(), w.end());
  const std::size_t n = w.size();
  return n == 0 ? 0 : n % 2 ? w[n / 2] : (w[n / 2 - 1] + w[n / 2]) / 2;
}

// Ring counters, or -1 on a pool that has none (so the same file measures an older core: the before run).
template <class P>
long long liveRingsOf(const P& p) {
  if constexpr (requires { p.liveRings(); }) return static_cast<long long>(p.liveRings());
  else return -1;
}
template <class P>
long long peakRingsOf(const P& p) {
  if constexpr (requires { p.peakLiveRings(); }) return static_cast<long long>(p.peakLiveRings());
  else return -1;
}
template <class P>
long long ringsFreedOf(const P& p) {
  if constexpr (requires { p.ringsFreed(); }) return static_cast<long long>(p.ringsFreed());
  else return -1;
}

struct Options {
  std::uint64_t rounds = 10'000;
  std::size_t blocks = 2'000;
  int clearMs = 10;
};

template <class Publish>
void soak(const char* name, const Options& o) {
  PoolConfig cfg;
  cfg.objectSize = 64;
  SyncPool<Pad128, Publish> pool(cfg);
  std::atomic<bool> stop{false};
  std::atomic<std::uint64_t> steals{0}, clears{0};

  std::thread stealer([&] {
    auto local = pool.pin();
    std::uint64_t before = 0;
    // acquire: pairs with the release store of stop (only to end the loop promptly).
    while (!stop.load(std::memory_order_acquire)) {
      void* p = local.get();
      const std::uint64_t now = local.stats().fromSteal;
      if (p != nullptr) pool.allocator().deallocate(p);  // a consumer: the block leaves the pool
      before = now;
      // Paced (about one get per 20 us) so that the stealer is a steady background, not the measurement.
      std::this_thread::sleep_for(std::chrono::microseconds(20));
    }
    steals.store(before, std::memory_order_relaxed);
  });

  std::vector<double> nsPerPair(o.rounds), refRatio(o.rounds);
  std::vector<std::uint64_t> dropsAt(o.rounds + 1, 0);
  std::thread holder([&] {
    auto local = pool.pin();
    std::vector<void*> held(o.blocks);
    const std::uint64_t tick = std::max<std::uint64_t>(1, o.rounds / 10);
    std::vector<void*> ref(o.blocks);
    for (std::uint64_t r = 0; r < o.rounds; ++r) {
      const double c0 = threadCpuNs();
      for (auto& p : held) p = local.get();
      for (void* p : held) local.put(p);
      const double c1 = threadCpuNs();
      // The reference, right after on the same thread: the same round with malloc/free. The machine's
      // state (other load, frequency) moves both; the ratio shows what the pool's age alone changes.
      for (auto& p : ref) {
        p = std::malloc(64);
        doNotOptimize(p);
      }
      for (void* p : ref) std::free(p);
      const double c2 = threadCpuNs();
      nsPerPair[r] = (c1 - c0) / static_cast<double>(o.blocks);
      refRatio[r] = (c1 - c0) / std::max(c2 - c1, 1.0);
      dropsAt[r + 1] = local.stats().drops;
      if ((r + 1) % tick == 0) {
        std::fprintf(stderr, "soak %s: round %llu/%llu  %.1f ns/pair  drops %llu  live rings %lld\n", name,
                     static_cast<unsigned long long>(r + 1), static_cast<unsigned long long>(o.rounds), nsPerPair[r],
                     static_cast<unsigned long long>(dropsAt[r + 1]), liveRingsOf(pool));
      }
    }
  });

  // The main thread: clear() every clearMs until the holder is done.
  std::thread clearer([&] {
    while (!stop.load(std::memory_order_acquire)) {
      std::this_thread::sleep_for(std::chrono::milliseconds(o.clearMs));
      pool.clear();
      clears.fetch_add(1, std::memory_order_relaxed);
    }
  });
  holder.join();
  stop.store(true, std::memory_order_release);  // release: pairs with the loops' acquire loads
  stealer.join();
  clearer.join();

  const std::size_t tenth = std::max<std::size_t>(1, o.rounds / 10);
  const double first = median(nsPerPair, 0, tenth);
  const double last = median(nsPerPair, o.rounds - tenth, o.rounds);
  const double firstRef = median(refRatio, 0, tenth);
  const double lastRef = median(refRatio, o.rounds - tenth, o.rounds);
  const std::uint64_t drops = dropsAt[o.rounds];
  const std::uint64_t lastDrops = drops - dropsAt[o.rounds - tenth];
  std::printf(
      "BenchmarkSoak/pool=sync/layout=pad128/publish=%s\t%llu\t%.2f ns/op\t%.2f first10%%-ns/op\t%.2f last10%%-ns/op\t"
      "%.3f last/first\t%.3f first10%%-ratio-to-malloc\t%.3f last10%%-ratio-to-malloc\t%.3f last/first-vs-malloc\t%llu drops\t%llu last10%%-drops\t%llu steals\t%llu clears\t%lld live-rings\t%lld peak-rings\t"
      "%lld rings-freed\t%ld rss-kB\t%ld peak-rss-kB\n",
      name, static_cast<unsigned long long>(o.rounds * o.blocks), median(nsPerPair, 0, o.rounds), first, last,
      last / first, firstRef, lastRef, lastRef / firstRef, static_cast<unsigned long long>(drops), static_cast<unsigned long long>(lastDrops),
      static_cast<unsigned long long>(steals.load()), static_cast<unsigned long long>(clears.load()),
      liveRingsOf(pool), peakRingsOf(pool), ringsFreedOf(pool), procStatusKb("VmRSS"), procStatusKb("VmHWM"));
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    auto num = [&](const char* flag) -> long long {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "%s needs a value\n", flag);
        std::exit(2);
      }
      return std::atoll(argv[++i]);
    };
    if (!std::strcmp(argv[i], "--rounds")) o.rounds = static_cast<std::uint64_t>(num("--rounds"));
    else if (!std::strcmp(argv[i], "--blocks")) o.blocks = static_cast<std::size_t>(num("--blocks"));
    else if (!std::strcmp(argv[i], "--clear-ms")) o.clearMs = static_cast<int>(num("--clear-ms"));
    else {
      std::fprintf(stderr, "usage: %s [--rounds N>=10] [--blocks K>=1] [--clear-ms M>=1]\n", argv[0]);
      return 2;
    }
  }
  if (o.rounds < 10 || o.blocks < 1 || o.clearMs < 1) {
    std::fprintf(stderr, "--rounds must be >= 10, --blocks >= 1, --clear-ms >= 1\n");
    return 2;
  }
  std::printf("# soak: holder gets %zu blocks, holds them, puts them back, %llu rounds; a consumer steals; clear()\n"
              "# every %d ms. ns/op = median over rounds of the holder's thread CPU time per get+put pair; last/first should stay near 1.\n",
              o.blocks, static_cast<unsigned long long>(o.rounds), o.clearMs);
  soak<Xadd>("xadd", o);
  soak<Cas>("cas", o);
  soak<Mfence>("mfence", o);
  soak<Xchg>("xchg", o);
  return 0;
}
