#pragma once
// <windows.h> as every Windows piece of the platform layer includes it: lean
// (WIN32_LEAN_AND_MEAN), so no winsock, COM or GDI names reach the core.
// Windows only.
#if !defined(_WIN32)
#error "platform/windows_api.hpp is for Windows builds only"
#endif
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>
