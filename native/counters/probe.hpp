#pragma once
// What this machine can count: every event in the table opened in one set on
// the calling thread, run over a short stretch of work that every event
// should see (busy cycles, fresh pages touched), and read once. An event
// that opens but counts 0 where it cannot be 0 comes back `not-counted`.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "counters/counter_set.hpp"
#include "platform/anonymous_memory.hpp"

namespace poolscope::counters {

struct ProbeResult {
  Privileges privileges;
  CounterSet set;                 // still open (its fds close with the result); kept for its slots: names, states, notes
  std::vector<Reading> readings;  // index-aligned with set.event(i)
};

inline void probeWorkload(std::int64_t spinTscTicks) {
  // Fresh anonymous pages: each first touch is a (minor) page fault.
  constexpr std::size_t kPages = 32;
  const std::size_t page = platform::pageSize();
  int err = 0;
  if (void* mem = platform::mapAnonymous(kPages * page, err)) {
    for (std::size_t p = 0; p < kPages; ++p) static_cast<volatile char*>(mem)[p * page] = 1;
    platform::unmapAnonymous(mem, kPages * page);
  }
  volatile std::uint64_t sink = 0;
  const std::uint64_t start = readTsc();
  while (static_cast<std::int64_t>(readTsc() - start) < spinTscTicks) sink = sink + 1;
}

inline ProbeResult probeAllEvents() {
  ProbeResult r;
  r.privileges = readPrivileges();
  std::vector<EventSpec> specs;
  for (const auto& e : kEvents) {
    ParseResult p = parseEvent(e.name);
    if (p.spec) specs.push_back(std::move(*p.spec));
  }
  r.set = CounterSet::open(std::move(specs), r.privileges);
  r.set.enable();
  probeWorkload(5'000'000);  // ~2 ms at 2.4 GHz
  r.set.disable();
  r.set.read();
  for (std::size_t i = 0; i < r.set.size(); ++i) r.readings.push_back(r.set.reading(i));
  return r;
}

}  // namespace poolscope::counters
