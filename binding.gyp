{
  "variables": {
    # The platform layer (native/platform/select.hpp): "native" is the build OS's own
    # (Linux: perf_event_open, sched_setaffinity); "portable" forces what macOS and
    # Windows compile, on Linux too. `npm run build:addon:portable` builds it into
    # build-portable/ (see docs/platforms.md); `node-gyp rebuild -- -Dpoolscope_platform=portable`
    # builds it in place.
    "poolscope_platform%": "native"
  },
  "targets": [
    {
      "target_name": "poolscope",
      "sources": ["<!@(node scripts/sources.cjs)"],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")", "native"],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS", "NODE_ADDON_API_DISABLE_DEPRECATED"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions", "-std=gnu++17", "-fno-rtti"],
      "cflags_cc": ["-std=c++20", "-fexceptions", "-O2", "-Wall", "-Wextra", "-Werror"],
      "cflags": ["-O2"],
      "conditions": [
        ["poolscope_platform=='portable'", {"defines": ["POOLSCOPE_PLATFORM_PORTABLE=1"]}],
        ["poolscope_platform not in ('native', 'portable')", {
          "defines": ["POOLSCOPE_PLATFORM_INVALID=1"]
        }],
        ["OS=='linux'", {"libraries": ["-ldl", "-lpthread"]}],
        ["OS=='mac'", {
          "xcode_settings": {
            "CLANG_CXX_LANGUAGE_STANDARD": "c++20",
            "GCC_ENABLE_CPP_EXCEPTIONS": "YES",
            "GCC_OPTIMIZATION_LEVEL": "2",
            "OTHER_CPLUSPLUSFLAGS": ["-Wall", "-Wextra"]
          }
        }],
        ["OS=='win'", {
          "msvs_settings": {"VCCLCompilerTool": {"ExceptionHandling": 1, "AdditionalOptions": ["/std:c++20"]}}
        }]
      ]
    }
  ]
}
