// Replays tests/fuzz/regressions/<target>/* through the fuzz targets' entry points: every input
// that once crashed a target (or that we made to be nasty) stays fixed, without libFuzzer. Under
// the asan preset (scripts/test-asan.sh) a leak or UB in any of them fails the run as well.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/fuzz/entry_points.hpp"

namespace fs = std::filesystem;

// A directory whose name is not a target would be skipped silently, and its inputs never replayed.
TEST(FuzzRegressions, EveryDirectoryIsATarget) {
    const auto& names = cq::fuzz::target_names();
    for (const auto& e : fs::directory_iterator(CQ_FUZZ_REGRESSIONS)) {
        if (e.is_directory()) {
            const std::string name = e.path().filename().string();
            EXPECT_NE(std::find(names.begin(), names.end(), name), names.end())
                << e.path() << " is not a fuzz target (tests/fuzz/entry_points.hpp)";
        }
    }
}

TEST(FuzzRegressions, EveryKeptInputRunsClean) {
    std::size_t replayed = 0;
    for (const std::string& target : cq::fuzz::target_names()) {
        const fs::path dir = fs::path(CQ_FUZZ_REGRESSIONS) / target;
        std::error_code ec;
        if (!fs::is_directory(dir, ec)) {
            continue;
        }
        std::vector<fs::path> inputs;
        for (const auto& e : fs::directory_iterator(dir)) {
            if (e.is_regular_file() && e.path().filename().string()[0] != '.') {
                inputs.push_back(e.path());
            }
        }
        std::sort(inputs.begin(), inputs.end());
        for (const fs::path& p : inputs) {
            std::ifstream in(p, std::ios::binary);
            std::ostringstream ss;
            ss << in.rdbuf();
            const std::string data = ss.str();
            SCOPED_TRACE(p.string());
            EXPECT_NO_THROW(cq::fuzz::run_target(target, reinterpret_cast<const std::uint8_t*>(data.data()), data.size()));
            ++replayed;
        }
    }
    EXPECT_GT(replayed, 0u) << "no regression inputs under " << CQ_FUZZ_REGRESSIONS;
}
