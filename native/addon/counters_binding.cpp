// The JS handle over a counters::CounterSet (class `CounterSet` in the
// addon's exports; lib/counters/counters.ts wraps it). The hot path (start,
// stop, read; as methods, or as the plain countersFast* functions the JS
// wrapper uses) writes readings into a Float64Array the JS side owns — four
// doubles per event: value, scaled, runningPct, state code — so no JS object
// is created per call on the native side.
#include "addon/counters_binding.hpp"

#include <string>
#include <unordered_set>
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

class CounterSetHandle;

// The handles alive on this thread (one JS isolate per thread), so the fast
// entry points below can check an External before trusting its pointer.
// Owner thread only: handles are created, called and finalized on the
// thread of their isolate.
thread_local std::unordered_set<const CounterSetHandle*> liveHandles;

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
                           InstanceMethod<&CounterSetHandle::fast>("fast"),
                       });
  }

  ~CounterSetHandle() override { liveHandles.erase(this); }

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
    liveHandles.insert(this);
  }

  CounterSet& set() { return set_; }

  void startNow() noexcept { set_.enable(); }

  // Interval readings since the previous stop()/mark(): one disable ioctl and one read per group.
  void stopNow() noexcept {
    set_.disable();
    set_.read();
    write();
    set_.mark();
  }

  // While counting: the counts so far (one read per group). Stopped: leaves the last interval's readings.
  void readNow() noexcept {
    if (!set_.isEnabled()) return;
    set_.read();
    write();
  }

 private:
  void start(const Napi::CallbackInfo&) { startNow(); }
  void stop(const Napi::CallbackInfo&) { stopNow(); }
  void read(const Napi::CallbackInfo&) { readNow(); }

  // An External over this handle for the fast entry points (countersFastStart/Stop/Read).
  Napi::Value fast(const Napi::CallbackInfo& info) { return Napi::External<CounterSetHandle>::New(info.Env(), this); }

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

// Fast entry points for the hot path: plain N-API C callbacks taking the
// External from `fast()`, so a call skips node-addon-api's CallbackInfo and
// the ObjectWrap unwrap (measured: ~100 ns of the ~250 ns a method call
// costs here). The pointer is used only if it is a live handle of this thread.
CounterSetHandle* fastHandle(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value arg = nullptr;
  void* p = nullptr;
  if (napi_get_cb_info(env, info, &argc, &arg, nullptr, nullptr) != napi_ok || argc < 1 ||
      napi_get_value_external(env, arg, &p) != napi_ok ||
      liveHandles.count(static_cast<const CounterSetHandle*>(p)) == 0) {
    napi_throw_type_error(env, nullptr, "handle must be a live counters handle (CounterSet#fast())");
    return nullptr;
  }
  return static_cast<CounterSetHandle*>(p);
}

napi_value fastStart(napi_env env, napi_callback_info info) {
  if (CounterSetHandle* h = fastHandle(env, info)) h->startNow();
  return nullptr;
}
napi_value fastStop(napi_env env, napi_callback_info info) {
  if (CounterSetHandle* h = fastHandle(env, info)) h->stopNow();
  return nullptr;
}
napi_value fastRead(napi_env env, napi_callback_info info) {
  if (CounterSetHandle* h = fastHandle(env, info)) h->readNow();
  return nullptr;
}

void exportRaw(Napi::Env env, Napi::Object exports, const char* name, napi_callback cb) {
  napi_value fn = nullptr;
  if (napi_create_function(env, name, NAPI_AUTO_LENGTH, cb, nullptr, &fn) != napi_ok)
    throw Napi::Error::New(env, std::string("cannot create ") + name);
  exports.Set(name, Napi::Value(env, fn));
}

ExportRegistrar registrar([](Napi::Env env, Napi::Object exports) {
  exports.Set("CounterSet", CounterSetHandle::define(env));
  exportRaw(env, exports, "countersFastStart", fastStart);
  exportRaw(env, exports, "countersFastStop", fastStop);
  exportRaw(env, exports, "countersFastRead", fastRead);
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
