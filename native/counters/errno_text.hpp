#pragma once
// errno names without Node: the counters report them in every reason string.
// (native/addon/errors.hpp has the addon's copy for JS errors; this one must
// not include napi.h, so the core and its C++ tests can use it.)
#include <cerrno>
#include <cstring>
#include <string>

namespace poolscope::counters {

inline std::string errnoName(int err) {
  switch (err) {
#define POOLSCOPE_ERRNO_CASE(name) \
  case name:                       \
    return #name;
    POOLSCOPE_ERRNO_CASE(EPERM) POOLSCOPE_ERRNO_CASE(ENOENT) POOLSCOPE_ERRNO_CASE(ESRCH)
    POOLSCOPE_ERRNO_CASE(EINTR) POOLSCOPE_ERRNO_CASE(EIO) POOLSCOPE_ERRNO_CASE(E2BIG)
    POOLSCOPE_ERRNO_CASE(EBADF) POOLSCOPE_ERRNO_CASE(EAGAIN) POOLSCOPE_ERRNO_CASE(ENOMEM)
    POOLSCOPE_ERRNO_CASE(EACCES) POOLSCOPE_ERRNO_CASE(EFAULT) POOLSCOPE_ERRNO_CASE(EBUSY)
    POOLSCOPE_ERRNO_CASE(EEXIST) POOLSCOPE_ERRNO_CASE(ENODEV) POOLSCOPE_ERRNO_CASE(EINVAL)
    POOLSCOPE_ERRNO_CASE(EMFILE) POOLSCOPE_ERRNO_CASE(ENFILE) POOLSCOPE_ERRNO_CASE(ENOSPC)
    POOLSCOPE_ERRNO_CASE(ENOSYS) POOLSCOPE_ERRNO_CASE(EOPNOTSUPP) POOLSCOPE_ERRNO_CASE(EOVERFLOW)
#undef POOLSCOPE_ERRNO_CASE
    default:
      return "E" + std::to_string(err);
  }
}

// "ENOENT (No such file or directory)"
inline std::string errnoText(int err) { return errnoName(err) + " (" + std::strerror(err) + ")"; }

}  // namespace poolscope::counters
