// The allocator peers for JS: which load (probe), and evidence that each
// serves its own blocks. Their timing is the harness's `alloc` scenario
// (prepared_scenario.hpp, core/scenarios/alloc.hpp); nothing is timed here.
#include <cstdint>
#include <string>

#include "addon/errors.hpp"
#include "addon/exports.hpp"
#include "core/peer_allocator.hpp"
#include "core/peer_allocator_check.hpp"

namespace {

using namespace poolscope::peers;
using poolscope::addon::integerArg;
using poolscope::addon::throwRangeError;
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

// lib/peers/allocators.ts `PeerStatus`: the peer and how its load went.
Napi::Object statusObject(Napi::Env env, PeerId id, const PeerLoad& l) {
  const PeerSpec& s = peerSpec(id);
  Napi::Object o = Napi::Object::New(env);
  o.Set("name", s.name);
  o.Set("state", peerStateName(l.state));
  o.Set("path", l.path);
  o.Set("debianPackage", s.debianPackage);
  if (!l.reason.empty()) o.Set("reason", l.reason);
  return o;
}

Napi::Value probe(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Array out = Napi::Array::New(env);
  uint32_t i = 0;
  for (PeerId id : kAllPeers) out.Set(i++, statusObject(env, id, peer(id)));
  return out;
}

// openPeerPath(name, path): loads from an explicit path without caching (tests: a missing path).
Napi::Value openPath(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  PeerId id = peerArg(info[0], "peer");
  if (!info[1].IsString()) throwTypeError(env, "path", "a string", info[1]);
  return statusObject(env, id, openPeer(id, info[1].As<Napi::String>().Utf8Value().c_str()));
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

void registerPeers(Napi::Env env, Napi::Object exports) {
  exports.Set("peersProbe", Napi::Function::New(env, probe, "peersProbe"));
  exports.Set("peersOpenPath", Napi::Function::New(env, openPath, "peersOpenPath"));
  exports.Set("peersCheckServed", Napi::Function::New(env, checkServed, "peersCheckServed"));
}

const poolscope::addon::ExportRegistrar registrar(registerPeers);

}  // namespace
