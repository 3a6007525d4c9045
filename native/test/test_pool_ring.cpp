// The SPMC ring and chain of every publish policy against a model (std::deque), single-threaded:
// indices that start just below 2^32 and wrap, full and empty edges, chain growth (8, 16, ... up to the
// cap), the ring budget, and both ends of the chain meeting.
#include <cstdint>
#include <deque>
#include <random>

#include "core/pool_chain.hpp"
#include "core/publish.hpp"
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

template <class Publish>
void chainGrowth() {
  using Chain = PoolChain<Publish>;
  RingRegistry<typename Chain::Ring> registry;
  Chain chain;
  const ChainLimits limits{8, 64, 6, 0xfffffff8u};
  const std::uintptr_t capacity = 8 + 16 + 32 + 64 + 64 + 64;
  CHECK(chain.popHead() == nullptr);
  CHECK(chain.popTail() == nullptr);
  for (std::uintptr_t i = 0; i < capacity; ++i) CHECK(chain.pushHead(obj(i), limits, registry));
  CHECK(!chain.pushHead(obj(capacity), limits, registry));  // six rings allocated, all full
  // The tail gives the oldest objects first, the head the newest; the two meet in the middle.
  for (std::uintptr_t i = 0; i < capacity / 2; ++i) CHECK(chain.popTail() == obj(i));
  for (std::uintptr_t i = capacity; i-- > capacity / 2;) CHECK(chain.popHead() == obj(i));
  CHECK(chain.popHead() == nullptr);
  CHECK(chain.popTail() == nullptr);
  // Dropped rings are not reused, but the head ring still works.
  CHECK(chain.pushHead(obj(1), limits, registry));
  CHECK(chain.popTail() == obj(1));
}

template <class Publish>
void all() {
  ringAgainstModel<Publish>(0);
  ringAgainstModel<Publish>(0xfffffff0u);  // head and tail cross 2^32 within the first 16 pushes
  chainGrowth<Publish>();
}

}  // namespace

int main() {
  all<Xadd>();
  all<Cas>();
  all<Mfence>();
  all<Xchg>();
  return 0;
}
