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
  // two). Emptied rings are retired and reused or freed (pool_chain.hpp), so there is no lifetime budget.
  // maxRingsPerChain caps the rings linked in one chain at once (a ceiling against runaway growth: a put
  // is dropped only when that many rings are linked and the newest is full; with the defaults a chain
  // then holds over a million objects).
  std::uint32_t initialRingSize = 8;
  std::uint32_t maxRingSize = 1024;
  std::uint32_t maxRingsPerChain = 1024;
  // SyncPool: a thread that steals from another's primary chain takes up to half a ring (at most 16) in
  // one claim and keeps the extra objects for its next gets (publish xadd/cas; mfence/xchg rings give one
  // per claim). false: one object per claim, as Go.
  bool batchSteal = true;
  // SyncPool with batchSteal: a thread whose chain another thread keeps draining a few objects per claim,
  // while it only puts, is asked to batch its puts: up to 15 wait in its own stash, the 16th publishes
  // all 16 at once (sync_pool.hpp, Handoff). Those 15 are invisible to other threads meanwhile, so a
  // pool over a bounded allocator (SharedSlab) turns it off: there a hidden object is one another
  // thread's get cannot have.
  bool batchPuts = true;
  // First head/tail index of every ring. 0 normally; tests start near 2^32 to cross the wrap-around.
  std::uint32_t ringStartIndex = 0;

  // SyncPool: >= 0 puts the per-thread record array this many bytes (rounded down to the records'
  // alignment) into a page; -1 (default) leaves it where the allocator puts it. Placement-randomized sampling.
  int recordPageOffset = -1;

  // MutexPool / TreiberPool: most objects kept; further puts are dropped.
  std::size_t maxCached = 16384;
};

}  // namespace poolscope
