#include <gtest/gtest.h>

#include <filesystem>

#include "analyzer/clang/clang_frontend.hpp"
#include "analyzer/clang/command_line.hpp"
#include "clang_test_support.hpp"

namespace cq::clangfe {
namespace {

using testing::TempDir;
using V = std::vector<std::string>;

TEST(SplitCommand, QuotesAndBackslashes) {
    EXPECT_EQ(detail::split_command(R"(cc -DNAME="a b" -I'x y' plain\ space "q\"uote" 'back\slash')"),
              (V{"cc", "-DNAME=a b", "-Ix y", "plain space", "q\"uote", "back\\slash"}));
    EXPECT_EQ(detail::split_command("  c++\t-c   f.cpp  "), (V{"c++", "-c", "f.cpp"}));
    EXPECT_EQ(detail::split_command(R"(cc -DS=\"str\" "")"), (V{"cc", "-DS=\"str\"", ""}));
    EXPECT_EQ(detail::split_command(""), V{});
}

TEST(CleanArguments, DropsCompilerOutputDepsAndSource) {
    const V argv = {"/usr/bin/ccache", "/usr/bin/g++", "-DX=1", "-Iinclude", "-I", "../other",
                    "-isystem", "sys", "-MD", "-MF", "dep.d", "-MT", "obj.o", "-Werror",
                    "-Wall", "-fconserve-stack", "-o", "obj.o", "-c", "src/a.cpp",
                    "-std=c++20", "-Wp,-MD,x.d"};
    EXPECT_EQ(detail::clean_arguments(argv, "/proj/build", "/proj/build/src/a.cpp"),
              (V{"-DX=1", "-I/proj/build/include", "-I", "/proj/other", "-isystem",
                 "/proj/build/sys", "-Wall", "-std=c++20"}));
}

TEST(CleanArguments, KeepsAbsolutePathsAndUnrelatedFiles) {
    const V argv = {"clang", "-I/abs/inc", "--sysroot=root", "-oout.o", "other.cpp", "main.cpp"};
    EXPECT_EQ(detail::clean_arguments(argv, "/w", "/w/main.cpp"),
              (V{"-I/abs/inc", "--sysroot=/w/root", "other.cpp"}));
}

TEST(CompilationDatabase, LoadsCommandAndArgumentsEntries) {
    TempDir dir;
    const std::string root = dir.path();
    dir.write("compile_commands.json", R"([
      {"directory": ")" + root + R"(/build",
       "command": "/usr/bin/c++ -DGREETING=\"\\\"hi there\\\"\" -I../include -o a.o -c ../src/a.cpp",
       "file": "../src/a.cpp"},
      {"directory": ")" + root + R"(",
       "arguments": ["gcc", "-std=c11", "-Iinc", "-c", "src/b.c", "-o", "b.o"],
       "file": ")" + root + R"(/src/./b.c"},
      {"directory": ")" + root + R"(", "file": "no_command.c"},
      42
    ])");
    std::string error;
    const auto db = CompilationDatabase::load(root + "/compile_commands.json", error);
    ASSERT_TRUE(db.has_value()) << error;
    EXPECT_EQ(db->size(), 2u);

    const CompileCommand* a = db->find(root + "/src/a.cpp");
    ASSERT_NE(a, nullptr);
    EXPECT_EQ(a->file, root + "/src/a.cpp");
    EXPECT_EQ(a->directory, root + "/build");
    EXPECT_EQ(a->arguments, (V{"-DGREETING=\"hi there\"", "-I" + root + "/include"}));

    // The query path is normalized too.
    const CompileCommand* b = db->find(root + "/src/../src/b.c");
    ASSERT_NE(b, nullptr);
    EXPECT_EQ(b->arguments, (V{"-std=c11", "-I" + root + "/inc"}));

    EXPECT_EQ(db->find(root + "/no_command.c"), nullptr);
    EXPECT_EQ(db->find(root + "/src/missing.cpp"), nullptr);
}

TEST(CompilationDatabase, ReportsUnreadableAndInvalidFiles) {
    TempDir dir;
    std::string error;
    EXPECT_FALSE(CompilationDatabase::load(dir.path() + "/absent.json", error).has_value());
    EXPECT_NE(error.find("absent.json"), std::string::npos);

    dir.write("bad.json", "[{");
    EXPECT_FALSE(CompilationDatabase::load(dir.path() + "/bad.json", error).has_value());
    EXPECT_NE(error.find("not valid JSON"), std::string::npos);

    dir.write("object.json", "{}");
    EXPECT_FALSE(CompilationDatabase::load(dir.path() + "/object.json", error).has_value());
    EXPECT_NE(error.find("array"), std::string::npos);
}

// A relative -I in the database must still find the header when the scan runs elsewhere.
TEST(CompilationDatabase, RelativeIncludePathsResolveAgainstDirectory) {
    TempDir dir;
    const std::string root = dir.path();
    dir.write("include/helper.h", "int helper(int x);\n");
    const std::string src = "#include \"helper.h\"\nint run(void) { return helper(2); }\n";
    const std::string abs = dir.write("src/main.c", src);
    dir.write("compile_commands.json", R"([{"directory": ")" + root +
                                           R"(", "command": "cc -Iinclude -c src/main.c", "file": "src/main.c"}])");
    std::string error;
    const auto db = CompilationDatabase::load(root + "/compile_commands.json", error);
    ASSERT_TRUE(db.has_value()) << error;
    const CompileCommand* cmd = db->find(abs);
    ASSERT_NE(cmd, nullptr);

    const auto cwd_before = std::filesystem::current_path();
    const FileModel m = analyze("src/main.c", abs, Language::c, src, *cmd);
    // libclang applies -working-directory with a process-wide chdir: cq must not pass it (the
    // other threads of a scan, and the CLI's relative paths, would move with it).
    EXPECT_EQ(std::filesystem::current_path(), cwd_before);
    EXPECT_TRUE(m.diagnostics.empty()) << m.diagnostics.front().message;
    const CallSite* call = testing::find_call(m, "helper");
    ASSERT_NE(call, nullptr);
    EXPECT_EQ(call->resolved, "helper");
    EXPECT_EQ(call->function, 0);
}

}  // namespace
}  // namespace cq::clangfe
