// The addon's entry point: runs every file's ExportRegistrar (exports.hpp).
#include "addon/exports.hpp"

namespace {

Napi::Object init(Napi::Env env, Napi::Object exports) {
  for (auto fn : poolscope::addon::exportFunctions()) fn(env, exports);
  exports.Set("napiVersion", Napi::Number::New(env, NAPI_VERSION));
  return exports;
}

}  // namespace

NODE_API_MODULE(poolscope, init)
