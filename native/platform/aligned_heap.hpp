#pragma once
// Aligned blocks from the C heap: C11 aligned_alloc / free, except on
// Windows, whose C runtime has no aligned_alloc (its free cannot release an
// over-aligned block), where _aligned_malloc / _aligned_free do the same job.
//
// No Node includes here.
#include <cstddef>
#include <cstdlib>

#if defined(_WIN32)
#include <malloc.h>
#endif

namespace poolscope::platform {

// `size` must be a multiple of `alignment` (C11's rule); nullptr when out of memory.
inline void* alignedAlloc(std::size_t alignment, std::size_t size) noexcept {
#if defined(_WIN32)
  return ::_aligned_malloc(size, alignment);
#else
  return std::aligned_alloc(alignment, size);
#endif
}

inline void alignedFree(void* p) noexcept {
#if defined(_WIN32)
  ::_aligned_free(p);
#else
  std::free(p);
#endif
}

}  // namespace poolscope::platform
