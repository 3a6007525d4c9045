#pragma once
// The addon's one way to report bad input and native failures to JS.
// Messages name the field, the value received and what is accepted, so the
// TypeScript layer can pass them through unchanged.
#include <napi.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <string>

namespace poolscope::addon {

// A JS-side description of a value, for "received ..." in messages.
inline std::string describe(const Napi::Value& v) {
  if (v.IsUndefined()) return "undefined";
  if (v.IsNull()) return "null";
  if (v.IsNumber() || v.IsBoolean()) return v.ToString().Utf8Value();
  if (v.IsString()) return "'" + v.As<Napi::String>().Utf8Value() + "'";
  if (v.IsArray()) return "an array";
  if (v.IsFunction()) return "a function";
  return "an object";
}

[[noreturn]] inline void throwTypeError(Napi::Env env, const std::string& field, const std::string& accepted,
                                        const Napi::Value& received) {
  throw Napi::TypeError::New(env, field + " must be " + accepted + " (received " + describe(received) + ")");
}

[[noreturn]] inline void throwRangeError(Napi::Env env, const std::string& field, const std::string& accepted,
                                         const Napi::Value& received) {
  throw Napi::RangeError::New(env, field + " must be " + accepted + " (received " + describe(received) + ")");
}

// An Error whose .code is a poolscope code (ERR_POOL_DESTROYED, ERR_PEER_UNAVAILABLE, ...): the one
// way the addon throws a coded error. lib/ maps each code to its PoolscopeError subclass
// (lib/errors.ts) where it calls the addon.
[[noreturn]] inline void throwWithCode(Napi::Env env, const char* code, const std::string& message) {
  Napi::Error e = Napi::Error::New(env, message);
  e.Set("code", Napi::String::New(env, code));
  throw e;
}

// Reads `v` as an integer from min to max (both within 2^53, where a double is exact): TypeError for a
// non-number, RangeError for a fraction, NaN, an infinity or a value out of range; the message names
// `field`. The one integer validator of the addon: every integer argument passes through it.
template <typename T = double>
T integerArg(const Napi::Value& v, const std::string& field, double min, double max) {
  const std::string accepted = "an integer from " + std::to_string(static_cast<long long>(min)) + " to " +
                               std::to_string(static_cast<long long>(max));
  if (!v.IsNumber()) throwTypeError(v.Env(), field, accepted, v);
  const double d = v.As<Napi::Number>().DoubleValue();
  if (!std::isfinite(d) || d != std::floor(d) || d < min || d > max) throwRangeError(v.Env(), field, accepted, v);
  return static_cast<T>(d);
}

// errno name (ENOENT, EACCES, ...) for the codes the project meets; "E<number>" otherwise.
inline std::string errnoName(int err) {
  switch (err) {
#define POOLSCOPE_ERRNO(name) \
  case name:                  \
    return #name;
    POOLSCOPE_ERRNO(EPERM) POOLSCOPE_ERRNO(ENOENT) POOLSCOPE_ERRNO(ESRCH) POOLSCOPE_ERRNO(EINTR)
    POOLSCOPE_ERRNO(EIO) POOLSCOPE_ERRNO(E2BIG) POOLSCOPE_ERRNO(EBADF) POOLSCOPE_ERRNO(EAGAIN)
    POOLSCOPE_ERRNO(ENOMEM) POOLSCOPE_ERRNO(EACCES) POOLSCOPE_ERRNO(EFAULT) POOLSCOPE_ERRNO(EBUSY)
    POOLSCOPE_ERRNO(EEXIST) POOLSCOPE_ERRNO(ENODEV) POOLSCOPE_ERRNO(EINVAL) POOLSCOPE_ERRNO(EMFILE)
    POOLSCOPE_ERRNO(ENFILE) POOLSCOPE_ERRNO(ENOSPC) POOLSCOPE_ERRNO(ENOSYS) POOLSCOPE_ERRNO(EOPNOTSUPP)
    POOLSCOPE_ERRNO(EOVERFLOW)
#undef POOLSCOPE_ERRNO
    default:
      return "E" + std::to_string(err);
  }
}

// An Error with .code = errno name and .errno = number, like Node's own system errors.
[[noreturn]] inline void throwErrno(Napi::Env env, const std::string& what, int err) {
  Napi::Error e = Napi::Error::New(env, what + ": " + errnoName(err) + " (" + std::strerror(err) + ")");
  e.Set("code", Napi::String::New(env, errnoName(err)));
  e.Set("errno", Napi::Number::New(env, err));
  throw e;
}

}  // namespace poolscope::addon
