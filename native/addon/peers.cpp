// The allocator peers for JS: which load (probe), evidence that each serves
// its own blocks, and a native timing loop of allocate+free through a peer
// (or glibc's malloc) for the `alloc` scenario's two patterns. The loop runs
// on the calling thread; JS is never inside the timed region.
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "addon/errors.hpp"
#include "addon/exports.hpp"
#include "core/peer_allocator.hpp"
#include "core/peer_allocator_check.hpp"

namespace {

using namespace poolscope::peers;
using poolscope::addon::integerArg;
using poolscope::addon::throwRangeError;
using poolscope::addon::throwWithCode;
using poolscope::addon::throwTypeError;

constexpr const char* kPeerNames = "'mimalloc', 'jemalloc', 'tcmalloc'";

PeerId peerArg(const Napi::Value& v, const char* field) {
  if (!v.IsString()) throwTypeError(v.Env(), field, std::string("one of ") + kPeerNames, v);
  PeerId id{};
  if (!peerFromName(v.As<Napi::String>().Utf8Value(), id)) {
    throwRangeError(v.Env(), field, std::string("one of ") + kPeerNames, v);
  }
  return id;
}

Napi::Value probe(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Array out = Napi::Array::New(env);
  uint32_t i = 0;
  for (PeerId id : kAllPeers) {
    const PeerLoad& l = peer(id);
    const PeerSpec& s = peerSpec(id);
    Napi::Object o = Napi::Object::New(env);
    o.Set("name", s.name);
    o.Set("state", peerStateName(l.state));
    o.Set("path", l.path);
    o.Set("debianPackage", s.debianPackage);
    if (!l.reason.empty()) o.Set("reason", l.reason);
    out.Set(i++, o);
  }
  return out;
}

// openPeerPath(name, path): loads from an explicit path without caching (tests: a missing path).
Napi::Value openPath(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  PeerId id = peerArg(info[0], "peer");
  if (!info[1].IsString()) throwTypeError(env, "path", "a string", info[1]);
  PeerLoad l = openPeer(id, info[1].As<Napi::String>().Utf8Value().c_str());
  Napi::Object o = Napi::Object::New(env);
  o.Set("name", peerSpec(id).name);
  o.Set("state", peerStateName(l.state));
  o.Set("path", l.path);
  o.Set("debianPackage", peerSpec(id).debianPackage);
  if (!l.reason.empty()) o.Set("reason", l.reason);
  return o;
}

Napi::Value checkServed(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  PeerId id = peerArg(info[0], "peer");
  auto size = integerArg<std::size_t>(info[1], "objectSize", 1, 1 << 24);
  auto blocks = integerArg<std::size_t>(info[2], "blocks", 1, 1 << 20);
  ServedCheck c = checkServedByPeer(id, size, blocks);
  Napi::Object o = Napi::Object::New(env);
  o.Set("ran", c.ran);
  o.Set("blocks", static_cast<double>(c.blocks));
  o.Set("minUsable", c.ran ? static_cast<double>(c.minUsable) : 0.0);
  o.Set("usableOk", c.usableOk);
  o.Set("ownedByPeer", c.ownedByPeer);
  o.Set("glibcBlockNotOwned", c.glibcBlockNotOwned);
  o.Set("glibcArenaDelta", static_cast<double>(c.glibcArenaDelta));
  o.Set("how", c.how);
  return o;
}

// One allocator's two entry points, as the timing loop calls them.
struct AllocFns {
  void* (*alloc)(std::size_t);
  void (*release)(void*);
};

// get-put: allocate, touch, free, `ops` times. batch: allocate K, touch
// each, free the K, `ops / K` rounds (an op is still one allocate+free).
double timeLoop(AllocFns f, std::size_t size, std::uint64_t ops, std::size_t batch) {
  std::vector<void*> held(batch);
  const auto t0 = std::chrono::steady_clock::now();
  if (batch <= 1) {
    for (std::uint64_t i = 0; i < ops; ++i) {
      auto* p = static_cast<volatile unsigned char*>(f.alloc(size));
      p[0] = static_cast<unsigned char>(i);  // the caller writes the object it got
      f.release(const_cast<unsigned char*>(p));
    }
  } else {
    for (std::uint64_t done = 0; done < ops; done += batch) {
      for (std::size_t k = 0; k < batch; ++k) {
        auto* p = static_cast<volatile unsigned char*>(f.alloc(size));
        p[0] = static_cast<unsigned char>(k);
        held[k] = const_cast<unsigned char*>(p);
      }
      for (std::size_t k = 0; k < batch; ++k) f.release(held[k]);
    }
  }
  const auto t1 = std::chrono::steady_clock::now();
  return std::chrono::duration<double, std::nano>(t1 - t0).count();
}

// runAlloc({ pool, objectSize, ops, batch }) -> { ops, elapsedNs }. pool: a peer name or 'malloc' (glibc).
Napi::Value runAlloc(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsObject()) throwTypeError(env, "options", "an object", info[0]);
  Napi::Object opts = info[0].As<Napi::Object>();
  Napi::Value poolV = opts.Get("pool");
  AllocFns f{};
  if (poolV.IsString() && poolV.As<Napi::String>().Utf8Value() == "malloc") {
    f = {&::malloc, &::free};
  } else {
    const PeerLoad& l = peer(peerArg(poolV, "pool"));
    if (l.state != PeerState::loaded) {
      throwWithCode(env, "ERR_PEER_UNAVAILABLE", std::string(peerSpec(l.id).name) + ": " + l.reason);
    }
    f = {l.fns.malloc, l.fns.free};
  }
  auto size = integerArg<std::size_t>(opts.Get("objectSize"), "objectSize", 1, 1 << 24);
  auto ops = integerArg<std::uint64_t>(opts.Get("ops"), "ops", 1, 1e12);
  auto batch = integerArg<std::size_t>(opts.Get("batch"), "batch", 1, 4096);
  ops = (ops + batch - 1) / batch * batch;
  const double ns = timeLoop(f, size, ops, batch);
  Napi::Object o = Napi::Object::New(env);
  o.Set("ops", static_cast<double>(ops));
  o.Set("elapsedNs", ns);
  return o;
}

void registerPeers(Napi::Env env, Napi::Object exports) {
  exports.Set("peersProbe", Napi::Function::New(env, probe, "peersProbe"));
  exports.Set("peersOpenPath", Napi::Function::New(env, openPath, "peersOpenPath"));
  exports.Set("peersCheckServed", Napi::Function::New(env, checkServed, "peersCheckServed"));
  exports.Set("peersRunAlloc", Napi::Function::New(env, runAlloc, "peersRunAlloc"));
}

const poolscope::addon::ExportRegistrar registrar(registerPeers);

}  // namespace
