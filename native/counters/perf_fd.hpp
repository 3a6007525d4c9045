#pragma once
// perf_event_open and the one type that owns what it returns.
#include <linux/perf_event.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

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
    if (fd_ >= 0) ::close(fd_);  // close(2) on a perf fd does not fail in a way we could act on
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
inline OpenResult perfEventOpen(perf_event_attr& attr, int groupFd) noexcept {
  const long fd = ::syscall(SYS_perf_event_open, &attr, 0, -1, groupFd, PERF_FLAG_FD_CLOEXEC);
  if (fd < 0) return {PerfFd{}, errno};
  return {PerfFd{static_cast<int>(fd)}, 0};
}

}  // namespace poolscope::counters
