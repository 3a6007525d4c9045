#pragma once
// ThreadSlots: hands each thread that uses a pool one of maxThreads slot numbers, on first use, and takes
// it back when the thread exits. Pools index their per-thread records and statistics lines by it.
//
// Lifetime: a pool's state derives from ThreadSlots and is owned by std::shared_ptr. Each thread keeps, in
// a thread_local list, a weak_ptr to every pool it took a slot in; at thread exit it locks each one and,
// if that pool still exists, calls threadExited(slot). A pool destroyed first is simply skipped (the weak
// reference has expired), and a pool whose last reference is dropped by that lock is destroyed on the
// exiting thread, after the slot is returned. So the exit hook never touches freed memory.
//
// Lookup cost: a one-entry thread_local cache {pool serial, slot} with the initial-exec TLS model (no
// __tls_get_addr call even inside a dlopen'ed addon). Serials are never reused, so an entry left by a
// destroyed pool never matches a new one. Hot loops should not look up at all: pools hand out a pinned
// handle (pin()) that holds the slot.
//
// UBSan: GCC 12 with -fsanitize=undefined reported the cache, when it was a thread_local struct
// {serial, slot}, as a null pointer ("member access within null pointer of type 'const struct FastSlot'")
// at -O2 once the lookup is inlined into a pool's get/put: a false positive (an initial-exec TLS address is
// %fs-relative, never null). The cache is therefore two scalar thread_locals: reading a variable is neither
// a member access nor a reference binding, so there is nothing for UBSan to check, and no check is
// suppressed. Same instructions on the fast path but one: the second TLS offset is its own GOT load.
#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

namespace poolscope {

class ThreadSlots;

namespace detail {

struct SlotBinding {
  std::uint64_t serial;
  std::weak_ptr<ThreadSlots> owner;
  std::uint32_t slot;
};

void releaseBindings(std::vector<SlotBinding>& list) noexcept;

struct ThreadBindings {
  std::vector<SlotBinding> list;  // this thread only
  ~ThreadBindings() { releaseBindings(list); }
};

inline ThreadBindings& threadBindings() {
  thread_local ThreadBindings bindings;
  return bindings;
}

// The one-entry cache: the serial of the pool this thread looked up last, and its slot there. Trivially
// destructible, so no TLS guard or exit registration; initial-exec and why two scalars: see above. This
// thread only.
[[gnu::tls_model("initial-exec")]] inline thread_local std::uint64_t fastSerial = 0;
[[gnu::tls_model("initial-exec")]] inline thread_local std::uint32_t fastSlotIndex = 0;

inline std::uint64_t nextSerial() noexcept {
  static std::atomic<std::uint64_t> serial{0};
  return serial.fetch_add(1, std::memory_order_relaxed) + 1;  // unique is all that matters: relaxed
}

}  // namespace detail

class ThreadSlots : public std::enable_shared_from_this<ThreadSlots> {
 public:
  static constexpr std::uint32_t kNone = UINT32_MAX;  // the thread found every slot taken

  explicit ThreadSlots(std::uint32_t maxThreads)
      : serial_(detail::nextSerial()), maxThreads_(maxThreads), owned_(new std::atomic<std::uint32_t>[maxThreads]) {
    for (std::uint32_t i = 0; i < maxThreads; ++i) owned_[i].store(0, std::memory_order_relaxed);
  }
  virtual ~ThreadSlots() = default;
  ThreadSlots(const ThreadSlots&) = delete;
  ThreadSlots& operator=(const ThreadSlots&) = delete;

  // The calling thread's slot, taken on first call; kNone if all maxThreads are in use (the thread stays
  // unslotted for this pool: it is not retried, so the cost stays one lookup).
  std::uint32_t slotOfThisThread() {
    if (detail::fastSerial == serial_) return detail::fastSlotIndex;
    return slowSlot();
  }

  // Slots [0, highWater()) have ever been taken: the range other threads scan to steal.
  // Acquire: pairs with the release in claim(), so a scanner sees that slot's record initialised.
  std::uint32_t highWater() const noexcept { return highWater_.load(std::memory_order_acquire); }
  std::uint32_t maxThreads() const noexcept { return maxThreads_; }

  // Called on the exiting thread that held `slot`.
  void threadExited(std::uint32_t slot) noexcept {
    if (slot == kNone) return;
    beforeRelease(slot);
    // Release: pairs with the acquire of the next claim, which thus sees everything this thread left in
    // the slot's record.
    owned_[slot].store(0, std::memory_order_release);
  }

 protected:
  // Runs on the exiting owner before its slot is freed (e.g. to move a private object where others can
  // steal it). The slot's record is still owned by the caller.
  virtual void beforeRelease(std::uint32_t) noexcept {}

 private:
  std::uint32_t slowSlot() {
    auto& list = detail::threadBindings().list;
    for (const auto& b : list) {
      if (b.serial == serial_) {
        detail::fastSerial = serial_;
        detail::fastSlotIndex = b.slot;
        return b.slot;
      }
    }
    std::erase_if(list, [](const detail::SlotBinding& b) { return b.owner.expired(); });
    const std::uint32_t slot = claim();
    list.push_back({serial_, weak_from_this(), slot});
    detail::fastSerial = serial_;
    detail::fastSlotIndex = slot;
    return slot;
  }

  std::uint32_t claim() noexcept {
    for (std::uint32_t i = 0; i < maxThreads_; ++i) {
      std::uint32_t expected = 0;
      // Acquire: pairs with threadExited's release (inherit the previous owner's record contents).
      if (owned_[i].load(std::memory_order_relaxed) == 0 &&
          owned_[i].compare_exchange_strong(expected, 1, std::memory_order_acquire, std::memory_order_relaxed)) {
        std::uint32_t hw = highWater_.load(std::memory_order_relaxed);
        // Release: pairs with highWater()'s acquire.
        while (hw < i + 1 && !highWater_.compare_exchange_weak(hw, i + 1, std::memory_order_release,
                                                               std::memory_order_relaxed)) {
        }
        return i;
      }
    }
    return kNone;
  }

  const std::uint64_t serial_;  // immutable, unique per pool in the process
  const std::uint32_t maxThreads_;
  std::unique_ptr<std::atomic<std::uint32_t>[]> owned_;  // 1 while a thread holds the slot
  std::atomic<std::uint32_t> highWater_{0};             // only grows
};

namespace detail {
inline void releaseBindings(std::vector<SlotBinding>& list) noexcept {
  for (auto& b : list) {
    if (auto owner = b.owner.lock()) owner->threadExited(b.slot);
  }
  list.clear();
}
}  // namespace detail

}  // namespace poolscope
