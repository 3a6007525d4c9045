// The platform layer (native/platform) on whichever variant this build picked
// (Linux, or portable with -DPOOLSCOPE_PLATFORM=portable): what each call
// promises callers, in both variants.
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>

#include "platform/affinity.hpp"
#include "platform/aligned_heap.hpp"
#include "platform/anonymous_memory.hpp"
#include "platform/dynamic_library.hpp"
#include "platform/perf_event.hpp"
#include "platform/wait.hpp"
#include "test/check.hpp"

using namespace poolscope::platform;

namespace {

void checkAffinity() {
  rememberProcessCpuMask();
  const int cpu = pinNthCpu(0);
  if (kHasAffinity) {
    CHECK(cpu >= 0);  // the first CPU of the process's own mask can always be taken
  } else {
    CHECK_EQ(cpu, -1);  // portable: a no-op, which the harness reports as pinned: false
  }
  unpin();
  CHECK_EQ(pinNthCpu(-1), -1);
}

void checkAnonymousMemory() {
  const std::size_t page = pageSize();
  CHECK(page >= 4096 && (page & (page - 1)) == 0);
  int err = -1;
  auto* p = static_cast<unsigned char*>(mapAnonymous(4 * page, err));
  CHECK(p != nullptr);
  CHECK_EQ(err, 0);
  CHECK_EQ(reinterpret_cast<std::uintptr_t>(p) % page, std::uintptr_t{0});
  for (std::size_t i = 0; i < 4 * page; i += 512) CHECK_EQ(p[i], 0);  // zero-filled
  std::memset(p, 0x5a, 4 * page);
  unmapAnonymous(p, 4 * page);
  // An impossible size fails with an errno, not a crash.
  void* huge = mapAnonymous(~std::size_t{0} & ~(page - 1), err);
  CHECK(huge == nullptr);
  CHECK(err != 0);
}

void checkAlignedHeap() {
  for (std::size_t align : {std::size_t{16}, std::size_t{64}, std::size_t{4096}}) {
    void* p = alignedAlloc(align, align * 3);
    CHECK(p != nullptr);
    CHECK_EQ(reinterpret_cast<std::uintptr_t>(p) % align, std::uintptr_t{0});
    alignedFree(p);
  }
}

void checkWait() {
  std::atomic<std::uint32_t> word{0};
  std::thread setter([&] {
    word.store(1, std::memory_order_release);  // release: pairs with the waiter's acquire re-check
    word.notify_all();
  });
  waitWhileEqual(word, std::uint32_t{0}, std::memory_order_acquire);
  CHECK_EQ(word.load(std::memory_order_relaxed), 1u);
  setter.join();
  spinPause();
}

void checkDynamicLibrary() {
  std::string err;
  void* h = openLibrary("/nonexistent/poolscope/libnothere.so.1", err);
  CHECK(h == nullptr);
  // The words core/peer_allocator.hpp matches to say "not installed".
  CHECK(err.find("cannot open shared object file") != std::string::npos ||
        err.find("No such file") != std::string::npos);
}

void checkPerfEvent() {
  PerfEventAttr attr{};
  attr.size = sizeof attr;
  attr.type = PERF_TYPE_SOFTWARE;
  attr.config = PERF_COUNT_SW_TASK_CLOCK;
  attr.disabled = 1;
  int err = 0;
  const int fd = perfEventOpen(attr, -1, err);
  if (kHasPerfEventOpen) {
    // Linux: opens, or is refused for a reason the kernel gives (never ENOSYS on a kernel with perf).
    if (fd >= 0) {
      std::uint64_t id = 0;
      CHECK_EQ(perfEventId(fd, id), 0);
      perfClose(fd);
    } else if (err == ENOSYS && std::getenv("POOLSCOPE_EMULATOR") != nullptr) {
      // qemu-user (`npm run cross-build -- linux-arm64 --test` sets POOLSCOPE_EMULATOR) does not
      // emulate perf_event_open: the syscall never reaches a kernel. Only there is ENOSYS accepted.
      std::printf("branch: under %s, which does not emulate perf_event_open: ENOSYS\n",
                  std::getenv("POOLSCOPE_EMULATOR"));
    } else {
      CHECK(err != 0 && err != ENOSYS);
    }
  } else {
    CHECK_EQ(fd, -1);
    CHECK_EQ(err, ENOSYS);
    CHECK(!hardwarePmuListed());
  }
}

}  // namespace

int main() {
  std::printf("platform layer: %s\n", kPlatformLayer);
  checkAffinity();
  checkAnonymousMemory();
  checkAlignedHeap();
  checkWait();
  checkDynamicLibrary();
  checkPerfEvent();
  std::puts("ok");
  return 0;
}
