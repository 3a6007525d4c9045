#pragma once
// SlabAllocator: a BlockAllocator over one slab of `blocks` fixed-size
// blocks. allocate() hands out a block as a pointer into the slab (the
// block's index is (p - base) / blockSize, see indexOf) and returns nullptr
// once every block is out: a bounded allocator, so a pool built on it reports
// exhaustion instead of growing. deallocate() takes a block back; any thread
// may call either (the free blocks are an IndexStack, lock-free).
//
// The slab's memory is not owned here (SharedSlab owns it and outlives the
// allocator); the allocator owns only the bookkeeping of which blocks are free.
//
// No Node includes here.
#include <cstddef>
#include <cstdint>

#include "core/index_stack.hpp"

namespace poolscope {

class SlabAllocator {
 public:
  SlabAllocator(std::byte* base, std::size_t blockSize, std::uint32_t blocks) noexcept
      : base_(base), blockSize_(blockSize), free_(blocks) {}

  // A free block, or nullptr when all are out. Lock-free.
  void* allocate() noexcept {
    const std::uint32_t i = free_.pop();
    return i == IndexStack::kEmpty ? nullptr : blockAt(i);
  }

  // Gives back a block from allocate(). Lock-free.
  void deallocate(void* p) noexcept { free_.push(indexOf(p)); }

  // The same two by index, for callers that move blocks as numbers.
  std::uint32_t allocateIndex() noexcept { return free_.pop(); }
  void deallocateIndex(std::uint32_t i) noexcept { free_.push(i); }

  std::uint32_t indexOf(const void* p) const noexcept {
    return static_cast<std::uint32_t>((static_cast<const std::byte*>(p) - base_) / blockSize_);
  }
  void* blockAt(std::uint32_t i) const noexcept { return base_ + static_cast<std::size_t>(i) * blockSize_; }
  bool owns(const void* p) const noexcept {
    const auto* b = static_cast<const std::byte*>(p);
    return b >= base_ && b < base_ + blockSize_ * free_.capacity() && (b - base_) % blockSize_ == 0;
  }

  std::size_t objectSize() const noexcept { return blockSize_; }
  std::uint32_t blocks() const noexcept { return free_.capacity(); }
  static constexpr const char* name() { return "slab"; }

 private:
  std::byte* const base_;
  const std::size_t blockSize_;
  IndexStack free_;
};

}  // namespace poolscope
