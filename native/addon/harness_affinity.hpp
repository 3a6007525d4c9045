#pragma once
// Pinning a worker thread to one CPU for its samples. Without it the
// scheduler may put two workers on the same CPU when the other is busy (a
// shared machine), where they take turns instead of running side by side:
// then nothing crosses cores, and false sharing or steals cost nothing. The
// n-th worker goes to the n-th CPU of the process's affinity mask (the main
// thread's, which is never pinned), so a container limited to some CPUs is
// respected.
#include <sched.h>
#include <unistd.h>

namespace poolscope::addon {

// Pins the calling thread; returns the CPU number, or -1 when the mask
// cannot be read or set (the worker then runs unpinned).
inline int pinCallingThreadToNthCpu(int n) noexcept {
  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  if (sched_getaffinity(getpid(), sizeof allowed, &allowed) != 0) return -1;
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

// Gives the calling thread the process's whole mask back (a worker pinned for
// an earlier sample, now running one that asks for no pinning).
inline void unpinCallingThread() noexcept {
  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  if (sched_getaffinity(getpid(), sizeof allowed, &allowed) == 0) sched_setaffinity(0, sizeof allowed, &allowed);
}

}  // namespace poolscope::addon
