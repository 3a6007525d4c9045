// The JS handle over a counters::CounterSet (class `CounterSet` in the
// addon's exports; lib/counters/counters.ts wraps it). Hot path methods
// (start, stop, read) write their readings into a Float64Array the JS side
// owns — four doubles per event: value, scaled, runningPct, state code — so
// no JS object is created per call on the native side.
#include "addon/counters_binding.hpp"

#include <string>
#include <vector>

#include "addon/errors.hpp"
#include "addon/exports.hpp"
#include "counters/counter_set.hpp"
#include "counters/privileges.hpp"

namespace poolscope::addon {
namespace {

using counters::CounterSet;
using counters::EventState;

// Identifies objects made by this class, so counterSetFromHandle never unwraps a foreign object.
constexpr napi_type_tag kCounterSetTag = {0x706f6f6c73636f70ull, 0x636f756e74657273ull};

constexpr int kSlotsPerEvent = 4;

class CounterSetHandle : public Napi::ObjectWrap<CounterSetHandle> {
 public:
  static Napi::Function define(Napi::Env env) {
    return DefineClass(env, "CounterSet",
                       {
                           InstanceMethod<&CounterSetHandle::start>("start"),
                           InstanceMethod<&CounterSetHandle::stop>("stop"),
                           InstanceMethod<&CounterSetHandle::read>("read"),
                           InstanceMethod<&CounterSetHandle::mark>("mark"),
                           InstanceMethod<&CounterSetHandle::info>("info"),
                           InstanceMethod<&CounterSetHandle::reason>("reason"),
                           InstanceMethod<&CounterSetHandle::close>("close"),
                       });
  }

  // new CounterSet(names: string[], readings: Float64Array(4 × names.length))
  explicit CounterSetHandle(const Napi::CallbackInfo& info) : Napi::ObjectWrap<CounterSetHandle>(info) {
    Napi::Env env = info.Env();
    if (!info[0].IsArray()) throwTypeError(env, "events", "an array of event names", info[0]);
    Napi::Array arr = info[0].As<Napi::Array>();
    std::vector<std::string> names;
    for (uint32_t i = 0; i < arr.Length(); ++i) {
      Napi::Value v = arr.Get(i);
      if (!v.IsString()) throwTypeError(env, "events[" + std::to_string(i) + "]", "an event name (a string)", v);
      names.push_back(v.As<Napi::String>().Utf8Value());
    }
    counters::ParseListResult parsed = counters::parseEventList(names);
    if (!parsed.error.empty()) throw Napi::RangeError::New(env, parsed.error);
    if (!info[1].IsTypedArray() || info[1].As<Napi::TypedArray>().TypedArrayType() != napi_float64_array)
      throwTypeError(env, "readings", "a Float64Array", info[1]);
    Napi::Float64Array out = info[1].As<Napi::Float64Array>();
    if (out.ElementLength() < names.size() * kSlotsPerEvent)
      throwRangeError(env, "readings", "a Float64Array of 4 × events.length elements", info[1]);
    out_ = out.Data();
    outRef_ = Napi::Persistent(out.As<Napi::Object>());
    set_ = CounterSet::open(std::move(parsed.specs), counters::readPrivileges());
    napi_type_tag_object(env, Value(), &kCounterSetTag);
  }

  CounterSet& set() { return set_; }

 private:
  void start(const Napi::CallbackInfo&) { set_.enable(); }

  // Interval readings since the previous stop()/mark(): one disable ioctl and one read per group.
  void stop(const Napi::CallbackInfo&) {
    set_.disable();
    set_.read();
    write();
    set_.mark();
  }

  // While counting: the counts so far (one read per group). Stopped: leaves the last interval's readings.
  void read(const Napi::CallbackInfo&) {
    if (!set_.isEnabled()) return;
    set_.read();
    write();
  }

  // Starts a new interval without returning readings (discards what was counted since the last mark).
  void mark(const Napi::CallbackInfo&) {
    set_.read();
    set_.mark();
  }

  void write() noexcept {
    for (std::size_t i = 0; i < set_.size(); ++i) {
      const counters::Reading r = set_.reading(i);
      double* o = out_ + i * kSlotsPerEvent;
      o[0] = static_cast<double>(r.value);
      o[1] = r.scaled;
      o[2] = r.runningPct;
      o[3] = static_cast<double>(r.state);
    }
  }

  // The current reason of event i's reading (rare path: only for events not counted).
  Napi::Value reason(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (!info[0].IsNumber()) throwTypeError(env, "index", "an event index", info[0]);
    const int64_t i = info[0].As<Napi::Number>().Int64Value();
    if (i < 0 || static_cast<std::size_t>(i) >= set_.size()) return env.Undefined();
    const counters::Reading r = set_.reading(static_cast<std::size_t>(i));
    return Napi::String::New(env, std::string(r.reason));
  }

  // How each event was opened: {exclusion, events: [{name, kind, state, reason, note, group, exclude*}]}.
  Napi::Value info(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    Napi::Object o = Napi::Object::New(env);
    o.Set("exclusion", Napi::String::New(env, set_.exclusion().why));
    o.Set("groups", Napi::Number::New(env, static_cast<double>(set_.groupCount())));
    Napi::Array events = Napi::Array::New(env, set_.size());
    for (std::size_t i = 0; i < set_.size(); ++i) {
      const counters::EventSlot& s = set_.event(i);
      Napi::Object e = Napi::Object::New(env);
      e.Set("name", s.spec.name);
      e.Set("canonical", s.spec.canonical);
      e.Set("kind", std::string(counters::pmuKindName(s.spec.kind)));
      e.Set("state", std::string(counters::eventStateName(s.openState)));
      if (!s.reason.empty()) e.Set("reason", s.reason);
      if (!s.note.empty()) e.Set("note", s.note);
      e.Set("group", Napi::Number::New(env, s.group));
      e.Set("excludeUser", Napi::Boolean::New(env, s.excludeUser));
      e.Set("excludeKernel", Napi::Boolean::New(env, s.excludeKernel));
      e.Set("excludeHv", Napi::Boolean::New(env, s.excludeHv));
      events.Set(static_cast<uint32_t>(i), e);
    }
    o.Set("events", events);
    return o;
  }

  void close(const Napi::CallbackInfo&) { set_.close(); }

  CounterSet set_;
  double* out_ = nullptr;        // 4 doubles per event, in outRef_'s buffer
  Napi::ObjectReference outRef_; // keeps the readings array (and so out_) alive
};

ExportRegistrar registrar([](Napi::Env env, Napi::Object exports) {
  exports.Set("CounterSet", CounterSetHandle::define(env));
});

}  // namespace

counters::CounterSet* counterSetFromHandle(const Napi::Value& handle, const std::string& field) {
  Napi::Env env = handle.Env();
  if (handle.IsUndefined() || handle.IsNull()) return nullptr;
  bool tagged = false;
  if (handle.IsObject()) napi_check_object_type_tag(env, handle, &kCounterSetTag, &tagged);
  if (!tagged) throwTypeError(env, field, "a Counters native handle (counters.nativeHandle) or undefined", handle);
  return &CounterSetHandle::Unwrap(handle.As<Napi::Object>())->set();
}

}  // namespace poolscope::addon
