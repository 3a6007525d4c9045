#pragma once
// The default block allocator policy: fixed-size, aligned blocks from the C heap. It is the pool's New.
// Interface every allocator policy keeps (SyncPool and the baselines take it as their last template
// parameter): constructible from (objectSize, alignment); allocate() returns a block or nullptr when a
// bounded allocator is exhausted; deallocate(p) noexcept; objectSize().
#include <cstddef>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "platform/aligned_heap.hpp"

namespace poolscope {

inline void validateBlockShape(std::size_t objectSize, std::size_t alignment) {
  if (objectSize == 0 || objectSize > (std::size_t{1} << 30)) {
    throw std::invalid_argument("objectSize must be an integer from 1 to 1073741824 (received " +
                                std::to_string(objectSize) + ")");
  }
  if (alignment < 16 || alignment > 4096 || (alignment & (alignment - 1)) != 0) {
    throw std::invalid_argument("alignment must be a power of two from 16 to 4096 (received " +
                                std::to_string(alignment) + ")");
  }
}

class BlockAllocator {
 public:
  BlockAllocator(std::size_t objectSize, std::size_t alignment)
      : objectSize_(objectSize), alignment_(alignment) {
    validateBlockShape(objectSize, alignment);
    // aligned_alloc wants a size that is a multiple of the alignment.
    allocSize_ = (objectSize + alignment - 1) / alignment * alignment;
  }

  void* allocate() noexcept { return platform::alignedAlloc(alignment_, allocSize_); }
  void deallocate(void* p) noexcept { platform::alignedFree(p); }
  std::size_t objectSize() const noexcept { return objectSize_; }
  std::size_t alignment() const noexcept { return alignment_; }

 private:
  std::size_t objectSize_;
  std::size_t alignment_;
  std::size_t allocSize_;
};

}  // namespace poolscope
