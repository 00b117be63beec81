// The fuzzed entry points, shared by the libFuzzer targets (tests/fuzz/fuzz_*.cpp, -DCQ_FUZZ=ON)
// and by the regression replay that every ctest run does (tests/unit/robustness/): an input
// that once crashed a target is kept under tests/fuzz/regressions/<target>/ and replayed here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace cq::fuzz {

// Target names: treesitter-python, treesitter-javascript, treesitter-typescript,
// treesitter-tsx, treesitter-c, treesitter-cpp, clang-c, clang-cpp, config, custom-rule,
// lexer-python, lexer-javascript, lexer-typescript, lexer-c, lexer-cpp.
const std::vector<std::string>& target_names();

// Runs one input through a target. Expected failures (syntax errors, ConfigError) are fine;
// a crash, a sanitizer report or an unexpected exception type is a bug. Returns 0.
int run_target(const std::string& target, const std::uint8_t* data, std::size_t size);

}  // namespace cq::fuzz
