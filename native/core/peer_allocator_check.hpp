#pragma once
// Evidence that a peer really serves the blocks handed out through its
// handle, and that glibc does not: used by the tests and by `probe`.
//
//  - the peer's own usable-size function recognises each block
//    (mi_usable_size, jemalloc's malloc_usable_size from its handle,
//    tc_malloc_size);
//  - the peer's own ownership query, where it has a safe one, says "mine":
//    mimalloc's mi_check_owned (a safe walk of this thread's heap), tcmalloc's MallocExtension_GetOwnership
//    (and both say "not mine" for a block from glibc's malloc); jemalloc has
//    no query that is safe on a foreign pointer, so its per-thread counter
//    `thread.allocated` (mallctl) must grow by the blocks' usable size;
//  - glibc's main-arena usage (mallinfo2().uordblks) does not grow by the
//    blocks' size. glibc's malloc_usable_size is NOT called on peer blocks:
//    it reads a chunk header that only glibc blocks have (undefined
//    behaviour, can fault at a page boundary).
//
// The glibc check assumes no other thread allocates from glibc's main arena
// meanwhile (threads other than the first use their own arenas).

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

// After a C++ header, so that __GLIBC__ is defined when this is glibc.
#if defined(__GLIBC__)
#include <malloc.h>  // mallinfo2: glibc only
#endif

#include "core/peer_allocator.hpp"

namespace poolscope::peers {

struct ServedCheck {
  bool ran = false;             // false when the peer is not loaded
  std::size_t blocks = 0;
  std::size_t minUsable = 0;    // smallest usable size the peer reported
  bool usableOk = false;        // every block's usable size >= the size asked for
  bool ownedByPeer = false;     // the peer's ownership evidence (see the file comment)
  bool glibcBlockNotOwned = false;  // the peer says "not mine" for a glibc block (true where not checkable)
  long long glibcArenaDelta = 0;    // growth of glibc's main-arena usage during the peer allocations
  std::string how;              // which ownership evidence was used
};

namespace detail {

// tcmalloc's MallocExtension::Ownership values (gperftools malloc_extension.h).
enum TcOwnership { kTcUnknown = 0, kTcOwned = 1, kTcNotOwned = 2 };

inline long long glibcArenaInUse() {
#if defined(POOLSCOPE_TSAN) || defined(POOLSCOPE_ASAN) || !defined(__GLIBC__)
  // The sanitizers replace malloc, and other C libraries have no mallinfo2: glibc's arena says nothing then.
  return 0;
#else
  return static_cast<long long>(::mallinfo2().uordblks);
#endif
}

}  // namespace detail

// Allocates `blocks` blocks of `size` bytes through the peer, checks them, frees them.
inline ServedCheck checkServedByPeer(PeerId id, std::size_t size, std::size_t blocks) {
  ServedCheck out;
  const PeerLoad& load = peer(id);
  if (load.state != PeerState::loaded) return out;
  out.ran = true;
  out.blocks = blocks;

  using JeMallctl = int (*)(const char*, void*, std::size_t*, void*, std::size_t);
  auto jeMallctl = reinterpret_cast<JeMallctl>(detail::symbol(load.handle, "mallctl"));
  auto jeThreadAllocated = [&]() -> std::uint64_t {
    std::uint64_t v = 0;
    std::size_t len = sizeof v;
    if (jeMallctl == nullptr || jeMallctl("thread.allocated", &v, &len, nullptr, 0) != 0) return 0;
    return v;
  };

  std::vector<void*> ptrs;
  ptrs.reserve(blocks);  // reserved before measuring: the vector's own buffer is glibc's
  const std::uint64_t jeBefore = id == PeerId::jemalloc ? jeThreadAllocated() : 0;
  const long long glibcBefore = detail::glibcArenaInUse();
  for (std::size_t i = 0; i < blocks; ++i) ptrs.push_back(load.fns.malloc(size));
  const long long glibcAfter = detail::glibcArenaInUse();
  const std::uint64_t jeAfter = id == PeerId::jemalloc ? jeThreadAllocated() : 0;
  out.glibcArenaDelta = glibcAfter - glibcBefore;

  out.usableOk = true;
  out.minUsable = SIZE_MAX;
  std::size_t usableSum = 0;
  bool allOwned = true;
  for (void* p : ptrs) {
    if (p == nullptr) {
      out.usableOk = false;
      allOwned = false;
      continue;
    }
    const std::size_t u = load.fns.usableSize(p);
    usableSum += u;
    if (u < out.minUsable) out.minUsable = u;
    if (u < size) out.usableOk = false;
    if (id == PeerId::mimalloc) {
      auto inHeap = reinterpret_cast<bool (*)(const void*)>(detail::symbol(load.handle, "mi_check_owned"));
      allOwned = allOwned && inHeap != nullptr && inHeap(p);
    } else if (id == PeerId::tcmalloc) {
      auto owner = reinterpret_cast<int (*)(const void*)>(detail::symbol(load.handle, "MallocExtension_GetOwnership"));
      allOwned = allOwned && owner != nullptr && owner(p) == detail::kTcOwned;
    }
  }
  if (id == PeerId::jemalloc) {
    out.how = "jemalloc mallctl thread.allocated grew by the blocks' usable size";
    allOwned = allOwned && jeMallctl != nullptr && jeAfter - jeBefore >= usableSum && usableSum > 0;
  } else if (id == PeerId::mimalloc) {
    out.how = "mi_check_owned";
  } else {
    out.how = "MallocExtension_GetOwnership";
  }
  out.ownedByPeer = allOwned;
  for (void* p : ptrs) load.fns.free(p);

  // The other direction: a block from glibc is not the peer's.
  void* g = std::malloc(size);
  out.glibcBlockNotOwned = true;
  if (id == PeerId::mimalloc) {
    auto inHeap = reinterpret_cast<bool (*)(const void*)>(detail::symbol(load.handle, "mi_check_owned"));
    out.glibcBlockNotOwned = inHeap != nullptr && !inHeap(g);
  } else if (id == PeerId::tcmalloc) {
    auto owner = reinterpret_cast<int (*)(const void*)>(detail::symbol(load.handle, "MallocExtension_GetOwnership"));
    out.glibcBlockNotOwned = owner != nullptr && owner(g) == detail::kTcNotOwned;
  }
  std::free(g);
  return out;
}

}  // namespace poolscope::peers
