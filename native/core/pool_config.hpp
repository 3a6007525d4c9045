#pragma once
// Construction parameters shared by every pool (SyncPool and the baselines).
#include <cstddef>
#include <cstdint>

namespace poolscope {

struct PoolConfig {
  std::size_t objectSize = 64;  // bytes per block, >= 1
  std::size_t alignment = 16;   // power of two, 16..4096
  bool victim = true;           // keep one epoch of victims after clear() (Go's victim cache)
  std::size_t maxThreads = 64;  // per-thread records; threads beyond this get unpooled get/put (see SyncPool)

  // SyncPool's shared chains: rings start at initialRingSize slots and double up to maxRingSize (powers of
  // two); a chain allocates at most maxRingsPerChain rings in its lifetime (ring memory is only freed when
  // the pool is destroyed), after which a put that finds the head ring full is dropped.
  std::uint32_t initialRingSize = 8;
  std::uint32_t maxRingSize = 1024;
  std::uint32_t maxRingsPerChain = 32;
  // First head/tail index of every ring. 0 normally; tests start near 2^32 to cross the wrap-around.
  std::uint32_t ringStartIndex = 0;

  // SyncPool: >= 0 puts the per-thread record array this many bytes (rounded down to the records'
  // alignment) into a page; -1 (default) leaves it where the allocator puts it. Placement-randomized sampling.
  int recordPageOffset = -1;

  // MutexPool / TreiberPool: most objects kept; further puts are dropped.
  std::size_t maxCached = 16384;
};

}  // namespace poolscope
