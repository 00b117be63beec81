// Helpers for the history unit tests: temporary directories and hand-made scan results.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "analyzer/engine/engine.hpp"

namespace cq::test {

class TempDir {
public:
    TempDir() {
        std::string pattern = (std::filesystem::temp_directory_path() / "cq-hist-XXXXXX").string();
        if (mkdtemp(pattern.data()) != nullptr) {
            m_path = pattern;
        }
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(m_path, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::string& path() const { return m_path; }
    std::string operator/(const std::string& rel) const { return m_path + "/" + rel; }

private:
    std::string m_path;
};

inline std::string read_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

inline void write_bytes(const std::string& path, const std::string& bytes) {
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << bytes;
}

// A scan of one file with one function and the given findings.
inline ScanResult fake_scan(const std::string& path, std::uint32_t cyclomatic, std::vector<Finding> findings) {
    ScanResult r;
    r.root = "/nowhere";
    auto m = std::make_unique<FileModel>();
    m->path = path;
    m->language = Language::python;
    m->lines = 10;
    m->ncloc = 8;
    Function f;
    f.name = "handle";
    f.qualified_name = "handle";
    f.range = Range{1, 1, 9, 1, 0, 90};
    f.cyclomatic = cyclomatic;
    f.cognitive = cyclomatic * 2;
    f.nloc = 8;
    m->functions.push_back(f);
    r.content_hashes[path] = "hash-" + std::to_string(cyclomatic);
    r.files.push_back(std::move(m));
    r.findings = std::move(findings);
    r.duration_ms = 12;
    return r;
}

inline Finding fake_finding(const std::string& rule, Severity sev, const std::string& path, std::uint32_t line,
                            const std::string& fingerprint) {
    Finding f;
    f.rule = rule;
    f.severity = sev;
    f.path = path;
    f.range = Range{line, 1, line, 5, 0, 4};
    f.message = rule + " at " + std::to_string(line);
    f.function = "handle";
    f.fingerprint = fingerprint;
    return f;
}

}  // namespace cq::test
