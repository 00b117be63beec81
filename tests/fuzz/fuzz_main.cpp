// One libFuzzer target; CQ_FUZZ_TARGET names the entry point (entry_points.hpp).
#include <cstddef>
#include <cstdint>

#include "tests/fuzz/entry_points.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    return cq::fuzz::run_target(CQ_FUZZ_TARGET, data, size);
}
