#pragma once
// Page-aligned, zero-filled anonymous memory straight from the OS (not the
// heap): mmap(MAP_ANONYMOUS) on POSIX (Linux also asks MAP_NORESERVE: no swap
// is reserved for pages never touched), VirtualAlloc on Windows. Freed memory
// goes back to the OS at once.
//
// No Node includes here.
#include <cerrno>
#include <cstddef>

#include "platform/select.hpp"

#if defined(_WIN32)
#include "platform/windows_api.hpp"
#else
#include <sys/mman.h>
#include <unistd.h>
#endif

namespace poolscope::platform {

inline std::size_t pageSize() noexcept {
#if defined(_WIN32)
  SYSTEM_INFO info;
  GetSystemInfo(&info);
  return static_cast<std::size_t>(info.dwPageSize);
#else
  const long page = ::sysconf(_SC_PAGESIZE);
  return page > 0 ? static_cast<std::size_t>(page) : 4096;
#endif
}

// Maps `bytes` (a whole number of pages) read-write. Returns nullptr and sets
// `err` (an errno value) on failure.
inline void* mapAnonymous(std::size_t bytes, int& err) noexcept {
#if defined(_WIN32)
  void* p = ::VirtualAlloc(nullptr, bytes, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
  err = p == nullptr ? ENOMEM : 0;
  return p;
#else
  int flags = MAP_PRIVATE | MAP_ANONYMOUS;
#if POOLSCOPE_PLATFORM_LINUX
  flags |= MAP_NORESERVE;
#endif
  void* p = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, flags, -1, 0);
  if (p == MAP_FAILED) {
    err = errno;
    return nullptr;
  }
  err = 0;
  return p;
#endif
}

// Unmaps what mapAnonymous(bytes) returned.
inline void unmapAnonymous(void* p, std::size_t bytes) noexcept {
#if defined(_WIN32)
  (void)bytes;
  ::VirtualFree(p, 0, MEM_RELEASE);
#else
  ::munmap(p, bytes);
#endif
}

}  // namespace poolscope::platform
