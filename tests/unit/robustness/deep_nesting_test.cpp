// No recursive walk can overflow the stack: input nested 5,000 deep in every language goes
// through the front end, the metrics, every rule, and a custom-rule query, on a thread whose
// stack is 256 KiB (a recursion of a few hundred frames per level would need megabytes).
#include <gtest/gtest.h>
#include <pthread.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <ostream>
#include <string>

#include "analyzer/engine/engine.hpp"
#include "config/config.hpp"

namespace fs = std::filesystem;

namespace {

constexpr int k_depth = 5000;
constexpr std::size_t k_stack = 256 * 1024;
constexpr std::size_t k_clang_stack = 2 * 1024 * 1024;

std::string rep(const std::string& s, int n) {
    std::string out;
    out.reserve(s.size() * static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
        out += s;
    }
    return out;
}

// Runs `fn` on a thread with a 256 KiB stack; returns false when the thread could not start.
bool on_small_stack(const std::function<void()>& fn, std::size_t stack = k_stack) {
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, stack);
    struct Box {
        const std::function<void()>* fn;
    } box{&fn};
    pthread_t t;
    const int rc = pthread_create(
        &t, &attr,
        [](void* p) -> void* {
            (*static_cast<Box*>(p)->fn)();
            return nullptr;
        },
        &box);
    pthread_attr_destroy(&attr);
    if (rc != 0) {
        return false;
    }
    pthread_join(t, nullptr);
    return true;
}

struct Case {
    std::string name;
    std::string path;
    std::string source;
    std::vector<std::string> clang_args;  // non-empty: also through libclang
};

// What ctest lists for a case: its path, not the bytes of the struct.
void PrintTo(const Case& c, std::ostream* os) { *os << c.path; }

std::vector<Case> cases() {
    const int n = k_depth;
    return {
        {"python_brackets", "deep.py", "x = " + rep("[", n) + rep("]", n) + "\n", {}},
        {"python_calls", "deep_calls.py", "def f(a):\n    return " + rep("f(", n) + "1" + rep(")", n) + "\n", {}},
        {"python_lambdas", "deep_lambda.py", "g = " + rep("lambda: ", n) + "0\n", {}},
        {"python_unclosed", "unclosed.py", "def f():\n    return " + rep("(", n) + "\n", {}},
        {"javascript_ifs", "deep.js", "function f(a) {" + rep("if (a) {", n) + rep("}", n) + "}\n", {}},
        {"javascript_arrows", "arrows.js", "const g = " + rep("() => ", n) + "0;\n", {}},
        {"javascript_arrays", "arrays.mjs", "export const x = " + rep("[", n) + rep("]", n) + ";\n", {}},
        {"typescript_ifs", "deep.ts", "function f(a: number): void {" + rep("if (a) {", n) + rep("}", n) + "}\n", {}},
        {"tsx_elements", "deep.tsx", "const e = " + rep("<div>", n) + rep("</div>", n) + ";\n", {}},
        {"c_blocks", "deep.c", "int f(int a) {" + rep("if (a) {", n) + rep("}", n) + "return 0; }\n",
         {"-x", "c", "-std=c11"}},
        {"c_parens", "parens.c", "int x = " + rep("(", n) + "1" + rep(")", n) + ";\n", {"-x", "c", "-std=c11"}},
        {"cpp_lambdas", "deep.cpp", "auto f = " + rep("[]() { return ", n) + "0" + rep("; }", n) + ";\n",
         {"-x", "c++", "-std=c++17"}},
        {"cpp_namespaces", "ns.cpp", rep("namespace a {", n) + rep("}", n) + "\n", {"-x", "c++", "-std=c++17"}},
    };
}

class DeepNesting : public testing::TestWithParam<Case> {
protected:
    static void SetUpTestSuite() {
        // a custom rule for every language, so the query runner walks the deep trees too
        s_dir = fs::temp_directory_path() / ("cq_deep_rules_" + std::to_string(::getpid()));
        fs::create_directories(s_dir);
        std::ofstream(s_dir / "r.yaml") << R"(rules:
  - id: deep/py
    message: "identifier {{n}}"
    languages: [python]
    query: "(identifier) @n"
  - id: deep/js
    message: "identifier {{n}}"
    languages: [javascript, typescript]
    query: "(identifier) @n"
  - id: deep/c
    message: "number {{n}}"
    languages: [c, cpp]
    query: "(number_literal) @n"
)";
        cq::config::load_custom_rules({s_dir.string()});
    }
    static void TearDownTestSuite() {
        cq::config::unregister_custom_rules();
        fs::remove_all(s_dir);
    }
    static inline fs::path s_dir;
};

}  // namespace

TEST_P(DeepNesting, AnalyzedOnA256KiBStack) {
    const Case& c = GetParam();
    bool done = false;
    std::string error;
    std::size_t functions = 0;
    ASSERT_TRUE(on_small_stack([&] {
        try {
            const auto r = cq::analyze_source(c.path, c.source, cq::RuleSelection{});
            functions = r.model->functions.size();
            for (const auto& e : r.internal_errors) {
                error += e.rule + ": " + e.message + "\n";
            }
            done = true;
        } catch (const std::exception& e) {
            error = e.what();
        }
    }));
    EXPECT_TRUE(done) << error;
    EXPECT_TRUE(error.empty()) << error;
    (void)functions;
}

TEST_P(DeepNesting, ThroughLibclang) {
    const Case& c = GetParam();
    if (c.clang_args.empty()) {
        GTEST_SKIP() << "not C/C++";
    }
    bool done = false;
    std::string error;
    // libclang parses on a thread of its own with a large stack and stops nesting at 256
    // brackets (-fbracket-depth); cq's libclang lowering (analyzer/clang/lower.cpp) recurses once
    // per level through clang_visitChildren, more than 1 KiB of stack a level, so it needs more than
    // 256 KiB: it runs here on 2 MiB (worker threads have 8 MiB). A compile command that raises
    // -fbracket-depth far enough could still exhaust that (reported to the front end's owner).
    ASSERT_TRUE(on_small_stack([&] {
        try {
            const auto r = cq::analyze_source(c.path, c.source, cq::RuleSelection{}, &c.clang_args);
            for (const auto& e : r.internal_errors) {
                error += e.rule + ": " + e.message + "\n";
            }
            done = true;
        } catch (const std::exception& e) {
            error = e.what();
        }
    }, k_clang_stack));
    EXPECT_TRUE(done) << error;
    EXPECT_TRUE(error.empty()) << error;
}

INSTANTIATE_TEST_SUITE_P(AllLanguages, DeepNesting, testing::ValuesIn(cases()),
                         [](const testing::TestParamInfo<Case>& p) { return p.param.name; });
