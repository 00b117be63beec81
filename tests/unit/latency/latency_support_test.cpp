// Unit tests of the latency rules' shared helpers: text utilities, constant durations, test paths.
#include <gtest/gtest.h>

#include "rules/support/latency_support.hpp"

namespace cq::latency {
namespace {

FileModel model_with(std::vector<Assignment> assignments, Language lang = Language::python) {
    FileModel f;
    f.language = lang;
    f.assignments = std::move(assignments);
    return f;
}

Assignment module_assignment(std::string target, std::string value, ArgKind kind = ArgKind::number_literal) {
    Assignment a;
    a.target = std::move(target);
    a.value = std::move(value);
    a.value_kind = kind;
    a.function = -1;
    return a;
}

TEST(LatencyDurations, Literals) {
    const FileModel f = model_with({});
    EXPECT_DOUBLE_EQ(*constant_seconds(f, "3", 1.0), 3.0);
    EXPECT_DOUBLE_EQ(*constant_seconds(f, "0.05", 1.0), 0.05);
    EXPECT_DOUBLE_EQ(*constant_seconds(f, "1000", 1e-3), 1.0);
    EXPECT_DOUBLE_EQ(*constant_seconds(f, "1_000", 1e-3), 1.0);
    EXPECT_DOUBLE_EQ(*constant_seconds(f, "5 * 1000", 1e-3), 5.0);
    EXPECT_DOUBLE_EQ(*constant_seconds(f, "(2 + 1) * 0.5", 1.0), 1.5);
    EXPECT_DOUBLE_EQ(*constant_seconds(f, "200000", 1e-6), 0.2);
    EXPECT_DOUBLE_EQ(*constant_seconds(f, "secs=2", 1.0), 2.0);
}

TEST(LatencyDurations, Chrono) {
    const FileModel f = model_with({}, Language::cpp);
    EXPECT_DOUBLE_EQ(*constant_seconds(f, "std::chrono::milliseconds(50)", 1.0), 0.05);
    EXPECT_DOUBLE_EQ(*constant_seconds(f, "std::chrono::seconds{2}", 1.0), 2.0);
    EXPECT_DOUBLE_EQ(*constant_seconds(f, "chrono::microseconds(500)", 1.0), 0.0005);
    EXPECT_DOUBLE_EQ(*constant_seconds(f, "50ms", 1.0), 0.05);
    EXPECT_DOUBLE_EQ(*constant_seconds(f, "1s", 1.0), 1.0);
    EXPECT_DOUBLE_EQ(*constant_seconds(f, "std::chrono::minutes(1)", 1.0), 60.0);
}

TEST(LatencyDurations, ComputedIsNotConstant) {
    const FileModel f = model_with({});
    EXPECT_FALSE(constant_seconds(f, "base_delay * 2 ** attempt", 1.0));
    EXPECT_FALSE(constant_seconds(f, "delay", 1.0));
    EXPECT_FALSE(constant_seconds(f, "min(cap, 2 ** n)", 1.0));
    EXPECT_FALSE(constant_seconds(f, "1u << attempt", 1.0));
    EXPECT_FALSE(constant_seconds(f, "random.random()", 1.0));
    EXPECT_FALSE(constant_seconds(f, "", 1.0));
}

TEST(LatencyDurations, ModuleConstants) {
    const FileModel f = model_with({module_assignment("POLL_S", "0.5"),
                                    module_assignment("const PAUSE_MS", "250"),
                                    module_assignment("TWICE", "POLL_S * 2", ArgKind::other)});
    EXPECT_DOUBLE_EQ(*constant_seconds(f, "POLL_S", 1.0), 0.5);
    EXPECT_DOUBLE_EQ(*constant_seconds(f, "PAUSE_MS", 1e-3), 0.25);
    EXPECT_DOUBLE_EQ(*constant_seconds(f, "TWICE", 1.0), 1.0);

    // Rebound somewhere: not a constant.
    Assignment again = module_assignment("POLL_S", "1");
    again.function = 0;
    const FileModel g = model_with({module_assignment("POLL_S", "0.5"), again});
    EXPECT_FALSE(constant_seconds(g, "POLL_S", 1.0));
}

TEST(LatencyDurations, Format) {
    EXPECT_EQ(format_seconds(3), "3 s");
    EXPECT_EQ(format_seconds(0.05), "50 ms");
    EXPECT_EQ(format_seconds(1.5), "1.5 s");
    EXPECT_EQ(format_seconds(0.0002), "200 us");
}

TEST(LatencyText, ExpressionRefs) {
    auto paths = [](std::string_view e) { return expression_refs(e).paths; };
    EXPECT_EQ(paths("payload"), (std::vector<std::string>{"payload"}));
    EXPECT_EQ(paths("self.config"), (std::vector<std::string>{"self.config"}));
    EXPECT_EQ(paths("{messageId: record.messageId, ts: now}"),
              (std::vector<std::string>{"now", "record.messageId"}));
    EXPECT_EQ(paths("{\"type\": \"ping\"}"), (std::vector<std::string>{}));
    EXPECT_EQ(paths("event[\"body\"]"), (std::vector<std::string>{"event"}));
    EXPECT_EQ(paths("client.list(token=token)"), (std::vector<std::string>{"token"}));
    EXPECT_EQ(paths("a if cond else None"), (std::vector<std::string>{"a", "cond"}));
    EXPECT_TRUE(expression_refs("time.time()").has_call);
    EXPECT_EQ(expression_refs("not self.full()").receivers, (std::vector<std::string>{"self"}));
    EXPECT_TRUE(expression_refs("f\"{name}\"").has_interpolation);
    EXPECT_FALSE(expression_refs("f\"{{literal}}\"").has_interpolation);
    EXPECT_TRUE(expression_refs("`id-${x}`").has_interpolation);
    EXPECT_TRUE(expression_refs("(x) => x + 1").has_call);
    EXPECT_TRUE(expression_refs("await load()").has_await);
}

TEST(LatencyText, AssignedNames) {
    EXPECT_EQ(assigned_names("x"), (std::vector<std::string>{"x"}));
    EXPECT_EQ(assigned_names("self.client"), (std::vector<std::string>{"self.client"}));
    EXPECT_EQ(assigned_names("const ddb"), (std::vector<std::string>{"ddb"}));
    EXPECT_EQ(assigned_names("char* sql"), (std::vector<std::string>{"sql"}));
    EXPECT_EQ(assigned_names("sqlite3 *db"), (std::vector<std::string>{"db"}));
    EXPECT_EQ(assigned_names("a, b"), (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(assigned_names("const { a, b: c }"), (std::vector<std::string>{"a", "c"}));
    EXPECT_EQ(assigned_names("clients[region]"), (std::vector<std::string>{"clients"}));
    EXPECT_EQ(assigned_names("this->ctx"), (std::vector<std::string>{"this.ctx"}));
}

TEST(LatencyText, PathsOverlap) {
    EXPECT_TRUE(paths_overlap("payload", "payload.ts"));
    EXPECT_TRUE(paths_overlap("self.config", "self"));
    EXPECT_FALSE(paths_overlap("payload", "payloads"));
    EXPECT_FALSE(paths_overlap("self.a", "self.b"));
}

TEST(LatencyText, TestPaths) {
    EXPECT_TRUE(is_test_path("tests/test_consumer.py"));
    EXPECT_TRUE(is_test_path("pkg/test_consumer.py"));
    EXPECT_TRUE(is_test_path("pkg/consumer_test.py"));
    EXPECT_TRUE(is_test_path("src/handler.test.ts"));
    EXPECT_TRUE(is_test_path("src/handler.spec.js"));
    EXPECT_TRUE(is_test_path("src/__tests__/handler.js"));
    EXPECT_TRUE(is_test_path("conftest.py"));
    EXPECT_FALSE(is_test_path("src/handler.js"));
    EXPECT_FALSE(is_test_path("python/latency/sleep-on-hot-path.py"));
    EXPECT_FALSE(is_test_path("src/contest.py"));
    EXPECT_FALSE(is_test_path("src/testing_utils.py"));
}

Range bytes(std::uint32_t start, std::uint32_t end) {
    Range r;
    r.start_byte = start;
    r.end_byte = end;
    r.start_line = 1;
    r.end_line = 1;
    return r;
}

// [x for c in load() for x in c if keep(x)]: clause 1 is `for c in load()`, clause 2
// `for x in c`. The first iterable runs once; a later clause and the `if` run per turn.
TEST(LatencyLoops, ComprehensionClausesRunLeftToRight) {
    const std::string src = "[x for c in load() for x in c if keep(x)]";
    Loop second;
    second.kind = LoopKind::comprehension;
    second.range = bytes(0, static_cast<std::uint32_t>(src.size()));
    second.body_range = bytes(1, 2);                      // x
    second.header_range = bytes(19, 29);                  // for x in c
    const auto load = static_cast<std::uint32_t>(src.find("load()"));
    const auto keep = static_cast<std::uint32_t>(src.find("keep(x)"));
    EXPECT_FALSE(is_looped(second, bytes(load, load + 6), false));  // an earlier clause's iterable
    EXPECT_TRUE(is_looped(second, bytes(keep, keep + 7), false));   // the `if` after the clause
    EXPECT_TRUE(is_looped(second, bytes(1, 2), false));             // the element
}

// A list of steps written in the code stays a list of steps with comments in it and past the
// 200 bytes the model keeps of a value.
TEST(LatencyLoops, LiteralStepsWithCommentsAreNotItems) {
    FileModel f;
    f.language = Language::javascript;
    f.source = "const steps = [\n  'a', // first\n  /* b */ 'c',\n];\nfor (const s of steps) {}\n";
    Assignment a;
    a.target = "const steps";
    a.value = "[\n  'a', // first\n  /* b */ 'c',\n]";
    a.range = bytes(0, static_cast<std::uint32_t>(f.source.find(";")));
    a.is_declaration = true;
    f.assignments.push_back(a);
    Loop loop;
    loop.kind = LoopKind::for_each;
    loop.target = "steps";
    loop.variables = {"s"};
    const auto at = static_cast<std::uint32_t>(f.source.find("for"));
    loop.range = bytes(at, static_cast<std::uint32_t>(f.source.size()));
    f.loops.push_back(loop);
    EXPECT_FALSE(is_item_loop(f, f.loops[0]));

    f.assignments[0].value = "[x, // the list reads a variable\n 'c']";
    EXPECT_TRUE(is_item_loop(f, f.loops[0]));
}

TEST(LatencyLineIndex, LinesWithAndWithoutATrailingNewline) {
    const LineIndex crlf("a = 1\r\nb = 2\r\n\nlast");
    EXPECT_EQ(crlf.line_count(), 4u);
    EXPECT_EQ(crlf.line(1), "a = 1");
    EXPECT_EQ(crlf.line(2), "b = 2");
    EXPECT_EQ(crlf.line(3), "");
    EXPECT_EQ(crlf.line(4), "last");
    EXPECT_EQ(crlf.line(5), "");
    EXPECT_EQ(crlf.line_of(0), 1u);
    EXPECT_EQ(crlf.line_of(6), 1u);  // the '\n' ends line 1
    EXPECT_EQ(crlf.line_of(7), 2u);
    EXPECT_EQ(crlf.line_of(15), 4u);
    const LineIndex empty("");
    EXPECT_EQ(empty.line_count(), 1u);
    EXPECT_EQ(empty.line(1), "");
}

}  // namespace
}  // namespace cq::latency
