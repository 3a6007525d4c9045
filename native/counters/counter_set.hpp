#pragma once
// A set of counters for the calling thread: the requested events split into
// one perf group per PMU kind, plus the `tsc` pseudo-event.
//
// Hot path (what enable/disable/read cost): one ioctl per group with
// PERF_IOC_FLAG_GROUP to enable or disable all its members, one read(2) per
// group that returns every member's count with the group's enabled and
// running times (PERF_FORMAT_GROUP | TOTAL_TIME_ENABLED | TOTAL_TIME_RUNNING
// | ID). No per-event syscall, no allocation.
//
// Intervals without a reset ioctl: counts and both times only advance while
// the group is enabled, so the totals read at the end of one interval are
// the totals at the start of the next. `mark()` remembers them; a reading is
// the difference from the mark, scaled by its own enabled/running deltas.
//
// Ownership: everything here belongs to the thread that called open(): it is
// the thread counted (pid 0), and nothing in the set is synchronised. Other
// threads may neither call it nor read its fields.
//
// Where the OS has no perf_event_open (the portable platform layer), every
// event but `tsc` is not-supported with platform::kNoPerfEventOpen.
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "counters/errno_text.hpp"
#include "counters/event_parse.hpp"
#include "counters/perf_fd.hpp"
#include "counters/privileges.hpp"
#include "counters/scaling.hpp"
#include "counters/tsc.hpp"
#include "platform/perf_event.hpp"

namespace poolscope::counters {

// Names match EventState in lib/report/schema.ts.
enum class EventState : std::uint8_t { Counted, NotCounted, NotSupported, Denied, Error };

inline constexpr std::string_view eventStateName(EventState s) {
  switch (s) {
    case EventState::Counted:
      return "counted";
    case EventState::NotCounted:
      return "not-counted";
    case EventState::NotSupported:
      return "not-supported";
    case EventState::Denied:
      return "denied";
    case EventState::Error:
      return "error";
  }
  return "error";
}

inline constexpr std::string_view kReasonNeverRan =
    "opened, but the kernel never scheduled it in this interval (running time 0): other groups or pinned events "
    "held the counters";
inline constexpr std::string_view kReasonZero =
    "opened, but it counted 0 over a non-empty interval where this event cannot be 0: the CPU or hypervisor "
    "accepts the event without counting it";

// Cumulative since open; all three advance only while enabled.
struct Totals {
  std::uint64_t value = 0;
  std::uint64_t enabledNs = 0;  // for tsc: the tsc ticks (so runningPct is 100)
  std::uint64_t runningNs = 0;
};

struct Reading {
  std::uint64_t value = 0;  // raw delta since mark()
  double scaled = 0;        // value × enabled / running (see scaling.hpp)
  double runningPct = 0;
  EventState state = EventState::Error;
  std::string_view reason;  // empty when counted; points into the set (valid until it is closed or moved)
};

struct EventSlot {
  EventSpec spec;
  EventState openState = EventState::Error;  // Counted once opened; readings may still say NotCounted
  std::string reason;                        // why it was not opened; empty when opened
  std::string note;                          // how it was opened when that is worth saying (user-only fallback, own group)
  int group = -1;                            // index into the set's groups; -1 for tsc and unopened events
  bool excludeUser = false;                  // the privilege levels it was opened with
  bool excludeKernel = false;
  bool excludeHv = false;
  Totals current;  // as of the last read()
  Totals mark;     // as of the last mark()
};

using platform::hardwarePmuListed;

class CounterSet {
 public:
  CounterSet() = default;  // empty: no events, every method a no-op
  CounterSet(CounterSet&&) noexcept = default;
  CounterSet& operator=(CounterSet&&) noexcept = default;
  CounterSet(const CounterSet&) = delete;
  CounterSet& operator=(const CounterSet&) = delete;

  // Opens every event for the calling thread, disabled. Never fails as a
  // whole: an event that cannot be opened keeps its state and reason.
  static CounterSet open(std::vector<EventSpec> specs, const Privileges& priv) {
    CounterSet set;
    set.exclusion_ = chooseExclusion(priv);
    set.slots_.reserve(specs.size());
    for (auto& spec : specs) {
      EventSlot slot;
      slot.spec = std::move(spec);
      set.slots_.push_back(std::move(slot));
    }
    for (std::size_t i = 0; i < set.slots_.size(); ++i) set.openSlot(i, priv);
    for (auto& g : set.groups_) g.buf.assign(3 + 2 * g.fds.size(), 0);
    return set;
  }

  // Starts (resumes) counting: one ioctl per group, then the tsc.
  void enable() noexcept {
    for (auto& g : groups_) platform::perfGroupEnable(g.fds.front().get());
    tscStart_ = readTsc();
    enabled_ = true;
  }

  // Stops counting: the tsc, then one ioctl per group (so the tsc interval lies inside the counted one).
  void disable() noexcept {
    if (enabled_) tscTotal_ += readTsc() - tscStart_;
    for (auto& g : groups_) platform::perfGroupDisable(g.fds.front().get());
    enabled_ = false;
  }

  // Reads every group's totals (one read(2) each). False if a read failed:
  // that group's events then read as `error` with the errno.
  bool read() noexcept {
    bool ok = true;
    for (auto& g : groups_) {
      const std::size_t bytes = g.buf.size() * sizeof(std::uint64_t);
      const long n = platform::perfRead(g.fds.front().get(), g.buf.data(), bytes);
      if (n != static_cast<long>(bytes) || g.buf[0] != g.fds.size()) {
        g.readErr = n < 0 ? errno : EIO;
        try {
          g.readErrText = "read(2) of the group failed: " + errnoText(g.readErr);
        } catch (...) {  // out of memory: the state still says error
        }
        ok = false;
        continue;
      }
      g.readErr = 0;
      const std::uint64_t enabledNs = g.buf[1], runningNs = g.buf[2];
      for (std::size_t j = 0; j < g.fds.size(); ++j) {
        const std::uint64_t value = g.buf[3 + 2 * j], id = g.buf[4 + 2 * j];
        // The kernel lists members in the order they joined; the id check keeps us honest if that ever changes.
        std::size_t member = j;
        if (g.ids[j] != id)
          for (std::size_t k = 0; k < g.ids.size(); ++k)
            if (g.ids[k] == id) member = k;
        slots_[g.slots[member]].current = {value, enabledNs, runningNs};
      }
    }
    if (tscSlot_ >= 0) {
      const std::uint64_t t = tscTotal_ + (enabled_ ? readTsc() - tscStart_ : 0);
      slots_[static_cast<std::size_t>(tscSlot_)].current = {t, t, t};
    }
    return ok;
  }

  // The start of the next interval: readings are differences from here.
  void mark() noexcept {
    for (auto& s : slots_) s.mark = s.current;
  }

  // Event i's counts from mark() to the last read().
  Reading reading(std::size_t i) const noexcept {
    const EventSlot& s = slots_[i];
    if (s.openState != EventState::Counted) return {0, 0, 0, s.openState, s.reason};
    if (s.group >= 0 && groups_[static_cast<std::size_t>(s.group)].readErr != 0)
      return {0, 0, 0, EventState::Error, groups_[static_cast<std::size_t>(s.group)].readErrText};
    const std::uint64_t value = s.current.value - s.mark.value;
    const std::uint64_t enabledNs = s.current.enabledNs - s.mark.enabledNs;
    const std::uint64_t runningNs = s.current.runningNs - s.mark.runningNs;
    const Scaled sc = scaleCount(value, enabledNs, runningNs);
    Reading r{value, sc.scaled, sc.runningPct, EventState::Counted, {}};
    if (enabledNs > 0 && runningNs == 0) {
      r.state = EventState::NotCounted;
      r.reason = kReasonNeverRan;
    } else if (enabledNs > 0 && value == 0 && s.spec.expectNonZero) {
      r.state = EventState::NotCounted;
      r.reason = kReasonZero;
    }
    return r;
  }

  // Closes every fd; the set is empty afterwards.
  void close() noexcept {
    groups_.clear();
    slots_.clear();
    tscSlot_ = -1;
    enabled_ = false;
  }

  std::size_t size() const noexcept { return slots_.size(); }
  const EventSlot& event(std::size_t i) const noexcept { return slots_[i]; }
  std::size_t groupCount() const noexcept { return groups_.size(); }
  PmuKind groupKind(std::size_t g) const noexcept { return groups_[g].kind; }
  std::size_t groupSize(std::size_t g) const noexcept { return groups_[g].fds.size(); }
  const Exclusion& exclusion() const noexcept { return exclusion_; }
  bool isEnabled() const noexcept { return enabled_; }
  // Leader fds, for benchmarks that time the raw syscalls on the same groups.
  int groupLeaderFd(std::size_t g) const noexcept { return groups_[g].fds.front().get(); }

 private:
  struct Group {
    PmuKind kind = PmuKind::Software;
    std::vector<PerfFd> fds;          // [0] is the leader
    std::vector<std::uint64_t> ids;   // kernel ids (PERF_EVENT_IOC_ID), index-aligned with fds
    std::vector<std::size_t> slots;   // event index of each member, index-aligned with fds
    std::vector<std::uint64_t> buf;   // read(2) target: nr, enabled, running, {value, id} × nr
    int readErr = 0;                  // errno of the last failed read; 0 after a good one
    std::string readErrText;
  };

  platform::PerfEventAttr attrFor(const EventSlot& s, bool forceUserOnly) const {
    platform::PerfEventAttr a{};
    a.size = sizeof(a);
    a.type = s.spec.type;
    a.config = s.spec.config;
    a.disabled = 1;  // counting starts with the first enable()
    a.read_format = PERF_FORMAT_GROUP | PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING | PERF_FORMAT_ID;
    if (s.spec.hasModifier) {
      a.exclude_user = s.spec.excludeUser;
      a.exclude_kernel = s.spec.excludeKernel;
      a.exclude_hv = s.spec.excludeHv;
    } else {
      a.exclude_kernel = exclusion_.kernel || forceUserOnly;
      a.exclude_hv = exclusion_.hv || forceUserOnly;
    }
    return a;
  }

  // Opens one event: alone (a new group) or into `groupFd`; with the user-only fallback perf uses when the
  // kernel is denied and no modifier was given.
  struct Attempt {
    OpenResult open;
    platform::PerfEventAttr attr;
    std::string note;
  };
  Attempt tryOpen(const EventSlot& s, int groupFd) const {
    Attempt at{{}, attrFor(s, false), {}};
    at.open = perfEventOpen(at.attr, groupFd);
    if (!at.open.fd.valid() && (at.open.err == EACCES || at.open.err == EPERM) && !s.spec.hasModifier &&
        !at.attr.exclude_kernel) {
      platform::PerfEventAttr userOnly = attrFor(s, true);
      OpenResult retry = perfEventOpen(userOnly, groupFd);
      if (retry.fd.valid()) {
        at.note = "user space only: counting the kernel too was refused with " + errnoName(at.open.err);
        at.open = std::move(retry);
        at.attr = userOnly;
      }
    }
    return at;
  }

  void openSlot(std::size_t i, const Privileges& priv) {
    EventSlot& s = slots_[i];
    if (s.spec.kind == PmuKind::Tsc) {
      s.openState = EventState::Counted;
      tscSlot_ = static_cast<int>(i);
      return;
    }
    const int current = currentGroup(s.spec.kind);
    Attempt at = tryOpen(s, current >= 0 ? groups_[static_cast<std::size_t>(current)].fds.front().get() : -1);
    int target = current;
    if (!at.open.fd.valid() && current >= 0) {
      // Joining the group failed: is it this event, or the group (more events than the PMU has counters)?
      const int joinErr = at.open.err;
      Attempt alone = tryOpen(s, -1);
      if (alone.open.fd.valid()) {
        target = -1;
        alone.note += std::string(alone.note.empty() ? "" : "; ") + "in a group of its own (joining group " +
                      std::to_string(current) + " failed with " + errnoName(joinErr) +
                      "): the kernel multiplexes the groups, see runningPct";
      }
      at = std::move(alone);
    }
    if (!at.open.fd.valid()) {
      classifyFailure(s, at.open.err, at.attr, priv);
      return;
    }
    std::uint64_t id = 0;
    if (platform::perfEventId(at.open.fd.get(), id) != 0) {
      classifyFailure(s, errno, at.attr, priv);
      return;
    }
    if (target < 0) {
      groups_.push_back(Group{s.spec.kind, {}, {}, {}, {}, 0, {}});
      target = static_cast<int>(groups_.size() - 1);
    }
    Group& g = groups_[static_cast<std::size_t>(target)];
    g.fds.push_back(std::move(at.open.fd));
    g.ids.push_back(id);
    g.slots.push_back(i);
    s.openState = EventState::Counted;
    s.group = target;
    s.note = std::move(at.note);
    s.excludeUser = at.attr.exclude_user;
    s.excludeKernel = at.attr.exclude_kernel;
    s.excludeHv = at.attr.exclude_hv;
  }

  // The most recently created group of this kind (new members join it), or -1.
  int currentGroup(PmuKind kind) const {
    for (std::size_t g = groups_.size(); g-- > 0;)
      if (groups_[g].kind == kind) return static_cast<int>(g);
    return -1;
  }

  void classifyFailure(EventSlot& s, int err, const platform::PerfEventAttr& attr, const Privileges& priv) {
    s.excludeUser = attr.exclude_user;
    s.excludeKernel = attr.exclude_kernel;
    s.excludeHv = attr.exclude_hv;
    if (!platform::kHasPerfEventOpen) {
      s.openState = EventState::NotSupported;
      s.reason = platform::kNoPerfEventOpen;
    } else if (err == ENOENT || err == EOPNOTSUPP || err == ENODEV) {
      s.openState = EventState::NotSupported;
      s.reason = errnoText(err) + ": this CPU or hypervisor exposes no such counter";
      if (s.spec.kind == PmuKind::Hardware && !hardwarePmuListed())
        s.reason += " (no hardware PMU is listed in /sys/bus/event_source/devices, as in most virtual machines)";
    } else if (err == EACCES || err == EPERM) {
      s.openState = EventState::Denied;
      s.reason = errnoText(err) + ": the kernel refused to count it for this process; " +
                 deniedAdvice(priv, !attr.exclude_kernel);
    } else {
      s.openState = EventState::Error;
      s.reason = errnoText(err);
      if (err == EINVAL)
        s.reason += ": the kernel rejected the event's attributes" +
                    std::string(s.spec.type == PERF_TYPE_RAW ? " (is this raw code valid on this CPU?)" : "");
      else if (err == EMFILE || err == ENFILE)
        s.reason += ": out of file descriptors (each counted event holds one)";
    }
  }

  std::vector<EventSlot> slots_;
  std::vector<Group> groups_;
  Exclusion exclusion_;
  int tscSlot_ = -1;
  bool enabled_ = false;
  std::uint64_t tscStart_ = 0;  // tsc at the last enable()
  std::uint64_t tscTotal_ = 0;  // tsc ticks over all closed intervals
};

}  // namespace poolscope::counters
