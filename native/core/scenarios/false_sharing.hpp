#pragma once
// Scenario `false-sharing`: the get-put loop, run per memory layout at N
// threads. Every get and put writes the calling thread's own per-thread
// record (its private slot and statistics). With the Packed layout those
// records of different threads sit on one cache line, so at 2 threads each
// write invalidates the other core's copy and the line bounces (~100 ns a
// round trip here); Pad64 and Pad128 give each record its own line(s), and
// the loop runs at single-thread speed. The slowdown Packed ÷ Pad64 at 2
// threads is the point.
//
// Handle: the pinned per-thread pool handle (`void* get()`, `void put(void*)`).
#include <cstdint>

namespace poolscope {

// The handle is copied into the loop (it is cheap to copy) and the object is
// written as a uint64_t, not a char: a char store may alias anything, which
// forces the compiler to reload the handle's fields from the stack after each
// store, and that reload then depends on where the stack falls relative to
// the records (4 KiB aliasing): the loop's speed would vary with the thread
// and the call site instead of with the layout. Objects are at least 8 bytes.
template <typename Handle>
[[gnu::always_inline]] inline std::uint64_t falseSharingLoop(Handle& handle, std::uint64_t n) {
  Handle h = handle;
  for (std::uint64_t i = 0; i < n; ++i) {
    auto* obj = static_cast<std::uint64_t*>(h.get());
    if (obj == nullptr) return i;  // a bounded allocator ran out
    obj[0] = i;                    // the caller uses the object it got
    h.put(obj);
  }
  return n;
}

}  // namespace poolscope
