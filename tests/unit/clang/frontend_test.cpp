#include <gtest/gtest.h>

#include <algorithm>

#include "analyzer/clang/clang_frontend.hpp"
#include "clang_test_support.hpp"

namespace cq::clangfe {
namespace {

using testing::analyze_snippet;
using testing::find_call;
using testing::find_function;
using testing::TempDir;
using testing::shape;

TEST(ClangFrontEnd, ModelBasics) {
    const FileModel m = analyze_snippet("// header comment\nint one(void) { return 1; }\n",
                                        Language::c);
    EXPECT_EQ(m.front_end, "libclang");
    EXPECT_FALSE(m.syntactic_only);
    EXPECT_EQ(m.path, "snippet.c");
    EXPECT_EQ(m.language, Language::c);
    EXPECT_EQ(m.lines, 2u);
    EXPECT_EQ(m.ncloc, 1u);
    EXPECT_EQ(m.comment_lines, (std::vector<std::uint32_t>{1}));
    EXPECT_TRUE(m.diagnostics.empty());
}

TEST(ClangFrontEnd, FunctionsMethodsAndQualifiedNames) {
    const std::string src =
        "namespace app {\n"                                        // 1
        "class Store {\n"                                          // 2
        "public:\n"                                                // 3
        "    Store() {}\n"                                         // 4
        "    ~Store();\n"                                          // 5
        "    int get(int key, int fallback = 0) const { return key + fallback; }\n"  // 6
        "    void put(int key);\n"                                 // 7
        "};\n"                                                     // 8
        "Store::~Store() {}\n"                                     // 9
        "void Store::put(int key) {\n"                             // 10
        "    auto log = [key](int extra) { return key + extra; };\n"  // 11
        "    log(1);\n"                                            // 12
        "}\n"                                                      // 13
        "}  // namespace app\n"                                    // 14
        "static int helper(int a, ...) { return a; }\n"            // 15
        "template <typename T>\n"                                  // 16
        "T twice(T v) { return v + v; }\n"                         // 17
        "namespace { void hidden() {} }\n";                        // 18
    const FileModel m = analyze_snippet(src);
    ASSERT_TRUE(m.diagnostics.empty()) << m.diagnostics.front().message;

    std::vector<std::string> names;
    for (const Function& f : m.functions) {
        names.push_back(f.qualified_name);
    }
    EXPECT_EQ(names, (std::vector<std::string>{"app::Store::Store", "app::Store::get",
                                               "app::Store::~Store", "app::Store::put",
                                               "app::Store::put::log", "helper", "twice",
                                               "hidden"}));

    const Function* get = find_function(m, "app::Store::get");
    ASSERT_NE(get, nullptr);
    EXPECT_EQ(get->name, "get");
    EXPECT_EQ(get->class_name, "Store");
    EXPECT_TRUE(get->is_method);
    EXPECT_TRUE(get->is_exported);
    EXPECT_EQ(get->range.start_line, 6u);
    EXPECT_EQ(get->name_range.start_line, 6u);
    EXPECT_EQ(get->name_range.start_column, 9u);
    EXPECT_EQ(get->name_range.end_column, 12u);
    ASSERT_EQ(get->params.size(), 2u);
    EXPECT_EQ(get->params[0].name, "key");
    EXPECT_FALSE(get->params[0].has_default);
    EXPECT_EQ(get->params[1].name, "fallback");
    EXPECT_TRUE(get->params[1].has_default);

    const Function* put = find_function(m, "app::Store::put");
    ASSERT_NE(put, nullptr);
    EXPECT_EQ(put->range.start_line, 10u);
    EXPECT_EQ(put->range.end_line, 13u);
    EXPECT_EQ(put->body_range.start_line, 10u);
    EXPECT_EQ(put->body_range.start_column, 26u);
    EXPECT_EQ(put->parent, -1);
    EXPECT_EQ(shape(put->control), "fn#4");

    const Function& lambda = m.functions[4];
    EXPECT_EQ(lambda.name, "log");  // named by the variable it initializes
    EXPECT_TRUE(lambda.is_lambda);
    EXPECT_FALSE(lambda.is_exported);
    EXPECT_EQ(lambda.parent, 3);
    EXPECT_EQ(lambda.range.start_line, 11u);
    EXPECT_EQ(lambda.range.start_column, 16u);
    ASSERT_EQ(lambda.params.size(), 1u);
    EXPECT_EQ(lambda.params[0].name, "extra");
    EXPECT_EQ(m.function_at(lambda.body_range.start_byte), 4);

    const Function* dtor = find_function(m, "app::Store::~Store");
    ASSERT_NE(dtor, nullptr);
    EXPECT_EQ(dtor->name, "~Store");
    EXPECT_EQ(dtor->range.start_line, 9u);

    const Function* helper = find_function(m, "helper");
    ASSERT_NE(helper, nullptr);
    EXPECT_FALSE(helper->is_exported);  // static
    EXPECT_FALSE(helper->is_method);
    ASSERT_EQ(helper->params.size(), 2u);
    EXPECT_EQ(helper->params[1].name, "...");
    EXPECT_TRUE(helper->params[1].variadic);

    // The range starts after the template header, as the syntactic front end's does.
    const Function* twice = find_function(m, "twice");
    ASSERT_NE(twice, nullptr);
    EXPECT_EQ(twice->range.start_line, 17u);
    EXPECT_EQ(twice->range.start_column, 1u);
}

TEST(ClangFrontEnd, CFunctionsAndDeclarationsWithoutBodies) {
    const FileModel m = analyze_snippet(
        "int declared(int);\n"
        "int defined(int a, int b) { return declared(a) + b; }\n",
        Language::c);
    ASSERT_EQ(m.functions.size(), 1u);
    EXPECT_EQ(m.functions[0].name, "defined");
    EXPECT_EQ(m.functions[0].qualified_name, "defined");
    EXPECT_TRUE(m.functions[0].is_exported);
    EXPECT_EQ(m.functions[0].params.size(), 2u);
}

TEST(ClangFrontEnd, CallsResolveThroughUsingDirectivesDeclarationsAndAliases) {
    const std::string src =
        "#include <chrono>\n"
        "#include <thread>\n"
        "namespace tt = std::this_thread;\n"
        "void nap() {\n"
        "    using namespace std::this_thread;\n"
        "    sleep_for(std::chrono::milliseconds(5));\n"
        "    tt::yield();\n"
        "}\n"
        "void nap2() {\n"
        "    using std::this_thread::sleep_for;\n"
        "    sleep_for(std::chrono::seconds(1));\n"
        "}\n";
    const FileModel m = analyze_snippet(src);
    ASSERT_TRUE(m.diagnostics.empty()) << m.diagnostics.front().message;

    std::vector<std::string> seen;
    for (const CallSite& c : m.calls) {
        seen.push_back(c.callee + " -> " + c.resolved);
    }
    EXPECT_EQ(seen, (std::vector<std::string>{
                        "sleep_for -> std::this_thread::sleep_for",
                        "std::chrono::milliseconds -> std::chrono::milliseconds",
                        "tt::yield -> std::this_thread::yield",
                        "sleep_for -> std::this_thread::sleep_for",
                        "std::chrono::seconds -> std::chrono::seconds"}))
        << "got " << ::testing::PrintToString(seen);

    const CallSite& first = m.calls[0];
    EXPECT_EQ(first.name, "sleep_for");
    EXPECT_EQ(first.receiver, "");
    EXPECT_EQ(first.function, 0);
    EXPECT_EQ(first.callee_range.start_line, 6u);
    EXPECT_EQ(first.callee_range.start_column, 5u);
    ASSERT_EQ(first.args.size(), 1u);
    EXPECT_EQ(first.args[0].kind, ArgKind::call);
    EXPECT_EQ(first.args[0].text, "std::chrono::milliseconds(5)");

    const CallSite& yield = m.calls[2];
    EXPECT_EQ(yield.name, "yield");
    EXPECT_EQ(yield.receiver, "tt");

    std::vector<std::string> imports;
    for (const Import& i : m.imports) {
        imports.push_back(i.module + "|" + i.name + "|" + i.alias);
    }
    EXPECT_EQ(imports, (std::vector<std::string>{"<chrono>||", "<thread>||",
                                                 "std::this_thread||tt", "std::this_thread||",
                                                 "std::this_thread|sleep_for|sleep_for"}));
}

TEST(ClangFrontEnd, CallDetailsMembersArgumentsAndContext) {
    const std::string src =
        "#include <cstdio>\n"
        "#include <cstdlib>\n"
        "#include <string>\n"
        "struct Client { int send(const char* body, int n); };\n"
        "void handler(Client* client, const std::string& cmd) {\n"
        "    for (int i = 0; i < 3; ++i) {\n"
        "        while (client->send(\"ping\", i) < 0) {\n"
        "            try {\n"
        "                std::system(cmd.c_str());\n"
        "            } catch (...) {\n"
        "                printf(\"%s %d\\n\", \"retry\", i);\n"
        "            }\n"
        "        }\n"
        "    }\n"
        "    auto* fresh = new Client();\n"
        "    fresh->send(nullptr, -1);\n"
        "}\n";
    const FileModel m = analyze_snippet(src);
    ASSERT_TRUE(m.diagnostics.empty()) << m.diagnostics.front().message;

    const CallSite* send = find_call(m, "send");
    ASSERT_NE(send, nullptr);
    EXPECT_EQ(send->callee, "client->send");
    EXPECT_EQ(send->receiver, "client");
    EXPECT_EQ(send->resolved, "client->send");  // a method keeps the name it is called by
    EXPECT_EQ(send->loop, 1);
    EXPECT_EQ(send->loop_depth, 2u);
    EXPECT_TRUE(send->in_loop_condition);
    EXPECT_FALSE(send->in_handler);
    ASSERT_EQ(send->args.size(), 2u);
    EXPECT_EQ(send->args[0].kind, ArgKind::string_literal);
    EXPECT_EQ(send->args[0].value, "ping");
    EXPECT_EQ(send->args[1].kind, ArgKind::identifier);

    const CallSite* system = find_call(m, "system");
    ASSERT_NE(system, nullptr);
    EXPECT_EQ(system->callee, "std::system");
    EXPECT_EQ(system->receiver, "std");
    EXPECT_EQ(system->loop_depth, 2u);
    EXPECT_FALSE(system->in_loop_condition);
    EXPECT_FALSE(system->in_handler);
    ASSERT_EQ(system->args.size(), 1u);
    EXPECT_EQ(system->args[0].kind, ArgKind::call);

    const CallSite* c_str = find_call(m, "c_str");
    ASSERT_NE(c_str, nullptr);
    EXPECT_EQ(c_str->callee, "cmd.c_str");

    const CallSite* print = find_call(m, "printf");
    ASSERT_NE(print, nullptr);
    EXPECT_TRUE(print->in_handler);
    ASSERT_EQ(print->args.size(), 3u);
    EXPECT_EQ(print->args[0].value, "%s %d\n");
    EXPECT_EQ(print->args[1].value, "retry");

    const auto created = std::find_if(m.calls.begin(), m.calls.end(),
                                      [](const CallSite& c) { return c.is_new; });
    ASSERT_NE(created, m.calls.end());
    EXPECT_EQ(created->callee, "Client");
    EXPECT_EQ(created->resolved, "Client");
    EXPECT_EQ(created->loop, -1);

    const CallSite& last = m.calls.back();
    EXPECT_EQ(last.callee, "fresh->send");
    ASSERT_EQ(last.args.size(), 2u);
    EXPECT_EQ(last.args[0].kind, ArgKind::null_literal);
    EXPECT_EQ(last.args[1].kind, ArgKind::number_literal);

    // Calls are ordered by position.
    for (std::size_t i = 1; i < m.calls.size(); ++i) {
        EXPECT_LE(m.calls[i - 1].range.start_byte, m.calls[i].range.start_byte);
    }
}

TEST(ClangFrontEnd, LoopsWithTargetsConditionsAndNesting) {
    const std::string src =
        "#include <vector>\n"
        "#include <map>\n"
        "int sum(const std::vector<int>& items, const std::map<int, int>& index) {\n"
        "    int total = 0;\n"
        "    for (int x : items) {\n"
        "        for (const auto& [k, v] : index) { total += k * v * x; }\n"
        "    }\n"
        "    int n = 3;\n"
        "    while (n > 0) { --n; }\n"
        "    do { ++n; } while (n < 2);\n"
        "    for (int i = 0; i < 4; i++) { total += i; }\n"
        "    return total;\n"
        "}\n";
    const FileModel m = analyze_snippet(src);
    ASSERT_TRUE(m.diagnostics.empty()) << m.diagnostics.front().message;
    ASSERT_EQ(m.loops.size(), 5u);

    const Loop& outer = m.loops[0];
    EXPECT_EQ(outer.kind, LoopKind::for_each);
    EXPECT_EQ(outer.target, "items");
    EXPECT_EQ(outer.variables, (std::vector<std::string>{"x"}));
    EXPECT_EQ(outer.depth, 1u);
    EXPECT_EQ(outer.parent, -1);
    EXPECT_EQ(outer.function, 0);
    EXPECT_EQ(outer.header_range.start_line, 5u);
    EXPECT_EQ(outer.header_range.start_column, 5u);
    EXPECT_EQ(outer.header_range.end_column, 24u);
    EXPECT_EQ(outer.body_range.start_column, 25u);

    const Loop& inner = m.loops[1];
    EXPECT_EQ(inner.kind, LoopKind::for_each);
    EXPECT_EQ(inner.target, "index");
    EXPECT_EQ(inner.variables, (std::vector<std::string>{"k", "v"}));
    EXPECT_EQ(inner.depth, 2u);
    EXPECT_EQ(inner.parent, 0);

    EXPECT_EQ(m.loops[2].kind, LoopKind::while_);
    EXPECT_EQ(m.loops[2].condition, "n > 0");
    EXPECT_EQ(m.loops[3].kind, LoopKind::do_while);
    EXPECT_EQ(m.loops[3].condition, "n < 2");
    EXPECT_EQ(m.loops[4].kind, LoopKind::for_);
    EXPECT_EQ(m.loops[4].condition, "i < 4");
    EXPECT_EQ(m.loops[4].depth, 1u);

    EXPECT_EQ(shape(m.functions[0].control), "loop{loop} loop do loop");
}

TEST(ClangFrontEnd, AssignmentsAndStrings) {
    const std::string src =
        "#include <string>\n"
        "struct Conf { std::string url; int retries; };\n"
        "const char* password = \"hunter2\";\n"
        "void setup(Conf& c) {\n"
        "    c.url = \"https://example.com/\" \"api\";\n"
        "    c.retries += 2;\n"
        "    std::string name = \"svc\";\n"
        "    name = \"other\";\n"
        "}\n";
    const FileModel m = analyze_snippet(src);
    ASSERT_TRUE(m.diagnostics.empty()) << m.diagnostics.front().message;

    std::vector<std::string> seen;
    for (const Assignment& a : m.assignments) {
        seen.push_back(a.target + "=" + a.value + (a.is_member ? " member" : "") +
                       (a.is_declaration ? " decl" : "") + (a.is_augmented ? " aug" : "") +
                       " fn" + std::to_string(a.function));
    }
    EXPECT_EQ(seen, (std::vector<std::string>{
                        "char *password=\"hunter2\" decl fn-1",
                        "c.url=\"https://example.com/\" \"api\" member fn0",
                        "c.retries=2 member aug fn0",
                        "std::string name=\"svc\" decl fn0",
                        "name=\"other\" fn0"}))
        << ::testing::PrintToString(seen);
    EXPECT_EQ(m.assignments[0].value_kind, ArgKind::string_literal);

    std::vector<std::string> strings;
    for (const StringLiteral& s : m.strings) {
        strings.push_back(s.value);
    }
    // Adjacent literals are one value as an assignment's or argument's, one entry each here.
    EXPECT_EQ(strings, (std::vector<std::string>{"hunter2", "https://example.com/", "api", "svc",
                                                 "other"}));
    EXPECT_EQ(m.strings[0].function, -1);
    EXPECT_EQ(m.strings[1].function, 0);
    EXPECT_EQ(m.strings[1].range.start_line, 5u);
    EXPECT_EQ(m.strings[2].range.start_column, 36u);
}

TEST(ClangFrontEnd, DeclarationsReadAsTheSyntacticFrontEndReadsThem) {
    const std::string src =
        "#include <map>\n"
        "#include <string>\n"
        "#include <utility>\n"
        "struct Path { explicit Path(const std::string& s); };\n"
        "int count();\n"
        "void run(const std::string& s, std::map<int, int>& m) {\n"
        "    Path a(s);\n"                              // a function declaration to a parser
        "    Path b(s + \"/x\");\n"
        "    auto& [key, value] = *m.begin();\n"
        "    const char* const name = \"n\", *other = nullptr;\n"
        "    if (int n = count()) { (void)n; }\n"
        "    int c{3};\n"
        "}\n";
    const FileModel m = analyze_snippet(src);
    ASSERT_TRUE(m.diagnostics.empty()) << m.diagnostics.front().message;
    std::vector<std::string> seen;
    for (const Assignment& a : m.assignments) {
        seen.push_back(a.target + "=" + a.value + " " +
                       std::to_string(static_cast<int>(a.value_kind)));
    }
    EXPECT_EQ(seen, (std::vector<std::string>{
                        "Path b=(s + \"/x\") 12", "auto &[key,value]=*m.begin() 12",
                        "char *const name=\"n\" 0", "char *other=nullptr 3", "int c={3} 12"}))
        << ::testing::PrintToString(seen);
}

TEST(ClangFrontEnd, TokensAreNormalizedAndCommentsExcluded) {
    const std::string src =
        "int add(int a, int b) { /* sum */ return a + 42; }\n"
        "// trailing\n"
        "/* two\n   lines */\n"
        "int sub(int x, int y) { return x + 7; }\n";
    const FileModel m = analyze_snippet(src, Language::c);
    ASSERT_EQ(m.tokens.size(), 32u);
    EXPECT_EQ(m.comment_lines, (std::vector<std::uint32_t>{1, 2, 3, 4}));
    EXPECT_EQ(m.ncloc, 2u);

    const Token& kw = m.tokens[0];
    EXPECT_EQ(kw.kind, TokenKind::keyword);
    EXPECT_EQ(m.source.substr(kw.start_byte, kw.end_byte - kw.start_byte), "int");
    EXPECT_EQ(kw.line, 1u);
    const Token& name = m.tokens[1];
    EXPECT_EQ(name.kind, TokenKind::identifier);
    const Token& forty_two = m.tokens[13];
    EXPECT_EQ(forty_two.kind, TokenKind::literal);
    EXPECT_EQ(m.source.substr(forty_two.start_byte, 2), "42");

    // The two functions are Type-2 clones: same normalized hashes, different exact ones.
    for (std::size_t i = 0; i < 16; ++i) {
        EXPECT_EQ(m.tokens[i].norm_hash, m.tokens[i + 16].norm_hash) << "token " << i;
    }
    EXPECT_NE(m.tokens[1].exact_hash, m.tokens[17].exact_hash);
    EXPECT_EQ(m.tokens[1].norm_hash, m.tokens[4].norm_hash);         // add, a
    EXPECT_NE(m.tokens[1].norm_hash, m.tokens[13].norm_hash);        // identifier vs literal
    EXPECT_EQ(m.tokens[0].norm_hash, m.tokens[0].exact_hash);        // keyword: its text
    EXPECT_EQ(m.tokens[16].line, 5u);
}

TEST(ClangFrontEnd, MissingHeaderIsADiagnosticAndTheRestIsAnalyzed) {
    const std::string src =
        "#include <stdio.h>\n"
        "#include \"does_not_exist.h\"\n"
        "int check(int a, int b) {\n"
        "    if (a && b) { puts(\"both\"); }\n"
        "    return a;\n"
        "}\n";
    const FileModel m = analyze_snippet(src, Language::c);
    ASSERT_FALSE(m.diagnostics.empty());
    EXPECT_EQ(m.diagnostics[0].level, DiagnosticLevel::error);
    EXPECT_EQ(m.diagnostics[0].line, 2u);
    EXPECT_NE(m.diagnostics[0].message.find("does_not_exist.h"), std::string::npos);

    ASSERT_EQ(m.functions.size(), 1u);
    EXPECT_EQ(shape(m.functions[0].control), "if{&&(1,1)}");
    const CallSite* puts = find_call(m, "puts");
    ASSERT_NE(puts, nullptr);
    EXPECT_EQ(puts->args[0].value, "both");
    ASSERT_EQ(m.imports.size(), 2u);
    EXPECT_EQ(m.imports[0].module, "<stdio.h>");
    EXPECT_EQ(m.imports[1].module, "\"does_not_exist.h\"");
    EXPECT_EQ(m.imports[1].range.start_line, 2u);
}

TEST(ClangFrontEnd, UndeclaredCallsInCppStillBecomeCallSites) {
    const std::string src =
        "#include \"net.h\"\n"
        "using namespace net;\n"
        "void poll() { fetch_all(3, \"q\"); }\n";
    const FileModel m = analyze_snippet(src);
    EXPECT_GE(m.diagnostics.size(), 2u);
    const CallSite* fetch = find_call(m, "fetch_all");
    ASSERT_NE(fetch, nullptr);
    EXPECT_EQ(fetch->callee, "fetch_all");
    EXPECT_EQ(fetch->function, 0);
    ASSERT_EQ(fetch->args.size(), 2u);
    EXPECT_EQ(fetch->args[1].value, "q");
}

TEST(ClangFrontEnd, BuiltinHeadersResolveThroughTheResourceDirectory) {
    EXPECT_FALSE(resource_dir().empty());
    const FileModel m = analyze_snippet(
        "#include <stddef.h>\n"
        "#include <stdarg.h>\n"
        "size_t length(const char* s, ...) { size_t n = 0; while (s[n]) { ++n; } return n; }\n",
        Language::c);
    EXPECT_TRUE(m.diagnostics.empty()) << m.diagnostics.front().message;
    ASSERT_EQ(m.functions.size(), 1u);
    EXPECT_EQ(m.loops.size(), 1u);
}

TEST(ClangFrontEnd, SyntaxErrorsAreDiagnosticsNotFailures) {
    const FileModel m = analyze_snippet(
        "int broken(int a) { if (a) { return 1; }\n"
        "int fine(int b) { return b ? 1 : 0; }\n",
        Language::c);
    ASSERT_FALSE(m.diagnostics.empty());
    EXPECT_EQ(m.diagnostics.back().level, DiagnosticLevel::error);
    EXPECT_GE(m.functions.size(), 1u);
    EXPECT_EQ(m.functions[0].name, "broken");
}

TEST(ClangFrontEnd, UnparsableInputStillReturnsAModel) {
    TempDir dir;
    CompileCommand cmd;
    cmd.directory = dir.path() + "/gone";
    // A file that does not exist, with no source either: libclang reports it, we do not crash.
    const FileModel m =
        analyze("x.cpp", dir.path() + "/gone/x.cpp", Language::cpp, "", cmd);
    EXPECT_EQ(m.front_end, "libclang");
    EXPECT_TRUE(m.functions.empty());
}

}  // namespace
}  // namespace cq::clangfe

namespace cq::clangfe {
namespace {

TEST(ClangFrontEnd, LambdaArgumentsAreUnnamedAndLinked) {
    const FileModel m = testing::analyze_snippet(
        "template <typename F> void on_message(F f) { f(1); }\n"
        "void subscribe() {\n"
        "    on_message([](int id) { return id > 0 ? 1 : 0; });\n"
        "}\n");
    ASSERT_TRUE(m.diagnostics.empty()) << m.diagnostics.front().message;
    ASSERT_EQ(m.functions.size(), 3u);
    EXPECT_EQ(m.functions[2].name, "<lambda>");
    EXPECT_EQ(m.functions[2].qualified_name, "subscribe::<lambda>");
    EXPECT_EQ(m.functions[2].parent, 1);
    const CallSite* call = testing::find_call(m, "on_message");
    ASSERT_NE(call, nullptr);
    ASSERT_EQ(call->args.size(), 1u);
    EXPECT_EQ(call->args[0].kind, ArgKind::function);
    EXPECT_EQ(call->args[0].function, 2);
    // The functor call inside the template is a call through the parameter.
    const CallSite* f = testing::find_call(m, "f");
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->function, 0);
    EXPECT_EQ(f->resolved, "f");
}

}  // namespace
}  // namespace cq::clangfe

namespace cq::clangfe {
namespace {

// Directive lines are cut the way tree-sitter cuts them (see tokens.hpp).
TEST(ClangFrontEnd, PreprocessorLinesAreTokenizedLikeTheSyntacticFrontEnd) {
    const FileModel m = testing::analyze_snippet(
        "#include <stdio.h>\n"
        "#define LIMIT -1  // none\n"
        "#if defined(LIMIT) && LIMIT < 0\n"
        "int v = -1, w = v - 1;\n"
        "#endif\n",
        Language::c);
    std::vector<std::string> seen;
    for (const Token& t : m.tokens) {
        const char* kind = t.kind == TokenKind::identifier ? "id"
                           : t.kind == TokenKind::keyword  ? "kw"
                           : t.kind == TokenKind::literal  ? "lit"
                                                           : "op";
        std::string text = m.source.substr(t.start_byte, t.end_byte - t.start_byte);
        if (text == "\n") {
            text = "\\n";
        }
        seen.push_back(text + ":" + kind);
    }
    EXPECT_EQ(seen, (std::vector<std::string>{
                        "#include:kw", "<stdio.h>:lit", "#define:kw", "LIMIT:id",
                        "-1:lit", "#if:kw", "defined:kw", "(:op", "LIMIT:id", "):op",
                        "&&:op", "LIMIT:id", "<:op", "0:lit", "\\n:op", "int:kw", "v:id", "=:op",
                        "-1:lit", ",:op", "w:id", "=:op", "v:id", "-:op", "1:lit", ";:op",
                        "#endif:kw"}))
        << ::testing::PrintToString(seen);
    // A #define's body is code (cq's lexer reads it token by token, unlike tree-sitter's one
    // preproc_arg), and its comment a comment.
    EXPECT_EQ(m.comment_lines, (std::vector<std::uint32_t>{2}));
    ASSERT_EQ(m.imports.size(), 1u);
    EXPECT_EQ(m.imports[0].module, "<stdio.h>");
    // `-1` as one token still classes as a number.
    ASSERT_EQ(m.assignments.size(), 2u);
    EXPECT_EQ(m.assignments[0].target, "int v");
    EXPECT_EQ(m.assignments[0].value_kind, ArgKind::number_literal);
    EXPECT_EQ(m.assignments[1].target, "int w");
    EXPECT_EQ(m.assignments[1].value_kind, ArgKind::other);
}

TEST(ClangFrontEnd, DeepNestingIsBoundedNotACrash) {
    std::string expr = "0";
    for (int i = 0; i < 3000; ++i) {
        expr += " + x";
    }
    const FileModel m = testing::analyze_snippet("int f(int x) { return " + expr + "; }\n",
                                                 Language::c);
    ASSERT_EQ(m.functions.size(), 1u);
    EXPECT_EQ(m.functions[0].name, "f");
    ASSERT_FALSE(m.diagnostics.empty());
    EXPECT_EQ(m.diagnostics.back().level, DiagnosticLevel::note);
    EXPECT_NE(m.diagnostics.back().message.find("nested deeper"), std::string::npos);
}

}  // namespace
}  // namespace cq::clangfe
