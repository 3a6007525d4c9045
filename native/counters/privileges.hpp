#pragma once
// What this process may count, and the privilege level poolscope picks for
// events requested without a `:u`/`:k` modifier. perf_event_paranoid
// (/proc/sys/kernel/perf_event_paranoid): -1 everything, 0 no raw tracepoints
// for users, 1 user+kernel of own threads, 2 user space only (the default on
// most distributions), 3+ (Debian/Android patch) nothing without privilege.
// CAP_PERFMON (Linux 5.8+) or CAP_SYS_ADMIN bypasses all of it.
#include <cstdint>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

#include "platform/perf_event.hpp"

namespace poolscope::counters {

struct Privileges {
  std::optional<int> paranoid;  // nullopt when /proc/sys/kernel/perf_event_paranoid is unreadable
  bool root = false;            // effective uid 0
  bool capPerfmon = false;      // CAP_PERFMON in the effective set
  bool capSysAdmin = false;     // CAP_SYS_ADMIN in the effective set
  bool privileged() const { return capPerfmon || capSysAdmin; }
};

inline constexpr int kCapSysAdmin = 21;
inline constexpr int kCapPerfmon = 38;

inline Privileges readPrivileges() {
  Privileges p;
  p.root = platform::effectiveUserIsRoot();
  {
    std::ifstream f("/proc/sys/kernel/perf_event_paranoid");
    int v = 0;
    if (f >> v) p.paranoid = v;
  }
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("CapEff:", 0) != 0) continue;
    std::uint64_t caps = std::stoull(line.substr(7), nullptr, 16);
    p.capSysAdmin = (caps >> kCapSysAdmin) & 1u;
    p.capPerfmon = (caps >> kCapPerfmon) & 1u;
  }
  return p;
}

// The default privilege level for events without a modifier, with the reason
// reported next to the readings.
struct Exclusion {
  bool kernel = false;  // perf_event_attr.exclude_kernel
  bool hv = false;      // perf_event_attr.exclude_hv
  std::string why;
};

inline std::string paranoidText(const Privileges& p) {
  return p.paranoid ? "perf_event_paranoid=" + std::to_string(*p.paranoid) : "perf_event_paranoid unreadable";
}

inline Exclusion chooseExclusion(const Privileges& p) {
  if (p.privileged())
    return {false, false,
            std::string("user and kernel: the process has ") + (p.capPerfmon ? "CAP_PERFMON" : "CAP_SYS_ADMIN")};
  if (!p.paranoid || *p.paranoid >= 2)
    return {true, true, "user space only (exclude_kernel, exclude_hv): " + paranoidText(p) + " and no CAP_PERFMON"};
  return {false, false, "user and kernel: " + paranoidText(p) + " allows it"};
}

// What to tell someone whose open failed with EACCES/EPERM.
inline std::string deniedAdvice(const Privileges& p, bool kernelCounted) {
  std::ostringstream s;
  s << paranoidText(p) << ", " << (p.privileged() ? "privileged" : "no CAP_PERFMON/CAP_SYS_ADMIN")
    << ". To allow it: sysctl kernel.perf_event_paranoid=1 (or 2 for user space only), or give the process "
       "CAP_PERFMON (setcap cap_perfmon+ep on the node binary), or run as root";
  if (kernelCounted) s << "; the user-space-only form (`:u`, e.g. cycles:u) may work without any of these";
  return s.str();
}

}  // namespace poolscope::counters
