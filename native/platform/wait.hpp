#pragma once
// Waiting: a CPU hint for spin loops, and blocking until an atomic word
// changes. The blocking wait is std::atomic::wait on every platform (a futex
// on Linux through libstdc++, __ulock_wait on macOS, WaitOnAddress on
// Windows), so poolscope makes no futex call of its own.
//
// No Node includes here.
#include <atomic>

#include "platform/select.hpp"

#if defined(__x86_64__) || defined(__i386__) || defined(_M_X64) || defined(_M_IX86)
#include <immintrin.h>
#define POOLSCOPE_SPIN_PAUSE() _mm_pause()
#elif defined(__aarch64__) || defined(__arm__)
#define POOLSCOPE_SPIN_PAUSE() __asm__ __volatile__("yield" ::: "memory")
#else
#define POOLSCOPE_SPIN_PAUSE() ((void)0)
#endif

namespace poolscope::platform {

// One spin-loop iteration's hint to the CPU (x86 pause, Arm yield): lets the
// sibling hyperthread run and saves power; a no-op elsewhere.
inline void spinPause() noexcept { POOLSCOPE_SPIN_PAUSE(); }

// Blocks while `word` holds `old`; returns once another thread stored a
// different value and called notify_one/notify_all. May return spuriously
// only with the value changed (std::atomic::wait re-checks). `order` is the
// load order of that re-check: callers pass acquire to pair with the
// storer's release.
template <class T>
inline void waitWhileEqual(const std::atomic<T>& word, T old, std::memory_order order) noexcept {
  word.wait(old, order);
}

}  // namespace poolscope::platform
