#pragma once
// Cache-line constants: the one place layouts and padded structs get their sizes from.
#include <cstddef>

namespace poolscope {

// x86-64 and most AArch64 cores use 64-byte lines. std::hardware_destructive_interference_size
// would say the same but g++ warns that its value may change between compiler versions (an ABI hazard
// for a header shared by an addon and its tests), so the value is fixed here.
inline constexpr std::size_t kCacheLine = 64;

// Intel and AMD cores fetch lines in adjacent pairs (the "spatial" / adjacent-line prefetcher), so two
// hot fields 64 bytes apart can still ping-pong; Go pads its per-P pool records to 128 for this reason.
inline constexpr std::size_t kPrefetchPair = 128;

}  // namespace poolscope
