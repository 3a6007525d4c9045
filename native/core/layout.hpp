#pragma once
// Layout policies: how the per-thread records of a SyncPool sit in memory. The record type is
// `PerThreadRecord<Layout, Body>`; each policy only sets the record's alignment (and so, since sizeof is a
// multiple of alignof, its footprint).
//   Packed : natural alignment, records adjacent. Two threads' hot fields share cache lines: false sharing
//            on purpose, to show its cost.
//   Pad64  : each record starts on its own 64-byte line and fills whole lines.
//   Pad128 : each record fills whole 128-byte line pairs (Go's choice: defeats the adjacent-line prefetcher).
#include <cstddef>

#include "core/cacheline.hpp"

namespace poolscope {

struct Packed {
  static constexpr const char* name = "packed";
  static constexpr std::size_t kAlign = alignof(void*);
};

struct Pad64 {
  static constexpr const char* name = "pad64";
  static constexpr std::size_t kAlign = kCacheLine;
};

struct Pad128 {
  static constexpr const char* name = "pad128";
  static constexpr std::size_t kAlign = kPrefetchPair;
};

// A per-thread record laid out by Layout. alignas rounds sizeof up to a multiple of the alignment, so in
// an array of records each one starts on its own line (pair) for the padded layouts.
template <class Layout, class Body>
struct alignas(Layout::kAlign) PerThreadRecord : Body {};

template <class Layout, class Body>
constexpr bool checkRecordLayout() {
  using R = PerThreadRecord<Layout, Body>;
  static_assert(alignof(R) == (Layout::kAlign > alignof(Body) ? Layout::kAlign : alignof(Body)));
  static_assert(sizeof(R) % alignof(R) == 0, "records in an array must start on their own boundary");
  if constexpr (Layout::kAlign >= kCacheLine) {
    static_assert(sizeof(R) % kCacheLine == 0, "a padded record must fill whole cache lines");
  } else {
    static_assert(sizeof(R) < 2 * kCacheLine, "a packed record must be small enough to share lines");
  }
  return true;
}

}  // namespace poolscope
