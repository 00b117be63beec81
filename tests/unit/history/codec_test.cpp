// The incremental cache's codec: a model survives a round trip field by field, malformed bytes
// are a miss, and a model field added without updating the codec makes a test fail.
#include <gtest/gtest.h>

#include "history/model_codec.hpp"

namespace {

using namespace cq;

Range r(std::uint32_t n) { return Range{n, n + 1, n + 2, n + 3, n * 10, n * 10 + 5}; }

FileModel sample_model() {
    FileModel m;
    m.path = "src/app.py";
    m.language = Language::typescript;
    m.source = "ignored: the codec never stores the source";
    m.front_end = "tree-sitter";
    m.lines = 42;
    m.ncloc = 30;
    Function f;
    f.name = "handle";
    f.qualified_name = "Consumer.handle";
    f.class_name = "Consumer";
    f.range = r(1);
    f.name_range = r(2);
    f.body_range = r(3);
    f.params = {{"event", r(4), true, false}, {"rest", r(5), false, true}};
    f.decorators = {"app.route('/x')"};
    f.parent = -1;
    f.is_async = true;
    f.is_generator = true;
    f.is_method = true;
    f.is_lambda = false;
    f.is_exported = true;
    ControlNode leaf{ControlKind::logical_run, control_flag::k_labeled, r(7), 3, 2, -1, {}};
    ControlNode mid{ControlKind::loop, control_flag::k_do_while, r(6), 0, 0, -1, {leaf, leaf}};
    ControlNode top{ControlKind::if_, 0, r(5), 0, 0, -1, {mid}};
    f.control = {top, ControlNode{ControlKind::nested_function, 0, r(8), 0, 0, 1, {}}};
    f.cyclomatic = 7;
    f.cognitive = 11;
    f.nloc = 20;
    f.max_nesting = 3;
    f.cognitive_increments = {{r(9), 3, 2, ControlKind::loop}};
    Function inner = f;
    inner.parent = 0;
    inner.control.clear();
    m.functions = {f, inner};
    CallSite c;
    c.callee = "time.sleep";
    c.resolved = "time.sleep";
    c.name = "sleep";
    c.receiver = "time";
    Argument a;
    a.kind = ArgKind::object;
    a.keyword = "timeout";
    a.text = "{WaitTimeSeconds: 20}";
    a.value = "v";
    a.function = 1;
    a.object_keys = {"WaitTimeSeconds"};
    a.range = r(10);
    c.args = {a};
    c.range = r(11);
    c.callee_range = r(12);
    c.function = 0;
    c.loop = 0;
    c.loop_depth = 2;
    c.is_new = true;
    c.awaited = true;
    c.in_async = true;
    c.in_handler = true;
    c.in_loop_condition = true;
    m.calls = {c};
    m.loops = {Loop{LoopKind::for_await, r(13), r(14), r(15), "event.Records", {"r"}, "i < n", 0, -1, 1}};
    m.awaits = {Await{r(16), 0, 0, 0, true}};
    m.assignments = {Assignment{"self.client", "boto3.client('s3')", ArgKind::call, r(17), 0, -1, true, false, true}};
    m.strings = {StringLiteral{"SELECT 1", r(18), 0, true}};
    m.imports = {Import{"time", "sleep", "sleep", r(19)}};
    m.tokens = {Token{TokenKind::keyword, 1, 2, 3, 100, 104}, Token{TokenKind::identifier, 5, 6, 3, 105, 111},
                Token{TokenKind::literal, 7, 8, 4, 120, 122}};
    m.comment_lines = {1, 2, 9};
    m.diagnostics = {Diagnostic{DiagnosticLevel::error, 3, 4, "syntax error"}};
    m.syntactic_only = true;
    return m;
}

void expect_range(const Range& a, const Range& b) {
    EXPECT_EQ(a.start_line, b.start_line);
    EXPECT_EQ(a.start_column, b.start_column);
    EXPECT_EQ(a.end_line, b.end_line);
    EXPECT_EQ(a.end_column, b.end_column);
    EXPECT_EQ(a.start_byte, b.start_byte);
    EXPECT_EQ(a.end_byte, b.end_byte);
}

void expect_control(const std::vector<ControlNode>& a, const std::vector<ControlNode>& b) {
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        EXPECT_EQ(a[i].kind, b[i].kind);
        EXPECT_EQ(a[i].flags, b[i].flags);
        expect_range(a[i].range, b[i].range);
        EXPECT_EQ(a[i].operators, b[i].operators);
        EXPECT_EQ(a[i].sequences, b[i].sequences);
        EXPECT_EQ(a[i].function, b[i].function);
        expect_control(a[i].children, b[i].children);
    }
}

}  // namespace

TEST(Codec, ModelRoundTripsEveryField) {
    const FileModel m = sample_model();
    const std::string bytes = history::encode_model(m);
    auto back = history::decode_model(bytes, "the source");
    ASSERT_TRUE(back);
    EXPECT_EQ(back->source, "the source");
    EXPECT_EQ(back->path, m.path);
    EXPECT_EQ(back->language, m.language);
    EXPECT_EQ(back->front_end, m.front_end);
    EXPECT_EQ(back->lines, m.lines);
    EXPECT_EQ(back->ncloc, m.ncloc);
    EXPECT_EQ(back->syntactic_only, m.syntactic_only);
    ASSERT_EQ(back->functions.size(), 2u);
    for (std::size_t i = 0; i < 2; ++i) {
        const Function& a = back->functions[i];
        const Function& b = m.functions[i];
        EXPECT_EQ(a.name, b.name);
        EXPECT_EQ(a.qualified_name, b.qualified_name);
        EXPECT_EQ(a.class_name, b.class_name);
        expect_range(a.range, b.range);
        expect_range(a.name_range, b.name_range);
        expect_range(a.body_range, b.body_range);
        ASSERT_EQ(a.params.size(), b.params.size());
        for (std::size_t p = 0; p < a.params.size(); ++p) {
            EXPECT_EQ(a.params[p].name, b.params[p].name);
            expect_range(a.params[p].range, b.params[p].range);
            EXPECT_EQ(a.params[p].has_default, b.params[p].has_default);
            EXPECT_EQ(a.params[p].variadic, b.params[p].variadic);
        }
        EXPECT_EQ(a.decorators, b.decorators);
        EXPECT_EQ(a.parent, b.parent);
        EXPECT_EQ(a.is_async, b.is_async);
        EXPECT_EQ(a.is_generator, b.is_generator);
        EXPECT_EQ(a.is_method, b.is_method);
        EXPECT_EQ(a.is_lambda, b.is_lambda);
        EXPECT_EQ(a.is_exported, b.is_exported);
        expect_control(a.control, b.control);
        EXPECT_EQ(a.cyclomatic, b.cyclomatic);
        EXPECT_EQ(a.cognitive, b.cognitive);
        EXPECT_EQ(a.nloc, b.nloc);
        EXPECT_EQ(a.max_nesting, b.max_nesting);
        ASSERT_EQ(a.cognitive_increments.size(), b.cognitive_increments.size());
        for (std::size_t k = 0; k < a.cognitive_increments.size(); ++k) {
            expect_range(a.cognitive_increments[k].range, b.cognitive_increments[k].range);
            EXPECT_EQ(a.cognitive_increments[k].amount, b.cognitive_increments[k].amount);
            EXPECT_EQ(a.cognitive_increments[k].nesting, b.cognitive_increments[k].nesting);
            EXPECT_EQ(a.cognitive_increments[k].kind, b.cognitive_increments[k].kind);
        }
    }
    ASSERT_EQ(back->calls.size(), 1u);
    const CallSite& c = back->calls[0];
    const CallSite& d = m.calls[0];
    EXPECT_EQ(c.callee, d.callee);
    EXPECT_EQ(c.resolved, d.resolved);
    EXPECT_EQ(c.name, d.name);
    EXPECT_EQ(c.receiver, d.receiver);
    ASSERT_EQ(c.args.size(), 1u);
    EXPECT_EQ(c.args[0].kind, d.args[0].kind);
    EXPECT_EQ(c.args[0].keyword, d.args[0].keyword);
    EXPECT_EQ(c.args[0].text, d.args[0].text);
    EXPECT_EQ(c.args[0].value, d.args[0].value);
    EXPECT_EQ(c.args[0].function, d.args[0].function);
    EXPECT_EQ(c.args[0].object_keys, d.args[0].object_keys);
    expect_range(c.args[0].range, d.args[0].range);
    expect_range(c.range, d.range);
    expect_range(c.callee_range, d.callee_range);
    EXPECT_EQ(c.function, d.function);
    EXPECT_EQ(c.loop, d.loop);
    EXPECT_EQ(c.loop_depth, d.loop_depth);
    EXPECT_EQ(c.is_new, d.is_new);
    EXPECT_EQ(c.awaited, d.awaited);
    EXPECT_EQ(c.in_async, d.in_async);
    EXPECT_EQ(c.in_handler, d.in_handler);
    EXPECT_EQ(c.in_loop_condition, d.in_loop_condition);
    ASSERT_EQ(back->loops.size(), 1u);
    EXPECT_EQ(back->loops[0].kind, LoopKind::for_await);
    expect_range(back->loops[0].header_range, m.loops[0].header_range);
    expect_range(back->loops[0].body_range, m.loops[0].body_range);
    EXPECT_EQ(back->loops[0].target, "event.Records");
    EXPECT_EQ(back->loops[0].variables, m.loops[0].variables);
    EXPECT_EQ(back->loops[0].condition, "i < n");
    EXPECT_EQ(back->loops[0].function, 0);
    EXPECT_EQ(back->loops[0].parent, -1);
    EXPECT_EQ(back->loops[0].depth, 1);
    ASSERT_EQ(back->awaits.size(), 1u);
    expect_range(back->awaits[0].range, m.awaits[0].range);
    EXPECT_EQ(back->awaits[0].call, 0);
    EXPECT_TRUE(back->awaits[0].in_loop_condition);
    ASSERT_EQ(back->assignments.size(), 1u);
    EXPECT_EQ(back->assignments[0].target, "self.client");
    EXPECT_EQ(back->assignments[0].value, "boto3.client('s3')");
    EXPECT_EQ(back->assignments[0].value_kind, ArgKind::call);
    EXPECT_TRUE(back->assignments[0].is_member);
    EXPECT_FALSE(back->assignments[0].is_declaration);
    EXPECT_TRUE(back->assignments[0].is_augmented);
    ASSERT_EQ(back->strings.size(), 1u);
    EXPECT_EQ(back->strings[0].value, "SELECT 1");
    EXPECT_TRUE(back->strings[0].is_template);
    ASSERT_EQ(back->imports.size(), 1u);
    EXPECT_EQ(back->imports[0].module, "time");
    EXPECT_EQ(back->imports[0].name, "sleep");
    EXPECT_EQ(back->imports[0].alias, "sleep");
    ASSERT_EQ(back->tokens.size(), 3u);
    for (std::size_t i = 0; i < 3; ++i) {
        EXPECT_EQ(back->tokens[i].kind, m.tokens[i].kind);
        EXPECT_EQ(back->tokens[i].norm_hash, m.tokens[i].norm_hash);
        EXPECT_EQ(back->tokens[i].exact_hash, m.tokens[i].exact_hash);
        EXPECT_EQ(back->tokens[i].line, m.tokens[i].line);
        EXPECT_EQ(back->tokens[i].start_byte, m.tokens[i].start_byte);
        EXPECT_EQ(back->tokens[i].end_byte, m.tokens[i].end_byte);
    }
    EXPECT_EQ(back->comment_lines, m.comment_lines);
    ASSERT_EQ(back->diagnostics.size(), 1u);
    EXPECT_EQ(back->diagnostics[0].level, DiagnosticLevel::error);
    EXPECT_EQ(back->diagnostics[0].line, 3u);
    EXPECT_EQ(back->diagnostics[0].column, 4u);
    EXPECT_EQ(back->diagnostics[0].message, "syntax error");
    // Encoding is deterministic.
    EXPECT_EQ(history::encode_model(*back), bytes);
}

TEST(Codec, DeepControlTreesNeedNoDeepStack) {
    FileModel m;
    m.path = "deep.py";
    Function f;
    f.name = "deep";
    ControlNode root{ControlKind::if_, 0, {}, 0, 0, -1, {}};
    ControlNode* cur = &root;
    for (int i = 0; i < 20000; ++i) {
        cur->children.push_back(ControlNode{ControlKind::loop, 0, {}, 0, 0, -1, {}});
        cur = &cur->children.back();
    }
    f.control.push_back(std::move(root));
    m.functions.push_back(std::move(f));
    auto back = history::decode_model(history::encode_model(m), "");
    ASSERT_TRUE(back);
    std::size_t depth = 0;
    const ControlNode* n = &back->functions[0].control[0];
    while (!n->children.empty()) {
        n = &n->children[0];
        ++depth;
    }
    EXPECT_EQ(depth, 20000u);
    // Let the deep tree go without a deep recursive destructor.
    for (auto* model : {&m, back.get()}) {
        std::vector<ControlNode> pending = std::move(model->functions[0].control);
        while (!pending.empty()) {
            ControlNode node = std::move(pending.back());
            pending.pop_back();
            for (auto& c : node.children) {
                pending.push_back(std::move(c));
            }
        }
    }
}

TEST(Codec, MalformedBytesAreAMiss) {
    const std::string bytes = history::encode_model(sample_model());
    EXPECT_FALSE(history::decode_model("", ""));
    EXPECT_FALSE(history::decode_model("garbage", ""));
    EXPECT_FALSE(history::decode_model(bytes.substr(0, bytes.size() / 2), ""));
    EXPECT_FALSE(history::decode_model(bytes + "x", ""));
    std::string other_version = bytes;
    other_version[3] = static_cast<char>(history::k_codec_version + 1);
    EXPECT_FALSE(history::decode_model(other_version, ""));
    for (std::size_t i = 4; i < bytes.size(); i += 7) {
        std::string flipped = bytes;
        flipped[i] = static_cast<char>(flipped[i] ^ 0xff);
        (void)history::decode_model(flipped, "");  // must not crash; may or may not decode
    }
    std::vector<Finding> out;
    EXPECT_FALSE(history::decode_findings("nope", out));
}

TEST(Codec, FindingsRoundTrip) {
    Finding f;
    f.rule = "complexity/cognitive";
    f.severity = Severity::critical;
    f.path = "a.py";
    f.range = r(3);
    f.message = "too complex";
    f.function = "C.f";
    f.secondary = {{"a.py", r(4), "+1"}};
    f.anchor = "anchor";
    f.fingerprint = "not stored";
    std::vector<Finding> back;
    ASSERT_TRUE(history::decode_findings(history::encode_findings({f, f}), back));
    ASSERT_EQ(back.size(), 2u);
    EXPECT_EQ(back[0].rule, f.rule);
    EXPECT_EQ(back[0].severity, f.severity);
    EXPECT_EQ(back[0].path, f.path);
    expect_range(back[0].range, f.range);
    EXPECT_EQ(back[0].message, f.message);
    EXPECT_EQ(back[0].function, f.function);
    ASSERT_EQ(back[0].secondary.size(), 1u);
    EXPECT_EQ(back[0].secondary[0].message, "+1");
    expect_range(back[0].secondary[0].range, f.secondary[0].range);
    EXPECT_EQ(back[0].anchor, "anchor");
    EXPECT_TRUE(back[0].fingerprint.empty());
}

// The codec lists every field by hand. When one of these sizes changes, a field was added to the
// model: add it to history/model_codec.cpp (and to the round-trip test above), bump
// k_codec_version, then update the size here. (x86-64, libstdc++.)
TEST(Codec, ModelLayoutIsTheOneTheCodecKnows) {
    EXPECT_EQ(sizeof(Range), 24u);
    EXPECT_EQ(sizeof(ControlNode), 64u);
    EXPECT_EQ(sizeof(ComplexityIncrement), 32u);
    EXPECT_EQ(sizeof(Parameter), 64u);
    EXPECT_EQ(sizeof(Function), 304u);
    EXPECT_EQ(sizeof(Argument), 160u);
    EXPECT_EQ(sizeof(CallSite), 216u);
    EXPECT_EQ(sizeof(Loop), 184u);
    EXPECT_EQ(sizeof(Await), 40u);
    EXPECT_EQ(sizeof(Assignment), 104u);
    EXPECT_EQ(sizeof(StringLiteral), 64u);
    EXPECT_EQ(sizeof(Import), 120u);
    EXPECT_EQ(sizeof(Token), 24u);
    EXPECT_EQ(sizeof(Diagnostic), 48u);
    EXPECT_EQ(sizeof(FileModel), 360u);
    EXPECT_EQ(sizeof(Finding), 248u);
    EXPECT_EQ(sizeof(SecondaryLocation), 88u);
}
