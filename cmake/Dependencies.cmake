# All dependencies come from Debian packages (scripts/setup.sh installs them).
find_package(Threads REQUIRED)
find_package(nlohmann_json 3 REQUIRED CONFIG)
find_package(CLI11 REQUIRED CONFIG)
find_package(SQLite3 REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(TREE_SITTER REQUIRED IMPORTED_TARGET tree-sitter)
# jemalloc for the cq binary (not with the sanitizers, which bring their own allocator).
if(NOT CQ_SANITIZE)
  pkg_check_modules(JEMALLOC REQUIRED IMPORTED_TARGET jemalloc)
endif()
# Configuration (.cq.yaml) and custom rules: yaml-cpp, and RE2 for their regular expressions
# (linear time: no pattern in a rule file can make a scan hang).
find_package(yaml-cpp REQUIRED CONFIG)
pkg_check_modules(RE2 REQUIRED IMPORTED_TARGET re2)

# libclang 16: the newest LLVM that Debian 12 ships.
find_package(Clang 16 REQUIRED CONFIG HINTS /usr/lib/llvm-16/lib/cmake/clang)
if(NOT TARGET libclang)
  message(FATAL_ERROR "libclang target not found: install libclang-16-dev (scripts/setup.sh)")
endif()

# Clang's resource directory holds the builtin headers (stddef.h, stdarg.h, ...); libclang
# needs it to parse real code. Ask clang itself, then fall back to the LLVM layout.
set(CQ_CLANG_RESOURCE_DIR "" CACHE PATH "clang resource directory (builtin headers)")
if(NOT CQ_CLANG_RESOURCE_DIR)
  find_program(CQ_CLANG_EXE NAMES clang-16 PATHS /usr/lib/llvm-16/bin NO_CACHE)
  if(CQ_CLANG_EXE)
    execute_process(COMMAND ${CQ_CLANG_EXE} -print-resource-dir
                    OUTPUT_VARIABLE _cq_res OUTPUT_STRIP_TRAILING_WHITESPACE
                    RESULT_VARIABLE _cq_rc)
    if(_cq_rc EQUAL 0 AND EXISTS "${_cq_res}/include/stddef.h")
      set(CQ_CLANG_RESOURCE_DIR "${_cq_res}" CACHE PATH "" FORCE)
    endif()
  endif()
endif()
if(NOT CQ_CLANG_RESOURCE_DIR)
  file(GLOB _cq_res_dirs /usr/lib/llvm-16/lib/clang/*)
  foreach(_d ${_cq_res_dirs})
    if(EXISTS "${_d}/include/stddef.h")
      set(CQ_CLANG_RESOURCE_DIR "${_d}" CACHE PATH "" FORCE)
    endif()
  endforeach()
endif()
if(NOT CQ_CLANG_RESOURCE_DIR)
  message(FATAL_ERROR "clang resource directory not found (no stddef.h): install clang-16")
endif()
message(STATUS "clang resource directory: ${CQ_CLANG_RESOURCE_DIR}")

if(CQ_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
