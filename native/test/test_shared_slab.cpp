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
  CHECK(slab.mappedBytes() >= 64u * 8);
  CHECK_EQ(slab.stateBytes(), 8u * 4);
  // the state words are not in the blocks' mapping: no block can reach them
  const auto* words = reinterpret_cast<const std::byte*>(slab.stateWords());
  CHECK(words + slab.stateBytes() <= slab.base() || words >= slab.base() + slab.mappedBytes());
  const std::int32_t tag = slab.newTag();
  CHECK(tag >= SharedSlab::kFirstTag);
  std::uint32_t idx[16];
  CHECK_EQ(slab.take(idx, 16, tag), 8u);  // only 8 blocks
  CHECK_EQ(slab.take(idx + 8, 1, tag), 0u);
  CHECK_EQ(slab.census().cached, 8u);
  // a block not cached by this tag is rejected, not put in the pool twice
  slab.state(idx[0]).store(SharedSlab::heldBy(tag));
  CHECK_EQ(slab.give(idx, 2, tag), 1u);
  std::uint32_t bad = 99;
  CHECK_EQ(slab.give(&bad, 1, tag), 1u);
  CHECK_EQ(slab.census().held, 1u);
  CHECK_EQ(slab.census().inPool, 1u);
  // one block handed on by index, one held by another attachment
  slab.state(idx[2]).store(SharedSlab::kInTransit);
  const std::int32_t other = slab.newTag();
  slab.state(idx[3]).store(SharedSlab::heldBy(other));
  CHECK_EQ(slab.census().held, 3u);
  // a thread that closed or vanished: what it cached or held comes back; what it handed on does not
  const auto r = slab.reclaim(tag);
  CHECK_EQ(r.cached, 4u);
  CHECK_EQ(r.held, 1u);
  auto c = slab.census();
  CHECK_EQ(c.inPool, 6u);
  CHECK_EQ(c.held, 2u);
  CHECK_EQ(c.cached, 0u);
  CHECK_EQ(slab.reclaim(other).held, 1u);
  CHECK_EQ(slab.census().inPool, 7u);
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
        if (!slab.state(batch[k]).compare_exchange_strong(expected, SharedSlab::heldBy(tag))) failures++;
        auto* words = static_cast<std::uint64_t*>(static_cast<void*>(slab.base() + batch[k] * 16));
        words[0] = static_cast<std::uint64_t>(id);
        words[1] = static_cast<std::uint64_t>(r);
      }
      handedOut.fetch_add(n, std::memory_order_relaxed);
      for (std::size_t k = 0; k < n; ++k) {
        auto* words = static_cast<std::uint64_t*>(static_cast<void*>(slab.base() + batch[k] * 16));
        if (words[0] != static_cast<std::uint64_t>(id) || words[1] != static_cast<std::uint64_t>(r)) failures++;
        std::int32_t expected = SharedSlab::heldBy(tag);
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

// A block handed on by index (kInTransit) is claimed by exactly one thread: here the giver
// releases it back to its own cache (CAS kInTransit -> tag, what JS release() after indexOf()
// does) while the other thread claims it (CAS kInTransit -> -tag', what fromIndex() does),
// both at once, every round. Exactly one CAS wins each time; no block ends up cached or held
// twice.
static void handOffClaimRace() {
#if defined(POOLSCOPE_TSAN)
  constexpr int kRounds = 1000;
#else
  constexpr int kRounds = 5000;
#endif
  SharedSlab slab(64, 4);
  const std::int32_t giver = slab.newTag();
  const std::int32_t taker = slab.newTag();
  std::atomic<int> round{0};      // seq_cst: the giver publishes the round's block index before it
  std::atomic<int> arrived{0};    // seq_cst: a two-party barrier per round
  std::atomic<std::uint32_t> index{0};
  std::atomic<int> takerWins{0};
  std::atomic<int> takerDone{0};  // seq_cst: the giver waits for it before the next round
  std::thread t([&] {
    for (int r = 1; r <= kRounds; ++r) {
      while (round.load() < r) std::this_thread::yield();
      const std::uint32_t i = index.load();
      arrived.fetch_add(1);
      while (arrived.load() < 2 * r) {
      }
      std::int32_t expected = SharedSlab::kInTransit;
      if (slab.state(i).compare_exchange_strong(expected, SharedSlab::heldBy(taker))) {
        takerWins.fetch_add(1);
        // the taker releases what it claimed and hands it back to the pool
        std::int32_t held = SharedSlab::heldBy(taker);
        CHECK(slab.state(i).compare_exchange_strong(held, taker));
        CHECK_EQ(slab.give(&i, 1, taker), 0u);
      } else {
        CHECK(expected != SharedSlab::kInTransit);  // lost to the giver's release (cached or given back)
      }
      takerDone.store(r);
    }
  });
  int giverWins = 0;
  for (int r = 1; r <= kRounds; ++r) {
    std::uint32_t i = 0;
    CHECK_EQ(slab.take(&i, 1, giver), 1u);
    std::int32_t cached = giver;
    CHECK(slab.state(i).compare_exchange_strong(cached, SharedSlab::heldBy(giver)));  // acquire
    slab.state(i).store(SharedSlab::kInTransit);                                      // indexOf
    index.store(i);
    round.store(r);
    arrived.fetch_add(1);
    while (arrived.load() < 2 * r) {
    }
    std::int32_t expected = SharedSlab::kInTransit;
    if (slab.state(i).compare_exchange_strong(expected, giver)) {  // release after indexOf
      ++giverWins;
      CHECK_EQ(slab.give(&i, 1, giver), 0u);
    } else {
      CHECK(expected != SharedSlab::kInTransit);  // lost to the taker's claim (held, cached or given back)
    }
    while (takerDone.load() < r) std::this_thread::yield();
  }
  t.join();
  CHECK_EQ(giverWins + takerWins.load(), kRounds);
  const auto c = slab.census();
  CHECK_EQ(c.held, 0u);
  CHECK_EQ(c.cached, 0u);
}

int main() {
  indexStackBasics();
  stealAcrossThreads();
  slabAllocatorBounded();
  takeGiveStates();
  ownershipStress();
  handOffClaimRace();
  return 0;
}
