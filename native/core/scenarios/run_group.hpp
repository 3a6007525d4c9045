#pragma once
// What the workers of one sample share: the start barrier, the stop flag and,
// for producer-consumer, one channel per producer/consumer pair. The
// harness's main thread creates a group per sample, the workers reach it by
// id (native/addon/harness_groups.hpp) and each holds a shared_ptr while it
// runs, so the main thread can drop the group at any time without freeing
// memory a worker still uses.
#include <cstddef>
#include <memory>
#include <vector>

#include "core/scenarios/producer_consumer.hpp"
#include "core/scenarios/run_control.hpp"
#include "core/scenarios/start_barrier.hpp"

namespace poolscope {

struct RunGroup {
  RunGroup(unsigned parties, std::size_t channelCount) : barrier(parties) {
    channels.reserve(channelCount);
    for (std::size_t i = 0; i < channelCount; ++i) channels.push_back(std::make_unique<PcChannel>());
  }

  // Any thread: stops the loops (they come back within one chunk) and
  // releases the barrier for parties still waiting on one that never comes.
  void stop() noexcept {
    stopFlag.request();
    barrier.cancel();
  }

  StartBarrier barrier;
  StopFlag stopFlag;
  // Fixed after construction; channel i belongs to workers 2i (producer) and 2i+1 (consumer).
  std::vector<std::unique_ptr<PcChannel>> channels;
};

}  // namespace poolscope
