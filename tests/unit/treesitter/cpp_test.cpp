#include <gtest/gtest.h>

#include "tests/unit/treesitter/ts_test_support.hpp"

namespace cq::treesitter::test {
namespace {

FileModel cpp(std::string src) { return parse(Language::cpp, std::move(src)); }

const char* const k_worker = R"cpp(#include <thread>
#include <chrono>
using namespace std::this_thread;
namespace tt = std::this_thread;

namespace app {
namespace net {

class Worker {
public:
    explicit Worker(int n) : n_(n) {}
    int run(const std::vector<int>& items, int retries = 3) const {
        for (const auto& item : items) {
            if (item > 0 && item < n_) {
                sleep_for(std::chrono::milliseconds(10));
            }
        }
        return retries > 0 ? run(items, retries - 1) : 0;
    }
    void stop();
private:
    int n_;
};

void Worker::stop() {
    auto cb = [this](int code) { return code == 0 or code == 1; };
    try {
        tt::sleep_for(std::chrono::seconds(1));
        std::this_thread::sleep_until(deadline());
    } catch (const std::exception& e) {
        sleep_for(std::chrono::seconds(2));
    } catch (...) {
    }
    auto* w = new Worker(4);
    w->run({}, cb(0));
}

}  // namespace net
}  // namespace app

void helper() {
    using std::this_thread::yield;
    yield();
}
)cpp";

TEST(TreeSitterCpp, FunctionsMethodsLambdas) {
    const FileModel m = cpp(k_worker);
    EXPECT_TRUE(m.syntactic_only);
    EXPECT_EQ(m.front_end, "tree-sitter (syntactic fallback)");
    EXPECT_TRUE(m.diagnostics.empty());
    ASSERT_EQ(m.functions.size(), 5u);

    const Function& ctor = fn(m, "app::net::Worker::Worker");
    EXPECT_TRUE(ctor.is_method);
    EXPECT_EQ(ctor.class_name, "Worker");

    const Function& run = fn(m, "app::net::Worker::run");
    EXPECT_TRUE(run.is_method);
    ASSERT_EQ(run.params.size(), 2u);
    EXPECT_EQ(run.params[0].name, "items");
    EXPECT_EQ(run.params[1].name, "retries");
    EXPECT_TRUE(run.params[1].has_default);
    EXPECT_EQ(shape(run), "loop(if(run1/1)) ternary(recursion)");

    // out-of-line definition inside the namespaces
    const Function& stop = fn(m, "app::net::Worker::stop");
    EXPECT_EQ(stop.name, "stop");
    EXPECT_EQ(stop.class_name, "Worker");
    EXPECT_TRUE(stop.is_method);
    EXPECT_EQ(shape(stop), "fn catch catch");

    const Function& cb = fn(m, "app::net::Worker::stop::cb");
    EXPECT_TRUE(cb.is_lambda);
    EXPECT_EQ(cb.parent, fn_index(m, "app::net::Worker::stop"));
    ASSERT_EQ(cb.params.size(), 1u);
    EXPECT_EQ(cb.params[0].name, "code");
    EXPECT_EQ(shape(cb), "run1/1");

    EXPECT_TRUE(fn(m, "helper").is_exported);
}

TEST(TreeSitterCpp, CallsResolveThroughUsingAndNamespaceAliases) {
    const FileModel m = cpp(k_worker);
    const CallSite& direct = call(m, "sleep_for");
    EXPECT_EQ(direct.resolved, "std::this_thread::sleep_for");
    EXPECT_EQ(direct.loop_depth, 1u);
    EXPECT_EQ(direct.function, fn_index(m, "app::net::Worker::run"));
    EXPECT_EQ(direct.args[0].kind, ArgKind::call);

    const CallSite& aliased = call(m, "tt::sleep_for");
    EXPECT_EQ(aliased.resolved, "std::this_thread::sleep_for");
    EXPECT_EQ(aliased.name, "sleep_for");
    EXPECT_EQ(aliased.receiver, "tt");
    EXPECT_FALSE(aliased.in_handler);

    EXPECT_EQ(call(m, "std::this_thread::sleep_until").resolved,
              "std::this_thread::sleep_until");
    EXPECT_EQ(call(m, "yield").resolved, "std::this_thread::yield");

    std::size_t in_handler = 0;
    for (const CallSite& c : m.calls) {
        if (c.resolved == "std::this_thread::sleep_for" && c.in_handler) {
            ++in_handler;
        }
    }
    EXPECT_EQ(in_handler, 1u);

    const CallSite& w = call(m, "Worker");
    EXPECT_TRUE(w.is_new);
    const CallSite& run = call(m, "w->run");
    EXPECT_EQ(run.name, "run");
    EXPECT_EQ(run.receiver, "w");
    EXPECT_EQ(run.resolved, "w->run");
    EXPECT_EQ(run.args[1].kind, ArgKind::call);

    ASSERT_EQ(m.imports.size(), 5u);
    EXPECT_EQ(m.imports[0].module, "<thread>");
    EXPECT_EQ(m.imports[2].module, "std::this_thread");
    EXPECT_EQ(m.imports[3].alias, "tt");
    EXPECT_EQ(m.imports[4].name, "yield");
}

TEST(TreeSitterCpp, LinkageDecidesExported) {
    const FileModel m = cpp(R"cpp(namespace {
int hidden() { return 1; }
struct Local { int m() { return 2; } };
}
static int file_static() { return 3; }
int visible() { return hidden() + file_static(); }
struct S { static int make() { return 4; } };
)cpp");
    EXPECT_FALSE(fn(m, "hidden").is_exported);
    EXPECT_FALSE(fn(m, "Local::m").is_exported);
    EXPECT_FALSE(fn(m, "file_static").is_exported);
    EXPECT_TRUE(fn(m, "visible").is_exported);
    EXPECT_TRUE(fn(m, "S::make").is_exported);
}

TEST(TreeSitterCpp, UsingDirectiveIsScoped) {
    const FileModel m = cpp(R"cpp(void a() {
    using namespace std::this_thread;
    sleep_for(x);
}
void b() { sleep_for(x); }
void c() { using namespace std; this_thread::sleep_for(x); }
void sleep_until(int);
)cpp");
    ASSERT_EQ(m.calls.size(), 3u);
    EXPECT_EQ(m.calls[0].resolved, "std::this_thread::sleep_for");
    EXPECT_EQ(m.calls[1].resolved, "sleep_for");
    EXPECT_EQ(m.calls[2].resolved, "std::this_thread::sleep_for");
}

TEST(TreeSitterCpp, LoopsAssignmentsTokens) {
    const FileModel m = cpp(k_worker);
    ASSERT_EQ(m.loops.size(), 1u);
    EXPECT_EQ(m.loops[0].kind, LoopKind::for_each);
    EXPECT_EQ(m.loops[0].target, "items");
    EXPECT_EQ(m.loops[0].variables, (std::vector<std::string>{"item"}));
    bool saw_new = false;
    for (const Assignment& a : m.assignments) {
        if (a.target == "auto *w") {
            saw_new = true;
            EXPECT_EQ(a.value_kind, ArgKind::call);
            EXPECT_TRUE(a.is_declaration);
        }
    }
    EXPECT_TRUE(saw_new);

    const FileModel t = cpp(R"cpp(int f(std::vector<int> v) { int s = 0; for (int x : v) s += x * 2; return s; }
int g(std::vector<int> w) { int t = 1; for (int y : w) t += y * 8; return t; }
)cpp");
    EXPECT_EQ(norm_hashes(t, 1, 1), norm_hashes(t, 2, 2));
    EXPECT_NE(exact_hashes(t, 1, 1), exact_hashes(t, 2, 2));
}

TEST(TreeSitterCpp, SyntaxErrorsAreReportedAndTheRestIsLowered) {
    const FileModel m = cpp(R"cpp(struct A { int f() { return 1; } };
int broken() { int x = ; return 0; }
int later(int n) { while (n) { --n; } return n; }
)cpp");
    EXPECT_TRUE(has_diagnostic_at_line(m, 2));
    EXPECT_EQ(shape(fn(m, "A::f")), "");
    EXPECT_EQ(shape(fn(m, "later")), "loop");
}

TEST(TreeSitterCpp, ManyErrorsAreCappedWithASummary) {
    std::string src;
    for (int i = 0; i < 100; ++i) {
        src += "int f" + std::to_string(i) + "( { return ) ; }\n";
    }
    const FileModel m = cpp(src);
    ASSERT_FALSE(m.diagnostics.empty());
    EXPECT_LE(m.diagnostics.size(), 21u);
    EXPECT_NE(m.diagnostics.back().message.find("more syntax errors"), std::string::npos);
}

TEST(TreeSitterCpp, DeepNestingDoesNotCrash) {
    std::string src = "void f() {\n auto v = ";
    for (int i = 0; i < 5000; ++i) {
        src += "[&]() { return ";
    }
    src += "1";
    for (int i = 0; i < 5000; ++i) {
        src += "; }()";
    }
    src += ";\n int a[] = " + std::string(5000, '{') + std::string(5000, '}') + ";\n}\n";
    const FileModel m = cpp(src);
    EXPECT_EQ(m.functions.size(), 5001u);
    EXPECT_EQ(m.calls.size(), 5000u);
}

}  // namespace
}  // namespace cq::treesitter::test
