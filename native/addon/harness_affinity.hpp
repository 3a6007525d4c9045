#pragma once
// Pinning a worker thread to one CPU for its samples. Without it the
// scheduler may put two workers on the same CPU when the other is busy (a
// shared machine), where they take turns instead of running side by side:
// then nothing crosses cores, and false sharing or steals cost nothing. The
// n-th worker goes to the n-th CPU of the process's affinity mask as it was
// when the addon was loaded (so a container limited to some CPUs is
// respected, and pinning one thread never narrows what the others see).
//
// The OS calls are the platform layer's (platform/affinity.hpp): on an OS
// without hard affinity pinning is a no-op, the worker gets -1 and the
// results say `pinned: false`.
#include "platform/affinity.hpp"

namespace poolscope::addon {

// Captures the process's mask; harness.cpp calls it while the addon loads
// (on the main thread, before anything is pinned).
inline void processCpuMask() noexcept { platform::rememberProcessCpuMask(); }

// Pins the calling thread; returns the CPU number, or -1 when the mask is
// unknown or cannot be set (the worker then runs unpinned).
inline int pinCallingThreadToNthCpu(int n) noexcept { return platform::pinNthCpu(n); }

// Gives the calling thread the process's whole mask back.
inline void unpinCallingThread() noexcept { platform::unpin(); }

}  // namespace poolscope::addon
