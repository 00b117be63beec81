#include <gtest/gtest.h>

#include "tests/unit/treesitter/ts_test_support.hpp"

namespace cq::treesitter::test {
namespace {

FileModel py(std::string src) { return parse(Language::python, std::move(src)); }

const char* const k_consumer = R"py(import time
import boto3 as aws
from time import sleep as nap
from asyncio import sleep

client = aws.client("sqs")


class Consumer(Base):
    @staticmethod
    @retry(times=3)
    def poll(queue, wait=20, *args, **kwargs):
        while True:
            msgs = queue.receive(WaitTimeSeconds=wait, QueueUrl="https://q")
            time.sleep(3)
            for m in msgs:
                nap(1)

    async def handle(self, event):
        for record in event["Records"]:
            await sleep(0.5)
        try:
            self.handle(event)
        except ValueError as exc:
            time.sleep(2 ** 3)

    def outer(self):
        def inner(x):
            return lambda y: y + x
        return inner
)py";

TEST(TreeSitterPython, FunctionsMethodsNestedAndLambdas) {
    const FileModel m = py(k_consumer);
    EXPECT_EQ(m.front_end, "tree-sitter");
    EXPECT_FALSE(m.syntactic_only);
    ASSERT_EQ(m.functions.size(), 5u);

    const Function& poll = fn(m, "Consumer.poll");
    EXPECT_EQ(poll.name, "poll");
    EXPECT_EQ(poll.class_name, "Consumer");
    EXPECT_TRUE(poll.is_method);
    EXPECT_FALSE(poll.is_async);
    EXPECT_EQ(poll.range.start_line, 12u);
    EXPECT_EQ(poll.range.end_line, 17u);
    EXPECT_EQ(poll.name_range.start_line, 12u);
    EXPECT_EQ(poll.name_range.start_column, 9u);
    EXPECT_EQ(poll.name_range.end_column, 13u);
    ASSERT_EQ(poll.decorators.size(), 2u);
    EXPECT_EQ(poll.decorators[0], "staticmethod");
    EXPECT_EQ(poll.decorators[1], "retry(times=3)");
    ASSERT_EQ(poll.params.size(), 4u);
    EXPECT_EQ(poll.params[0].name, "queue");
    EXPECT_EQ(poll.params[1].name, "wait");
    EXPECT_TRUE(poll.params[1].has_default);
    EXPECT_EQ(poll.params[2].name, "args");
    EXPECT_TRUE(poll.params[2].variadic);
    EXPECT_EQ(poll.params[3].name, "kwargs");
    EXPECT_TRUE(poll.params[3].variadic);

    const Function& handle = fn(m, "Consumer.handle");
    EXPECT_TRUE(handle.is_async);
    EXPECT_TRUE(handle.is_method);

    const Function& inner = fn(m, "Consumer.outer.inner");
    EXPECT_EQ(inner.parent, fn_index(m, "Consumer.outer"));
    EXPECT_FALSE(inner.is_method);
    const Function& lam = fn(m, "Consumer.outer.inner.<lambda>");
    EXPECT_EQ(lam.name, "<lambda>");
    EXPECT_TRUE(lam.is_lambda);
    EXPECT_EQ(lam.parent, fn_index(m, "Consumer.outer.inner"));
    ASSERT_EQ(lam.params.size(), 1u);
    EXPECT_EQ(lam.params[0].name, "y");
    EXPECT_EQ(shape(fn(m, "Consumer.outer")), "fn");
    EXPECT_EQ(shape(inner), "fn");

    // functions are ordered by start position, parents first
    for (std::size_t i = 1; i < m.functions.size(); ++i) {
        EXPECT_LE(m.functions[i - 1].range.start_byte, m.functions[i].range.start_byte);
    }
}

TEST(TreeSitterPython, CallsResolveThroughImportsAndAliases) {
    const FileModel m = py(k_consumer);
    EXPECT_EQ(call(m, "time.sleep").resolved, "time.sleep");
    EXPECT_EQ(call(m, "nap").resolved, "time.sleep");
    EXPECT_EQ(call(m, "sleep").resolved, "asyncio.sleep");
    EXPECT_EQ(call(m, "aws.client").resolved, "boto3.client");
    EXPECT_EQ(call(m, "aws.client").function, -1);

    const CallSite& receive = call(m, "queue.receive");
    EXPECT_EQ(receive.name, "receive");
    EXPECT_EQ(receive.receiver, "queue");
    EXPECT_EQ(receive.function, fn_index(m, "Consumer.poll"));
    EXPECT_EQ(receive.loop_depth, 1u);
    ASSERT_EQ(receive.args.size(), 2u);
    EXPECT_EQ(receive.args[0].keyword, "WaitTimeSeconds");
    EXPECT_EQ(receive.args[0].kind, ArgKind::identifier);
    EXPECT_EQ(receive.args[1].keyword, "QueueUrl");
    EXPECT_EQ(receive.args[1].kind, ArgKind::string_literal);
    EXPECT_EQ(receive.args[1].value, "https://q");

    const CallSite& nap = call(m, "nap");
    EXPECT_EQ(nap.loop_depth, 2u);
    EXPECT_EQ(m.loops[static_cast<std::size_t>(nap.loop)].kind, LoopKind::for_each);
    EXPECT_EQ(nap.args[0].kind, ArgKind::number_literal);

    const CallSite& sleep = call(m, "sleep");
    EXPECT_TRUE(sleep.awaited);
    EXPECT_TRUE(sleep.in_async);
    EXPECT_EQ(sleep.loop_depth, 1u);
    EXPECT_FALSE(sleep.in_handler);

    // the backoff sleep sits in the except handler
    std::size_t handler_sleeps = 0;
    for (const CallSite& c : m.calls) {
        if (c.resolved == "time.sleep" && c.in_handler) {
            ++handler_sleeps;
            EXPECT_EQ(c.function, fn_index(m, "Consumer.handle"));
            EXPECT_EQ(c.args[0].kind, ArgKind::other);
        }
    }
    EXPECT_EQ(handler_sleeps, 1u);

    ASSERT_EQ(m.imports.size(), 4u);
    EXPECT_EQ(m.imports[0].module, "time");
    EXPECT_EQ(m.imports[1].module, "boto3");
    EXPECT_EQ(m.imports[1].alias, "aws");
    EXPECT_EQ(m.imports[2].module, "time");
    EXPECT_EQ(m.imports[2].name, "sleep");
    EXPECT_EQ(m.imports[2].alias, "nap");
}

TEST(TreeSitterPython, LoopsAwaitsAndRecursion) {
    const FileModel m = py(k_consumer);
    ASSERT_EQ(m.loops.size(), 3u);
    EXPECT_EQ(m.loops[0].kind, LoopKind::while_);
    EXPECT_EQ(m.loops[0].condition, "True");
    EXPECT_EQ(m.loops[0].depth, 1u);
    EXPECT_EQ(m.loops[1].kind, LoopKind::for_each);
    EXPECT_EQ(m.loops[1].target, "msgs");
    ASSERT_EQ(m.loops[1].variables.size(), 1u);
    EXPECT_EQ(m.loops[1].variables[0], "m");
    EXPECT_EQ(m.loops[1].parent, 0);
    EXPECT_EQ(m.loops[1].depth, 2u);
    EXPECT_EQ(m.loops[2].target, "event[\"Records\"]");
    EXPECT_EQ(m.loops[2].function, fn_index(m, "Consumer.handle"));

    ASSERT_EQ(m.awaits.size(), 1u);
    EXPECT_EQ(m.awaits[0].loop, 2);
    EXPECT_EQ(m.awaits[0].range.start_line, 21u);
    ASSERT_GE(m.awaits[0].call, 0);
    EXPECT_EQ(m.calls[static_cast<std::size_t>(m.awaits[0].call)].callee, "sleep");

    // self.handle(event) inside handle is recursion
    EXPECT_EQ(shape(fn(m, "Consumer.handle")), "loop recursion catch");
    EXPECT_EQ(shape(fn(m, "Consumer.poll")), "loop(loop)");
}

TEST(TreeSitterPython, ControlTreeShape) {
    const FileModel m = py(R"py(def f(a, b, c, items):
    if a and b and c:
        pass
    elif a and b or c:
        x = 1 if a else 2
    elif not (a or b):
        pass
    else:
        y = [i for i in items if i for j in i]
    for i in items:
        if i:
            break
    else:
        z = a or b
    while a:
        a -= 1
    else:
        pass
    try:
        pass
    except ValueError:
        pass
    except (TypeError, KeyError):
        pass
    else:
        if c:
            pass
    finally:
        pass
    match a:
        case 1:
            pass
        case _ if b:
            pass
        case _:
            pass
    with open(a) as fh:
        g = lambda q: q
    return f(a, b, c, items)
)py");
    const Function& f = fn(m, "f");
    EXPECT_EQ(shape(f),
              "if(run2/1) elif(run2/2 ternary) elif(run1/1) else(loop:comp if:comp loop:comp) "
              "loop(if) run1/1 loop catch catch if switch(case case case:default) fn recursion");
    // the ternary sits in the body of the second arm
    EXPECT_EQ(f.control[1].children[1].kind, ControlKind::ternary);
    EXPECT_EQ(f.control[1].children[1].range.start_line, 5u);
    // a logical run points at its first operator
    EXPECT_EQ(f.control[0].children[0].range.start_line, 2u);
    EXPECT_EQ(f.control[0].children[0].range.start_column, 10u);
    // comprehension loops: kind, parent chain and iteration targets
    std::vector<const Loop*> comp;
    for (const Loop& l : m.loops) {
        if (l.kind == LoopKind::comprehension) {
            comp.push_back(&l);
        }
    }
    ASSERT_EQ(comp.size(), 2u);
    EXPECT_EQ(comp[0]->target, "items");
    EXPECT_EQ(comp[1]->target, "i");
    EXPECT_EQ(comp[1]->depth, 2u);
    EXPECT_EQ(m.loops[static_cast<std::size_t>(comp[1]->parent)].target, "items");
    // the `with` lambda is a nested function named after its variable
    EXPECT_EQ(fn(m, "f.g").name, "g");
}

TEST(TreeSitterPython, AssignmentsStringsAndArgs) {
    const FileModel m = py(R"py(API_KEY = "s3cr3t"
class C:
    def __init__(self, n):
        self.client = make_client()
        self.count: int = 0
        self.count += n
        msg = f"hello {n}"
        log("a" + str(n), "%s" % n, "{}".format(n), None, True, {"Key": 1, "Other": 2}, [1], -4)
)py");
    ASSERT_EQ(m.assignments.size(), 5u);
    EXPECT_EQ(m.assignments[0].target, "API_KEY");
    EXPECT_EQ(m.assignments[0].value_kind, ArgKind::string_literal);
    EXPECT_EQ(m.assignments[0].function, -1);
    EXPECT_EQ(m.assignments[1].target, "self.client");
    EXPECT_TRUE(m.assignments[1].is_member);
    EXPECT_EQ(m.assignments[1].value_kind, ArgKind::call);
    EXPECT_TRUE(m.assignments[2].is_declaration);
    EXPECT_TRUE(m.assignments[3].is_augmented);
    EXPECT_EQ(m.assignments[4].value_kind, ArgKind::interpolated);

    const CallSite& log = call(m, "log");
    ASSERT_EQ(log.args.size(), 8u);
    EXPECT_EQ(log.args[0].kind, ArgKind::concatenation);
    EXPECT_EQ(log.args[1].kind, ArgKind::concatenation);
    EXPECT_EQ(log.args[2].kind, ArgKind::concatenation);
    EXPECT_EQ(log.args[3].kind, ArgKind::null_literal);
    EXPECT_EQ(log.args[4].kind, ArgKind::bool_literal);
    EXPECT_EQ(log.args[5].kind, ArgKind::object);
    EXPECT_EQ(log.args[5].object_keys, (std::vector<std::string>{"Key", "Other"}));
    EXPECT_EQ(log.args[6].kind, ArgKind::array);
    EXPECT_EQ(log.args[7].kind, ArgKind::number_literal);

    ASSERT_GE(m.strings.size(), 2u);
    EXPECT_EQ(m.strings[0].value, "s3cr3t");
    EXPECT_EQ(m.strings[0].range.start_line, 1u);
    EXPECT_EQ(m.strings[0].range.start_column, 11u);
    EXPECT_EQ(m.strings[0].range.end_column, 19u);
    bool saw_template = false;
    for (const StringLiteral& s : m.strings) {
        if (s.is_template) {
            saw_template = true;
            EXPECT_EQ(s.value, "hello {n}");
            EXPECT_EQ(s.function, fn_index(m, "C.__init__"));
        }
    }
    EXPECT_TRUE(saw_template);
}

TEST(TreeSitterPython, TokensNormalizeRenamedIdentifiersAndSkipComments) {
    const FileModel m = py(R"py(def total(items):  # sum the prices
    acc = 0
    for it in items:
        acc += it.price * 2
    return acc
# a comment line
def summe(xs):
    s = 1
    for x in xs:
        s += x.cost * 7
    return s
)py");
    const auto a = norm_hashes(m, 1, 5);
    const auto b = norm_hashes(m, 7, 11);
    EXPECT_EQ(a.size(), 23u);
    EXPECT_EQ(a, b);
    EXPECT_NE(exact_hashes(m, 1, 5), exact_hashes(m, 7, 11));
    EXPECT_EQ(m.comment_lines, (std::vector<std::uint32_t>{1, 6}));
    EXPECT_EQ(m.lines, 11u);
    EXPECT_EQ(m.ncloc, 10u);
    for (const Token& t : m.tokens) {
        EXPECT_NE(m.source[t.start_byte], '#');
    }
}

TEST(TreeSitterPython, SyntaxErrorsAreReportedAndTheRestIsLowered) {
    const FileModel m = py(R"py(def ok(a):
    if a:
        return g(a)

def broken(:
    pass

def after(b):
    for x in b:
        h(x)
)py");
    EXPECT_FALSE(m.diagnostics.empty());
    EXPECT_TRUE(has_diagnostic_at_line(m, 5));
    EXPECT_NE(m.diagnostics[0].message.find("syntax error at line 5"), std::string::npos);
    EXPECT_EQ(shape(fn(m, "ok")), "if");
    EXPECT_EQ(shape(fn(m, "after")), "loop");
    EXPECT_EQ(call(m, "h").loop_depth, 1u);
}

TEST(TreeSitterPython, DeepNestingDoesNotCrash) {
    std::string src = "x = " + std::string(5000, '[') + std::string(5000, ']') + "\n";
    // tree-sitter-python keeps indentation widths in one byte: 240 levels of one-space
    // indentation is as deep as Python nesting gets
    src += "def f(a):\n";
    for (int i = 0; i < 240; ++i) {
        src += std::string(static_cast<std::size_t>(i + 1), ' ') + "if a:\n";
    }
    src += std::string(241, ' ') + "pass\n";
    src += "def g(a):\n    return " ;
    for (int i = 0; i < 5000; ++i) {
        src += "a and ";
    }
    src += "a\n";
    src += "y = " + std::string(5000, '(') + "1" + std::string(5000, ')') + "\n";
    const FileModel m = py(src);
    ASSERT_EQ(m.functions.size(), 2u);
    // one run of 5000 like operators
    ASSERT_EQ(fn(m, "g").control.size(), 1u);
    EXPECT_EQ(fn(m, "g").control[0].operators, 5000u);
    EXPECT_EQ(fn(m, "g").control[0].sequences, 1u);
    // nesting is kept up to the cap, then flattened with a warning
    std::size_t depth = 0;
    const std::vector<ControlNode>* level = &fn(m, "f").control;
    while (!level->empty()) {
        ++depth;
        level = &level->back().children;
    }
    EXPECT_EQ(depth, 200u);
    bool warned = false;
    for (const Diagnostic& d : m.diagnostics) {
        warned = warned || d.level == DiagnosticLevel::warning;
    }
    EXPECT_TRUE(warned);
}

}  // namespace
}  // namespace cq::treesitter::test
