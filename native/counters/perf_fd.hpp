#pragma once
// perf_event_open and the one type that owns what it returns. The syscall
// itself is in the platform layer (platform/perf_event.hpp): on an OS without
// it every open fails with ENOSYS.
#include <utility>

#include "platform/perf_event.hpp"

namespace poolscope::counters {

// Owns one perf event fd; closes it in the destructor. Move-only; the empty
// state (fd -1) is valid and owns nothing.
class PerfFd {
 public:
  PerfFd() = default;
  explicit PerfFd(int fd) noexcept : fd_(fd) {}
  PerfFd(PerfFd&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
  PerfFd& operator=(PerfFd&& o) noexcept {
    if (this != &o) {
      reset();
      fd_ = std::exchange(o.fd_, -1);
    }
    return *this;
  }
  PerfFd(const PerfFd&) = delete;
  PerfFd& operator=(const PerfFd&) = delete;
  ~PerfFd() { reset(); }

  int get() const noexcept { return fd_; }
  bool valid() const noexcept { return fd_ >= 0; }
  void reset() noexcept {
    if (fd_ >= 0) platform::perfClose(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

struct OpenResult {
  PerfFd fd;
  int err = 0;  // errno when !fd.valid()
};

// Opens `attr` for the calling thread on any CPU (pid 0, cpu -1), joining the
// group led by `groupFd` (-1: a new group). Close-on-exec.
inline OpenResult perfEventOpen(platform::PerfEventAttr& attr, int groupFd) noexcept {
  int err = 0;
  const int fd = platform::perfEventOpen(attr, groupFd, err);
  if (fd < 0) return {PerfFd{}, err};
  return {PerfFd{fd}, 0};
}

}  // namespace poolscope::counters
