#pragma once
// SlabMemory: one anonymous, zero-filled, page-aligned mapping, unmapped by
// the destructor (move-only RAII, with a valid empty state). Anonymous mmap
// rather than malloc so that a freed slab goes back to the kernel at once
// (tests can see it leave /proc/self/maps) and so that blocks never share a
// page with unrelated heap data.
//
// No Node includes here.
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <system_error>
#include <utility>

namespace poolscope {

class SlabMemory {
 public:
  SlabMemory() = default;

  // Maps `bytes` (rounded up to whole pages); throws std::system_error with the errno on failure.
  explicit SlabMemory(std::size_t bytes) {
    const std::size_t page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    size_ = (bytes + page - 1) / page * page;
    void* p = ::mmap(nullptr, size_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) {
      size_ = 0;
      throw std::system_error(errno, std::generic_category(), "mmap");
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
    if (base_ != nullptr) ::munmap(base_, size_);
    base_ = nullptr;
    size_ = 0;
  }

  std::byte* base_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace poolscope
