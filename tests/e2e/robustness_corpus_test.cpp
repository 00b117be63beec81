// The torture corpus, made here: binary files, invalid UTF-8, a 10 MB minified JavaScript file,
// a 1 MB single line, nesting 5,000 deep in every language, empty files, CRLF and lone-CR line
// endings, a BOM, NUL bytes, an unreadable file, a FIFO named like a source file, a broken
// symlink and a symlink loop. The scan must finish with the documented exit code (0: no
// --fail-on), nothing may crash, and every file must be analyzed or reported as skipped.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <set>

#include <nlohmann/json.hpp>

#include "tests/e2e/run_cq.hpp"

namespace fs = std::filesystem;

namespace {

std::string rep(const std::string& s, std::size_t n) {
    std::string out;
    out.reserve(s.size() * n);
    for (std::size_t i = 0; i < n; ++i) {
        out += s;
    }
    return out;
}

class Corpus : public testing::Test {
protected:
    static void SetUpTestSuite() {
        s_dir = fs::temp_directory_path() / ("cq_torture_" + std::to_string(::getpid()));
        fs::remove_all(s_dir);
        fs::create_directories(s_dir);
        fs::permissions(s_dir, fs::perms::all);  // the unprivileged run below must enter it
        auto put = [](const std::string& rel, const std::string& bytes) {
            fs::create_directories((s_dir / rel).parent_path());
            std::ofstream(s_dir / rel, std::ios::binary) << bytes;
            s_files.insert(rel);
        };
        std::mt19937 rng(7);
        std::string random;
        for (int i = 0; i < 200000; ++i) {
            random += static_cast<char>(rng() & 0xff);
        }
        put("binary.py", random);
        std::string noisy;  // random bytes without NUL: looks like text, is not code
        for (char c : random.substr(0, 100000)) {
            noisy += c == '\0' ? 'x' : c;
        }
        put("noise.c", noisy);
        put("noise.ts", noisy);
        put("invalid_utf8.py", "def f(\xff\xfe):\n    return '\xc3\x28 \xa0\xa1 \xf0\x28\x8c\x28'\n# \xed\xa0\x80\n");
        put("invalid_utf8.js", "const s = \"\xff\xfe\xfd\";\nfunction \xc3\x28() { return 1; }\n");
        put("bom.py", "\xef\xbb\xbf" "def f():\n    return 1\n");
        put("bom.ts", "\xef\xbb\xbf" "export function f(): number { return 1; }\n");
        put("crlf.py", "def f(a):\r\n    if a:\r\n        return 1\r\n    return 2\r\n");
        put("crlf.c", "int f(int a) {\r\n  if (a) {\r\n    return 1;\r\n  }\r\n  return 0;\r\n}\r\n");
        put("lone_cr.js", "function f(a) {\r  if (a) {\r    return 1;\r  }\r  return 2;\r}\r");
        put("lone_cr.py", "def f(a):\r    return a\r");
        put("nul.js", std::string("function f() {\0 return 1; }\n", 28));
        put("nul.h", std::string("int f(void);\0\0\0\n", 16));
        for (const char* e : {"empty.py", "empty.js", "empty.ts", "empty.tsx", "empty.c", "empty.cpp", "empty.h"}) {
            put(e, "");
        }
        put("only_newlines.py", rep("\n", 1000));
        put("min/big.min.js", rep("var a=function(b){return b&&b.c?b.c(1):[1,2,3].map(function(x){return x*2})};", 130000));
        put("min/single_line.js", "var x = [" + rep("1,", 500000) + "1];");
        put("big/large.js", rep("function f(a) { return a + 1; }\n", 330000));  // 10 MB of real code
        put("single_line.py", "X = '" + rep("a", 1000000) + "'\n");
        const std::size_t n = 5000;
        put("deep/deep.py", "x = " + rep("[\n", n) + rep("]", n) + "\n");
        put("deep/deep_calls.py", "def f(a):\n    return " + rep("f(\n", n) + "1" + rep(")", n) + "\n");
        put("deep/deep.js", "function f(a) {" + rep("if (a) {\n", n) + rep("}", n) + "}\n");
        put("deep/arrows.js", "const g = " + rep("() =>\n", n) + "0;\n");
        put("deep/deep.ts", "function f(a: number): void {" + rep("if (a) {\n", n) + rep("}", n) + "}\n");
        put("deep/deep.tsx", "const e = " + rep("<div>\n", n) + rep("</div>", n) + ";\n");
        put("deep/deep.c", "int f(int a) {" + rep("if (a) {\n", n) + rep("}", n) + "return 0; }\n");
        put("deep/parens.c", "int x = " + rep("(", n) + "1" + rep(")", n) + ";\n");
        put("deep/deep.cpp", "auto f = " + rep("[]() { return\n", n) + "0" + rep("; }", n) + ";\n");
        put("deep/ns.hpp", rep("namespace a {", n) + rep("}", n) + "\n");
        put("deep/unclosed.js", "function f() {" + rep("(\n", n) + "\n");
        put("ok.py", "def fine(a):\n    return a\n");
        put("locked.py", "def locked():\n    return 1\n");
        fs::permissions(s_dir / "locked.py", fs::perms::none);
        fs::create_symlink("does_not_exist.py", s_dir / "broken.py");
        s_files.insert("broken.py");
        // A self-referencing symlink: the directory walk drops it without a note today (its
        // stat fails with ELOOP inside the iterator); it must at least never be read or hang.
        fs::create_symlink("loop.py", s_dir / "loop.py");
        fs::create_directories(s_dir / "cycle");
        fs::create_directory_symlink("..", s_dir / "cycle" / "up");
        if (mkfifo((s_dir / "fifo.py").c_str(), 0644) == 0) {
            s_files.insert("fifo.py");
        }
        fs::create_directories(s_dir / "dir.py");  // a directory named like a source file
        std::ofstream(s_dir / "dir.py" / "inside.py") << "y = 2\n";
        s_files.insert("dir.py/inside.py");
    }
    static void TearDownTestSuite() { fs::remove_all(s_dir); }

    // Runs cq on the corpus; as an unprivileged user when we are root, so that the file with
    // mode 000 really cannot be read.
    static cq::test::RunResult scan(const std::string& extra) {
        const std::string args = "scan . --no-history --format json -q --jobs 2 " + extra + " 2>" +
                                 (s_dir / "stderr.txt").string();
        if (geteuid() == 0 && std::system("command -v setpriv >/dev/null 2>&1") == 0) {
            const std::string cmd = "cd '" + s_dir.string() + "' && setpriv --reuid=65534 --regid=65534 --clear-groups '" +
                                    std::string(CQ_BINARY) + "' " + args;
            cq::test::RunResult r;
            FILE* pipe = popen(cmd.c_str(), "r");
            char buf[65536];
            std::size_t got = 0;
            while ((got = fread(buf, 1, sizeof buf, pipe)) > 0) {
                r.out.append(buf, got);
            }
            const int status = pclose(pipe);
            r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
            return r;
        }
        return cq::test::run_cq(args, s_dir.string());
    }

    static inline fs::path s_dir;
    static inline std::set<std::string> s_files;
};

}  // namespace

TEST_F(Corpus, EveryFileIsAnalyzedOrReportedAndTheScanSucceeds) {
    const auto r = scan("");
    ASSERT_EQ(r.exit_code, 0) << r.out.substr(0, 2000);
    const auto doc = nlohmann::json::parse(r.out);
    std::map<std::string, std::string> seen;  // path -> "analyzed" or the skip reason
    for (const auto& f : doc["files"]) {
        seen[f["path"].get<std::string>()] = "analyzed";
    }
    for (const auto& s : doc["skipped"]) {
        seen[s["path"].get<std::string>()] = s["reason"].get<std::string>();
    }
    for (const std::string& f : s_files) {
        EXPECT_TRUE(seen.count(f) != 0) << f << " was neither analyzed nor reported as skipped";
    }
    EXPECT_EQ(seen["binary.py"].rfind("binary", 0), 0u) << seen["binary.py"];
    EXPECT_EQ(seen["nul.js"].rfind("binary", 0), 0u) << seen["nul.js"];
    EXPECT_EQ(seen["min/big.min.js"].rfind("too large", 0), 0u) << seen["min/big.min.js"];
    EXPECT_EQ(seen["min/single_line.js"].rfind("minified", 0), 0u) << seen["min/single_line.js"];
    EXPECT_EQ(seen["broken.py"], "broken symlink");
    EXPECT_NE(seen["loop.py"], "analyzed");
    EXPECT_EQ(seen["fifo.py"], "not a regular file");
    if (geteuid() != 0 || std::system("command -v setpriv >/dev/null 2>&1") == 0) {
        EXPECT_EQ(seen["locked.py"], "unreadable");
    }
    for (const char* f : {"ok.py", "crlf.py", "crlf.c", "lone_cr.js", "bom.py", "bom.ts", "empty.py", "empty.c",
                          "invalid_utf8.py", "invalid_utf8.js", "deep/deep.py", "deep/deep_calls.py", "deep/deep.js",
                          "deep/arrows.js", "deep/deep.ts", "deep/deep.c", "deep/parens.c",
                          "deep/deep.cpp", "deep/ns.hpp", "deep/unclosed.js", "dir.py/inside.py"}) {
        EXPECT_EQ(seen[f], "analyzed") << f;
    }
    EXPECT_TRUE(doc["internal_errors"].empty()) << doc["internal_errors"].dump();
    // the analyzed deep files say what they could not lower, they do not fall over
    for (const auto& f : doc["files"]) {
        if (f["path"] == "crlf.py") {
            ASSERT_EQ(f["functions"].size(), 1u);
            EXPECT_EQ(f["functions"][0]["end_line"], 4);
            EXPECT_EQ(f["functions"][0]["cyclomatic"], 2);
        }
        if (f["path"] == "bom.py") {
            ASSERT_EQ(f["functions"].size(), 1u);
            EXPECT_EQ(f["functions"][0]["name"], "f");
        }
    }
}

TEST_F(Corpus, LargeFilesAnalyzedWhenTheLimitAllows) {
    // with the size limit raised, 10 MB of JavaScript goes through the parser and every rule;
    // the 10 MB minified file is still recognised as minified
    const auto r = scan("--max-file-size 20000000 --include 'min/**' --include 'big/**'");
    ASSERT_EQ(r.exit_code, 0) << r.out.substr(0, 2000);
    const auto doc = nlohmann::json::parse(r.out);
    EXPECT_TRUE(doc["internal_errors"].empty()) << doc["internal_errors"].dump();
    bool large = false;
    for (const auto& f : doc["files"]) {
        if (f["path"] == "big/large.js") {
            large = true;
            EXPECT_EQ(f["functions"].size(), 330000u);
        }
    }
    EXPECT_TRUE(large) << doc["skipped"].dump();
}

TEST_F(Corpus, FailOnExitCodeStillHolds) {
    const auto r = scan("--fail-on info --include 'ok.py' --include 'deep/**'");
    EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.exit_code;
}
