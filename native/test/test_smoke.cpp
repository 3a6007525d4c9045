// The C++ test build itself works (compiler, flags, threads).
#include <thread>

#include "test/check.hpp"

int main() {
  int x = 0;
  std::thread t([&] { x = 1; });
  t.join();
  CHECK_EQ(x, 1);
  return 0;
}
