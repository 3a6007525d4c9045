#pragma once
// SlabMemory: one anonymous, zero-filled, page-aligned mapping, unmapped by
// the destructor (move-only RAII, with a valid empty state). Anonymous mmap
// rather than malloc so that a freed slab goes back to the kernel at once
// (tests can see it leave /proc/self/maps) and so that blocks never share a
// page with unrelated heap data. The mapping itself is the platform layer's
// (mmap, or VirtualAlloc on Windows).
//
// No Node includes here.
#include <cerrno>
#include <cstddef>
#include <system_error>
#include <utility>

#include "platform/anonymous_memory.hpp"

namespace poolscope {

class SlabMemory {
 public:
  SlabMemory() = default;

  // Maps `bytes` (rounded up to whole pages); throws std::system_error with the errno on failure.
  explicit SlabMemory(std::size_t bytes) {
    const std::size_t page = platform::pageSize();
    size_ = (bytes + page - 1) / page * page;
    int err = 0;
    void* p = platform::mapAnonymous(size_, err);
    if (p == nullptr) {
      size_ = 0;
      throw std::system_error(err, std::generic_category(), "mmap");
    }
    base_ = static_cast<std::byte*>(p);
  }

  SlabMemory(SlabMemory&& o) noexcept : base_(std::exchange(o.base_, nullptr)), size_(std::exchange(o.size_, 0)) {}
  SlabMemory& operator=(SlabMemory&& o) noexcept {
    if (this != &o) {
      reset();
      base_ = std::exchange(o.base_, nullptr);
      size_ = std::exchange(o.size_, 0);
    }
    return *this;
  }
  SlabMemory(const SlabMemory&) = delete;
  SlabMemory& operator=(const SlabMemory&) = delete;
  ~SlabMemory() { reset(); }

  std::byte* data() const noexcept { return base_; }
  std::size_t size() const noexcept { return size_; }

 private:
  void reset() noexcept {
    if (base_ != nullptr) platform::unmapAnonymous(base_, size_);
    base_ = nullptr;
    size_ = 0;
  }

  std::byte* base_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace poolscope
