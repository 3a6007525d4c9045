#pragma once
// Parsing event names as `perf stat -e` spells them: a name from the table
// (or one of perf's aliases), a raw code `rNNNN` (hex, up to 16 digits), each
// optionally followed by perf's privilege-level modifiers `:u` (user space
// only), `:k` (kernel only), `:h` (hypervisor), in any combination (`:uk`).
// Errors are full sentences naming the list index, the text received and
// what is accepted; an unknown name lists the closest known names.
#include <algorithm>
#include <cctype>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "counters/event_table.hpp"

namespace poolscope::counters {

struct EventSpec {
  std::string name;       // exactly as requested (readings are reported under it)
  std::string canonical;  // the table's name for it (aliases resolved), or the raw code; no modifiers
  std::uint32_t type = 0;
  std::uint64_t config = 0;
  PmuKind kind = PmuKind::Software;
  bool expectNonZero = false;
  // perf's modifiers. Without any, the privilege level is chosen per machine
  // (see privileges.hpp); with one, exactly the levels named are counted.
  bool hasModifier = false;
  bool excludeUser = false;
  bool excludeKernel = false;
  bool excludeHv = false;
};

struct ParseResult {
  std::optional<EventSpec> spec;  // set on success
  std::string error;              // set on failure: the message, without the "events[i]" prefix
};

// Levenshtein distance, case-insensitive (so `l1-dcache-loads` is 0 away).
inline std::size_t editDistance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const bool same = std::tolower(static_cast<unsigned char>(a[i - 1])) ==
                        std::tolower(static_cast<unsigned char>(b[j - 1]));
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (same ? 0 : 1)});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

// The `count` known names (canonical or alias) closest to `text`, nearest first.
inline std::vector<std::string> closestEventNames(std::string_view text, std::size_t count = 3) {
  std::vector<std::pair<std::size_t, std::string_view>> scored;
  for (const auto& e : kEvents) scored.emplace_back(editDistance(text, e.name), e.name);
  for (const auto& a : kAliases) scored.emplace_back(editDistance(text, a.alias), a.alias);
  std::stable_sort(scored.begin(), scored.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  std::vector<std::string> out;
  for (std::size_t i = 0; i < scored.size() && i < count; ++i) out.emplace_back(scored[i].second);
  return out;
}

namespace detail {

inline bool isHex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }
inline bool isAlnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

// `r` + 1..16 hex digits → the raw config; nullopt when `base` is not raw-shaped at all.
// Sets `malformed` when it looks like an attempt at a raw code but is not one.
inline std::optional<std::uint64_t> parseRaw(std::string_view base, bool& malformed) {
  malformed = false;
  if (base.empty() || base[0] != 'r') return std::nullopt;
  const std::string_view digits = base.substr(1);
  if (!std::all_of(digits.begin(), digits.end(), isAlnum)) return std::nullopt;  // e.g. "ref-cyles": a name
  if (digits.empty() || digits.size() > 16 || !std::all_of(digits.begin(), digits.end(), isHex)) {
    malformed = true;
    return std::nullopt;
  }
  return std::stoull(std::string(digits), nullptr, 16);
}

}  // namespace detail

inline ParseResult parseEvent(std::string_view text) {
  ParseResult r;
  const std::size_t colon = text.find(':');
  const std::string_view base = text.substr(0, colon);
  const bool hasMods = colon != std::string_view::npos;
  const std::string_view mods = hasMods ? text.substr(colon + 1) : std::string_view{};

  EventSpec spec;
  spec.name = std::string(text);
  if (const EventDef* def = findEvent(base)) {
    spec.canonical = std::string(def->name);
    spec.type = def->type;
    spec.config = def->config;
    spec.kind = def->kind;
    spec.expectNonZero = def->expectNonZero;
  } else {
    bool malformed = false;
    if (auto raw = detail::parseRaw(base, malformed)) {
      spec.canonical = std::string(base);
      spec.type = PERF_TYPE_RAW;
      spec.config = *raw;
      spec.kind = PmuKind::Hardware;
    } else if (malformed) {
      r.error = "'" + std::string(text) +
                "' is not a valid raw event: expected r followed by 1 to 16 hexadecimal digits (e.g. r01c2, r003c:u)";
      return r;
    } else {
      std::string list;
      for (const auto& n : closestEventNames(base)) list += (list.empty() ? "'" : ", '") + n + "'";
      r.error = "'" + std::string(text) + "' is not a known event; closest: " + list +
                " (`poolscope probe` lists every event; raw codes are rNNNN)";
      return r;
    }
  }

  if (hasMods) {
    if (spec.kind == PmuKind::Tsc) {
      r.error = "'" + std::string(text) + "' has modifiers, but tsc takes none (it is read with rdtscp, not perf)";
      return r;
    }
    bool u = false, k = false, h = false;
    for (char c : mods) {
      bool* flag = c == 'u' ? &u : c == 'k' ? &k : c == 'h' ? &h : nullptr;
      if (flag == nullptr || *flag) {
        r.error = "'" + std::string(text) + "' has an invalid modifier '" + std::string(1, c) +
                  "': accepted are u (user), k (kernel), h (hypervisor), each at most once, e.g. cycles:u";
        return r;
      }
      *flag = true;
    }
    if (mods.empty()) {
      r.error = "'" + std::string(text) + "' has an empty modifier: accepted are u, k, h, e.g. cycles:u";
      return r;
    }
    spec.hasModifier = true;
    spec.excludeUser = !u;
    spec.excludeKernel = !k;
    spec.excludeHv = !h;
  }
  r.spec = std::move(spec);
  return r;
}

struct ParseListResult {
  std::vector<EventSpec> specs;  // in request order; empty on failure
  std::string error;             // "events[2] 'cycels' is not a known event; ..." on failure
};

inline constexpr std::size_t kMaxEvents = 64;

// The whole list: every name valid, at least one, no event twice (also not
// under two spellings, e.g. `cs` and `context-switches`).
inline ParseListResult parseEventList(const std::vector<std::string>& names) {
  ParseListResult out;
  if (names.empty()) {
    out.error = "events must list at least one event, e.g. ['task-clock', 'page-faults'] (received an empty list)";
    return out;
  }
  if (names.size() > kMaxEvents) {
    out.error = "events may list at most " + std::to_string(kMaxEvents) + " events (received " +
                std::to_string(names.size()) + ")";
    return out;
  }
  for (std::size_t i = 0; i < names.size(); ++i) {
    ParseResult r = parseEvent(names[i]);
    if (!r.spec) {
      out.error = "events[" + std::to_string(i) + "] " + r.error;
      out.specs.clear();
      return out;
    }
    for (std::size_t j = 0; j < out.specs.size(); ++j) {
      const EventSpec& p = out.specs[j];
      const bool same = p.kind == r.spec->kind && p.type == r.spec->type && p.config == r.spec->config &&
                        p.hasModifier == r.spec->hasModifier && p.excludeUser == r.spec->excludeUser &&
                        p.excludeKernel == r.spec->excludeKernel && p.excludeHv == r.spec->excludeHv;
      if (same) {
        out.error = "events[" + std::to_string(i) + "] '" + names[i] + "' duplicates events[" + std::to_string(j) +
                    "] '" + names[j] + "': list each event once";
        out.specs.clear();
        return out;
      }
    }
    out.specs.push_back(std::move(*r.spec));
  }
  return out;
}

}  // namespace poolscope::counters
