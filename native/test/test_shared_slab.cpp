// SharedSlab / SlabAllocator / IndexStack: every block has one owner at a
// time. Threads take blocks in batches, mark them held, write their id into
// the block, check it is still theirs, release and give them back; any block
// handed out twice shows up as a foreign id or a failed state transition.
#include <atomic>
#include <cstdint>
#include <cstring>
#include <set>
#include <thread>
#include <vector>

#include "check.hpp"
#include "core/shared_slab.hpp"

using poolscope::IndexStack;
using poolscope::SharedSlab;
using poolscope::SlabAllocator;

static void indexStackBasics() {
  IndexStack s(3);
  CHECK_EQ(s.pop(), 0u);
  CHECK_EQ(s.pop(), 1u);
  CHECK_EQ(s.pop(), 2u);
  CHECK_EQ(s.pop(), IndexStack::kEmpty);
  s.push(1);
  s.push(2);
  CHECK_EQ(s.pop(), 2u);
  CHECK_EQ(s.pop(), 1u);
  CHECK_EQ(s.pop(), IndexStack::kEmpty);
  IndexStack empty(0);
  CHECK_EQ(empty.pop(), IndexStack::kEmpty);
  IndexStack startsEmpty(3, IndexStack::Start::Empty);  // TreiberPool's `full` stack
  CHECK_EQ(startsEmpty.pop(), IndexStack::kEmpty);
  startsEmpty.push(2);
  CHECK_EQ(startsEmpty.pop(), 2u);
  CHECK_EQ(startsEmpty.pop(), IndexStack::kEmpty);
}

static void slabAllocatorBounded() {
  std::vector<std::byte> mem(4 * 100);
  SlabAllocator a(mem.data(), 100, 4);
  std::set<void*> got;
  for (int i = 0; i < 4; ++i) {
    void* p = a.allocate();
    CHECK(p != nullptr);
    CHECK(a.owns(p));
    CHECK_EQ(a.indexOf(p), static_cast<std::uint32_t>((static_cast<std::byte*>(p) - mem.data()) / 100));
    got.insert(p);
  }
  CHECK_EQ(got.size(), 4u);
  CHECK(a.allocate() == nullptr);  // exhausted: bounded
  a.deallocate(*got.begin());
  CHECK(a.allocate() == *got.begin());
  CHECK(!a.owns(mem.data() + 50));
}

static void takeGiveStates() {
  SharedSlab slab(64, 8);
  CHECK_EQ(slab.stateOffset() % 64, 0u);
  CHECK(slab.mappedBytes() >= slab.stateOffset() + 8 * 4);
  const std::int32_t tag = slab.newTag();
  CHECK(tag >= SharedSlab::kFirstTag);
  std::uint32_t idx[16];
  CHECK_EQ(slab.take(idx, 16, tag), 8u);  // only 8 blocks
  CHECK_EQ(slab.take(idx + 8, 1, tag), 0u);
  CHECK_EQ(slab.census().cached, 8u);
  // a block not cached by this tag is rejected, not put in the pool twice
  slab.state(idx[0]).store(SharedSlab::kHeld);
  CHECK_EQ(slab.give(idx, 2, tag), 1u);
  std::uint32_t bad = 99;
  CHECK_EQ(slab.give(&bad, 1, tag), 1u);
  CHECK_EQ(slab.census().held, 1u);
  CHECK_EQ(slab.census().inPool, 1u);
  // a thread that vanished: its cached blocks come back, held ones stay held
  CHECK_EQ(slab.reclaim(tag), 6u);
  auto c = slab.census();
  CHECK_EQ(c.inPool, 7u);
  CHECK_EQ(c.held, 1u);
  CHECK_EQ(c.cached, 0u);
}

static void ownershipStress() {
  constexpr std::uint32_t kBlocks = 64;
  constexpr int kThreads = 4;
#if defined(POOLSCOPE_TSAN)
  constexpr int kRounds = 20000;
#else
  constexpr int kRounds = 50000;
#endif
  SharedSlab slab(sizeof(std::uint64_t) * 2, kBlocks);
  std::atomic<int> failures{0};
  std::atomic<std::uint64_t> handedOut{0};
  auto worker = [&](int id) {
    const std::int32_t tag = slab.newTag();
    std::uint32_t batch[8];
    for (int r = 0; r < kRounds; ++r) {
      const std::size_t n = slab.take(batch, 1 + (r % 8), tag);
      for (std::size_t k = 0; k < n; ++k) {
        std::int32_t expected = tag;
        if (!slab.state(batch[k]).compare_exchange_strong(expected, SharedSlab::kHeld)) failures++;
        auto* words = static_cast<std::uint64_t*>(static_cast<void*>(slab.base() + batch[k] * 16));
        words[0] = static_cast<std::uint64_t>(id);
        words[1] = static_cast<std::uint64_t>(r);
      }
      handedOut.fetch_add(n, std::memory_order_relaxed);
      for (std::size_t k = 0; k < n; ++k) {
        auto* words = static_cast<std::uint64_t*>(static_cast<void*>(slab.base() + batch[k] * 16));
        if (words[0] != static_cast<std::uint64_t>(id) || words[1] != static_cast<std::uint64_t>(r)) failures++;
        std::int32_t expected = SharedSlab::kHeld;
        if (!slab.state(batch[k]).compare_exchange_strong(expected, tag)) failures++;
      }
      if (slab.give(batch, n, tag) != 0) failures++;
    }
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) threads.emplace_back(worker, t);
  for (auto& t : threads) t.join();
  CHECK_EQ(failures.load(), 0);
  CHECK(handedOut.load() > 0);
  CHECK_EQ(slab.census().inPool, kBlocks);
}

// Blocks given back by one thread are stolen by another through the core
// SyncPool's chains; the one in the giver's private slot is unreachable until
// that thread exits (its slot is released and the block moves to its chain).
static void stealAcrossThreads() {
  SharedSlab slab(32, 4);
  const std::int32_t tagA = slab.newTag();
  const std::int32_t tagB = slab.newTag();
  std::uint32_t idx[4];
  std::uint32_t got[4];
  CHECK_EQ(slab.take(got, 0, tagB), 0u);  // this thread takes its slot first, so a gets another one
  std::thread a([&] {
    CHECK_EQ(slab.take(idx, 4, tagA), 4u);
    CHECK_EQ(slab.give(idx, 4, tagA), 0u);
  });
  a.join();  // thread exit: its private block moves to its shared chain
  CHECK_EQ(slab.take(got, 4, tagB), 4u);
  std::set<std::uint32_t> distinct(got, got + 4);
  CHECK_EQ(distinct.size(), 4u);
  const auto s = slab.poolStats();
  CHECK_EQ(s.fromNew, 4u);    // thread a's first take
  CHECK_EQ(s.fromSteal, 4u);  // everything this thread got came from a's chain
  CHECK_EQ(s.puts, 4u);
  CHECK_EQ(slab.give(got, 4, tagB), 0u);

  // while the giver lives, its private block cannot be stolen
  SharedSlab slab2(32, 2);
  CHECK_EQ(slab2.take(got, 0, tagB), 0u);
  std::atomic<int> phase{0};
  std::thread g([&] {
    std::uint32_t two[2];
    CHECK_EQ(slab2.take(two, 2, tagA), 2u);
    CHECK_EQ(slab2.give(two, 2, tagA), 0u);
    phase.store(1);
    while (phase.load() != 2) std::this_thread::yield();
  });
  while (phase.load() != 1) std::this_thread::yield();
  std::uint32_t one[2];
  CHECK_EQ(slab2.take(one, 2, tagB), 1u);
  phase.store(2);
  g.join();
  CHECK_EQ(slab2.take(one + 1, 1, tagB), 1u);
}

int main() {
  indexStackBasics();
  stealAcrossThreads();
  slabAllocatorBounded();
  takeGiveStates();
  ownershipStress();
  return 0;
}
