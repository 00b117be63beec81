#include <gtest/gtest.h>

#include "tests/unit/treesitter/ts_test_support.hpp"

namespace cq::treesitter::test {
namespace {

FileModel ts(std::string src) { return parse(Language::typescript, std::move(src)); }

const char* const k_service = R"ts(import { setTimeout as delay } from 'timers/promises';
import fs = require('fs');
import type { Handler } from 'aws-lambda';

export const handler: Handler = async (event: SQSEvent, ctx?: Context): Promise<void> => {
  for (const rec of event.Records) {
    await delay(100);
    const body = JSON.parse(rec.body) as Payload;
    if (body.kind === 'a' || body.kind === 'b') {
      await new Repo(fs).save(body!);
    }
  }
};

export abstract class Repo<T> {
  private cache = new Map<string, T>();
  constructor(private readonly store: Store) { super(); }
  @Retry({ attempts: 3 })
  async save(this: Repo<T>, item: T, ttl: number = 60, ...tags: string[]): Promise<void> {
    while (!(await this.store.ready())) {
      await delay(ttl);
    }
  }
  abstract load(id: string): T;
}

namespace Util {
  export function twice(n: number): number { return n > 0 ? twice(n - 1) : 0; }
}

function overload(a: string): void;
function overload(a: any): void {}
)ts";

TEST(TreeSitterTypeScript, FunctionsAndSignatures) {
    const FileModel m = ts(k_service);
    EXPECT_EQ(m.front_end, "tree-sitter");
    EXPECT_TRUE(m.diagnostics.empty());
    // handler, constructor, save, twice and the overload body; signatures are not functions
    ASSERT_EQ(m.functions.size(), 5u);
    const Function& handler = fn(m, "handler");
    EXPECT_TRUE(handler.is_exported);
    EXPECT_TRUE(handler.is_async);
    ASSERT_EQ(handler.params.size(), 2u);
    EXPECT_EQ(handler.params[0].name, "event");
    EXPECT_FALSE(handler.params[0].has_default);
    EXPECT_EQ(handler.params[1].name, "ctx");
    EXPECT_TRUE(handler.params[1].has_default);  // optional

    const Function& save = fn(m, "Repo.save");
    EXPECT_TRUE(save.is_method);
    EXPECT_EQ(save.class_name, "Repo");
    EXPECT_EQ(save.decorators, (std::vector<std::string>{"Retry({attempts:3})"}));
    ASSERT_EQ(save.params.size(), 3u);  // `this` is a type annotation, not a parameter
    EXPECT_EQ(save.params[0].name, "item");
    EXPECT_EQ(save.params[1].name, "ttl");
    EXPECT_TRUE(save.params[1].has_default);
    EXPECT_EQ(save.params[2].name, "tags");
    EXPECT_TRUE(save.params[2].variadic);

    EXPECT_EQ(fn(m, "Repo.constructor").params.size(), 1u);
    EXPECT_EQ(shape(fn(m, "Util.twice")), "ternary(recursion)");
    EXPECT_EQ(fn(m, "overload").range.start_line, 32u);
}

TEST(TreeSitterTypeScript, CallsLoopsAndAwaits) {
    const FileModel m = ts(k_service);
    const CallSite& d = call(m, "delay");
    EXPECT_EQ(d.resolved, "timers/promises.setTimeout");
    EXPECT_TRUE(d.awaited);
    EXPECT_EQ(d.loop_depth, 1u);
    EXPECT_EQ(call(m, "JSON.parse").resolved, "JSON.parse");

    const CallSite& repo = call(m, "Repo");
    EXPECT_TRUE(repo.is_new);
    ASSERT_EQ(repo.args.size(), 1u);
    EXPECT_EQ(repo.args[0].kind, ArgKind::identifier);
    const CallSite& save = call(m, "new Repo(fs).save");
    EXPECT_TRUE(save.awaited);
    EXPECT_EQ(save.args[0].kind, ArgKind::identifier);  // body! looks through the assertion

    const CallSite& ready = call(m, "this.store.ready");
    EXPECT_TRUE(ready.in_loop_condition);
    EXPECT_TRUE(ready.awaited);  // through the parentheses

    EXPECT_EQ(shape(fn(m, "handler")), "loop(if(run1/1))");
    EXPECT_EQ(shape(fn(m, "Repo.save")), "loop");

    bool saw_fs = false;
    for (const Import& imp : m.imports) {
        if (imp.alias == "fs") {
            saw_fs = true;
            EXPECT_EQ(imp.module, "fs");
        }
    }
    EXPECT_TRUE(saw_fs);

    bool cache = false;
    for (const Assignment& a : m.assignments) {
        if (a.target == "this.cache") {
            cache = true;
            EXPECT_TRUE(a.is_member);
            EXPECT_EQ(a.value_kind, ArgKind::call);
        }
    }
    EXPECT_TRUE(cache);
}

TEST(TreeSitterTypeScript, TsxDialect) {
    const FileModel m = parse(Language::typescript, R"tsx(import React from 'react';
type Props = { items: string[]; onPick: (s: string) => void };
export const List = ({ items, onPick }: Props) => (
  <ul>
    {items.map((s) => (
      <li key={s} onClick={() => onPick(s)}>{s.length > 3 ? <b>{s}</b> : s}</li>
    ))}
  </ul>
);
)tsx", Dialect::tsx);
    EXPECT_TRUE(m.diagnostics.empty());
    ASSERT_EQ(m.functions.size(), 3u);
    EXPECT_TRUE(fn(m, "List").is_exported);
    EXPECT_EQ(shape(fn(m, "List.<anonymous>")), "fn ternary");
    EXPECT_EQ(call(m, "onPick").function, 2);

    // the same source as plain TypeScript does not parse
    const FileModel plain = parse(Language::typescript, std::string(m.source));
    EXPECT_FALSE(plain.diagnostics.empty());
}

TEST(TreeSitterTypeScript, SyntaxErrorsAreReportedAndTheRestIsLowered) {
    const FileModel m = ts(R"ts(function ok(n: number): number {
  return n > 1 ? n : 1;
}
let broken: = 3;
function later(xs: number[]) {
  for (const x of xs) { use(x); }
}
)ts");
    EXPECT_TRUE(has_diagnostic_at_line(m, 4));
    EXPECT_EQ(shape(fn(m, "ok")), "ternary");
    EXPECT_EQ(shape(fn(m, "later")), "loop");
}

TEST(TreeSitterTypeScript, DeepNestingDoesNotCrash) {
    std::string src = "function f(a: boolean) {\n";
    for (int i = 0; i < 5000; ++i) {
        src += "while (a) {\n";
    }
    for (int i = 0; i < 5000; ++i) {
        src += "}\n";
    }
    src += "}\nlet v = " + std::string(5000, '(') + "1" + std::string(5000, ')') + ";\n";
    const FileModel m = ts(src);
    EXPECT_EQ(m.loops.size(), 5000u);
    EXPECT_EQ(m.loops.back().depth, 5000u);
    EXPECT_EQ(m.functions.size(), 1u);
}

}  // namespace
}  // namespace cq::treesitter::test
