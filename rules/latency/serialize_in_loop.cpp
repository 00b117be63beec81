// latency/serialize-in-loop: JSON.stringify / json.dumps of a loop-invariant value inside a loop.
#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

#include "rules/registry.hpp"
#include "rules/rule.hpp"
#include "rules/support/latency_apis.hpp"
#include "rules/support/latency_support.hpp"

namespace cq {
namespace {

using namespace latency;

const RuleMeta& serialize_meta() {
    static const RuleMeta meta{
        .id = "latency/serialize-in-loop",
        .title = "A value that does not change should not be serialized on every turn of a loop",
        .languages = lang_mask::python | lang_mask::js_ts,
        .severity = Severity::minor,
        .clean_code_attribute = "EFFICIENT",
        .impacts = {{Quality::reliability, ImpactSeverity::low}},
        .cwe = {},
        .owasp = {},
        .options = {{"include-tests", "false", "Also report in test files."}, latency::test_paths_option()},
        .effort_minutes = 5,
        .doc = R"md(## What it finds
`JSON.stringify(x)`, `json.dumps(x)` (and `orjson` / `ujson` / `simplejson` / `pickle.dumps` /
`msgpack.packb`) inside a loop, where `x` is the same on every turn: a constant, a parameter, a
module-level constant, or a local variable that the loop neither assigns, nor mutates through a
method call, nor passes to another call.

It stays silent when the value may change between turns: it reads a loop variable, something the
loop assigns (the object or any attribute or key of it) or increments (`state.seq++`), calls a
function (`{"ts": time.time()}`), holds an f-string or template substitution, or is passed to
(and so may be changed by) another call in the loop; a member of `self` / `this` when the loop
calls methods on it; a non-constant module-level variable when the loop calls anything. It also
stays silent where the loop does not run per item: in an `except` / `catch` block (once per
failure), in a retry loop, and in a loop paced by a sleep (a periodic job). Only the serializers
of the standard and usual libraries count, however imported (`from json import dumps as
to_json`); a function of the file called `dumps` or `stringify` does not. Test files are skipped
unless `include-tests` is set.

## Why it matters
Serializing walks the whole value and allocates a new string each time. Done once per item for a
value that never changes, it burns CPU in proportion to the loop, on the path of every message.

## Example
```js
for (const connectionId of connectionIds) {
  const data = JSON.stringify(payload);   // the same string for every connection
  await send(connectionId, data);
}
```

## Instead
Serialize once before the loop and reuse the string:
```js
const data = JSON.stringify(payload);
for (const connectionId of connectionIds) {
  await send(connectionId, data);
}
```

## Options
- `include-tests` (default `false`): also report in test files.
)md",
        .aliases = {},
    };
    return meta;
}

bool is_constant_name(std::string_view name) {
    bool has_alpha = false;
    for (char c : name) {
        if (std::islower(static_cast<unsigned char>(c)) != 0) {
            return false;
        }
        has_alpha = has_alpha || std::isupper(static_cast<unsigned char>(c)) != 0;
    }
    return has_alpha;
}

// Names bound in the function: parameters and assignments.
bool is_local(const FileModel& file, std::int32_t fn, std::string_view base) {
    for (std::int32_t scope = fn; scope >= 0;) {
        const Function* f = function_ptr(file, scope);
        if (f == nullptr) {
            break;
        }
        for (const Parameter& p : f->params) {
            if (p.name == base) {
                return true;
            }
        }
        for (const Assignment& a : file.assignments) {
            if (a.function != scope) {
                continue;
            }
            for (const std::string& n : assigned_names(a.target)) {
                if (n == base) {
                    return true;
                }
            }
        }
        scope = f->parent;
    }
    return false;
}

// A `++` / `--` in the loop's body applied to `base` or to a member of it (`state.seq++`,
// `++count`): update expressions are not assignments in the model.
bool incremented_in(const FileModel& file, const Loop& loop, std::string_view base) {
    const std::string_view body = file.text(loop.range);
    for (std::size_t at = body.find_first_of("+-"); at != std::string_view::npos && at + 1 < body.size();
         at = body.find_first_of("+-", at + 1)) {
        if (body[at + 1] != body[at]) {
            continue;
        }
        // postfix: the path ends right before the operator
        std::size_t b = at;
        while (b > 0 && (is_ident_char(body[b - 1]) || body[b - 1] == '.' || body[b - 1] == '?')) {
            --b;
        }
        std::string_view before = body.substr(b, at - b);
        // prefix: the path starts right after it
        std::size_t e = at + 2;
        while (e < body.size() && (is_ident_char(body[e]) || body[e] == '.')) {
            ++e;
        }
        std::string_view after = body.substr(at + 2, e - at - 2);
        for (std::string_view path : {before, after}) {
            const std::string_view head = path.substr(0, path.find_first_of(".?"));
            if (!head.empty() && head == base) {
                return true;
            }
        }
        ++at;
    }
    return false;
}

// A loop that sleeps on every turn: a periodic job.
bool paced_by_sleep(const FileModel& file, const Loop& loop, const std::vector<SleepCall>& sleeps) {
    for (const SleepCall& s : sleeps) {
        const CallSite& c = file.calls[static_cast<std::size_t>(s.report_call)];
        if (loop.range.contains(c.range) && !c.in_handler) {
            return true;
        }
    }
    return false;
}

class SerializeInLoopRule final : public FileRule {
public:
    const RuleMeta& meta() const override { return serialize_meta(); }

    void check(const FileModel& file, const RuleContext& ctx,
               std::vector<Finding>& out) const override {
        if (file.loops.empty()) {
            return;
        }
        if (!option_bool(ctx, "include-tests", false) && is_test_file(ctx, file.path)) {
            return;
        }
        std::vector<SleepCall> sleeps;
        bool sleeps_found = false;
        for (std::size_t i = 0; i < file.calls.size(); ++i) {
            const CallSite& call = file.calls[i];
            const auto api = serializer_api(call);
            if (!api || call.in_handler) {
                continue;  // an except / catch block runs once per failure, not per turn
            }
            const std::int32_t l = looped_by(file, call.function, call.range);
            if (l < 0) {
                continue;
            }
            const Loop& turn = file.loops[static_cast<std::size_t>(l)];
            if (is_retry_loop(file, turn)) {
                continue;  // runs again only after a failure
            }
            if (!sleeps_found) {
                sleeps = find_sleeps(file);
                sleeps_found = true;
            }
            if (paced_by_sleep(file, turn, sleeps)) {
                continue;  // a periodic job: one serialization per period is nothing
            }
            const Argument* arg = argument(call, api->arg_index, {"obj"});
            if (arg == nullptr || argument_value(*arg).empty() || starts_with(argument_value(*arg), "*") ||
                starts_with(argument_value(*arg), "...")) {
                continue;
            }
            const Loop& loop = file.loops[static_cast<std::size_t>(l)];
            if (!invariant(file, call, *arg, loop)) {
                continue;
            }
            std::string shown(argument_value(*arg));
            if (shown.size() > 40) {
                shown = shown.substr(0, 37) + "...";
            }
            Finding f = make_finding(
                *this, ctx, file, call.range,
                "`" + api->display + "(" + shown +
                    ")` serializes the same value on every turn of the loop at line " +
                    std::to_string(loop.range.start_line) +
                    ": the work and the new string are repeated for nothing. Serialize it once "
                    "before the loop and reuse the result.");
            f.secondary.push_back(secondary(
                file, loop.header_range.end_byte > loop.header_range.start_byte ? loop.header_range
                                                                                : loop.range,
                "the loop"));
            out.push_back(std::move(f));
        }
    }

private:
    static bool invariant(const FileModel& file, const CallSite& call, const Argument& arg,
                          const Loop& loop) {
        if (arg.kind == ArgKind::call || arg.kind == ArgKind::interpolated ||
            arg.kind == ArgKind::function) {
            return false;
        }
        const ExprRefs refs = expression_refs(argument_value(arg));
        if (refs.has_call || refs.has_interpolation || refs.has_await) {
            return false;
        }
        const std::int32_t fn = call.function;
        // Calls of the loop other than serializers.
        std::vector<const CallSite*> others;
        const auto [c_lo, c_hi] = starting_in(file.calls, loop.range);
        for (std::size_t i = c_lo; i < c_hi; ++i) {
            const CallSite& c = file.calls[i];
            if (&c == &call || !loop.range.contains(c.range) || serializer_api(c)) {
                continue;
            }
            others.push_back(&c);
        }
        const auto [l_lo, l_hi] = starting_in(file.loops, loop.range);
        const auto [a_lo, a_hi] = starting_in(file.assignments, loop.range);
        for (const std::string& p : refs.paths) {
            const std::string base = p.substr(0, p.find('.'));
            // loop variables of this loop and of loops inside it around the call
            for (std::size_t li = l_lo; li < l_hi; ++li) {
                const Loop& l = file.loops[li];
                if (l.function == fn && loop.range.contains(l.range) && l.range.contains(call.range) &&
                    std::find(l.variables.begin(), l.variables.end(), base) != l.variables.end()) {
                    return false;
                }
            }
            // assigned in the loop (or in a comprehension's own clauses), the object itself or
            // any attribute of it (`state.last = item` changes `state.__dict__`)
            for (std::size_t ai = a_lo; ai < a_hi; ++ai) {
                const Assignment& a = file.assignments[ai];
                if (!loop.range.contains(a.range)) {
                    continue;
                }
                for (const std::string& n : assigned_names(a.target)) {
                    if (paths_overlap(p, n) || n == base || n.substr(0, n.find_first_of(".[")) == base) {
                        return false;
                    }
                }
            }
            if (incremented_in(file, loop, base)) {
                return false;  // `state.seq++`
            }
            // mutated or handed to another call in the loop
            for (const CallSite* c : others) {
                std::string recv;
                for (char ch : c->receiver) {
                    recv += ch == '?' ? '.' : ch;
                }
                const std::string recv_base = recv.substr(0, recv.find_first_of(".[("));
                if (!recv.empty() && (paths_overlap(p, recv) || recv_base == base)) {
                    return false;
                }
                for (const Argument& a : c->args) {
                    if (a.range.contains(call.range)) {
                        continue;  // the argument is the serialization itself
                    }
                    const ExprRefs ar = expression_refs(argument_value(a));
                    for (const std::string& q : ar.paths) {
                        if (paths_overlap(p, q) || q.substr(0, q.find('.')) == base) {
                            return false;
                        }
                    }
                }
            }
            const bool self = base == "self" || base == "this";
            if (self) {
                for (const CallSite* c : others) {
                    if (c->receiver == "self" || c->receiver == "this") {
                        return false;
                    }
                }
                continue;
            }
            if (!is_constant_name(base) && !is_local(file, fn, base)) {
                // a module-level or global variable: any call may change it
                if (!others.empty()) {
                    return false;
                }
            }
        }
        return true;
    }
};

}  // namespace
}  // namespace cq

CQ_REGISTER_RULE(cq::SerializeInLoopRule);
