// A file that vanishes between discovery and reading, made deterministic with one worker and
// the progress hook (called after each file, in path order): the scan goes on and says so.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "analyzer/engine/engine.hpp"

namespace fs = std::filesystem;

TEST(ScanRace, FileVanishesDuringTheScan) {
    const fs::path d = fs::temp_directory_path() / ("cq_race_" + std::to_string(::getpid()));
    fs::remove_all(d);
    fs::create_directories(d);
    std::ofstream(d / "a.py") << "def a():\n    return 1\n";
    std::ofstream(d / "b.py") << "def b():\n    return 2\n";
    std::ofstream(d / "c.py") << "def c():\n    return 3\n";
    cq::ScanOptions o;
    o.root = d.string();
    o.jobs = 1;
    o.progress = [&](std::size_t done, std::size_t) {
        if (done == 1) {
            fs::remove(d / "b.py");  // discovered, not read yet
        }
    };
    const cq::ScanResult r = cq::run_scan(o);
    std::vector<std::string> analyzed;
    for (const auto& f : r.files) {
        analyzed.push_back(f->path);
    }
    EXPECT_EQ(analyzed, (std::vector<std::string>{"a.py", "c.py"}));
    ASSERT_EQ(r.skipped.size(), 1u);
    EXPECT_EQ(r.skipped[0].path, "b.py");
    EXPECT_EQ(r.skipped[0].reason, "unreadable");
    EXPECT_TRUE(r.internal_errors.empty());
    fs::remove_all(d);
}

TEST(ScanRace, FileReplacedByADirectoryDuringTheScan) {
    const fs::path d = fs::temp_directory_path() / ("cq_race_dir_" + std::to_string(::getpid()));
    fs::remove_all(d);
    fs::create_directories(d);
    std::ofstream(d / "a.py") << "x = 1\n";
    std::ofstream(d / "b.py") << "y = 2\n";
    cq::ScanOptions o;
    o.root = d.string();
    o.jobs = 1;
    o.progress = [&](std::size_t done, std::size_t) {
        if (done == 1) {
            fs::remove(d / "b.py");
            fs::create_directory(d / "b.py");
        }
    };
    const cq::ScanResult r = cq::run_scan(o);
    EXPECT_EQ(r.files.size(), 1u);
    ASSERT_EQ(r.skipped.size(), 1u);
    EXPECT_EQ(r.skipped[0].path, "b.py");
    EXPECT_TRUE(r.internal_errors.empty());
    fs::remove_all(d);
}
