#pragma once
// Keeps the compiler from deleting or merging pool operations in benchmark loops: the pointer must exist
// in a register and memory must be assumed read and written here. Every loop (pools and the bare
// thread-local baselines alike) pays the same, so ratios stay fair.
namespace poolscope {

inline void doNotOptimize(void* p) noexcept { asm volatile("" : : "r"(p) : "memory"); }

}  // namespace poolscope
