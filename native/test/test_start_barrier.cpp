// StartBarrier and runChunked: every party leaves together with one common
// start time, cancel() releases waiters whose peer never arrives, and a loop
// bounded by ops, by duration or by the stop flag comes back.
#include <atomic>
#include <cstdint>
#include <thread>
#include <vector>

#include "core/scenarios/run_control.hpp"
#include "core/scenarios/start_barrier.hpp"
#include "test/check.hpp"

using namespace poolscope;

static void allStartTogether() {
  for (int round = 0; round < 50; ++round) {
    StartBarrier barrier(3);
    std::atomic<int> started{0};
    std::vector<std::thread> threads;
    // short spin, so some rounds exercise the futex path too
    for (int i = 0; i < 3; ++i) {
      threads.emplace_back([&, i] {
        if (i == 2) std::this_thread::sleep_for(std::chrono::microseconds(200));
        auto outcome = barrier.arriveAndWait(round % 2 == 0 ? 0 : 20'000'000);
        CHECK(outcome == StartBarrier::Outcome::Started);
        CHECK(barrier.releaseNs() != 0);
        CHECK(monotonicNs() >= barrier.releaseNs());
        started.fetch_add(1);
      });
    }
    for (auto& t : threads) t.join();
    CHECK_EQ(started.load(), 3);
  }
}

static void cancelReleasesWaiters() {
  StartBarrier barrier(2);  // the second party never comes
  std::thread waiter([&] { CHECK(barrier.arriveAndWait(1'000'000) == StartBarrier::Outcome::Cancelled); });
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  barrier.cancel();
  waiter.join();
  // a late arriver after cancel() is not held either
  CHECK(barrier.arriveAndWait() == StartBarrier::Outcome::Cancelled);
}

static void cancelAfterStartIsIgnored() {
  StartBarrier barrier(1);
  CHECK(barrier.arriveAndWait() == StartBarrier::Outcome::Started);
  barrier.cancel();
  CHECK(barrier.arriveAndWait() == StartBarrier::Outcome::Started);
}

static void chunkedBounds() {
  StopFlag stop;
  std::uint64_t done = 0;
  auto loop = [&](std::uint64_t n) {
    done += n;
    return n;
  };
  auto byOps = runChunked(LoopBounds{1'000'003, 0}, stop, loop);
  CHECK_EQ(byOps.ops, 1'000'003u);
  CHECK_EQ(done, 1'000'003u);
  CHECK(!byOps.stopped);

  const std::uint64_t t0 = monotonicNs();
  auto byTime = runChunked(LoopBounds{0, 5'000'000}, stop, loop);
  CHECK(monotonicNs() - t0 >= 5'000'000u);
  CHECK(byTime.ops > 0);

  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    stop.request();
  });
  auto byStop = runChunked(LoopBounds{0, 0}, stop, loop);  // unbounded but for the flag
  stopper.join();
  CHECK(byStop.stopped);
}

int main() {
  allStartTogether();
  cancelReleasesWaiters();
  cancelAfterStartIsIgnored();
  chunkedBounds();
  return 0;
}
