// Unprivileged behaviour, for real: as root, a forked child drops to uid
// 65534 (losing every capability), then opens events. Under
// perf_event_paranoid >= 2 the kernel must refuse kernel counting: events
// without a modifier are opened user-space-only (exclude_kernel), `:k` is
// `denied` with a reason that names the paranoid level and suggests `:u`.
// Elsewhere (not root, or a lower paranoid level) it says which branch ran.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "counters/counter_set.hpp"
#include "test/check.hpp"

using namespace poolscope::counters;

static bool contains(const std::string& s, const char* part) { return s.find(part) != std::string::npos; }

static int childBody() {
  if (setgid(65534) != 0 || setuid(65534) != 0) return 10;
  const Privileges p = readPrivileges();
  CHECK(!p.privileged());
  CHECK(p.paranoid.has_value() && *p.paranoid >= 2);
  const Exclusion ex = chooseExclusion(p);
  CHECK(ex.kernel && ex.hv);
  CHECK(contains(ex.why, "user space only"));

  ParseListResult list = parseEventList({"task-clock", "page-faults:k", "context-switches:u"});
  CHECK(list.error.empty());
  CounterSet s = CounterSet::open(std::move(list.specs), p);
  if (*p.paranoid == 2) {
    CHECK(s.event(0).openState == EventState::Counted);
    CHECK(s.event(0).excludeKernel);
    CHECK(s.event(2).openState == EventState::Counted);
  } else {  // 3+: nothing at all without privilege
    CHECK(s.event(0).openState == EventState::Denied);
  }
  const EventSlot& k = s.event(1);
  CHECK(k.openState == EventState::Denied);
  CHECK(contains(k.reason, "perf_event_paranoid="));
  CHECK(contains(k.reason, "CAP_PERFMON"));
  CHECK(contains(k.reason, ":u"));
  // perf's fallback: if the chosen level is refused (here: we pretend paranoid 1 allowed the kernel),
  // an event without a modifier is reopened user-space-only and says so.
  if (*p.paranoid == 2) {
    Privileges optimistic = p;
    optimistic.paranoid = 1;
    CHECK(!chooseExclusion(optimistic).kernel);
    ParseListResult one = parseEventList({"page-faults"});
    CounterSet f = CounterSet::open(std::move(one.specs), optimistic);
    CHECK(f.event(0).openState == EventState::Counted);
    CHECK(f.event(0).excludeKernel);
    CHECK(contains(f.event(0).note, "user space only"));
  }
  std::printf("unprivileged child: task-clock %s (exclude_kernel=%d), page-faults:k denied: %s\n",
              std::string(eventStateName(s.event(0).openState)).c_str(), s.event(0).excludeKernel ? 1 : 0,
              k.reason.c_str());
  std::fflush(stdout);  // the child leaves with _exit, which does not flush stdio
  return 0;
}

int main() {
  const Privileges p = readPrivileges();
  if (!poolscope::platform::kHasPerfEventOpen) {
    // The portable platform layer: a denial cannot happen; every perf event is not-supported, never denied.
    std::printf("branch: platform layer %s: no perf_event_open, nothing to deny\n", poolscope::platform::kPlatformLayer);
    ParseListResult list = parseEventList({"task-clock", "page-faults:k", "cycles:u"});
    CHECK(list.error.empty());
    CounterSet s = CounterSet::open(std::move(list.specs), p);
    for (std::size_t i = 0; i < s.size(); ++i) {
      CHECK(s.event(i).openState == EventState::NotSupported);
      CHECK(s.event(i).reason == "no perf_event_open on this OS");
    }
    return 0;
  }
  if (geteuid() != 0 || !p.paranoid || *p.paranoid < 2) {
    std::printf("branch: not root or perf_event_paranoid < 2 (%s): the unprivileged path is not exercised here\n",
                paranoidText(p).c_str());
    // What we can check anywhere: a privileged process counts kernel and user.
    if (p.privileged()) CHECK(!chooseExclusion(p).kernel);
    return 0;
  }
  std::printf("branch: root with %s: checking a child that drops to uid 65534\n", paranoidText(p).c_str());
  std::fflush(stdout);
  const pid_t pid = fork();
  CHECK(pid >= 0);
  if (pid == 0) _exit(childBody());
  int status = 0;
  CHECK(waitpid(pid, &status, 0) == pid);
  CHECK(WIFEXITED(status));
  CHECK_EQ(WEXITSTATUS(status), 0);
  return 0;
}
