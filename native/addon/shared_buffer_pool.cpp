// SharedBufferPool for JS: thin wrappers over core/shared_slab.hpp.
//
// Lifetime (the slab is unmapped when nothing can reach it any more):
//  - SlabHandle (one per pool, process-wide) owns the SharedSlab. It is held by
//    shared_ptr from (a) each thread's Attachment until that thread closes the
//    pool or its environment is torn down, and (b) each thread's external
//    ArrayBuffer over the slab, until V8 frees that ArrayBuffer (close()
//    detaches it first, so Buffers a caller kept become empty, never dangling).
//  - The registry maps pool ids to weak_ptrs, so a worker can attach by id
//    while some thread still has the pool, and gets ERR_POOL_CLOSED after.
//  - A thread that exits without close() (worker exit, isolate teardown): its
//    env cleanup hook releases the Attachment's reference and returns the
//    blocks its JS cache held to the pool (SharedSlab::reclaim).
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

using poolscope::addon::throwErrno;
using poolscope::addon::throwRangeError;
using poolscope::addon::throwTypeError;
using poolscope::SharedSlab;

constexpr double kMaxBlockSize = 1 << 30;
constexpr double kMaxBlocks = 1 << 24;
constexpr double kMaxSlabBytes = 1ull << 40;

std::atomic<std::int64_t> liveSlabs{0};  // relaxed: a statistic for leak tests, orders nothing

// One pool, shared by every thread that attached to it.
struct SlabHandle {
  SlabHandle(std::uint32_t id_, std::size_t blockSize, std::uint32_t blocks) : slab(blockSize, blocks), id(id_) {
    liveSlabs.fetch_add(1, std::memory_order_relaxed);
  }
  ~SlabHandle() { liveSlabs.fetch_sub(1, std::memory_order_relaxed); }

  SharedSlab slab;
  const std::uint32_t id;
  // Statistics, all relaxed: each is a sum read on demand, ordering nothing.
  // Attachments not yet released. Changed only under the registry's mutex, so that
  // attach() never revives a pool whose last attachment is gone (the slab may still
  // be mapped for a while, until V8 frees detached ArrayBuffers); read relaxed for stats.
  std::atomic<std::uint32_t> threads{0};
  std::atomic<std::uint64_t> acquires{0};   // JS acquire()s, published by each thread at its batches
  std::atomic<std::uint64_t> releases{0};   // JS release()s, likewise
  std::atomic<std::uint64_t> refills{0};    // take() batches
  std::atomic<std::uint64_t> flushes{0};    // give() batches
  std::atomic<std::uint64_t> reclaimed{0};  // blocks recovered from threads that exited without close()
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

// One thread's attachment to a pool. Owner thread only (it lives in that
// thread's isolate as an External and is only touched from its JS calls, its
// finalizer and its env cleanup hook, all on that thread).
struct Attachment {
  std::shared_ptr<SlabHandle> handle;  // null once released
  std::int32_t tag = 0;                // this thread's "cached" state-word value
  std::uint32_t* xfer = nullptr;       // the JS side's index transfer array
  std::size_t xferLen = 0;
  std::uint64_t publishedAcquires = 0;
  std::uint64_t publishedReleases = 0;
  napi_env env = nullptr;
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

  // Idempotent: gives back this thread's cached blocks and its reference.
  void release() noexcept {
    if (!handle) return;
    const std::size_t n = handle->slab.reclaim(tag);
    handle->reclaimed.fetch_add(n, std::memory_order_relaxed);
    {
      std::lock_guard<std::mutex> lock(registry().mu);
      handle->threads.fetch_sub(1, std::memory_order_relaxed);
    }
    handle.reset();
  }

  static void cleanupHook(void* arg) {
    auto* a = static_cast<Attachment*>(arg);
    a->hookRegistered = false;  // Node removes a hook once it has run
    a->release();
  }
};

// Tags the External that carries an Attachment, so an External made by other code (another
// part of the addon, another addon) is refused instead of being cast to an Attachment.
constexpr napi_type_tag kAttachmentTag = {0x706f6f6c73636f70ull, 0x5342502d61747461ull};

[[noreturn]] void throwCode(Napi::Env env, const char* code, const std::string& message) {
  Napi::Error e = Napi::Error::New(env, message);
  e.Set("code", Napi::String::New(env, code));
  throw e;
}

double integerArg(const Napi::Value& v, const char* field, double min, double max) {
  const std::string accepted = "an integer from " + std::to_string(static_cast<long long>(min)) + " to " +
                               std::to_string(static_cast<long long>(max));
  if (!v.IsNumber()) throwTypeError(v.Env(), field, accepted, v);
  const double d = v.As<Napi::Number>().DoubleValue();
  if (!(d >= min && d <= max) || d != static_cast<double>(static_cast<long long>(d))) {
    throwRangeError(v.Env(), field, accepted, v);
  }
  return d;
}

Attachment* attachmentPtr(const Napi::CallbackInfo& info) {
  if (!info[0].IsExternal() || !info[0].As<Napi::External<Attachment>>().CheckTypeTag(&kAttachmentTag)) {
    throwTypeError(info.Env(), "attachment", "a SharedBufferPool attachment", info[0]);
  }
  return info[0].As<Napi::External<Attachment>>().Data();
}

Attachment& attachmentArg(const Napi::CallbackInfo& info) {
  Attachment* a = attachmentPtr(info);
  if (!a->handle) throwCode(info.Env(), "ERR_POOL_CLOSED", "SharedBufferPool is closed in this thread");
  return *a;
}

// [attachment, arrayBuffer, stateByteOffset, blockSize, blocks, id, tag]
Napi::Uint32Array transferArg(const Napi::Value& v) {
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_uint32_array) {
    throwTypeError(v.Env(), "transfer", "a Uint32Array", v);
  }
  return v.As<Napi::Uint32Array>();
}

// Makes this thread's attachment; handle->threads already counts it. Throws nothing
// after the count was taken except on out-of-memory, when V8 aborts anyway.
Napi::Value attachTo(Napi::Env env, std::shared_ptr<SlabHandle> handle, Napi::Uint32Array xfer) {
  const SharedSlab& slab = handle->slab;

  auto* abHint = new std::shared_ptr<SlabHandle>(handle);
  Napi::ArrayBuffer ab = Napi::ArrayBuffer::New(
      env, slab.base(), slab.mappedBytes(),
      [](Napi::Env, void*, std::shared_ptr<SlabHandle>* hint) { delete hint; }, abHint);

  auto* a = new Attachment();
  a->handle = handle;
  a->tag = handle->slab.newTag();
  a->xfer = xfer.Data();
  a->xferLen = xfer.ElementLength();
  a->env = env;
  auto ext = Napi::External<Attachment>::New(env, a, [](Napi::Env e, Attachment* at) {
    if (at->hookRegistered) napi_remove_env_cleanup_hook(e, Attachment::cleanupHook, at);
    at->release();
    delete at;
  });
  ext.TypeTag(&kAttachmentTag);
  if (napi_add_env_cleanup_hook(env, Attachment::cleanupHook, a) == napi_ok) a->hookRegistered = true;

  Napi::Array out = Napi::Array::New(env, 7);
  out.Set(0u, ext);
  out.Set(1u, ab);
  out.Set(2u, Napi::Number::New(env, static_cast<double>(slab.stateOffset())));
  out.Set(3u, Napi::Number::New(env, static_cast<double>(slab.blockSize())));
  out.Set(4u, Napi::Number::New(env, slab.blocks()));
  out.Set(5u, Napi::Number::New(env, handle->id));
  out.Set(6u, Napi::Number::New(env, a->tag));
  return out;
}

// sbpCreate(blockSize, blocks, transfer) -> attach result
Napi::Value create(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const double blockSize = integerArg(info[0], "blockSize", 1, kMaxBlockSize);
  const double blocks = integerArg(info[1], "blocks", 1, kMaxBlocks);
  Napi::Uint32Array xfer = transferArg(info[2]);
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
                                            static_cast<std::uint32_t>(blocks));
    } catch (const std::system_error& e) {
      throwErrno(env, "SharedBufferPool: cannot map the slab", e.code().value());
    }
    r.byId.emplace(r.nextId++, handle);
    handle->threads.fetch_add(1, std::memory_order_relaxed);  // the creator's attachment, made below
  }
  return attachTo(env, handle, xfer);
}

// sbpAttach(id, transfer) -> attach result
Napi::Value attach(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const auto id = static_cast<std::uint32_t>(integerArg(info[0], "handle.id", 1, 4294967295.0));
  Napi::Uint32Array xfer = transferArg(info[1]);
  std::shared_ptr<SlabHandle> handle;
  {
    Registry& r = registry();
    std::lock_guard<std::mutex> lock(r.mu);
    auto it = r.byId.find(id);
    if (it != r.byId.end()) handle = it->second.lock();
    if (handle && handle->threads.load(std::memory_order_relaxed) == 0) handle.reset();
    if (handle) handle->threads.fetch_add(1, std::memory_order_relaxed);  // our attachment, made below
  }
  if (!handle) {
    throwCode(env, "ERR_POOL_CLOSED",
              "SharedBufferPool " + std::to_string(id) + " is closed: every thread that had it closed it or exited");
  }
  return attachTo(env, handle, xfer);
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
    throwCode(info.Env(), "ERR_BLOCK_STATE",
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

// sbpClose(attachment, arrayBuffer): detaches this thread's view of the slab and drops its reference.
// The JS side has flushed its cache first; anything left in it is reclaimed here.
Napi::Value close(const Napi::CallbackInfo& info) {
  Attachment* a = attachmentPtr(info);
  if (info[1].IsArrayBuffer()) {
    auto ab = info[1].As<Napi::ArrayBuffer>();
    if (ab.Data() == (a->handle ? a->handle->slab.base() : nullptr) && !ab.IsDetached()) ab.Detach();
  }
  a->release();
  return info.Env().Undefined();
}

// sbpLiveSlabs(): how many pools' slabs are still mapped in this process (for leak tests).
Napi::Value liveSlabCount(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(liveSlabs.load(std::memory_order_relaxed)));
}

const poolscope::addon::ExportRegistrar registrar([](Napi::Env env, Napi::Object exports) {
  exports.Set("sbpCreate", Napi::Function::New(env, create, "sbpCreate"));
  exports.Set("sbpAttach", Napi::Function::New(env, attach, "sbpAttach"));
  exports.Set("sbpRefill", Napi::Function::New(env, refill, "sbpRefill"));
  exports.Set("sbpFlush", Napi::Function::New(env, flush, "sbpFlush"));
  exports.Set("sbpStats", Napi::Function::New(env, stats, "sbpStats"));
  exports.Set("sbpClose", Napi::Function::New(env, close, "sbpClose"));
  exports.Set("sbpLiveSlabs", Napi::Function::New(env, liveSlabCount, "sbpLiveSlabs"));
});

}  // namespace
