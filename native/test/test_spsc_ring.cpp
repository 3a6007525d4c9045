// SpscRing: FIFO, never loses or duplicates a value, full/empty at the
// right counts, and (under TSan) the publication protocol is race-free.
#include <cstdint>
#include <stdexcept>
#include <thread>

#include "core/spsc_ring.hpp"
#include "test/check.hpp"

using poolscope::SpscRing;

static void fullAndEmpty() {
  SpscRing<std::uintptr_t> ring(4);
  std::uintptr_t v = 0;
  CHECK(!ring.tryPop(v));
  for (std::uintptr_t i = 1; i <= 4; ++i) CHECK(ring.tryPush(i));
  CHECK(!ring.tryPush(5));
  CHECK_EQ(ring.sizeApprox(), 4u);
  for (std::uintptr_t i = 1; i <= 4; ++i) {
    CHECK(ring.tryPop(v));
    CHECK_EQ(v, i);
  }
  CHECK(!ring.tryPop(v));
  CHECK_EQ(ring.sizeApprox(), 0u);
}

static void rejectsBadCapacity() {
  bool threw = false;
  try {
    SpscRing<int> ring(3);
  } catch (const std::invalid_argument&) {
    threw = true;
  }
  CHECK(threw);
}

// Two threads move 1M values through a small ring: each arrives once, in order.
static void crossThreadFifo() {
  constexpr std::uintptr_t kCount = 1'000'000;
  SpscRing<std::uintptr_t> ring(64);
  std::thread producer([&] {
    for (std::uintptr_t i = 0; i < kCount;) {
      if (ring.tryPush(i)) ++i;
    }
  });
  std::uintptr_t expected = 0, v = 0;
  while (expected < kCount) {
    if (ring.tryPop(v)) {
      CHECK_EQ(v, expected);
      ++expected;
    }
  }
  producer.join();
  CHECK(!ring.tryPop(v));
}

int main() {
  fullAndEmpty();
  rejectsBadCapacity();
  crossThreadFifo();
  return 0;
}
