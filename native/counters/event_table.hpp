#pragma once
// The events poolscope knows, by the names `perf list` uses. Each maps to a
// perf_event_attr (type, config) and to the PMU kind whose group it joins:
// events of one kind share a group (one enable ioctl, one read), kinds never
// mix, so a kind the machine lacks (no hardware PMU under a hypervisor)
// cannot sink the others.
//
// The kinds follow the kernel's PMUs, not perf's event types: task-clock and
// cpu-clock are PERF_TYPE_SOFTWARE but each has its own hrtimer-based PMU
// (perf_task_clock, perf_cpu_clock in kernel/events/core.c), apart from the
// other software events (perf_swevent). Grouping across them miscounts: on
// kernel 6.18 here, page-faults under a task-clock leader read 0 for 256
// faulted pages, and task-clock under a page-faults leader read 6 µs for
// 300 µs of work (native/test/test_counters_group.cpp checks both counts in
// one set). So each clock is a kind, and a group, of its own.
#include <array>
#include <cstdint>
#include <string_view>

#include "platform/perf_event.hpp"

namespace poolscope::counters {

enum class PmuKind : std::uint8_t {
  Hardware,  // the core PMU: generic hardware, hardware cache and raw events
  Software,  // the kernel's perf_swevent PMU: faults, context switches, migrations
  TaskClock, // perf_task_clock: task-clock alone
  CpuClock,  // perf_cpu_clock: cpu-clock alone
  Tsc,       // the pseudo-event `tsc`: rdtscp, no perf_event_open
};

inline constexpr std::string_view pmuKindName(PmuKind k) {
  switch (k) {
    case PmuKind::Hardware:
      return "hardware";
    case PmuKind::Software:
      return "software";
    case PmuKind::TaskClock:
      return "task-clock";
    case PmuKind::CpuClock:
      return "cpu-clock";
    case PmuKind::Tsc:
      return "tsc";
  }
  return "?";
}

struct EventDef {
  std::string_view name;  // canonical, as `perf list` prints it
  std::uint32_t type;     // perf_event_attr.type (PERF_TYPE_*); unused for Tsc
  std::uint64_t config;   // perf_event_attr.config
  PmuKind kind;
  // A zero count over a busy interval means the counter did not really count
  // (e.g. a hypervisor that accepts the event and never increments it).
  // False for events where zero is an honest answer (major-faults).
  bool expectNonZero;
};

constexpr std::uint64_t cacheConfig(std::uint64_t cache, std::uint64_t op, std::uint64_t result) {
  return cache | (op << 8) | (result << 16);
}

inline constexpr std::uint32_t kTypeHw = PERF_TYPE_HARDWARE;
inline constexpr std::uint32_t kTypeCache = PERF_TYPE_HW_CACHE;
inline constexpr std::uint32_t kTypeSw = PERF_TYPE_SOFTWARE;

// Order is the order `probe()` reports them in. Raw events (`rNNNN`) are
// not listed: event_parse.hpp builds them.
inline constexpr std::array<EventDef, 23> kEvents{{
    {"cycles", kTypeHw, PERF_COUNT_HW_CPU_CYCLES, PmuKind::Hardware, true},
    {"instructions", kTypeHw, PERF_COUNT_HW_INSTRUCTIONS, PmuKind::Hardware, true},
    {"cache-references", kTypeHw, PERF_COUNT_HW_CACHE_REFERENCES, PmuKind::Hardware, false},
    {"cache-misses", kTypeHw, PERF_COUNT_HW_CACHE_MISSES, PmuKind::Hardware, false},
    {"branch-instructions", kTypeHw, PERF_COUNT_HW_BRANCH_INSTRUCTIONS, PmuKind::Hardware, true},
    {"branch-misses", kTypeHw, PERF_COUNT_HW_BRANCH_MISSES, PmuKind::Hardware, false},
    {"ref-cycles", kTypeHw, PERF_COUNT_HW_REF_CPU_CYCLES, PmuKind::Hardware, true},
    {"L1-dcache-loads", kTypeCache,
     cacheConfig(PERF_COUNT_HW_CACHE_L1D, PERF_COUNT_HW_CACHE_OP_READ, PERF_COUNT_HW_CACHE_RESULT_ACCESS),
     PmuKind::Hardware, true},
    {"L1-dcache-load-misses", kTypeCache,
     cacheConfig(PERF_COUNT_HW_CACHE_L1D, PERF_COUNT_HW_CACHE_OP_READ, PERF_COUNT_HW_CACHE_RESULT_MISS),
     PmuKind::Hardware, false},
    {"LLC-loads", kTypeCache,
     cacheConfig(PERF_COUNT_HW_CACHE_LL, PERF_COUNT_HW_CACHE_OP_READ, PERF_COUNT_HW_CACHE_RESULT_ACCESS),
     PmuKind::Hardware, false},
    {"LLC-load-misses", kTypeCache,
     cacheConfig(PERF_COUNT_HW_CACHE_LL, PERF_COUNT_HW_CACHE_OP_READ, PERF_COUNT_HW_CACHE_RESULT_MISS),
     PmuKind::Hardware, false},
    {"dTLB-loads", kTypeCache,
     cacheConfig(PERF_COUNT_HW_CACHE_DTLB, PERF_COUNT_HW_CACHE_OP_READ, PERF_COUNT_HW_CACHE_RESULT_ACCESS),
     PmuKind::Hardware, true},
    {"dTLB-load-misses", kTypeCache,
     cacheConfig(PERF_COUNT_HW_CACHE_DTLB, PERF_COUNT_HW_CACHE_OP_READ, PERF_COUNT_HW_CACHE_RESULT_MISS),
     PmuKind::Hardware, false},
    {"iTLB-load-misses", kTypeCache,
     cacheConfig(PERF_COUNT_HW_CACHE_ITLB, PERF_COUNT_HW_CACHE_OP_READ, PERF_COUNT_HW_CACHE_RESULT_MISS),
     PmuKind::Hardware, false},
    {"task-clock", kTypeSw, PERF_COUNT_SW_TASK_CLOCK, PmuKind::TaskClock, true},
    {"cpu-clock", kTypeSw, PERF_COUNT_SW_CPU_CLOCK, PmuKind::CpuClock, true},
    {"page-faults", kTypeSw, PERF_COUNT_SW_PAGE_FAULTS, PmuKind::Software, false},
    {"minor-faults", kTypeSw, PERF_COUNT_SW_PAGE_FAULTS_MIN, PmuKind::Software, false},
    {"major-faults", kTypeSw, PERF_COUNT_SW_PAGE_FAULTS_MAJ, PmuKind::Software, false},
    {"context-switches", kTypeSw, PERF_COUNT_SW_CONTEXT_SWITCHES, PmuKind::Software, false},
    {"cpu-migrations", kTypeSw, PERF_COUNT_SW_CPU_MIGRATIONS, PmuKind::Software, false},
    {"alignment-faults", kTypeSw, PERF_COUNT_SW_ALIGNMENT_FAULTS, PmuKind::Software, false},
    {"tsc", 0, 0, PmuKind::Tsc, true},
}};

// perf's other spellings of the same events; they resolve to the canonical name.
struct EventAlias {
  std::string_view alias;
  std::string_view canonical;
};
inline constexpr std::array<EventAlias, 6> kAliases{{
    {"cpu-cycles", "cycles"},
    {"branches", "branch-instructions"},
    {"faults", "page-faults"},
    {"cs", "context-switches"},
    {"migrations", "cpu-migrations"},
    {"L1-dcache-misses", "L1-dcache-load-misses"},
}};

inline const EventDef* findEvent(std::string_view name) {
  for (const auto& a : kAliases)
    if (a.alias == name) name = a.canonical;
  for (const auto& e : kEvents)
    if (e.name == name) return &e;
  return nullptr;
}

}  // namespace poolscope::counters
