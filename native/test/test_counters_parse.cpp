// Event names as perf spells them: table lookup, aliases, raw codes,
// modifiers, and the errors for everything else.
#include <string>
#include <vector>

#include "counters/event_parse.hpp"
#include "test/check.hpp"

using namespace poolscope::counters;

static bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

int main() {
  // every table entry parses to itself
  for (const auto& e : kEvents) {
    ParseResult r = parseEvent(e.name);
    CHECK(r.spec.has_value());
    CHECK(r.spec->type == e.type && r.spec->config == e.config && r.spec->kind == e.kind);
    CHECK(!r.spec->hasModifier);
  }

  ParseResult cycles = parseEvent("cycles");
  CHECK_EQ(cycles.spec->type, static_cast<std::uint32_t>(PERF_TYPE_HARDWARE));
  CHECK_EQ(cycles.spec->config, static_cast<std::uint64_t>(PERF_COUNT_HW_CPU_CYCLES));
  CHECK(parseEvent("cpu-cycles").spec->config == cycles.spec->config);
  CHECK(parseEvent("cs").spec->config == static_cast<std::uint64_t>(PERF_COUNT_SW_CONTEXT_SWITCHES));

  // hardware cache encoding: cache | op << 8 | result << 16
  ParseResult l1 = parseEvent("L1-dcache-load-misses");
  CHECK_EQ(l1.spec->type, static_cast<std::uint32_t>(PERF_TYPE_HW_CACHE));
  CHECK_EQ(l1.spec->config, static_cast<std::uint64_t>(PERF_COUNT_HW_CACHE_L1D | (PERF_COUNT_HW_CACHE_OP_READ << 8) |
                                                       (PERF_COUNT_HW_CACHE_RESULT_MISS << 16)));
  CHECK(parseEvent("dTLB-load-misses").spec->config == 0x10003u);

  // raw codes
  ParseResult raw = parseEvent("r01c2");
  CHECK(raw.spec.has_value());
  CHECK_EQ(raw.spec->type, static_cast<std::uint32_t>(PERF_TYPE_RAW));
  CHECK_EQ(raw.spec->config, 0x01c2u);
  CHECK(raw.spec->kind == PmuKind::Hardware);
  CHECK(parseEvent("rFFFFFFFFFFFFFFFF").spec->config == 0xFFFFFFFFFFFFFFFFull);
  for (const char* bad : {"r", "rxyz", "r12g4", "r12345678901234567"}) {
    ParseResult b = parseEvent(bad);
    CHECK(!b.spec.has_value());
    CHECK(contains(b.error, "not a valid raw event"));
  }

  // modifiers: exactly the named levels are counted
  ParseResult u = parseEvent("cycles:u");
  CHECK(u.spec->hasModifier && !u.spec->excludeUser && u.spec->excludeKernel && u.spec->excludeHv);
  ParseResult k = parseEvent("task-clock:k");
  CHECK(k.spec->excludeUser && !k.spec->excludeKernel && k.spec->excludeHv);
  ParseResult uk = parseEvent("r003c:uk");
  CHECK(!uk.spec->excludeUser && !uk.spec->excludeKernel && uk.spec->excludeHv);
  CHECK(uk.spec->name == "r003c:uk" && uk.spec->canonical == "r003c");
  CHECK(parseEvent("cs:u").spec->canonical == "context-switches");
  for (const char* bad : {"cycles:", "cycles:x", "cycles:uu", "tsc:u"}) CHECK(!parseEvent(bad).spec.has_value());

  // unknown names list the closest known ones
  ParseResult typo = parseEvent("cycels");
  CHECK(!typo.spec.has_value());
  CHECK(contains(typo.error, "not a known event"));
  CHECK(contains(typo.error, "'cycles'"));
  CHECK(contains(parseEvent("page-fault").error, "'page-faults'"));
  CHECK(contains(parseEvent("contex-switch").error, "'context-switches'"));
  CHECK_EQ(editDistance("kitten", "sitting"), 3u);
  CHECK_EQ(editDistance("LLC-LOADS", "LLC-loads"), 0u);
  CHECK(closestEventNames("instructons").front() == "instructions");

  // lists
  ParseListResult ok = parseEventList({"task-clock", "page-faults", "tsc", "cycles:u", "cycles"});
  CHECK(ok.error.empty());
  CHECK_EQ(ok.specs.size(), 5u);
  CHECK(contains(parseEventList({}).error, "at least one"));
  ParseListResult dup = parseEventList({"task-clock", "cs", "context-switches"});
  CHECK(dup.specs.empty());
  CHECK(contains(dup.error, "events[2] 'context-switches' duplicates events[1] 'cs'"));
  CHECK(contains(parseEventList({"tsc", "tsc"}).error, "duplicates"));
  ParseListResult bad = parseEventList({"task-clock", "nope"});
  CHECK(contains(bad.error, "events[1] 'nope'"));
  CHECK(contains(parseEventList(std::vector<std::string>(65, "task-clock")).error, "at most 64"));
  return 0;
}
