#pragma once
// Loading a shared library at run time and resolving its symbols: dlopen /
// dlsym on POSIX (Linux, macOS), LoadLibrary / GetProcAddress on Windows.
// Used by the allocator peers (core/peer_allocator.hpp), which open each
// library RTLD_LOCAL so it does not replace the process's malloc.
//
// No Node includes here.
#include <string>

#include "platform/select.hpp"

#if defined(_WIN32)
#include "platform/windows_api.hpp"
#else
#include <dlfcn.h>
#endif

namespace poolscope::platform {

// Opens `path` local to the caller (its symbols do not join the global
// scope), all symbols bound now, never unloaded. Returns nullptr with the
// loader's message in `error` on failure. The messages keep the loader's
// words ("cannot open shared object file", "static TLS") that callers match.
inline void* openLibrary(const std::string& path, std::string& error) {
#if defined(_WIN32)
  HMODULE h = ::LoadLibraryA(path.c_str());
  if (h == nullptr) {
    const DWORD code = ::GetLastError();
    error = code == ERROR_MOD_NOT_FOUND ? path + ": cannot open shared object file: No such file or directory"
                                        : path + ": LoadLibrary failed with error " + std::to_string(code);
  }
  return reinterpret_cast<void*>(h);
#else
  ::dlerror();
  int flags = RTLD_LOCAL | RTLD_NOW;
#if defined(RTLD_NODELETE)
  flags |= RTLD_NODELETE;
#endif
  void* h = ::dlopen(path.c_str(), flags);
  if (h == nullptr) {
    const char* err = ::dlerror();
    error = err != nullptr ? err : "dlopen failed";
  }
  return h;
#endif
}

// The address of `name` in the library `handle`, or nullptr.
inline void* librarySymbol(void* handle, const char* name) noexcept {
#if defined(_WIN32)
  return reinterpret_cast<void*>(::GetProcAddress(static_cast<HMODULE>(handle), name));
#else
  ::dlerror();  // clear any earlier error, so a null symbol is told apart from an error
  return ::dlsym(handle, name);
#endif
}

// Closes a library that was opened but is not going to be used.
inline void closeLibrary(void* handle) noexcept {
#if defined(_WIN32)
  ::FreeLibrary(static_cast<HMODULE>(handle));
#else
  ::dlclose(handle);
#endif
}

}  // namespace poolscope::platform
