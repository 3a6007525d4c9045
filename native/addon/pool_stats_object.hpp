#pragma once
// The one place a PoolStats (core/pool_stats.hpp) becomes a JS object: the core's field names,
// unchanged (fromPrivate, fromShared, fromSteal, fromVictim, fromNew, puts, drops), plus their sum
// `gets`. lib/pool.ts `NativePoolStats` is its type; the harness's document names the get sources
// its own way (lib/harness/aggregate.ts maps them, once).
#include <napi.h>

#include <cstdint>

#include "core/pool_stats.hpp"

namespace poolscope::addon {

inline Napi::Object poolStatsObject(Napi::Env env, const PoolStats& s) {
  Napi::Object o = Napi::Object::New(env);
  auto n = [&](std::uint64_t v) { return Napi::Number::New(env, static_cast<double>(v)); };
  o.Set("fromPrivate", n(s.fromPrivate));
  o.Set("fromShared", n(s.fromShared));
  o.Set("fromSteal", n(s.fromSteal));
  o.Set("fromVictim", n(s.fromVictim));
  o.Set("fromNew", n(s.fromNew));
  o.Set("gets", n(s.gets()));
  o.Set("puts", n(s.puts));
  o.Set("drops", n(s.drops));
  return o;
}

}  // namespace poolscope::addon
