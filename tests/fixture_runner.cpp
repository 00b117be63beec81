// Runs every fixture under tests/fixtures/<lang>/<category>/<rule>.<ext> as one GoogleTest test.
//
// A fixture's first comment line says which rules run and with which options:
//   # cq-test: rules=complexity/cognitive,complexity/nesting options=complexity/cognitive.threshold=3
//   // cq-test: rules=latency/await-in-loop path=src/handler.test.js
// Each line may then carry, in a comment:
//   expect: <rule-id>[ xN][, <rule-id>[ xN]]   N findings of that rule start on this line
//   ok: <why>                                 no finding starts on this line
//   todo: <rule-id> -- <why>                  a known gap: fails once the rule starts to fire
// Every finding must be claimed by an expect: on its line. C and C++ fixtures run twice: through
// the tree-sitter fallback and through libclang (-std=c11 / -std=c++17), with the same
// expectations, because both front ends must agree.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "analyzer/engine/engine.hpp"

namespace fs = std::filesystem;

namespace {

struct Expectation {
    std::map<std::pair<std::uint32_t, std::string>, int> expected;  // (line, rule) -> count
    std::map<std::pair<std::uint32_t, std::string>, bool> todo;
};

struct FixtureHeader {
    std::vector<std::string> rules;
    std::map<std::string, std::map<std::string, std::string>> options;
    std::string path;  // virtual path the file is analyzed as (default: fixture-relative)
    std::vector<std::string> clang_args;
};

std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> out;
    std::string cur;
    std::istringstream in(s);
    while (std::getline(in, cur, sep)) {
        auto b = cur.find_first_not_of(" \t");
        auto e = cur.find_last_not_of(" \t\r");
        if (b != std::string::npos) {
            out.push_back(cur.substr(b, e - b + 1));
        }
    }
    return out;
}

FixtureHeader parse_header(const std::string& source) {
    FixtureHeader h;
    static const std::regex k_header(R"(cq-test:(.*))");
    std::smatch m;
    std::istringstream in(source);
    std::string line;
    while (std::getline(in, line)) {
        if (!std::regex_search(line, m, k_header)) {
            continue;
        }
        for (const std::string& part : split(m[1].str(), ' ')) {
            auto eq = part.find('=');
            if (eq == std::string::npos) {
                continue;
            }
            std::string key = part.substr(0, eq);
            std::string value = part.substr(eq + 1);
            if (key == "rules") {
                h.rules = split(value, ',');
            } else if (key == "options") {
                // rule/id.option=value;rule/id.option2=value
                for (const std::string& opt : split(value, ';')) {
                    auto oeq = opt.find('=');
                    auto dot = opt.rfind('.', oeq);
                    if (oeq == std::string::npos || dot == std::string::npos) {
                        continue;
                    }
                    h.options[opt.substr(0, dot)][opt.substr(dot + 1, oeq - dot - 1)] =
                        opt.substr(oeq + 1);
                }
            } else if (key == "path") {
                h.path = value;
            } else if (key == "clang-args") {
                h.clang_args = split(value, ',');
            }
        }
        break;
    }
    return h;
}

Expectation parse_expectations(const std::string& source) {
    Expectation e;
    static const std::regex k_expect(R"((?:#|//|/\*)\s*expect:\s*([^*]*))");
    static const std::regex k_todo(R"((?:#|//|/\*)\s*todo:\s*([A-Za-z0-9_\-/]+))");
    static const std::regex k_item(R"(^\s*([A-Za-z0-9_\-]+/[A-Za-z0-9_\-]+)(?:\s+x(\d+))?)");
    std::istringstream in(source);
    std::string line;
    std::uint32_t no = 0;
    while (std::getline(in, line)) {
        ++no;
        std::smatch m;
        if (std::regex_search(line, m, k_expect)) {
            for (const std::string& item : split(m[1].str(), ',')) {
                std::smatch im;
                if (std::regex_search(item, im, k_item)) {
                    int count = im[2].matched ? std::stoi(im[2].str()) : 1;
                    e.expected[{no, im[1].str()}] += count;
                }
            }
        }
        if (std::regex_search(line, m, k_todo)) {
            e.todo[{no, m[1].str()}] = true;
        }
    }
    return e;
}

class FixtureTest : public testing::Test {
public:
    FixtureTest(fs::path file, bool use_clang) : m_file(std::move(file)), m_use_clang(use_clang) {}

    void TestBody() override {
        const std::string source = read_file(m_file);
        const FixtureHeader header = parse_header(source);
        ASSERT_FALSE(header.rules.empty())
            << m_file << ": the first comment must be a `cq-test: rules=...` header";
        cq::RuleSelection selection;
        selection.only = header.rules;
        selection.options = header.options;

        const std::string rel =
            header.path.empty() ? fs::relative(m_file, CQ_FIXTURE_DIR).generic_string()
                                : header.path;
        std::vector<std::string> args;
        if (m_use_clang) {
            const std::string ext = m_file.extension().string();
            if (ext == ".c") {
                args = {"-x", "c", "-std=c11"};
            } else {
                args = {"-x", "c++", "-std=c++17"};
            }
            args.insert(args.end(), header.clang_args.begin(), header.clang_args.end());
        }
        cq::SingleFileResult result =
            cq::analyze_source(rel, source, selection, m_use_clang ? &args : nullptr);
        for (const auto& err : result.internal_errors) {
            ADD_FAILURE() << "internal error in " << err.rule << ": " << err.message;
        }

        const Expectation expectation = parse_expectations(source);
        std::map<std::pair<std::uint32_t, std::string>, int> actual;
        std::map<std::pair<std::uint32_t, std::string>, std::string> messages;
        for (const cq::Finding& f : result.findings) {
            actual[{f.range.start_line, f.rule}] += 1;
            messages[{f.range.start_line, f.rule}] = f.message;
        }
        const std::string where = m_file.string() + (m_use_clang ? " (libclang)" : "");
        for (const auto& [key, count] : actual) {
            auto it = expectation.expected.find(key);
            int want = it == expectation.expected.end() ? 0 : it->second;
            if (expectation.todo.count(key) != 0) {
                ADD_FAILURE() << where << ":" << key.first << ": todo " << key.second
                              << " now fires; promote it to expect:";
                continue;
            }
            EXPECT_EQ(count, want) << where << ":" << key.first << ": " << key.second
                                   << (want == 0 ? " finding not claimed by an expect: "
                                                 : " count differs ")
                                   << "(message: " << messages[key] << ")";
        }
        for (const auto& [key, count] : expectation.expected) {
            if (actual.count(key) == 0) {
                ADD_FAILURE() << where << ":" << key.first << ": expected " << count << " x "
                              << key.second << ", got none";
            }
        }
    }

private:
    fs::path m_file;
    bool m_use_clang;
};

std::string test_name(const fs::path& rel) {
    // python/complexity/cognitive.py -> complexity_cognitive
    std::string name;
    auto it = rel.begin();
    ++it;  // skip language
    for (; it != rel.end(); ++it) {
        std::string part = it->stem().string();
        if (!name.empty()) {
            name += "_";
        }
        name += part;
    }
    for (char& c : name) {
        if (c == '-' || c == '.') {
            c = '_';
        }
    }
    return name;
}

void register_fixtures() {
    const fs::path root(CQ_FIXTURE_DIR);
    if (!fs::exists(root)) {
        return;
    }
    std::vector<fs::path> files;
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
        if (entry.is_regular_file() && cq::language_for_path(entry.path().string())) {
            files.push_back(entry.path());
        }
    }
    std::sort(files.begin(), files.end());
    for (const fs::path& file : files) {
        const fs::path rel = fs::relative(file, root);
        const std::string suite = rel.begin()->string();
        const std::string name = test_name(rel);
        const auto lang = cq::language_for_path(file.string());
        testing::RegisterTest(suite.c_str(), name.c_str(), nullptr, nullptr, __FILE__, __LINE__,
                              [file]() -> testing::Test* { return new FixtureTest(file, false); });
        if (lang && cq::is_c_family(*lang)) {
            const std::string clang_name = name + "_libclang";
            testing::RegisterTest(
                suite.c_str(), clang_name.c_str(), nullptr, nullptr, __FILE__, __LINE__,
                [file]() -> testing::Test* { return new FixtureTest(file, true); });
        }
    }
}

}  // namespace

int main(int argc, char** argv) {
    testing::InitGoogleTest(&argc, argv);
    register_fixtures();
    return RUN_ALL_TESTS();
}
