// The taint engine (rules/support/taint.hpp) on hand-built models: flows through locals,
// constants, sanitizers, route handlers, C main's argv, and across files through a call.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "rules/support/security_common.hpp"
#include "rules/support/taint.hpp"

namespace {

using namespace cq;
using namespace cq::security;

// Builds a FileModel over `source`, locating each fact by the text it covers.
class Builder {
public:
    Builder(std::string path, Language lang, std::string source) {
        m_file = std::make_unique<FileModel>();
        m_file->path = std::move(path);
        m_file->language = lang;
        m_file->source = std::move(source);
    }

    Range at(const std::string& needle, std::size_t nth = 0) const {
        std::size_t pos = m_file->source.find(needle);
        for (std::size_t i = 0; i < nth && pos != std::string::npos; ++i) {
            pos = m_file->source.find(needle, pos + 1);
        }
        EXPECT_NE(pos, std::string::npos) << needle;
        return range_of_bytes(*m_file, static_cast<std::uint32_t>(pos),
                              static_cast<std::uint32_t>(pos + needle.size()));
    }

    std::int32_t function(const std::string& name, const std::string& whole,
                          std::vector<std::string> params, std::vector<std::string> decorators = {}) {
        Function fn;
        fn.name = name;
        fn.qualified_name = name;
        fn.range = at(whole);
        fn.name_range = m_file->source.find(name) == std::string::npos ? fn.range : at(name);
        fn.decorators = std::move(decorators);
        for (const std::string& p : params) {
            Parameter param;
            param.name = p;
            param.range = at(p);
            fn.params.push_back(param);
        }
        m_file->functions.push_back(fn);
        return static_cast<std::int32_t>(m_file->functions.size() - 1);
    }

    void assign(const std::string& target, const std::string& value, ArgKind kind,
                std::int32_t fn, bool augmented = false) {
        Assignment a;
        a.target = target;
        a.value = value;
        a.value_kind = kind;
        a.range = at(target + (augmented ? " += " : " = ") + value);
        a.function = fn;
        a.is_augmented = augmented;
        a.is_member = target.find('.') != std::string::npos;
        m_file->assignments.push_back(a);
    }

    CallSite& call(const std::string& callee, const std::string& whole, std::int32_t fn,
                   std::vector<std::pair<std::string, ArgKind>> args) {
        CallSite c;
        c.callee = callee;
        c.resolved = callee;
        const auto dot = callee.rfind('.');
        c.name = dot == std::string::npos ? callee : callee.substr(dot + 1);
        c.receiver = dot == std::string::npos ? "" : callee.substr(0, dot);
        c.range = at(whole);
        c.function = fn;
        for (auto& [text, kind] : args) {
            Argument a;
            a.text = text;
            a.kind = kind;
            a.range = at(text);
            if (kind == ArgKind::string_literal) {
                decode_string_literal(text, a.value);
            }
            c.args.push_back(a);
        }
        m_file->calls.push_back(c);
        return m_file->calls.back();
    }

    void import(const std::string& module, const std::string& name, const std::string& alias) {
        Import imp;
        imp.module = module;
        imp.name = name;
        imp.alias = alias;
        m_file->imports.push_back(imp);
    }

    FileModel& file() { return *m_file; }
    std::unique_ptr<FileModel> take() { return std::move(m_file); }

private:
    std::unique_ptr<FileModel> m_file;
};

Fact arg_fact(const TaintEngine& engine, const FileModel& file, std::size_t call, std::size_t arg = 0) {
    return engine.evaluate_arg(file, file.calls[call], file.calls[call].args[arg]);
}

TEST(Taint, FlowsThroughLocalsFromAFlaskRequest) {
    Builder b("app.py", Language::python,
              "def view():\n"
              "    q = request.args.get('q')\n"
              "    cmd = 'ls ' + q\n"
              "    os.system(cmd)\n");
    const auto fn = b.function("view", b.file().source, {});
    b.assign("q", "request.args.get('q')", ArgKind::call, fn);
    b.assign("cmd", "'ls ' + q", ArgKind::concatenation, fn);
    b.call("os.system", "os.system(cmd)", fn, {{"cmd", ArgKind::identifier}});
    ProjectModel project;
    project.files.push_back(&b.file());
    const TaintEngine engine(project, lang_mask::all, SinkProfile{});
    const Fact f = arg_fact(engine, b.file(), 0);
    EXPECT_TRUE(f.dynamic);
    EXPECT_TRUE(f.tainted);
    EXPECT_TRUE(f.built);
    EXPECT_EQ(f.origin, "request.args");
    const auto path = taint_secondaries(f);
    ASSERT_GE(path.size(), 2u);
    EXPECT_EQ(path.front().range.start_line, 2u);
    EXPECT_EQ(path.back().range.start_line, 3u);
}

TEST(Taint, ConstantsStayConstantAndReassignmentKillsTaint) {
    Builder b("job.py", Language::python,
              "BASE = 'make'\n"
              "def run():\n"
              "    cmd = BASE + ' clean'\n"
              "    os.system(cmd)\n"
              "    cmd = sys.argv[1]\n"
              "    cmd = 'make all'\n"
              "    os.system(cmd)\n");
    const auto fn = b.function("run", b.file().source.substr(14), {});
    b.assign("BASE", "'make'", ArgKind::string_literal, -1);
    b.assign("cmd", "BASE + ' clean'", ArgKind::concatenation, fn);
    b.call("os.system", "os.system(cmd)", fn, {{"cmd", ArgKind::identifier}});
    b.assign("cmd", "sys.argv[1]", ArgKind::other, fn);
    b.assign("cmd", "'make all'", ArgKind::string_literal, fn);
    CallSite& second = b.call("os.system", "os.system(cmd)", fn, {{"cmd", ArgKind::identifier}});
    second.range = b.at("os.system(cmd)", 1);
    ProjectModel project;
    project.files.push_back(&b.file());
    const TaintEngine engine(project, lang_mask::all, SinkProfile{});
    EXPECT_FALSE(arg_fact(engine, b.file(), 0).dynamic);
    EXPECT_FALSE(arg_fact(engine, b.file(), 1).dynamic);
}

TEST(Taint, SanitizersMakeValuesSafeForTheirSink) {
    Builder b("s.py", Language::python,
              "def f():\n"
              "    p = sys.argv[1]\n"
              "    os.system('ls ' + shlex.quote(p))\n"
              "    os.system('kill ' + str(int(p)))\n");
    const auto fn = b.function("f", b.file().source, {});
    b.assign("p", "sys.argv[1]", ArgKind::other, fn);
    b.call("os.system", "os.system('ls ' + shlex.quote(p))", fn,
           {{"'ls ' + shlex.quote(p)", ArgKind::concatenation}});
    b.call("os.system", "os.system('kill ' + str(int(p)))", fn,
           {{"'kill ' + str(int(p))", ArgKind::concatenation}});
    ProjectModel project;
    project.files.push_back(&b.file());
    SinkProfile quoted;
    quoted.sanitizer = [](std::string_view path, std::string_view) { return path == "shlex.quote"; };
    const TaintEngine engine(project, lang_mask::all, quoted);
    EXPECT_FALSE(arg_fact(engine, b.file(), 0).dynamic);
    EXPECT_FALSE(arg_fact(engine, b.file(), 1).dynamic);
    const TaintEngine plain(project, lang_mask::all, SinkProfile{});
    EXPECT_TRUE(arg_fact(plain, b.file(), 0).tainted);
}

// A Flask route handler (web/views.py) passing its parameter to helpers.launch(), which builds a
// command from it and runs it (web/helpers.py).
struct RouteToLauncher {
    Builder web{"web/views.py", Language::python,
                "@app.route('/run/<name>')\n"
                "def run(name):\n"
                "    helpers.launch(name)\n"};
    Builder lib{"web/helpers.py", Language::python,
                "def launch(job):\n"
                "    cmd = 'start ' + job\n"
                "    os.system(cmd)\n"};
    std::int32_t view = -1;
    std::int32_t launch = -1;
    ProjectModel project;

    RouteToLauncher() {
        view = web.function("run", web.file().source.substr(26), {"name"},
                            {"app.route('/run/<name>')"});
        web.import("helpers", "", "helpers");
        web.call("helpers.launch", "helpers.launch(name)", view, {{"name", ArgKind::identifier}});
        launch = lib.function("launch", lib.file().source, {"job"});
        lib.assign("cmd", "'start ' + job", ArgKind::concatenation, launch);
        lib.call("os.system", "os.system(cmd)", launch, {{"cmd", ArgKind::identifier}});
        project.files = {&lib.file(), &web.file()};
    }
};

TEST(Taint, RouteHandlerParametersReachACalleeInAnotherFile) {
    RouteToLauncher r;
    Builder& web = r.web;
    Builder& lib = r.lib;
    const ProjectModel& project = r.project;
    const auto view = r.view;
    const TaintEngine engine(project, lang_mask::all, SinkProfile{});
    EXPECT_TRUE(engine.is_entry_point(web.file(), view));
    const Fact f = arg_fact(engine, lib.file(), 0);
    EXPECT_TRUE(f.tainted);
    const auto path = taint_secondaries(f);
    ASSERT_GE(path.size(), 3u);
    EXPECT_EQ(path.front().path, "web/views.py");  // the handler's parameter
    EXPECT_EQ(path.back().path, "web/helpers.py");
}

// A focus on the sink's function alone still follows the taint in from the caller that seeds it
// (another file), and a question outside the focus widens it: the same facts as the whole run.
TEST(Taint, FocusedEngineAnswersAsTheWholeProjectDoes) {
    RouteToLauncher r;
    Builder& web = r.web;
    Builder& lib = r.lib;
    const ProjectModel& project = r.project;
    const auto launch = r.launch;
    const TaintEngine whole(project, lang_mask::all, SinkProfile{});
    const TaintEngine focused(project, lang_mask::all, SinkProfile{}, {{&lib.file(), launch}});
    const TaintEngine elsewhere(project, lang_mask::all, SinkProfile{}, {{&web.file(), -1}});
    for (const TaintEngine* engine : {&focused, &elsewhere}) {
        const Fact expected = arg_fact(whole, lib.file(), 0);
        const Fact f = arg_fact(*engine, lib.file(), 0);
        EXPECT_TRUE(f.tainted);
        EXPECT_EQ(f.dynamic, expected.dynamic);
        EXPECT_EQ(f.built, expected.built);
        EXPECT_EQ(f.origin, expected.origin);
        EXPECT_EQ(f.text, expected.text);
        EXPECT_EQ(taint_secondaries(f).size(), taint_secondaries(expected).size());
        EXPECT_EQ(taint_phrase(arg_fact(*engine, web.file(), 0)),
                  taint_phrase(arg_fact(whole, web.file(), 0)));
    }
}

TEST(Taint, UntaintedCalleeParameterIsDynamicOnly) {
    Builder lib("lib.py", Language::python,
                "def launch(job):\n"
                "    os.system('start ' + job)\n");
    const auto launch = lib.function("launch", lib.file().source, {"job"});
    lib.call("os.system", "os.system('start ' + job)", launch,
             {{"'start ' + job", ArgKind::concatenation}});
    ProjectModel project;
    project.files = {&lib.file()};
    const TaintEngine engine(project, lang_mask::all, SinkProfile{});
    const Fact f = arg_fact(engine, lib.file(), 0);
    EXPECT_TRUE(f.dynamic);
    EXPECT_FALSE(f.tainted);
}

TEST(Taint, CMainArgvThroughStrcpy) {
    Builder b("main.c", Language::c,
              "int main(int argc, char **argv) {\n"
              "    char buf[64];\n"
              "    strcpy(buf, argv[1]);\n"
              "    system(buf);\n"
              "}\n");
    const auto fn = b.function("main", b.file().source, {"argc", "argv"});
    b.call("strcpy", "strcpy(buf, argv[1])", fn,
           {{"buf", ArgKind::identifier}, {"argv[1]", ArgKind::other}});
    b.call("system", "system(buf)", fn, {{"buf", ArgKind::identifier}});
    ProjectModel project;
    project.files = {&b.file()};
    const TaintEngine engine(project, lang_mask::all, SinkProfile{});
    const Fact f = arg_fact(engine, b.file(), 1);
    EXPECT_TRUE(f.tainted);
    EXPECT_EQ(f.origin, "argv");
}

TEST(Taint, ExpressHandlerRequestObjectAndLoopVariables) {
    Builder b("server.js", Language::javascript,
              "app.post('/jobs', (rq, rs) => {\n"
              "  for (const item of rq.body.items) {\n"
              "    exec(item.cmd);\n"
              "  }\n"
              "});\n");
    const std::string& src = b.file().source;
    const std::size_t start = src.find("(rq");
    const std::size_t end = src.rfind('}');
    const auto fn = b.function("<anonymous>", src.substr(start, end - start + 1), {"rq", "rs"});
    b.file().functions[0].is_lambda = true;
    CallSite& reg = b.call("app.post", b.file().source.substr(0, b.file().source.size() - 2), -1,
                           {{"'/jobs'", ArgKind::string_literal}});
    Argument cb;
    cb.kind = ArgKind::function;
    cb.function = fn;
    cb.text = "(rq, rs) => {...}";
    reg.args.push_back(cb);
    Loop loop;
    loop.kind = LoopKind::for_each;
    loop.header_range = b.at("for (const item of rq.body.items)");
    loop.range = loop.header_range;
    loop.target = "rq.body.items";
    loop.variables = {"item"};
    loop.function = fn;
    b.file().loops.push_back(loop);
    b.call("exec", "exec(item.cmd)", fn, {{"item.cmd", ArgKind::member}});
    ProjectModel project;
    project.files = {&b.file()};
    const TaintEngine engine(project, lang_mask::all, SinkProfile{});
    const Fact f = arg_fact(engine, b.file(), 1);
    EXPECT_TRUE(f.tainted);
    EXPECT_EQ(f.origin, "rq.body");
}

}  // namespace
