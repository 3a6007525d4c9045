#pragma once
// The platform layer (native/platform): every Linux-only call poolscope makes
// sits behind one of these headers, each with a Linux implementation and a
// portable one (POSIX, or Win32 where POSIX is missing):
//   perf_event.hpp        perf_event_open and its ioctls; portable: every event is not-supported
//   affinity.hpp          pinning a thread to a CPU; portable: a no-op that reports pinned: false
//   anonymous_memory.hpp  page-aligned zeroed mappings: mmap (VirtualAlloc on _WIN32)
//   wait.hpp              spin pause and blocking wait: std::atomic::wait on every platform
// Nothing else in native/ includes <linux/...>, <sys/syscall.h> or <sched.h>.
//
// Which one is built: Linux picks the Linux layer; any other OS the portable
// one. -DPOOLSCOPE_PLATFORM_PORTABLE=1 (CMake: -DPOOLSCOPE_PLATFORM=portable;
// binding.gyp: -Dpoolscope_platform=portable; `npm run test:portable` builds
// both) forces the portable layer on Linux too, so the code macOS and Windows
// compile is built and tested here. The addon exports which one it was built
// with as `platformLayer`.
//
// No Node includes here.

#if defined(POOLSCOPE_PLATFORM_INVALID)
// binding.gyp's poolscope_platform was neither "native" nor "portable".
#error "poolscope_platform must be native or portable"
#elif defined(POOLSCOPE_PLATFORM_PORTABLE) && POOLSCOPE_PLATFORM_PORTABLE
#define POOLSCOPE_PLATFORM_LINUX 0
#elif defined(__linux__)
#define POOLSCOPE_PLATFORM_LINUX 1
#else
#define POOLSCOPE_PLATFORM_LINUX 0
#endif

namespace poolscope::platform {

// "linux" or "portable": reported by the tests and the addon so a reader knows which layer ran.
inline constexpr const char* kPlatformLayer = POOLSCOPE_PLATFORM_LINUX ? "linux" : "portable";

}  // namespace poolscope::platform
