# CMake toolchain for linux-arm64 with Debian's cross compiler
# (apt-get install g++-aarch64-linux-gnu): `npm run cross-build -- linux-arm64 --test`
# builds native/test with it and runs the tests under qemu-user
# (CMAKE_CROSSCOMPILING_EMULATOR, set by scripts/cross-build.sh).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)
# the target's headers and libraries only; programs (cmake's own tools) from the host
set(CMAKE_FIND_ROOT_PATH /usr/aarch64-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
