// Machine facts for lib/counters/probe.ts, the TSC rate, and the raw-syscall
// baseline the counters benchmark compares itself to.
//   countersProbe() -> { paranoid, root, capPerfmon, capSysAdmin, exclusion, pmuListed, compiler, events: [...] }
//   countersTscHz() -> TSC ticks per second (calibrated once per process, 20 ms)
//   countersSyscallCosts(names, iterations) -> thread-CPU ns per op of the raw syscalls and of the C++ CounterSet
//   countersThreadCpuNs() -> the calling thread's CPU time (CLOCK_THREAD_CPUTIME_ID), ns
#include <ctime>
#include <mutex>
#include <string>
#include <vector>

#include "addon/errors.hpp"
#include "addon/exports.hpp"
#include "counters/counter_set.hpp"
#include "counters/probe.hpp"
#include "counters/tsc.hpp"
#include "platform/perf_event.hpp"

namespace poolscope::addon {
namespace {

std::string compilerName() {
#if defined(__clang__)
  return std::string("clang ") + __clang_version__;
#elif defined(__GNUC__)
  return "g++ " + std::to_string(__GNUC__) + "." + std::to_string(__GNUC_MINOR__) + "." +
         std::to_string(__GNUC_PATCHLEVEL__);
#else
  return "unknown";
#endif
}

Napi::Value probe(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  counters::ProbeResult p = counters::probeAllEvents();
  Napi::Object o = Napi::Object::New(env);
  o.Set("paranoid", p.privileges.paranoid ? Napi::Number::New(env, *p.privileges.paranoid) : env.Null());
  o.Set("root", Napi::Boolean::New(env, p.privileges.root));
  o.Set("capPerfmon", Napi::Boolean::New(env, p.privileges.capPerfmon));
  o.Set("capSysAdmin", Napi::Boolean::New(env, p.privileges.capSysAdmin));
  o.Set("exclusion", p.set.exclusion().why);
  o.Set("pmuListed", Napi::Boolean::New(env, counters::hardwarePmuListed()));
  o.Set("compiler", compilerName());
  Napi::Array events = Napi::Array::New(env, p.set.size());
  for (std::size_t i = 0; i < p.set.size(); ++i) {
    const counters::EventSlot& s = p.set.event(i);
    const counters::Reading& r = p.readings[i];
    Napi::Object e = Napi::Object::New(env);
    e.Set("name", s.spec.name);
    e.Set("kind", std::string(counters::pmuKindName(s.spec.kind)));
    e.Set("state", std::string(counters::eventStateName(r.state)));
    if (!r.reason.empty()) e.Set("reason", std::string(r.reason));
    if (!s.note.empty()) e.Set("note", s.note);
    e.Set("value", Napi::Number::New(env, static_cast<double>(r.value)));
    e.Set("excludeKernel", Napi::Boolean::New(env, s.excludeKernel));
    events.Set(static_cast<uint32_t>(i), e);
  }
  o.Set("events", events);
  return o;
}

Napi::Value tscHz(const Napi::CallbackInfo& info) {
  static std::once_flag once;  // calibrated once per process, whichever thread asks first
  static double hz = 0;
  std::call_once(once, [] { hz = counters::calibrateTscHz(); });
  return Napi::Number::New(info.Env(), hz);
}

// The calling thread's CPU time: what the syscalls cost this thread, without the time slices other
// processes take on a shared machine (which wall time would add at random).
double threadCpuNs() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e9 + static_cast<double>(ts.tv_nsec);
}

template <typename F>
double nsPerOp(std::size_t iterations, F&& f) {
  const double t0 = threadCpuNs();
  for (std::size_t i = 0; i < iterations; ++i) f();
  return (threadCpuNs() - t0) / static_cast<double>(iterations);
}

Napi::Value threadCpu(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), threadCpuNs()); }

// countersSyscallCosts(names, iterations): opens `names` as a CounterSet and times, on its own groups,
//   ioctlEnableDisableNs: ioctl(ENABLE|GROUP) + ioctl(DISABLE|GROUP) on every group leader
//   readNs: one read(2) of every group, disabled (as stop() reads); readEnabledNs: the same while counting
//   setEnableDisableNs / setReadNs: the same through CounterSet (its overhead over the syscalls)
Napi::Value syscallCosts(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsArray()) throwTypeError(env, "events", "an array of event names", info[0]);
  const auto iterations = integerArg<std::int64_t>(info[1], "iterations", 1, 10'000'000);
  Napi::Array arr = info[0].As<Napi::Array>();
  std::vector<std::string> names;
  for (uint32_t i = 0; i < arr.Length(); ++i) names.push_back(arr.Get(i).ToString().Utf8Value());
  counters::ParseListResult parsed = counters::parseEventList(names);
  if (!parsed.error.empty()) throw Napi::RangeError::New(env, parsed.error);
  counters::CounterSet set = counters::CounterSet::open(std::move(parsed.specs), counters::readPrivileges());
  const auto n = static_cast<std::size_t>(iterations);
  std::vector<int> leaders;
  std::size_t maxGroup = 0;
  for (std::size_t g = 0; g < set.groupCount(); ++g) {
    leaders.push_back(set.groupLeaderFd(g));
    maxGroup = std::max(maxGroup, set.groupSize(g));
  }
  std::vector<std::uint64_t> buf(3 + 2 * maxGroup);
  const double ioctlNs = nsPerOp(n, [&] {
    for (int fd : leaders) platform::perfGroupEnable(fd);
    for (int fd : leaders) platform::perfGroupDisable(fd);
  });
  auto readGroups = [&] {
    for (std::size_t g = 0; g < leaders.size(); ++g)
      if (platform::perfRead(leaders[g], buf.data(), (3 + 2 * set.groupSize(g)) * sizeof(std::uint64_t)) < 0) break;
  };
  const double readNs = nsPerOp(n, readGroups);
  // Reading a counting (enabled) event costs more: the kernel brings its count up to date first.
  for (int fd : leaders) platform::perfGroupEnable(fd);
  const double readEnabledNs = nsPerOp(n, readGroups);
  for (int fd : leaders) platform::perfGroupDisable(fd);
  const double setEnableDisableNs = nsPerOp(n, [&] {
    set.enable();
    set.disable();
  });
  const double setReadNs = nsPerOp(n, [&] { set.read(); });
  Napi::Object o = Napi::Object::New(env);
  o.Set("groups", Napi::Number::New(env, static_cast<double>(set.groupCount())));
  o.Set("ioctlEnableDisableNs", Napi::Number::New(env, ioctlNs));
  o.Set("readNs", Napi::Number::New(env, readNs));
  o.Set("readEnabledNs", Napi::Number::New(env, readEnabledNs));
  o.Set("setEnableDisableNs", Napi::Number::New(env, setEnableDisableNs));
  o.Set("setReadNs", Napi::Number::New(env, setReadNs));
  return o;
}

ExportRegistrar registrar([](Napi::Env env, Napi::Object exports) {
  exports.Set("countersProbe", Napi::Function::New<probe>(env, "countersProbe"));
  exports.Set("countersTscHz", Napi::Function::New<tscHz>(env, "countersTscHz"));
  exports.Set("countersSyscallCosts", Napi::Function::New<syscallCosts>(env, "countersSyscallCosts"));
  exports.Set("countersThreadCpuNs", Napi::Function::New<threadCpu>(env, "countersThreadCpuNs"));
});

}  // namespace
}  // namespace poolscope::addon
