#pragma once
// The C++ tests' one assertion helper: CHECK(cond) prints the file, line and
// expression and exits non-zero on failure; tests are plain main() programs.
#include <cstdio>
#include <cstdlib>

#define CHECK(cond)                                                              \
  do {                                                                           \
    if (!(cond)) {                                                               \
      std::fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
      std::exit(1);                                                              \
    }                                                                            \
  } while (0)

#define CHECK_EQ(a, b)                                                                              \
  do {                                                                                              \
    auto check_a_ = (a);                                                                            \
    auto check_b_ = (b);                                                                            \
    if (!(check_a_ == check_b_)) {                                                                  \
      std::fprintf(stderr, "%s:%d: CHECK_EQ failed: %s == %s (%lld vs %lld)\n", __FILE__, __LINE__, #a, \
                   #b, static_cast<long long>(check_a_), static_cast<long long>(check_b_));         \
      std::exit(1);                                                                                 \
    }                                                                                               \
  } while (0)
