#pragma once
// perf_event_open(2) and what goes with it: the attribute struct, the event
// numbers, the group ioctls, read(2) and close(2) of a perf fd, and the facts
// the counters explain a refusal with (root, the PMUs listed in sysfs).
//
// Linux: the kernel's UAPI header and the raw syscall.
// Portable: no perf_event_open exists, so perfEventOpen() always fails with
// ENOSYS and the counters report every event `not-supported` with the reason
// kNoPerfEventOpen (the `tsc` pseudo-event still counts: it reads a clock,
// not a perf fd). The PERF_* event numbers are defined with the kernel's
// values, so an event parses to the same (type, config) on every OS and
// documents compare across machines.
//
// No Node includes here.
#include <cerrno>
#include <cstddef>
#include <cstdint>

#include "platform/select.hpp"

#if POOLSCOPE_PLATFORM_LINUX
#include <dirent.h>
#include <linux/perf_event.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <string_view>
#else
#if !defined(_WIN32)
#include <unistd.h>
#endif
// The kernel's values (include/uapi/linux/perf_event.h), for parsing and reporting only.
#define PERF_TYPE_HARDWARE 0
#define PERF_TYPE_SOFTWARE 1
#define PERF_TYPE_TRACEPOINT 2
#define PERF_TYPE_HW_CACHE 3
#define PERF_TYPE_RAW 4
#define PERF_COUNT_HW_CPU_CYCLES 0
#define PERF_COUNT_HW_INSTRUCTIONS 1
#define PERF_COUNT_HW_CACHE_REFERENCES 2
#define PERF_COUNT_HW_CACHE_MISSES 3
#define PERF_COUNT_HW_BRANCH_INSTRUCTIONS 4
#define PERF_COUNT_HW_BRANCH_MISSES 5
#define PERF_COUNT_HW_REF_CPU_CYCLES 9
#define PERF_COUNT_HW_CACHE_L1D 0
#define PERF_COUNT_HW_CACHE_LL 2
#define PERF_COUNT_HW_CACHE_DTLB 3
#define PERF_COUNT_HW_CACHE_ITLB 4
#define PERF_COUNT_HW_CACHE_OP_READ 0
#define PERF_COUNT_HW_CACHE_RESULT_ACCESS 0
#define PERF_COUNT_HW_CACHE_RESULT_MISS 1
#define PERF_COUNT_SW_CPU_CLOCK 0
#define PERF_COUNT_SW_TASK_CLOCK 1
#define PERF_COUNT_SW_PAGE_FAULTS 2
#define PERF_COUNT_SW_CONTEXT_SWITCHES 3
#define PERF_COUNT_SW_CPU_MIGRATIONS 4
#define PERF_COUNT_SW_PAGE_FAULTS_MIN 5
#define PERF_COUNT_SW_PAGE_FAULTS_MAJ 6
#define PERF_COUNT_SW_ALIGNMENT_FAULTS 7
#define PERF_FORMAT_TOTAL_TIME_ENABLED (1U << 0)
#define PERF_FORMAT_TOTAL_TIME_RUNNING (1U << 1)
#define PERF_FORMAT_ID (1U << 2)
#define PERF_FORMAT_GROUP (1U << 3)
#endif

namespace poolscope::platform {

// The reason every perf event carries where the OS has no perf_event_open.
inline constexpr const char* kNoPerfEventOpen = "no perf_event_open on this OS";

#if POOLSCOPE_PLATFORM_LINUX
inline constexpr bool kHasPerfEventOpen = true;
using PerfEventAttr = perf_event_attr;
#else
inline constexpr bool kHasPerfEventOpen = false;
// The fields of perf_event_attr the counters set; never passed to any kernel.
struct PerfEventAttr {
  std::uint32_t type = 0;
  std::uint32_t size = 0;
  std::uint64_t config = 0;
  std::uint64_t read_format = 0;
  std::uint64_t disabled : 1 = 0;
  std::uint64_t exclude_user : 1 = 0;
  std::uint64_t exclude_kernel : 1 = 0;
  std::uint64_t exclude_hv : 1 = 0;
};
#endif

// Opens `attr` for the calling thread on any CPU (pid 0, cpu -1), joining the
// group led by `groupFd` (-1: a new group), close-on-exec. Returns the fd, or
// -1 with the errno in `err` (ENOSYS on the portable layer).
inline int perfEventOpen(PerfEventAttr& attr, int groupFd, int& err) noexcept {
#if POOLSCOPE_PLATFORM_LINUX
  const long fd = ::syscall(SYS_perf_event_open, &attr, 0, -1, groupFd, PERF_FLAG_FD_CLOEXEC);
  err = fd < 0 ? errno : 0;
  return fd < 0 ? -1 : static_cast<int>(fd);
#else
  (void)attr;
  (void)groupFd;
  err = ENOSYS;
  return -1;
#endif
}

// Enables / disables every member of the group led by `leaderFd` (one ioctl).
inline int perfGroupEnable(int leaderFd) noexcept {
#if POOLSCOPE_PLATFORM_LINUX
  return ::ioctl(leaderFd, PERF_EVENT_IOC_ENABLE, PERF_IOC_FLAG_GROUP);
#else
  (void)leaderFd;
  return -1;
#endif
}
inline int perfGroupDisable(int leaderFd) noexcept {
#if POOLSCOPE_PLATFORM_LINUX
  return ::ioctl(leaderFd, PERF_EVENT_IOC_DISABLE, PERF_IOC_FLAG_GROUP);
#else
  (void)leaderFd;
  return -1;
#endif
}

// The kernel's id of the event behind `fd` (PERF_EVENT_IOC_ID); 0 on success, -1 with errno set.
inline int perfEventId(int fd, std::uint64_t& id) noexcept {
#if POOLSCOPE_PLATFORM_LINUX
  return ::ioctl(fd, PERF_EVENT_IOC_ID, &id);
#else
  (void)fd;
  id = 0;
  errno = ENOSYS;
  return -1;
#endif
}

// read(2) of a perf fd: bytes read, or -1 with errno set.
inline long perfRead(int fd, void* buf, std::size_t bytes) noexcept {
#if POOLSCOPE_PLATFORM_LINUX
  return static_cast<long>(::read(fd, buf, bytes));
#else
  (void)fd;
  (void)buf;
  (void)bytes;
  errno = ENOSYS;
  return -1;
#endif
}

// close(2) of a perf fd (a failure is nothing anyone could act on).
inline void perfClose(int fd) noexcept {
#if POOLSCOPE_PLATFORM_LINUX
  ::close(fd);
#else
  (void)fd;
#endif
}

// Whether the effective user is root (uid 0); false where there is no such notion.
inline bool effectiveUserIsRoot() noexcept {
#if defined(_WIN32)
  return false;
#else
  return ::geteuid() == 0;
#endif
}

// Whether /sys/bus/event_source lists a core PMU (`cpu`, hybrid
// `cpu_core`/`cpu_atom`, Arm `armv8_*`): used only to explain a
// not-supported hardware event. False on the portable layer.
inline bool hardwarePmuListed() {
#if POOLSCOPE_PLATFORM_LINUX
  DIR* d = opendir("/sys/bus/event_source/devices");
  if (d == nullptr) return false;
  bool found = false;
  while (dirent* e = readdir(d)) {
    const std::string_view n = e->d_name;
    if (n == "cpu" || n.rfind("cpu_", 0) == 0 || n.rfind("armv", 0) == 0) found = true;
  }
  closedir(d);
  return found;
#else
  return false;
#endif
}

}  // namespace poolscope::platform
