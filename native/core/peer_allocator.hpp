#pragma once
// Allocator peers loaded at run time: Debian's mimalloc, jemalloc and
// tcmalloc, each dlopen'ed RTLD_LOCAL so it does NOT replace the process's
// malloc, and called through its own entry points resolved from its own
// handle. Each becomes a BlockAllocator policy (PeerBlockAllocator<Peer>)
// that plugs into the core's pools and baselines like glibc's malloc does.
//
// What happens on this machine (Debian 12, glibc 2.36), tested by
// native/test/test_peer_allocator.cpp:
//  - mimalloc 2.0.9 and tcmalloc-minimal 2.10 load RTLD_LOCAL and serve only
//    the calls made through their handle; the process keeps glibc's malloc.
//  - jemalloc 5.3 is built with initial-exec TLS (DF_STATIC_TLS, 2.6 KiB of
//    TLS). glibc reserves only glibc.rtld.optional_static_tls (512 B by
//    default) for such libraries opened after start, so dlopen fails with
//    "cannot allocate memory in static TLS block" unless the process was
//    started with GLIBC_TUNABLES=glibc.rtld.optional_static_tls=4096 (see
//    kStaticTlsTunable). It is then reported `cannot-load` with that fix.
//
// Libraries that loaded are never dlclose'd (RTLD_NODELETE, and the registry
// keeps them for the life of the process): they register thread-exit
// destructors for their thread caches, which must still find their code when
// any thread of the process exits.
//
// The loader calls are the platform layer's (platform/dynamic_library.hpp).
//
// No Node includes here.
#include <array>
#include <cstddef>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>

#include "platform/dynamic_library.hpp"

namespace poolscope::peers {

enum class PeerId { mimalloc, jemalloc, tcmalloc };

inline constexpr std::array<PeerId, 3> kAllPeers = {PeerId::mimalloc, PeerId::jemalloc, PeerId::tcmalloc};

// The GLIBC_TUNABLES setting that lets initial-exec-TLS allocators (jemalloc)
// be dlopen'ed after start; it must be in the environment when the process starts.
inline constexpr const char* kStaticTlsTunable = "glibc.rtld.optional_static_tls=4096";

// Static description of a peer: what to open and what to install.
struct PeerSpec {
  PeerId id;
  const char* name;           // the results document's params.pool value
  const char* soname;         // what dlopen looks for
  const char* debianPackage;  // what to apt-get install when it is missing
  const char* mallocSymbol;   // the library's own allocation entry point
  const char* freeSymbol;
  const char* usableSizeSymbol;  // size_t(void*) of a block this library served
};

inline constexpr PeerSpec kPeerSpecs[] = {
    {PeerId::mimalloc, "mimalloc", "libmimalloc.so.2", "libmimalloc2.0", "mi_malloc", "mi_free", "mi_usable_size"},
    // jemalloc's unprefixed names, resolved from its handle (not the global scope):
    // with RTLD_LOCAL they are jemalloc's, not glibc's.
    {PeerId::jemalloc, "jemalloc", "libjemalloc.so.2", "libjemalloc2", "malloc", "free", "malloc_usable_size"},
    {PeerId::tcmalloc, "tcmalloc", "libtcmalloc_minimal.so.4", "libtcmalloc-minimal4", "tc_malloc", "tc_free",
     "tc_malloc_size"},
};

constexpr const PeerSpec& peerSpec(PeerId id) { return kPeerSpecs[static_cast<int>(id)]; }

// Parses a params.pool value; false when it names no peer.
inline bool peerFromName(std::string_view name, PeerId& out) {
  for (const PeerSpec& s : kPeerSpecs) {
    if (name == s.name) {
      out = s.id;
      return true;
    }
  }
  return false;
}

// The entry points of one loaded peer. Immutable after a successful load.
struct PeerFunctions {
  void* (*malloc)(std::size_t) = nullptr;
  void (*free)(void*) = nullptr;
  void* (*alignedAlloc)(std::size_t alignment, std::size_t size) = nullptr;  // C11 aligned_alloc
  std::size_t (*usableSize)(void*) = nullptr;
};

enum class PeerState {
  loaded,
  notInstalled,  // the shared object is not there: install debianPackage
  cannotLoad,    // it is there but could not be loaded safely (reason says why and what to do)
};

inline const char* peerStateName(PeerState s) {
  switch (s) {
    case PeerState::loaded:
      return "loaded";
    case PeerState::notInstalled:
      return "not-installed";
    case PeerState::cannotLoad:
      return "cannot-load";
  }
  return "cannot-load";
}

// The outcome of loading one peer. `fns` is valid only when state == loaded.
struct PeerLoad {
  PeerId id = PeerId::mimalloc;
  PeerState state = PeerState::notInstalled;
  std::string path;    // what was passed to dlopen
  std::string reason;  // empty when loaded
  PeerFunctions fns;
  void* handle = nullptr;  // kept open for the life of the process (see the file comment)
};

namespace detail {

inline void* symbol(void* handle, const char* name) { return platform::librarySymbol(handle, name); }

inline bool contains(const std::string& s, const char* what) { return s.find(what) != std::string::npos; }

}  // namespace detail

// Opens `path` (default: the peer's soname, found by the dynamic loader's
// search) and resolves its entry points. Never throws for a missing or
// unloadable library: the result says why. A library that loaded stays loaded.
inline PeerLoad openPeer(PeerId id, const char* path = nullptr) {
  const PeerSpec& spec = peerSpec(id);
  PeerLoad out;
  out.id = id;
  out.path = path != nullptr ? path : spec.soname;
  std::string msg;
  void* h = platform::openLibrary(out.path, msg);
  if (h == nullptr) {
    if (detail::contains(msg, "No such file") || detail::contains(msg, "cannot open shared object file")) {
      out.state = PeerState::notInstalled;
      out.reason = "not installed: " + out.path + " not found (install the Debian package " +
                   std::string(spec.debianPackage) + ": apt-get install " + spec.debianPackage + ")";
    } else if (detail::contains(msg, "static TLS")) {
      out.state = PeerState::cannotLoad;
      out.reason = "cannot load after start: " + msg + " (" + spec.name +
                   " uses initial-exec TLS; start the process with GLIBC_TUNABLES=" + kStaticTlsTunable + ")";
    } else {
      out.state = PeerState::cannotLoad;
      out.reason = "cannot load: " + msg;
    }
    return out;
  }
  out.handle = h;
  out.fns.malloc = reinterpret_cast<void* (*)(std::size_t)>(detail::symbol(h, spec.mallocSymbol));
  out.fns.free = reinterpret_cast<void (*)(void*)>(detail::symbol(h, spec.freeSymbol));
  out.fns.alignedAlloc = reinterpret_cast<void* (*)(std::size_t, std::size_t)>(detail::symbol(h, "aligned_alloc"));
  out.fns.usableSize = reinterpret_cast<std::size_t (*)(void*)>(detail::symbol(h, spec.usableSizeSymbol));
  if (out.fns.malloc == nullptr || out.fns.free == nullptr || out.fns.alignedAlloc == nullptr ||
      out.fns.usableSize == nullptr) {
    out.state = PeerState::cannotLoad;
    out.reason = "cannot load: " + out.path + " lacks one of " + spec.mallocSymbol + ", " + spec.freeSymbol +
                 ", aligned_alloc, " + spec.usableSizeSymbol;
    out.fns = {};
    // Nothing was allocated through it, so closing is safe (RTLD_NODELETE keeps the mapping anyway).
    platform::closeLibrary(h);
    out.handle = nullptr;
    return out;
  }
  out.state = PeerState::loaded;
  return out;
}

// The process-wide registry: each peer is opened at most once, on first use,
// from its default soname. Thread-safe (std::call_once per peer); entries are
// immutable once initialised, so readers need no further synchronisation.
inline const PeerLoad& peer(PeerId id) {
  struct Slot {
    std::once_flag once;
    PeerLoad load;
  };
  static std::array<Slot, kAllPeers.size()> slots;
  Slot& s = slots[static_cast<int>(id)];
  std::call_once(s.once, [&] { s.load = openPeer(id); });
  return s.load;
}

// Thrown when a pool is built over a peer that is not loaded.
class PeerUnavailable : public std::runtime_error {
 public:
  explicit PeerUnavailable(const PeerLoad& load)
      : std::runtime_error(std::string(peerSpec(load.id).name) + ": " + load.reason) {}
};

// A BlockAllocator policy (the core's interface: construct with the object
// size and alignment; allocate(); deallocate(p) noexcept) over one peer. Each
// call goes through a function pointer into the peer's .so, as a call to
// glibc's malloc goes through the PLT. Fields are set in the constructor and
// only read afterwards, so one instance may be shared by threads.
template <PeerId Id>
class PeerBlockAllocator {
 public:
  PeerBlockAllocator(std::size_t objectSize, std::size_t alignment)
      : objectSize_(objectSize), size_(objectSize), alignment_(alignment) {
    const PeerLoad& load = peer(Id);
    if (load.state != PeerState::loaded) throw PeerUnavailable(load);
    fns_ = load.fns;
    if (alignment_ > alignof(std::max_align_t)) {
      // C11 aligned_alloc wants the size to be a multiple of the alignment.
      size_ = (size_ + alignment_ - 1) / alignment_ * alignment_;
    }
  }

  // nullptr when the peer is out of memory (the BlockAllocator contract: the pool reports it, nothing throws).
  void* allocate() noexcept {
    return alignment_ > alignof(std::max_align_t) ? fns_.alignedAlloc(alignment_, size_) : fns_.malloc(size_);
  }

  void deallocate(void* p) noexcept { fns_.free(p); }

  std::size_t objectSize() const noexcept { return objectSize_; }
  std::size_t alignment() const noexcept { return alignment_; }
  static constexpr const char* name() { return peerSpec(Id).name; }

 private:
  std::size_t objectSize_;  // as asked for
  std::size_t size_;        // as allocated: rounded up to the alignment for aligned_alloc
  std::size_t alignment_;
  PeerFunctions fns_;
};

using MimallocAllocator = PeerBlockAllocator<PeerId::mimalloc>;
using JemallocAllocator = PeerBlockAllocator<PeerId::jemalloc>;
using TcmallocAllocator = PeerBlockAllocator<PeerId::tcmalloc>;

}  // namespace poolscope::peers
