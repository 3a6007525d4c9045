// The addon's entry point: runs every file's ExportRegistrar (exports.hpp).
#include "addon/exports.hpp"
#include "platform/select.hpp"

namespace {

Napi::Object init(Napi::Env env, Napi::Object exports) {
  for (auto fn : poolscope::addon::exportFunctions()) fn(env, exports);
  exports.Set("napiVersion", Napi::Number::New(env, NAPI_VERSION));
  // "linux" or "portable" (platform/select.hpp): which platform layer this build
  // calls, so callers and tests can tell a portable build on Linux from the real one.
  exports.Set("platformLayer", Napi::String::New(env, poolscope::platform::kPlatformLayer));
  return exports;
}

}  // namespace

NODE_API_MODULE(poolscope, init)
