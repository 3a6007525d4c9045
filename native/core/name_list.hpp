#pragma once
// Lists of names as the core's messages spell the accepted values: "'a', 'b', 'c'".
#include <cstddef>
#include <string>
#include <string_view>

namespace poolscope {

template <std::size_t N>
std::string quotedList(const std::string_view (&names)[N]) {
  std::string out;
  for (std::size_t i = 0; i < N; ++i) out += (i == 0 ? "'" : ", '") + std::string(names[i]) + "'";
  return out;
}

}  // namespace poolscope
