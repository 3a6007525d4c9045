#pragma once
// Pinning a worker thread to one CPU for its samples. Without it the
// scheduler may put two workers on the same CPU when the other is busy (a
// shared machine), where they take turns instead of running side by side:
// then nothing crosses cores, and false sharing or steals cost nothing. The
// n-th worker goes to the n-th CPU of the process's affinity mask as it was
// when the addon was loaded (so a container limited to some CPUs is
// respected, and pinning one thread never narrows what the others see).
#include <sched.h>
#include <unistd.h>

namespace poolscope::addon {

// The calling thread's mask at first use; harness.cpp calls it while the
// addon loads (on the main thread, before anything is pinned). Immutable
// afterwards, so any thread may read it.
inline const cpu_set_t& processCpuMask() noexcept {
  static const cpu_set_t mask = [] {
    cpu_set_t m;
    CPU_ZERO(&m);
    if (sched_getaffinity(0, sizeof m, &m) != 0) CPU_ZERO(&m);
    return m;
  }();
  return mask;
}

// Pins the calling thread; returns the CPU number, or -1 when the mask is
// unknown or cannot be set (the worker then runs unpinned).
inline int pinCallingThreadToNthCpu(int n) noexcept {
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
}

// Gives the calling thread the process's whole mask back.
inline void unpinCallingThread() noexcept {
  const cpu_set_t& allowed = processCpuMask();
  if (CPU_COUNT(&allowed) > 0) sched_setaffinity(0, sizeof allowed, &allowed);
}

}  // namespace poolscope::addon
