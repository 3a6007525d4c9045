// The SPMC ring and chain of every publish policy against a model (std::deque), single-threaded:
// indices that start just below 2^32 and wrap, full and empty edges, chain growth (8, 16, ... up to the
// cap), the linked-ring cap, both ends of the chain meeting, retirement, reuse and freeing of rings.
#include <algorithm>
#include <cstdint>
#include <deque>
#include <random>

#include "core/pool_chain.hpp"
#include "core/publish.hpp"
#include "core/ring_epochs.hpp"
#include "core/spmc_ring.hpp"
#include "test/check.hpp"

using namespace poolscope;

namespace {

void* obj(std::uintptr_t i) { return reinterpret_cast<void*>((i + 1) * 16); }

template <class Publish>
void ringAgainstModel(std::uint32_t start) {
  using Ring = RingFor<Publish>;
  Ring* ring = Ring::create(8, start);
  CHECK(ring != nullptr);
  std::deque<void*> model;  // front = tail, back = head
  std::mt19937 rng(42);
  std::uintptr_t next = 0;
  for (int i = 0; i < 200000; ++i) {
    switch (rng() % 3) {
      case 0: {
        void* p = obj(next++);
        const bool ok = ring->pushHead(p);
        CHECK_EQ(ok, model.size() < 8);
        if (ok) model.push_back(p);
        break;
      }
      case 1: {
        void* p = ring->popHead();
        if (model.empty()) {
          CHECK(p == nullptr);
        } else {
          CHECK(p == model.back());
          model.pop_back();
        }
        break;
      }
      default: {
        void* p = ring->popTail();
        if (model.empty()) {
          CHECK(p == nullptr);
        } else {
          CHECK(p == model.front());
          model.pop_front();
        }
      }
    }
  }
  // Fill to the brim across the wrap, then drain from the tail.
  while (ring->popTail() != nullptr) {
  }
  for (std::uintptr_t i = 0; i < 8; ++i) CHECK(ring->pushHead(obj(i)));
  CHECK(!ring->pushHead(obj(99)));
  for (std::uintptr_t i = 0; i < 8; ++i) CHECK(ring->popTail() == obj(i));
  CHECK(ring->popTail() == nullptr);
  CHECK(ring->popHead() == nullptr);
  Ring::destroy(ring);
}

// Batched tail claims: packed rings give about half of what they hold, or all with `all` (capped by
// max), oldest first; split (Chase-Lev) rings give one. Batched pushes (one publish for n objects) fit
// or push nothing.
template <class Publish>
void tailBatch() {
  using Ring = RingFor<Publish>;
  Ring* ring = Ring::create(16, 0xfffffff8u);
  std::deque<void*> model;
  std::uintptr_t next = 0;
  std::mt19937 rng(9);
  void* out[16];
  for (int i = 0; i < 20000; ++i) {
    if (rng() % 2) {
      if (rng() % 2) {
        void* batch[8];
        const std::uint32_t n = 1 + rng() % 8;
        for (std::uint32_t k = 0; k < n; ++k) batch[k] = obj(next + k);
        const bool fits = model.size() + n <= 16;
        CHECK_EQ(ring->pushHeadBatch(batch, n), fits);
        if (fits) {
          for (std::uint32_t k = 0; k < n; ++k) model.push_back(batch[k]);
          next += n;
        }
        continue;
      }
      while (model.size() < 16 && rng() % 4 != 0) {
        void* p = obj(next++);
        CHECK(ring->pushHead(p));
        model.push_back(p);
      }
    } else {
      const std::uint32_t max = 1 + rng() % 8;
      const bool all = rng() % 2;
      const std::uint32_t n = ring->popTailBatch(out, max, all);
      std::uint32_t want = 0;
      if (!model.empty()) {
        const auto size = static_cast<std::uint32_t>(model.size());
        want = Publish::kPackedWord ? std::min<std::uint32_t>(max, all ? size : (size + 1) / 2) : 1;
      }
      CHECK_EQ(n, want);
      for (std::uint32_t k = 0; k < n; ++k) {
        CHECK(out[k] == model.front());
        model.pop_front();
      }
    }
  }
  Ring::destroy(ring);
}

template <class Publish>
void chainGrowth() {
  using Chain = PoolChain<Publish>;
  RingEpochs epochs(1);
  Chain chain;
  const ChainLimits limits{8, 64, 6, 0xfffffff8u};
  const std::uintptr_t capacity = 8 + 16 + 32 + 64 + 64 + 64;
  CHECK(chain.popHead(epochs) == nullptr);
  CHECK(chain.popTail() == nullptr);
  for (std::uintptr_t i = 0; i < capacity; ++i) CHECK(chain.pushHead(obj(i), limits, epochs));
  CHECK_EQ(chain.linkedRings(), 6u);
  CHECK(!chain.pushHead(obj(capacity), limits, epochs));  // six rings linked, all full: the cap
  // The tail gives the oldest objects first, the head the newest; the two meet in the middle.
  for (std::uintptr_t i = 0; i < capacity / 2; ++i) CHECK(chain.popTail() == obj(i));
  for (std::uintptr_t i = capacity; i-- > capacity / 2;) CHECK(chain.popHead(epochs) == obj(i));
  CHECK(chain.popHead(epochs) == nullptr);
  CHECK(chain.popTail() == nullptr);
  // The owner's walk unlinked every emptied ring but the head; two retired rings are kept (the largest),
  // the rest freed (no steal session runs).
  CHECK_EQ(chain.linkedRings(), 1u);
  CHECK_EQ(chain.retiredRings(), Chain::kKeepSpares);
  CHECK_EQ(epochs.liveRings(), std::int64_t{1 + Chain::kKeepSpares});
  CHECK_EQ(epochs.ringsFreedTotal(), 3u);
  // Filling again reuses the retired rings before allocating: never a drop below the cap.
  for (std::uintptr_t i = 0; i < 3 * 64; ++i) CHECK(chain.pushHead(obj(i), limits, epochs));
  CHECK_EQ(chain.linkedRings(), 3u);
  CHECK_EQ(chain.retiredRings(), 0u);
  CHECK_EQ(epochs.liveRings(), 3);
  for (std::uintptr_t i = 3 * 64; i-- > 0;) CHECK(chain.popHead(epochs) == obj(i));
  CHECK(chain.popHead(epochs) == nullptr);
  chain.destroyRings(epochs);
  CHECK_EQ(epochs.liveRings(), 0);
}

// Consumers drain the tail rings; the owner unlinks them when it next grows, so a producer whose objects
// are all stolen keeps a short chain and allocates nothing in steady state.
template <class Publish>
void producerChainStaysShort() {
  using Chain = PoolChain<Publish>;
  RingEpochs epochs(1);
  Chain chain;
  const ChainLimits limits{8, 16, 4, 0};
  std::uintptr_t next = 0, expect = 0;
  for (int round = 0; round < 1000; ++round) {
    for (int i = 0; i < 20; ++i) CHECK(chain.pushHead(obj(next++), limits, epochs));
    for (int i = 0; i < 20; ++i) CHECK(chain.popTail() == obj(expect++));  // FIFO from the tail
    CHECK(chain.linkedRings() <= 3u);
  }
  CHECK(epochs.peakLiveRings() <= 3 + std::int64_t{Chain::kKeepSpares});
  CHECK(chain.popTail() == nullptr);
  chain.destroyRings(epochs);
  CHECK_EQ(epochs.liveRings(), 0);
}

// A steal session pins retired rings: none is freed while it runs, and they are freed after it ends.
template <class Publish>
void sessionPinsRetiredRings() {
  using Chain = PoolChain<Publish>;
  RingEpochs epochs(2);
  epochs.noteSlot(1);
  Chain chain;
  const ChainLimits limits{8, 8, 64, 0};
  auto cycle = [&] {
    for (std::uintptr_t i = 0; i < 8 * 6; ++i) CHECK(chain.pushHead(obj(i), limits, epochs));
    for (std::uintptr_t i = 8 * 6; i-- > 0;) CHECK(chain.popHead(epochs) == obj(i));
    CHECK(chain.popHead(epochs) == nullptr);
  };
  {
    RingEpochs::Session s(epochs, 1);  // a stealer that started before the rings were retired
    cycle();
    CHECK_EQ(epochs.ringsFreedTotal(), 0u);
    CHECK_EQ(chain.retiredRings(), 5u);
  }
  cycle();  // the retired rings are reused; the surplus is freed now that no session runs
  CHECK(epochs.ringsFreedTotal() > 0u);
  CHECK_EQ(chain.retiredRings(), Chain::kKeepSpares);
  chain.destroyRings(epochs);
  CHECK_EQ(epochs.liveRings(), 0);
}

template <class Publish>
void all() {
  ringAgainstModel<Publish>(0);
  ringAgainstModel<Publish>(0xfffffff0u);  // head and tail cross 2^32 within the first 16 pushes
  chainGrowth<Publish>();
  tailBatch<Publish>();
  producerChainStaysShort<Publish>();
  sessionPinsRetiredRings<Publish>();
}

}  // namespace

int main() {
  all<Xadd>();
  all<Cas>();
  all<Mfence>();
  all<Xchg>();
  return 0;
}
