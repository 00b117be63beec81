// Unit tests of the project-wide call graph and hot-path propagation, on hand-built models (so
// they test the analysis, not a front end).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "rules/support/hot_path.hpp"

namespace cq::latency {
namespace {

// Builds a FileModel whose ranges point at snippets of its source.
class Builder {
public:
    Builder(std::string path, Language lang, std::string source) {
        m_file.path = std::move(path);
        m_file.language = lang;
        m_file.source = std::move(source);
    }

    Range span(std::string_view needle, std::size_t from = 0) const {
        const std::size_t at = m_file.source.find(needle, from);
        EXPECT_NE(at, std::string::npos) << needle;
        Range r;
        r.start_byte = static_cast<std::uint32_t>(at);
        r.end_byte = static_cast<std::uint32_t>(at + needle.size());
        r.start_line = line_of(at);
        r.end_line = line_of(at + needle.size());
        r.start_column = 1;
        r.end_column = 2;
        return r;
    }

    std::int32_t function(std::string name, std::string_view whole, std::int32_t parent = -1,
                          bool is_async = false, std::string class_name = "") {
        Function f;
        f.name = name;
        f.qualified_name = class_name.empty() ? name : class_name + "." + name;
        f.class_name = std::move(class_name);
        f.is_method = !f.class_name.empty();
        f.range = span(whole);
        f.name_range = span(name, f.range.start_byte);
        f.body_range = f.range;
        f.parent = parent;
        f.is_async = is_async;
        m_file.functions.push_back(std::move(f));
        return static_cast<std::int32_t>(m_file.functions.size() - 1);
    }

    std::int32_t loop(LoopKind kind, std::string_view whole, std::string_view header,
                      std::int32_t function, std::vector<std::string> vars) {
        Loop l;
        l.kind = kind;
        l.range = span(whole);
        l.header_range = span(header, l.range.start_byte);
        l.body_range = Range{l.range.start_line, 1, l.range.end_line, 1, l.header_range.end_byte,
                             l.range.end_byte};
        l.function = function;
        l.variables = std::move(vars);
        m_file.loops.push_back(std::move(l));
        return static_cast<std::int32_t>(m_file.loops.size() - 1);
    }

    std::int32_t call(std::string callee, std::string_view text, std::int32_t function,
                      std::size_t from = 0, bool awaited = false) {
        CallSite c;
        c.callee = callee;
        c.resolved = callee;
        const std::size_t dot = callee.rfind('.');
        c.name = dot == std::string::npos ? callee : callee.substr(dot + 1);
        c.receiver = dot == std::string::npos ? "" : callee.substr(0, dot);
        c.range = span(text, from);
        c.callee_range = span(callee, c.range.start_byte);
        c.function = function;
        c.awaited = awaited;
        for (std::size_t i = 0; i < m_file.loops.size(); ++i) {
            if (m_file.loops[i].range.contains(c.range)) {
                c.loop = static_cast<std::int32_t>(i);
                c.loop_depth = 1;
            }
        }
        m_file.calls.push_back(std::move(c));
        return static_cast<std::int32_t>(m_file.calls.size() - 1);
    }

    void import(std::string module, std::string name, std::string alias) {
        Import i;
        i.module = std::move(module);
        i.name = std::move(name);
        i.alias = std::move(alias);
        m_file.imports.push_back(std::move(i));
    }

    FileModel& file() { return m_file; }

private:
    std::uint32_t line_of(std::size_t byte) const {
        std::uint32_t line = 1;
        for (std::size_t i = 0; i < byte && i < m_file.source.size(); ++i) {
            line += m_file.source[i] == '\n' ? 1 : 0;
        }
        return line;
    }

    FileModel m_file;
};

HotPathOptions defaults() {
    RuleContext ctx;
    return read_hot_path_options(ctx);
}

TEST(LatencyHotPath, HandlerReachesAcrossFilesThroughImports) {
    Builder app("svc/app.py", Language::python,
                "from .store import save\n"
                "def lambda_handler(event, context):\n"
                "    save(event)\n");
    app.import(".store", "save", "save");
    const auto handler = app.function("lambda_handler", "def lambda_handler(event, context):\n    save(event)");
    app.call("save", "save(event)", handler);

    Builder store("svc/store.py", Language::python,
                  "def save(item):\n"
                  "    write(item)\n"
                  "def write(item):\n"
                  "    pass\n"
                  "def unused():\n"
                  "    pass\n");
    const auto save = store.function("save", "def save(item):\n    write(item)");
    const auto write = store.function("write", "def write(item):\n    pass");
    const auto unused = store.function("unused", "def unused():\n    pass");
    store.call("write", "write(item)", save);

    ProjectModel project;
    project.files = {&app.file(), &store.file()};
    const HotPaths hot(project, defaults());
    EXPECT_EQ(hot.hot(0, handler).kind, HotKind::handler);
    EXPECT_EQ(hot.hot(1, save).kind, HotKind::hot_call);
    EXPECT_EQ(hot.hot(1, write).kind, HotKind::hot_call);
    EXPECT_EQ(hot.hot(1, unused).kind, HotKind::none);

    const auto chain = hot.hot_chain(1, write);
    ASSERT_EQ(chain.size(), 3u);
    EXPECT_EQ(chain[0].path, "svc/store.py");
    EXPECT_EQ(chain[0].message, "called from 'save' (line 1)");
    EXPECT_EQ(chain[1].path, "svc/app.py");
    EXPECT_EQ(chain[1].message, "called from handler 'lambda_handler' (line 2)");
    EXPECT_NE(chain[2].message.find("is a handler"), std::string::npos);
    EXPECT_EQ(hot.hot_phrase(1, write), "is reached from handler 'lambda_handler'");
    EXPECT_EQ(hot.hot_phrase(0, handler).rfind("is a handler", 0), 0u);
}

TEST(LatencyHotPath, LoopCallsMakeCalleesHotAndPerItem) {
    Builder b("worker.py", Language::python,
              "def main(items):\n"
              "    for item in items:\n"
              "        process(item)\n"
              "    while True:\n"
              "        poll()\n"
              "def process(item):\n"
              "    pass\n"
              "def poll():\n"
              "    pass\n");
    const auto main_fn = b.function("main", "def main(items):\n    for item in items:\n        process(item)\n    while True:\n        poll()");
    b.loop(LoopKind::for_each, "for item in items:\n        process(item)", "for item in items:", main_fn, {"item"});
    b.loop(LoopKind::while_, "while True:\n        poll()", "while True:", main_fn, {});
    const auto process = b.function("process", "def process(item):\n    pass");
    const auto poll = b.function("poll", "def poll():\n    pass");
    b.call("process", "process(item)", main_fn);
    b.call("poll", "poll()", main_fn);

    ProjectModel project;
    project.files = {&b.file()};
    const HotPaths hot(project, defaults());
    EXPECT_EQ(hot.hot(0, main_fn).kind, HotKind::none);
    EXPECT_EQ(hot.hot(0, process).kind, HotKind::loop_call);
    EXPECT_EQ(hot.hot(0, poll).kind, HotKind::loop_call);
    // Only the loop over items runs things per item; the consume loop does not.
    EXPECT_EQ(hot.per_item(0, process).kind, HotKind::loop_call);
    EXPECT_EQ(hot.per_item(0, poll).kind, HotKind::none);
    EXPECT_EQ(hot.per_item_phrase(0, process), "runs for each item of the loop at line 2 in 'main'");
    EXPECT_EQ(hot.hot_phrase(0, poll), "is called in the loop at line 4 in 'main'");
}

TEST(LatencyHotPath, UnawaitedAsyncCallsAreNotSequential) {
    Builder b("c.py", Language::python,
              "async def batch(ms):\n"
              "    for m in ms:\n"
              "        tasks.append(asyncio.create_task(handle(m)))\n"
              "    for m in ms:\n"
              "        await handle2(m)\n"
              "async def handle(m):\n"
              "    pass\n"
              "async def handle2(m):\n"
              "    pass\n");
    const auto batch = b.function("batch", "async def batch(ms):\n    for m in ms:\n        tasks.append(asyncio.create_task(handle(m)))\n    for m in ms:\n        await handle2(m)", -1, true);
    b.loop(LoopKind::for_each, "for m in ms:\n        tasks.append(asyncio.create_task(handle(m)))",
           "for m in ms:", batch, {"m"});
    const auto second = b.file().source.find("for m in ms:\n        await");
    Loop l;
    l.kind = LoopKind::for_each;
    l.range = b.span("for m in ms:\n        await handle2(m)");
    l.header_range = b.span("for m in ms:", second);
    l.body_range = Range{0, 0, 0, 0, l.header_range.end_byte, l.range.end_byte};
    l.function = batch;
    l.variables = {"m"};
    b.file().loops.push_back(l);
    const auto handle = b.function("handle", "async def handle(m):\n    pass", -1, true);
    const auto handle2 = b.function("handle2", "async def handle2(m):\n    pass", -1, true);
    b.call("tasks.append", "tasks.append(asyncio.create_task(handle(m)))", batch);
    b.call("asyncio.create_task", "asyncio.create_task(handle(m))", batch);
    b.call("handle", "handle(m)", batch);
    b.call("handle2", "handle2(m)", batch, 0, true);

    ProjectModel project;
    project.files = {&b.file()};
    const HotPaths hot(project, defaults());
    EXPECT_EQ(hot.per_item(0, handle).kind, HotKind::none);
    EXPECT_EQ(hot.per_item(0, handle2).kind, HotKind::loop_call);
    // Both still run on every turn: hot either way.
    EXPECT_NE(hot.hot(0, handle).kind, HotKind::none);
}

TEST(LatencyHotPath, RegisteredCallbacksAndTestFiles) {
    Builder b("src/consumer.js", Language::javascript,
              "consumer.subscribe(onMessage);\n"
              "function onMessage(m) { store(m); }\n"
              "function store(m) {}\n");
    const auto on_message = b.function("onMessage", "function onMessage(m) { store(m); }");
    const auto store = b.function("store", "function store(m) {}");
    const auto reg = b.call("consumer.subscribe", "consumer.subscribe(onMessage)", -1);
    Argument a;
    a.kind = ArgKind::identifier;
    a.text = "onMessage";
    b.file().calls[static_cast<std::size_t>(reg)].args.push_back(a);
    b.call("store", "store(m)", on_message);

    Builder t("src/__tests__/consumer.js", Language::javascript,
              "function helper() {}\n"
              "for (const x of xs) { helper(); }\n");
    const auto helper = t.function("helper", "function helper() {}");
    t.loop(LoopKind::for_each, "for (const x of xs) { helper(); }", "for (const x of xs)", -1, {"x"});
    t.call("helper", "helper()", -1, t.file().source.find("{ helper"));

    ProjectModel project;
    project.files = {&b.file(), &t.file()};
    const HotPaths hot(project, defaults());
    EXPECT_EQ(hot.hot(0, on_message).kind, HotKind::handler);
    EXPECT_EQ(hot.hot(0, store).kind, HotKind::hot_call);
    EXPECT_TRUE(hot.is_test_file(1));
    EXPECT_EQ(hot.hot(1, helper).kind, HotKind::none);

    RuleContext with_tests({{"include-tests", "true"}}, Severity::major);
    const HotPaths all(project, read_hot_path_options(with_tests));
    EXPECT_FALSE(all.is_test_file(1));
    EXPECT_EQ(all.hot(1, helper).kind, HotKind::loop_call);
}

TEST(LatencyHotPath, HandlerOptionsAreConfigurable) {
    Builder b("app.py", Language::python, "def on_event(e):\n    pass\n");
    const auto fn = b.function("on_event", "def on_event(e):\n    pass");
    ProjectModel project;
    project.files = {&b.file()};
    EXPECT_EQ(HotPaths(project, defaults()).hot(0, fn).kind, HotKind::none);
    RuleContext ctx({{"handler-names", "on_event, handler"}}, Severity::major);
    EXPECT_EQ(HotPaths(project, read_hot_path_options(ctx)).hot(0, fn).kind, HotKind::handler);
    RuleContext bad({{"include-tests", "maybe"}}, Severity::major);
    EXPECT_THROW(read_hot_path_options(bad), std::invalid_argument);
}

}  // namespace
}  // namespace cq::latency
