#include <gtest/gtest.h>

#include "tests/unit/treesitter/ts_test_support.hpp"

namespace cq::treesitter::test {
namespace {

FileModel js(std::string src) { return parse(Language::javascript, std::move(src)); }

const char* const k_handler = R"js(const { setTimeout } = require('timers/promises');
const { setTimeout: sleep } = require('timers/promises');
const AWS = require('aws-sdk');
import axios from 'axios';
import { get as fetchIt } from 'http-client';
import * as path from 'path';
const fsp = require('fs').promises;

exports.handler = async (event) => {
  for (const record of event.Records) {
    await setTimeout(100);
    await sleep(50);
    const db = new AWS.DynamoDB({ region: 'eu-west-1', maxRetries: 3 });
    await db.put({ TableName: `t-${record.id}` }).promise();
  }
  try {
    return await axios.get(path.join('/a', 'b'));
  } catch (err) {
    await sleep(1000);
  }
};

class Queue {
  constructor(client) { this.client = client; }
  get size() { return this.items.length; }
  set size(v) { this.n = v; }
  async *drain() { while (await this.client.hasMore()) { yield this.client.next(); } }
  onMessage = async (msg) => { fetchIt(msg.url); };
  static create() { return new Queue(null); }
}

function outer(list) {
  const inner = function () { return list.map((x) => x * 2); };
  return inner();
}
module.exports = { outer };
)js";

TEST(TreeSitterJavaScript, FunctionsArrowsMethodsAndNames) {
    const FileModel m = js(k_handler);
    EXPECT_EQ(m.front_end, "tree-sitter");
    ASSERT_EQ(m.functions.size(), 10u);

    const Function& handler = fn(m, "handler");
    EXPECT_TRUE(handler.is_async);
    EXPECT_TRUE(handler.is_lambda);
    EXPECT_TRUE(handler.is_exported);
    ASSERT_EQ(handler.params.size(), 1u);
    EXPECT_EQ(handler.params[0].name, "event");
    // the name range of an arrow is its `=>`
    EXPECT_EQ(handler.name_range.start_line, 9u);
    EXPECT_EQ(handler.name_range.start_column, 33u);
    EXPECT_EQ(handler.name_range.end_column, 35u);

    EXPECT_EQ(fn(m, "Queue.constructor").class_name, "Queue");
    EXPECT_TRUE(fn(m, "Queue.constructor").is_method);
    // getter and setter share their property name
    std::size_t sizes = 0;
    for (const Function& f : m.functions) {
        sizes += f.qualified_name == "Queue.size" ? 1 : 0;
    }
    EXPECT_EQ(sizes, 2u);
    const Function& drain = fn(m, "Queue.drain");
    EXPECT_TRUE(drain.is_async);
    EXPECT_TRUE(drain.is_generator);
    const Function& on_message = fn(m, "Queue.onMessage");
    EXPECT_TRUE(on_message.is_method);
    EXPECT_TRUE(on_message.is_lambda);
    EXPECT_TRUE(on_message.is_async);
    EXPECT_EQ(on_message.class_name, "Queue");

    const Function& inner = fn(m, "outer.inner");
    EXPECT_TRUE(inner.is_lambda);
    EXPECT_EQ(inner.parent, fn_index(m, "outer"));
    const Function& arrow = fn(m, "outer.inner.<anonymous>");
    EXPECT_EQ(arrow.parent, fn_index(m, "outer.inner"));
    EXPECT_TRUE(fn(m, "outer").is_exported);  // module.exports = { outer }
    EXPECT_FALSE(fn(m, "Queue.create").is_exported);
}

TEST(TreeSitterJavaScript, CallsResolveThroughRequireAndImports) {
    const FileModel m = js(k_handler);
    const CallSite& st = call(m, "setTimeout");
    EXPECT_EQ(st.resolved, "timers/promises.setTimeout");
    EXPECT_TRUE(st.awaited);
    EXPECT_TRUE(st.in_async);
    EXPECT_EQ(st.loop_depth, 1u);
    EXPECT_EQ(st.function, fn_index(m, "handler"));
    EXPECT_EQ(m.loops[static_cast<std::size_t>(st.loop)].target, "event.Records");

    EXPECT_EQ(call(m, "sleep").resolved, "timers/promises.setTimeout");
    EXPECT_EQ(call(m, "axios.get").resolved, "axios.get");
    EXPECT_EQ(call(m, "path.join").resolved, "path.join");
    EXPECT_EQ(call(m, "fetchIt").resolved, "http-client.get");

    const CallSite& dynamo = call(m, "AWS.DynamoDB");
    EXPECT_TRUE(dynamo.is_new);
    EXPECT_EQ(dynamo.resolved, "aws-sdk.DynamoDB");
    EXPECT_EQ(dynamo.name, "DynamoDB");
    EXPECT_EQ(dynamo.receiver, "AWS");
    ASSERT_EQ(dynamo.args.size(), 1u);
    EXPECT_EQ(dynamo.args[0].kind, ArgKind::object);
    EXPECT_EQ(dynamo.args[0].object_keys, (std::vector<std::string>{"region", "maxRetries"}));

    const CallSite& put = call(m, "db.put");
    EXPECT_FALSE(put.awaited);  // the awaited call is .promise()
    EXPECT_EQ(put.args[0].object_keys, (std::vector<std::string>{"TableName"}));
    const CallSite& promise = call(m, "db.put({TableName:`t-${record.id}`}).promise");
    EXPECT_TRUE(promise.awaited);
    EXPECT_EQ(promise.name, "promise");

    // sleep in the catch block
    std::size_t in_handler = 0;
    for (const CallSite& c : m.calls) {
        if (c.callee == "sleep" && c.in_handler) {
            ++in_handler;
            EXPECT_EQ(c.loop_depth, 0u);
        }
    }
    EXPECT_EQ(in_handler, 1u);

    // the arrow passed to map points at its Function
    const CallSite& map = call(m, "list.map");
    ASSERT_EQ(map.args.size(), 1u);
    EXPECT_EQ(map.args[0].kind, ArgKind::function);
    EXPECT_EQ(map.args[0].function, fn_index(m, "outer.inner.<anonymous>"));

    // the while condition awaits in the loop header
    const CallSite& has_more = call(m, "this.client.hasMore");
    EXPECT_TRUE(has_more.in_loop_condition);
    EXPECT_TRUE(has_more.awaited);
    EXPECT_EQ(has_more.receiver, "this.client");

    ASSERT_GE(m.imports.size(), 7u);
    EXPECT_EQ(m.imports[0].module, "timers/promises");
    EXPECT_EQ(m.imports[0].name, "setTimeout");
    EXPECT_EQ(m.imports[1].alias, "sleep");
    EXPECT_EQ(m.imports[3].module, "axios");
    EXPECT_EQ(m.imports[3].alias, "axios");
}

TEST(TreeSitterJavaScript, LoopsAwaitsAndAssignments) {
    const FileModel m = js(k_handler);
    ASSERT_EQ(m.loops.size(), 2u);
    EXPECT_EQ(m.loops[0].kind, LoopKind::for_each);
    EXPECT_EQ(m.loops[0].variables, (std::vector<std::string>{"record"}));
    EXPECT_EQ(m.loops[0].header_range.start_line, 10u);
    EXPECT_EQ(m.loops[0].body_range.start_line, 10u);
    EXPECT_EQ(m.loops[0].body_range.end_line, 15u);
    EXPECT_EQ(m.loops[1].kind, LoopKind::while_);
    EXPECT_EQ(m.loops[1].condition, "await this.client.hasMore()");

    ASSERT_EQ(m.awaits.size(), 6u);
    EXPECT_EQ(m.awaits[0].loop, 0);
    EXPECT_EQ(m.awaits[4].loop, -1);
    EXPECT_TRUE(m.awaits[5].in_loop_condition);

    bool member = false;
    for (const Assignment& a : m.assignments) {
        if (a.target == "this.client") {
            member = a.is_member;
            EXPECT_EQ(a.value_kind, ArgKind::identifier);
        }
        if (a.target == "const db") {
            EXPECT_TRUE(a.is_declaration);
            EXPECT_EQ(a.value_kind, ArgKind::call);
            EXPECT_EQ(a.loop, 0);
        }
    }
    EXPECT_TRUE(member);
}

TEST(TreeSitterJavaScript, ControlTreeShape) {
    const FileModel m = js(R"js(function f(a, b, c, d) {
  if (a && b && c) {
  } else if (a && b || c) {
    x = a ? b : c;
  } else if (a ?? b) {
  } else {
    outer: for (let i = 0; i < 10; i++) {
      for (const k in obj) { if (k) continue outer; break; }
    }
  }
  switch (d) {
    case 1: g(); break;
    case 2:
    default: h(a || (b && c));
  }
  do { } while (a);
  try { } catch (e) { } finally { }
  const cb = () => f(a);
  return f(a - 1);
}
)js");
    const Function& f = fn(m, "f");
    EXPECT_EQ(shape(f),
              "if(run2/1) elif(run2/2 ternary) elif else(loop(loop(if(jump:labeled)))) "
              "switch(case case case:default(run1/1(run1/1))) loop:do catch fn recursion");
    // else-if points at `else if`
    const ControlNode& elif = f.control[1];
    EXPECT_EQ(elif.range.start_line, 3u);
    EXPECT_EQ(elif.range.start_column, 5u);
    EXPECT_EQ(elif.range.end_column, 12u);
    // the call of f inside the arrow is not recursion of f... but belongs to cb
    EXPECT_EQ(shape(fn(m, "f.cb")), "");
}

TEST(TreeSitterJavaScript, ExportedObjectMembersAndObjectScopes) {
    const FileModel m = js(R"js(module.exports = {
  handler: async (event, context) => { return process(event); },
  health() { return 'ok'; },
};
const api = { get: (id) => id, put(id) { return id; } };
const local = () => 1;
)js");
    ASSERT_EQ(m.functions.size(), 5u);
    const Function& handler = fn(m, "handler");
    EXPECT_TRUE(handler.is_exported);
    EXPECT_TRUE(handler.is_async);
    EXPECT_EQ(handler.params.size(), 2u);
    EXPECT_TRUE(fn(m, "health").is_exported);
    EXPECT_TRUE(fn(m, "health").is_method);
    EXPECT_FALSE(fn(m, "api.get").is_exported);
    EXPECT_TRUE(fn(m, "api.put").is_method);
    EXPECT_FALSE(fn(m, "local").is_exported);
}

TEST(TreeSitterJavaScript, JsxParsesWithTheJavaScriptGrammar) {
    const FileModel m = parse(Language::javascript, R"js(export function App({ items }) {
  return <ul>{items.map((it) => <li key={it.id}>{it.ok && it.name}</li>)}</ul>;
}
)js", Dialect::tsx);
    EXPECT_TRUE(m.diagnostics.empty());
    ASSERT_EQ(m.functions.size(), 2u);
    EXPECT_TRUE(fn(m, "App").is_exported);
    EXPECT_EQ(shape(fn(m, "App.<anonymous>")), "run1/1");
}

TEST(TreeSitterJavaScript, TokensNormalizeRenamedIdentifiers) {
    const FileModel m = js(R"js(function sum(xs) {
  let acc = 0; // running total
  for (const x of xs) { acc += x.price * 2; }
  return acc;
}
/* block
   comment */
function total(items) {
  let t = 5;
  for (const it of items) { t += it.cost * 3; }
  return t;
}
)js");
    EXPECT_EQ(norm_hashes(m, 1, 5), norm_hashes(m, 8, 12));
    EXPECT_NE(exact_hashes(m, 1, 5), exact_hashes(m, 8, 12));
    EXPECT_EQ(m.comment_lines, (std::vector<std::uint32_t>{2, 6, 7}));
}

TEST(TreeSitterJavaScript, SyntaxErrorsAreReportedAndTheRestIsLowered) {
    const FileModel m = js(R"js(function a(x) {
  if (x) { return 1; }
}
function b( {
  return 2
}
function c(list) {
  for (const v of list) { work(v); }
}
)js");
    ASSERT_FALSE(m.diagnostics.empty());
    EXPECT_NE(m.diagnostics[0].message.find("syntax error at line"), std::string::npos);
    EXPECT_EQ(shape(fn(m, "a")), "if");
    EXPECT_EQ(shape(fn(m, "c")), "loop");
    EXPECT_EQ(call(m, "work").loop_depth, 1u);
}

TEST(TreeSitterJavaScript, DeepNestingDoesNotCrash) {
    std::string src = "const x = " + std::string(5000, '[') + std::string(5000, ']') + ";\n";
    src += "function f(a) {\n";
    for (int i = 0; i < 5000; ++i) {
        src += "if (a) {\n";
    }
    for (int i = 0; i < 5000; ++i) {
        src += "}\n";
    }
    src += "}\nconst g = ";
    for (int i = 0; i < 5000; ++i) {
        src += "() => ";
    }
    src += "1;\n";
    const FileModel m = js(src);
    EXPECT_EQ(m.functions.size(), 5001u);  // f and 5000 arrows
    std::size_t depth = 0;
    const std::vector<ControlNode>* level = &fn(m, "f").control;
    while (!level->empty()) {
        ++depth;
        level = &level->back().children;
    }
    EXPECT_EQ(depth, 200u);
    EXPECT_EQ(m.functions.back().parent, static_cast<std::int32_t>(m.functions.size() - 2));
}

}  // namespace
}  // namespace cq::treesitter::test
