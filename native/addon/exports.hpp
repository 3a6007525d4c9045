#pragma once
// Each addon source file adds its functions to the module's exports by
// defining one static ExportRegistrar; module.cpp runs them all at load time.
// This keeps module.cpp free of a list that every new file would have to edit.
#include <napi.h>

#include <vector>

namespace poolscope::addon {

using ExportFn = void (*)(Napi::Env env, Napi::Object exports);

inline std::vector<ExportFn>& exportFunctions() {
  static std::vector<ExportFn> fns;  // filled during static initialisation, read-only after
  return fns;
}

struct ExportRegistrar {
  explicit ExportRegistrar(ExportFn fn) { exportFunctions().push_back(fn); }
};

}  // namespace poolscope::addon
