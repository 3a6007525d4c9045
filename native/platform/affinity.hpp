#pragma once
// Pinning a thread to one CPU. Linux: sched_setaffinity over the process's
// mask as it was at first use (a container limited to some CPUs is
// respected). Portable: a no-op; pinNthCpu returns -1, which the harness
// reports as `pinned: false` (macOS has no hard affinity, and the Windows
// form is not wired up).
//
// No Node includes here.
#include "platform/select.hpp"

#if POOLSCOPE_PLATFORM_LINUX
#include <sched.h>
#endif

namespace poolscope::platform {

// True where pinNthCpu can pin at all.
inline constexpr bool kHasAffinity = POOLSCOPE_PLATFORM_LINUX != 0;

#if POOLSCOPE_PLATFORM_LINUX
// The calling thread's mask at first use; call it once early (while nothing
// is pinned, e.g. when the addon loads). Immutable afterwards, so any thread
// may read it.
inline const cpu_set_t& processCpuMask() noexcept {
  static const cpu_set_t mask = [] {
    cpu_set_t m;
    CPU_ZERO(&m);
    if (sched_getaffinity(0, sizeof m, &m) != 0) CPU_ZERO(&m);
    return m;
  }();
  return mask;
}
#endif

// Records the process's CPU mask (Linux); a no-op elsewhere.
inline void rememberProcessCpuMask() noexcept {
#if POOLSCOPE_PLATFORM_LINUX
  (void)processCpuMask();
#endif
}

// Pins the calling thread to the n-th CPU of the process's mask (n modulo
// its size); returns the CPU number, or -1 when it cannot pin (the thread
// then runs unpinned).
inline int pinNthCpu(int n) noexcept {
#if POOLSCOPE_PLATFORM_LINUX
  const cpu_set_t& allowed = processCpuMask();
  const int count = CPU_COUNT(&allowed);
  if (count <= 0 || n < 0) return -1;
  int want = n % count;
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
    if (!CPU_ISSET(cpu, &allowed)) continue;
    if (want-- > 0) continue;
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(cpu, &one);
    return sched_setaffinity(0, sizeof one, &one) == 0 ? cpu : -1;
  }
  return -1;
#else
  (void)n;
  return -1;
#endif
}

// Gives the calling thread the process's whole mask back (no-op where nothing was pinned).
inline void unpin() noexcept {
#if POOLSCOPE_PLATFORM_LINUX
  const cpu_set_t& allowed = processCpuMask();
  if (CPU_COUNT(&allowed) > 0) sched_setaffinity(0, sizeof allowed, &allowed);
#endif
}

}  // namespace poolscope::platform
