#pragma once
// For other addon files: the C++ CounterSet behind a JS `Counters` object, so
// native code can bracket exactly its hot loop with enable()/disable()
// without crossing into JS:
//
//   counters::CounterSet* set = counterSetFromHandle(info[1], "counters");  // JS: counters.nativeHandle
//   if (set) set->enable();
//   ... timed loop ...
//   if (set) set->disable();
//
// then, back in JS, `counters.stop()` reads each group once and returns the
// interval's readings (stop() on groups already disabled natively is fine).
//
// The set belongs to the thread that opened it (it counts that thread): use
// it only on that thread, i.e. only in calls made from the JS isolate that
// created the handle. The pointer stays valid while the JS object is alive
// and until `close()`; after close() the set is empty and every method is a
// no-op.
#include <napi.h>

#include <string>

#include "counters/counter_set.hpp"

namespace poolscope::addon {

// nullptr for undefined/null (no counters); throws a TypeError naming `field`
// for anything that is not a live handle made by this addon.
counters::CounterSet* counterSetFromHandle(const Napi::Value& handle, const std::string& field);

}  // namespace poolscope::addon
