// SharedBufferPool for JS: thin wrappers over core/shared_slab.hpp.
//
// What JS sees: each block as its own external ArrayBuffer of blockSize bytes
// (made once per thread and block, on first use), so `buf.buffer` of a block
// covers that block and nothing else; and, privately to the pool object, one
// external ArrayBuffer over the state words, which live in a mapping of their
// own (no block reaches them).
//
// Lifetime (the slab is unmapped as soon as nothing can reach it):
//  - SlabHandle (one per pool, process-wide) owns the SharedSlab, held by
//    shared_ptr from each thread's Attachment (until that thread closes the
//    pool or its environment is torn down) and from each thread's
//    ThreadMappings (until every ArrayBuffer that thread made over the slab
//    is detached or finalized).
//  - close() detaches every ArrayBuffer the thread made (Buffers a caller
//    kept become empty, never dangling) and then drops both references, so
//    the last thread's close() unmaps the slab there and then, without
//    waiting for V8 to collect anything. A pool object dropped without
//    close() gives back its cached blocks when V8 collects it (not the ones
//    it held: their Buffers may still be in use), and the slab is unmapped
//    once V8 has finalized its ArrayBuffers.
//  - The registry maps pool ids to weak_ptrs, so a worker can attach by id
//    while some thread still has the pool, and gets ERR_POOL_CLOSED after.
//  - A thread that exits without close() (worker exit, isolate teardown): its
//    env cleanup hook releases the Attachment's reference and returns the
//    blocks its JS cache held, and the blocks it held (its heap is going, so
//    nothing can use them), to the pool (SharedSlab::reclaim).
//
// Calls from JS cross here once per batch of block indices (never per block):
// the indices travel through a Uint32Array the JS side owns and passed at
// attach time (its backing store never moves; the JS pool object keeps it
// alive for as long as it can call us).
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <system_error>
#include <unordered_map>

#include "addon/errors.hpp"
#include "addon/exports.hpp"
#include "core/shared_slab.hpp"

namespace {

using poolscope::addon::integerArg;
using poolscope::addon::throwErrno;
using poolscope::addon::throwRangeError;
using poolscope::addon::throwWithCode;
using poolscope::addon::throwTypeError;
using poolscope::SharedSlab;

constexpr double kMaxBlockSize = 1 << 30;
constexpr double kMaxBlocks = 1 << 24;
constexpr double kMaxSlabBytes = 1ull << 40;
constexpr double kMaxThreadCache = 4096;

std::atomic<std::int64_t> liveSlabs{0};  // relaxed: a statistic for leak tests, orders nothing

// One pool, shared by every thread that attached to it.
struct SlabHandle {
  SlabHandle(std::uint32_t id_, std::size_t blockSize, std::uint32_t blocks, std::uint32_t threadCacheSize_,
             bool atomicCheck_)
      : slab(blockSize, blocks), id(id_), threadCacheSize(threadCacheSize_), atomicCheck(atomicCheck_) {
    liveSlabs.fetch_add(1, std::memory_order_relaxed);
  }
  ~SlabHandle() { liveSlabs.fetch_sub(1, std::memory_order_relaxed); }

  SharedSlab slab;
  const std::uint32_t id;
  // The creator's options, which every thread's handle must repeat (attach() checks them).
  const std::uint32_t threadCacheSize;
  const bool atomicCheck;
  // Statistics, all relaxed: each is a sum read on demand, ordering nothing.
  // Attachments not yet released. Changed only under the registry's mutex, so that
  // attach() never revives a pool whose last attachment is gone; read relaxed for stats.
  std::atomic<std::uint32_t> threads{0};
  std::atomic<std::uint64_t> acquires{0};   // JS acquire()s, published by each thread at its batches
  std::atomic<std::uint64_t> releases{0};   // JS release()s, likewise
  std::atomic<std::uint64_t> refills{0};    // take() batches
  std::atomic<std::uint64_t> flushes{0};    // give() batches
  std::atomic<std::uint64_t> reclaimed{0};  // blocks a thread still cached or held when it closed or exited
};

// Process-wide: pool id -> pool, for attach() from other threads.
struct Registry {
  std::mutex mu;
  std::unordered_map<std::uint32_t, std::weak_ptr<SlabHandle>> byId;  // guarded by mu
  std::uint32_t nextId = 1;                                           // guarded by mu
};
Registry& registry() {
  static Registry* r = new Registry();  // never destroyed: worker threads may outlive static destruction
  return *r;
}

// Keeps the slab mapped for the ArrayBuffers one thread made over it (its block views and
// its state view), until close() has detached them all or V8 has finalized them all.
// Owner thread only: touched by that thread's JS calls, its ArrayBuffer and External
// finalizers and its env cleanup, all of which Node runs on that thread.
struct ThreadMappings {
  std::shared_ptr<SlabHandle> handle;  // reset by close() once every view is detached
  std::size_t refs = 1;                // the Attachment's, plus one per ArrayBuffer not yet finalized
  void unref() noexcept {
    if (--refs == 0) delete this;
  }
  static void finalize(Napi::Env, void*, ThreadMappings* m) { m->unref(); }
};

// One thread's attachment to a pool. Owner thread only (it lives in that
// thread's isolate as an External and is only touched from its JS calls, its
// finalizer and its env cleanup hook, all on that thread).
struct Attachment {
  std::shared_ptr<SlabHandle> handle;  // null once released
  ThreadMappings* mappings = nullptr;  // one reference, dropped when the Attachment is deleted
  std::int32_t tag = 0;                // this thread's "cached" state-word value (held: -tag)
  std::uint32_t* xfer = nullptr;       // the JS side's index transfer array
  std::size_t xferLen = 0;
  std::uint64_t publishedAcquires = 0;
  std::uint64_t publishedReleases = 0;
  bool hookRegistered = false;

  // Adds what the JS side counted since its last publication to the pool's sums.
  void publish(double acquires, double releases) {
    const auto a = static_cast<std::uint64_t>(acquires);
    const auto r = static_cast<std::uint64_t>(releases);
    if (a > publishedAcquires) handle->acquires.fetch_add(a - publishedAcquires, std::memory_order_relaxed);
    if (r > publishedReleases) handle->releases.fetch_add(r - publishedReleases, std::memory_order_relaxed);
    publishedAcquires = a;
    publishedReleases = r;
  }

  // Idempotent: gives back the blocks this thread cached (and, with `alsoHeld`, held) and
  // its reference. The slab stays mapped while `mappings` holds it (views not yet detached or
  // finalized). Held blocks go back only when no view of them can be in use: after close()
  // detached them, or at the thread's teardown; not when V8 collects the pool object, since
  // a caller may still use a block's Buffer after dropping the pool.
  void release(bool alsoHeld) noexcept {
    if (!handle) return;
    const SharedSlab::Reclaimed r = handle->slab.reclaim(tag, alsoHeld);
    handle->reclaimed.fetch_add(r.cached + r.held, std::memory_order_relaxed);
    {
      std::lock_guard<std::mutex> lock(registry().mu);
      handle->threads.fetch_sub(1, std::memory_order_relaxed);
    }
    handle.reset();
  }

  static void cleanupHook(void* arg) {
    auto* a = static_cast<Attachment*>(arg);
    a->hookRegistered = false;  // Node removes a hook once it has run
    a->release(true);           // the thread's heap is going: nothing can use its views
  }
};

// Tags the External that carries an Attachment, so an External made by other code (another
// part of the addon, another addon) is refused instead of being cast to an Attachment.
constexpr napi_type_tag kAttachmentTag = {0x706f6f6c73636f70ull, 0x5342502d61747461ull};

Attachment* attachmentPtr(const Napi::CallbackInfo& info) {
  if (!info[0].IsExternal() || !info[0].As<Napi::External<Attachment>>().CheckTypeTag(&kAttachmentTag)) {
    throwTypeError(info.Env(), "attachment", "a SharedBufferPool attachment", info[0]);
  }
  return info[0].As<Napi::External<Attachment>>().Data();
}

Attachment& attachmentArg(const Napi::CallbackInfo& info) {
  Attachment* a = attachmentPtr(info);
  if (!a->handle) throwWithCode(info.Env(), "ERR_POOL_CLOSED", "SharedBufferPool is closed in this thread");
  return *a;
}

Napi::Uint32Array transferArg(const Napi::Value& v) {
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_uint32_array) {
    throwTypeError(v.Env(), "transfer", "a Uint32Array", v);
  }
  return v.As<Napi::Uint32Array>();
}

// An external ArrayBuffer over [data, data + bytes) that keeps `m` (so the slab) alive until
// V8 finalizes it; close() detaches it first when it can.
Napi::ArrayBuffer viewOf(Napi::Env env, ThreadMappings* m, void* data, std::size_t bytes) {
  Napi::ArrayBuffer ab = Napi::ArrayBuffer::New(env, data, bytes, ThreadMappings::finalize, m);
  ++m->refs;  // after New: if it threw, no finalizer will run
  return ab;
}

// Makes this thread's attachment; handle->threads already counts it. Returns
// { attachment, state, blockSize, blocks, id, tag }.
Napi::Value attachTo(Napi::Env env, std::shared_ptr<SlabHandle> handle, Napi::Uint32Array xfer) {
  SharedSlab& slab = handle->slab;
  const std::int32_t tag = slab.newTag();
  auto* m = new ThreadMappings{handle};
  auto* a = new Attachment();
  a->handle = handle;
  a->mappings = m;
  a->tag = tag;
  a->xfer = xfer.Data();
  a->xferLen = xfer.ElementLength();
  auto ext = Napi::External<Attachment>::New(env, a, [](Napi::Env e, Attachment* at) {
    if (at->hookRegistered) napi_remove_env_cleanup_hook(e, Attachment::cleanupHook, at);
    at->release(false);  // the pool object is garbage, but a block's Buffer may not be
    at->mappings->unref();
    delete at;
  });
  ext.TypeTag(&kAttachmentTag);
  if (napi_add_env_cleanup_hook(env, Attachment::cleanupHook, a) == napi_ok) a->hookRegistered = true;
  if (tag == 0) {
    a->release(true);  // no view made yet; the External's finalizer frees the rest
    throwWithCode(env, "ERR_POOL_EXHAUSTED", "SharedBufferPool: this pool has had 2^31 - 2 attachments, the most it can");
  }

  Napi::Object out = Napi::Object::New(env);
  out.Set("attachment", ext);
  out.Set("state", viewOf(env, m, slab.stateWords(), slab.stateBytes()));
  out.Set("blockSize", Napi::Number::New(env, static_cast<double>(slab.blockSize())));
  out.Set("blocks", Napi::Number::New(env, slab.blocks()));
  out.Set("id", Napi::Number::New(env, handle->id));
  out.Set("tag", Napi::Number::New(env, tag));
  return out;
}

// sbpCreate(blockSize, blocks, threadCacheSize, atomicCheck, transfer) -> attach result
Napi::Value create(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const double blockSize = integerArg(info[0], "blockSize", 1, kMaxBlockSize);
  const double blocks = integerArg(info[1], "blocks", 1, kMaxBlocks);
  const double cacheSize = integerArg(info[2], "threadCacheSize", 1, kMaxThreadCache);
  const bool atomicCheck = info[3].ToBoolean().Value();
  Napi::Uint32Array xfer = transferArg(info[4]);
  if (blockSize * blocks > kMaxSlabBytes) {
    throwRangeError(env, "blockSize * blocks", "at most 2^40 bytes", Napi::Number::New(env, blockSize * blocks));
  }
  std::shared_ptr<SlabHandle> handle;
  {
    Registry& r = registry();
    std::lock_guard<std::mutex> lock(r.mu);
    for (auto it = r.byId.begin(); it != r.byId.end();) it = it->second.expired() ? r.byId.erase(it) : std::next(it);
    try {
      handle = std::make_shared<SlabHandle>(r.nextId, static_cast<std::size_t>(blockSize),
                                            static_cast<std::uint32_t>(blocks),
                                            static_cast<std::uint32_t>(cacheSize), atomicCheck);
    } catch (const std::system_error& e) {
      throwErrno(env, "SharedBufferPool: cannot map the slab", e.code().value());
    }
    r.byId.emplace(r.nextId++, handle);
    handle->threads.fetch_add(1, std::memory_order_relaxed);  // the creator's attachment, made below
  }
  return attachTo(env, handle, xfer);
}

// Throws a RangeError naming the handle field unless it matches the pool's.
void expectSame(Napi::Env env, const char* field, double received, double actual, const char* what) {
  if (received != actual) {
    throwRangeError(env, field,
                    std::to_string(static_cast<long long>(actual)) + ", the pool's " + what + " (a handle must come " +
                        "from the pool's .handle, unchanged)",
                    Napi::Number::New(env, received));
  }
}

// sbpAttach(id, blockSize, blocks, threadCacheSize, atomicCheck, transfer) -> attach result.
// The handle's fields must be the pool's: a handle edited, or made up, is refused.
Napi::Value attach(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const auto id = static_cast<std::uint32_t>(integerArg(info[0], "handle.id", 1, 4294967295.0));
  const double blockSize = integerArg(info[1], "handle.blockSize", 1, kMaxBlockSize);
  const double blocks = integerArg(info[2], "handle.blocks", 1, kMaxBlocks);
  const double cacheSize = integerArg(info[3], "handle.threadCacheSize", 1, kMaxThreadCache);
  const bool atomicCheck = info[4].ToBoolean().Value();
  Napi::Uint32Array xfer = transferArg(info[5]);
  std::shared_ptr<SlabHandle> handle;
  {
    // Looked up, checked and counted under the registry's mutex in one go: the pool cannot close
    // between the check and our attachment (a throw below releases the lock).
    Registry& r = registry();
    std::lock_guard<std::mutex> lock(r.mu);
    auto it = r.byId.find(id);
    if (it != r.byId.end()) handle = it->second.lock();
    if (!handle || handle->threads.load(std::memory_order_relaxed) == 0) {
      throwWithCode(env, "ERR_POOL_CLOSED",
                    "SharedBufferPool " + std::to_string(id) +
                        " is closed: every thread that had it closed it or exited");
    }
    expectSame(env, "handle.blockSize", blockSize, static_cast<double>(handle->slab.blockSize()), "block size");
    expectSame(env, "handle.blocks", blocks, handle->slab.blocks(), "block count");
    expectSame(env, "handle.threadCacheSize", cacheSize, handle->threadCacheSize, "threadCacheSize");
    if (atomicCheck != handle->atomicCheck) {
      throw Napi::RangeError::New(env, std::string("handle.releaseCheck must be '") +
                                           (handle->atomicCheck ? "atomic" : "plain") +
                                           "', the pool's releaseCheck (received '" +
                                           (atomicCheck ? "atomic" : "plain") + "')");
    }
    handle->threads.fetch_add(1, std::memory_order_relaxed);  // our attachment, made below
  }
  return attachTo(env, handle, xfer);
}

// sbpBlock(attachment, index) -> this thread's ArrayBuffer over block `index`, exactly blockSize bytes.
// The JS side makes one per block, on first use, and keeps it.
Napi::Value block(const Napi::CallbackInfo& info) {
  Attachment& a = attachmentArg(info);
  const SharedSlab& slab = a.handle->slab;
  const auto i = static_cast<std::uint32_t>(integerArg(info[1], "index", 0, slab.blocks() - 1.0));
  return viewOf(info.Env(), a.mappings, slab.blockAt(i), slab.blockSize());
}

// sbpRefill(attachment, want, acquires, releases) -> how many indices are now in transfer[0..n)
Napi::Value refill(const Napi::CallbackInfo& info) {
  Attachment& a = attachmentArg(info);
  const auto want = static_cast<std::size_t>(info[1].As<Napi::Number>().DoubleValue());
  a.publish(info[2].As<Napi::Number>().DoubleValue(), info[3].As<Napi::Number>().DoubleValue());
  const std::size_t n = a.handle->slab.take(a.xfer, want < a.xferLen ? want : a.xferLen, a.tag);
  a.handle->refills.fetch_add(1, std::memory_order_relaxed);
  return Napi::Number::New(info.Env(), static_cast<double>(n));
}

// sbpFlush(attachment, count, acquires, releases): returns transfer[0..count) to the pool
Napi::Value flush(const Napi::CallbackInfo& info) {
  Attachment& a = attachmentArg(info);
  const auto n = static_cast<std::size_t>(info[1].As<Napi::Number>().DoubleValue());
  a.publish(info[2].As<Napi::Number>().DoubleValue(), info[3].As<Napi::Number>().DoubleValue());
  const std::size_t rejected = a.handle->slab.give(a.xfer, n < a.xferLen ? n : a.xferLen, a.tag);
  a.handle->flushes.fetch_add(1, std::memory_order_relaxed);
  if (rejected != 0) {
    throwWithCode(info.Env(), "ERR_BLOCK_STATE",
              std::to_string(rejected) + " block(s) given back were not in this thread's cache (corrupted state)");
  }
  return info.Env().Undefined();
}

// sbpStats(attachment, acquires, releases) -> pool-wide statistics
Napi::Value stats(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Attachment& a = attachmentArg(info);
  a.publish(info[1].As<Napi::Number>().DoubleValue(), info[2].As<Napi::Number>().DoubleValue());
  const SlabHandle& h = *a.handle;
  const SharedSlab::Census c = h.slab.census();
  Napi::Object o = Napi::Object::New(env);
  o.Set("blocks", Napi::Number::New(env, h.slab.blocks()));
  o.Set("blockSize", Napi::Number::New(env, static_cast<double>(h.slab.blockSize())));
  o.Set("threads", Napi::Number::New(env, h.threads.load(std::memory_order_relaxed)));
  o.Set("inUse", Napi::Number::New(env, c.held));
  o.Set("cachedInThreads", Napi::Number::New(env, c.cached));
  o.Set("freeInPool", Napi::Number::New(env, c.inPool));
  o.Set("acquires", Napi::Number::New(env, static_cast<double>(h.acquires.load(std::memory_order_relaxed))));
  o.Set("releases", Napi::Number::New(env, static_cast<double>(h.releases.load(std::memory_order_relaxed))));
  o.Set("refills", Napi::Number::New(env, static_cast<double>(h.refills.load(std::memory_order_relaxed))));
  o.Set("flushes", Napi::Number::New(env, static_cast<double>(h.flushes.load(std::memory_order_relaxed))));
  o.Set("reclaimed", Napi::Number::New(env, static_cast<double>(h.reclaimed.load(std::memory_order_relaxed))));
  // Where the native pool (core SyncPool) served the blocks JS refills took, and what became of flushes.
  const poolscope::PoolStats ps = h.slab.poolStats();
  o.Set("fromPrivate", Napi::Number::New(env, static_cast<double>(ps.fromPrivate)));
  o.Set("fromShared", Napi::Number::New(env, static_cast<double>(ps.fromShared)));
  o.Set("fromSteal", Napi::Number::New(env, static_cast<double>(ps.fromSteal)));
  o.Set("fromVictim", Napi::Number::New(env, static_cast<double>(ps.fromVictim)));
  o.Set("fromNew", Napi::Number::New(env, static_cast<double>(ps.fromNew)));
  o.Set("nativePuts", Napi::Number::New(env, static_cast<double>(ps.puts)));
  o.Set("nativeDrops", Napi::Number::New(env, static_cast<double>(ps.drops)));
  return o;
}

// Detaches `ab` if it is one of this thread's views of the slab. Returns false if it was
// detached already, by someone else (ArrayBuffer.prototype.transfer() moves the memory to
// a new ArrayBuffer that close() cannot see): then the slab must wait for the finalizers.
bool detachView(const Napi::Value& v) {
  if (!v.IsTypedArray() && !v.IsArrayBuffer()) return true;
  Napi::ArrayBuffer ab = v.IsArrayBuffer() ? v.As<Napi::ArrayBuffer>() : v.As<Napi::TypedArray>().ArrayBuffer();
  if (ab.IsDetached()) return false;
  ab.Detach();
  return true;
}

// sbpClose(attachment, views, state): detaches this thread's ArrayBuffers over the slab (the
// block views the JS side made, `views[i]` for each block it used, and the state view),
// gives back what it cached or held, and drops its references: the last thread's close()
// unmaps the slab here. The JS side flushed its cache first.
Napi::Value close(const Napi::CallbackInfo& info) {
  Attachment* a = attachmentPtr(info);
  if (!a->handle) return info.Env().Undefined();
  bool allDetached = detachView(info[2]);
  if (info[1].IsArray()) {
    auto views = info[1].As<Napi::Array>();
    const std::uint32_t n = views.Length();
    for (std::uint32_t k = 0; k < n; ++k) {
      Napi::Value v = views.Get(k);
      if (!v.IsUndefined()) allDetached = detachView(v) && allDetached;
    }
  } else {
    allDetached = false;
  }
  a->release(allDetached);  // held blocks too, unless a view escaped the detach
  if (allDetached) a->mappings->handle.reset();  // no view of ours can reach the slab any more
  return info.Env().Undefined();
}

// sbpLiveSlabs(): how many pools' slabs are still mapped in this process (for leak tests).
Napi::Value liveSlabCount(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(liveSlabs.load(std::memory_order_relaxed)));
}

const poolscope::addon::ExportRegistrar registrar([](Napi::Env env, Napi::Object exports) {
  exports.Set("sbpCreate", Napi::Function::New(env, create, "sbpCreate"));
  exports.Set("sbpAttach", Napi::Function::New(env, attach, "sbpAttach"));
  exports.Set("sbpBlock", Napi::Function::New(env, block, "sbpBlock"));
  exports.Set("sbpRefill", Napi::Function::New(env, refill, "sbpRefill"));
  exports.Set("sbpFlush", Napi::Function::New(env, flush, "sbpFlush"));
  exports.Set("sbpStats", Napi::Function::New(env, stats, "sbpStats"));
  exports.Set("sbpClose", Napi::Function::New(env, close, "sbpClose"));
  exports.Set("sbpLiveSlabs", Napi::Function::New(env, liveSlabCount, "sbpLiveSlabs"));
});

}  // namespace
