// Not a test by itself: an object file whose functions are each variant's ring push and pop, compiled
// with the x86-64 asm publish policies, for scripts/check-publish-asm.sh to disassemble (ctest
// publish_asm). extern "C" names so objdump can find them.
#include "core/spmc_ring.hpp"

using namespace poolscope;

#define POOLSCOPE_PROBE(policy, Policy)                                                                   \
  extern "C" __attribute__((noinline)) bool poolscope_probe_push_##policy(RingFor<Policy>* r, void* p) { \
    return r->pushHead(p);                                                                               \
  }                                                                                                      \
  extern "C" __attribute__((noinline)) void* poolscope_probe_pop_##policy(RingFor<Policy>* r) { return r->popHead(); }

POOLSCOPE_PROBE(xadd, Xadd)
POOLSCOPE_PROBE(cas, Cas)
POOLSCOPE_PROBE(mfence, Mfence)
POOLSCOPE_PROBE(xchg, Xchg)
