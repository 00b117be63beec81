// latency/sleep-on-hot-path: a fixed sleep inside a loop, a handler, or anything a hot function
// reaches, across functions and files.
#include <string>
#include <vector>

#include "rules/registry.hpp"
#include "rules/rule.hpp"
#include "rules/support/hot_path.hpp"
#include "rules/support/latency_apis.hpp"
#include "rules/support/latency_poll.hpp"
#include "rules/support/latency_support.hpp"

namespace cq {
namespace {

using namespace latency;

const RuleMeta& sleep_meta() {
    static const RuleMeta meta{
        .id = "latency/sleep-on-hot-path",
        .title = "Fixed sleeps should not run inside loops, handlers or code they reach",
        .languages = lang_mask::all,
        .severity = Severity::major,
        .clean_code_attribute = "EFFICIENT",
        .impacts = {{Quality::reliability, ImpactSeverity::medium}},
        .cwe = {},
        .owasp = {},
        .options = hot_path_rule_options(),
        .effort_minutes = 15,
        .doc = R"md(## What it finds
A sleep with a fixed, constant duration (`time.sleep(3)`, `await asyncio.sleep(5)`,
`await new Promise((r) => setTimeout(r, 1000))`, `setTimeout` from `timers/promises`,
`std::this_thread::sleep_for(2s)`, `sleep(1)`, `usleep(500000)`, and calls to small helpers that
only wrap one of these with a parameter as the delay, in the same file or imported from another:
`const { sleep } = require('./util')`) that runs on a hot path:

- inside a loop (every turn waits), or
- in a handler (a Lambda `handler` / `lambda_handler`, a route, a subscription or consumer
  callback), or
- in any function that a handler or a loop calls, directly or through other functions and
  files. The finding then carries the call chain as secondary locations.

A `while True` / `for (;;)` loop only counts when it fetches work (it receives, polls, reads,
pops...) or sits on a hot path: a loop that only runs a periodic job and sleeps for its period is
a schedule, not a latency bug.

Not reported, on purpose:
- **Backoff after a failure**: a sleep inside an `except` / `catch` block, one whose duration is
  computed (`base * 2 ** attempt`, `min(cap, delay)`, a configured interval), one in a retry loop
  (`for attempt in range(n)`, a loop that catches and leaves on success), or one guarded by a
  failure check (`if resp.status_code == 429:`).
- `sleep(0)` / `setTimeout(r, 0)`: a yield, not a wait.
- A sleep with a comment saying it is deliberate rate limiting (`# rate limit`, `throttle`).
- Short sleeps of a polling loop: `latency/busy-poll` reports those.
- Module-level code under `if __name__ == "__main__":` / `if (require.main === module)`: a
  script's demo or entry point, run by hand (functions it calls in a loop are still hot).
- `time.sleep` inside `async def`: `latency/blocking-call-in-async` reports it.
- Test files, unless `include-tests` is set.

## Why it matters
A fixed sleep on the path of a message or request adds its full duration to the latency of every
message, and while the worker sleeps it does no work, so throughput drops with it. In a consumer
that sleeps 3 s "to let the queue stabilize", every batch takes 3 s longer; in a Lambda it is
billed time. Such sleeps usually stand in for a condition nobody waited for properly.

## Example
```python
async def handle_message(message):
    if message["type"] == "manifest":
        await asyncio.sleep(3)        # "queue stabilization"
        ...

async def process_batch(messages):
    for message in messages:
        await handle_message(message)  # the sleep runs once per message
```

## Instead
Remove the sleep and wait for the thing itself: a blocking or long-polling receive, an
`asyncio.Event` / condition variable, a callback, or state that tolerates the order in which
messages arrive. Keep sleeps for backoff after a failure, growing with the attempt:
```python
for attempt in range(5):
    try:
        return op()
    except ThrottlingError:
        time.sleep(0.2 * 2 ** attempt)
```

## Options
)md" + hot_path_options_doc(),
        .aliases = {},
    };
    return meta;
}

const std::vector<std::string_view> k_failure_words = {
    "retry", "retries", "attempt", "throttl", "429", "503", "502", "error", "err ", "err)",
    "fail", "backoff", "exception", "not ok", "!ok", "rate", "limit", "unavailable", "busy"};
const std::vector<std::string_view> k_intent_words = {"rate limit", "rate-limit", "ratelimit",
                                                      "throttl", "polite", "be nice",
                                                      "api limit", "quota"};

bool mentions_any(const std::string& text, const std::vector<std::string_view>& words) {
    const std::string t = to_lower(text);
    for (std::string_view w : words) {
        if (t.find(w) != std::string::npos) {
            return true;
        }
    }
    return false;
}

// An open loop (while True / for(;;)) that fetches work, or contains a loop over items.
bool loop_fetches_work(const FileModel& file, const Loop& loop) {
    const auto [c_lo, c_hi] = starting_in(file.calls, loop.range);
    for (std::size_t i = c_lo; i < c_hi; ++i) {
        const CallSite& c = file.calls[i];
        if (c.function == loop.function && loop.range.contains(c.range) && is_receive_like(c)) {
            return true;
        }
    }
    const auto [l_lo, l_hi] = starting_in(file.loops, loop.range);
    for (std::size_t i = l_lo; i < l_hi; ++i) {
        const Loop& inner = file.loops[i];
        if (&inner != &loop && inner.function == loop.function && loop.range.contains(inner.range) &&
            is_item_loop(file, inner)) {
            return true;
        }
    }
    return false;
}

class SleepOnHotPathRule final : public ProjectRule {
public:
    const RuleMeta& meta() const override { return sleep_meta(); }

    void check(const ProjectModel& project, const RuleContext& ctx,
               std::vector<Finding>& out) const override {
        const HotPathOptions options = read_hot_path_options(ctx);
        const auto shared = shared_hot_paths(project, options);
        const HotPaths& hot = *shared;
        // Sleep helpers of every file, so `await sleep(500)` with `sleep` imported from a
        // utility module counts as the sleep it wraps.
        std::vector<std::vector<SleepWrapper>> wrappers(project.files.size());
        for (std::size_t fi = 0; fi < project.files.size(); ++fi) {
            wrappers[fi] = sleep_wrappers(*project.files[fi]);
        }
        for (std::size_t fi = 0; fi < project.files.size(); ++fi) {
            const FileModel& file = *project.files[fi];
            if (hot.is_test_file(fi) || (meta().languages & language_bit(file.language)) == 0) {
                continue;
            }
            std::vector<ImportedSleep> imported;
            for (std::size_t ci = 0; ci < file.calls.size(); ++ci) {
                for (const FnRef& callee : hot.graph().callees(fi, ci)) {
                    if (static_cast<std::size_t>(callee.file) == fi) {
                        continue;
                    }
                    for (const SleepWrapper& w : wrappers[static_cast<std::size_t>(callee.file)]) {
                        if (w.function == callee.fn) {
                            imported.push_back(ImportedSleep{static_cast<std::int32_t>(ci), w});
                        }
                    }
                }
            }
            const std::vector<SleepCall> sleeps = find_sleeps(file, imported);
            if (sleeps.empty()) {
                continue;
            }
            const LineIndex lines(file.source);
            const ClientTracker clients(file);
            for (const SleepCall& s : sleeps) {
                check_sleep(hot, fi, file, lines, clients, s, ctx, out);
            }
        }
    }

private:
    void check_sleep(const HotPaths& hot, std::size_t fi, const FileModel& file,
                     const LineIndex& lines, const ClientTracker& clients, const SleepCall& s,
                     const RuleContext& ctx, std::vector<Finding>& out) const {
        if (!s.seconds || *s.seconds <= 0.0) {
            return;  // computed (backoff, configured interval) or a yield
        }
        const CallSite& call = file.calls[static_cast<std::size_t>(s.call)];
        const CallSite& report = file.calls[static_cast<std::size_t>(s.report_call)];
        if (call.in_handler || report.in_handler) {
            return;  // backoff after a failure
        }
        const Function* fn = function_ptr(file, s.function);
        if (s.blocks_thread && fn != nullptr && fn->is_async && !is_c_family(file.language)) {
            return;  // latency/blocking-call-in-async reports a blocking sleep in async code
        }
        if (classify_busy_poll(file, s, clients)) {
            return;  // latency/busy-poll reports it
        }
        const std::int32_t l = looped_by(file, s.function, report.range);
        const Loop* loop = loop_ptr(file, l);
        const HotMark& mark = hot.hot(fi, s.function);
        const bool is_hot = mark.kind != HotKind::none;
        if (loop != nullptr) {
            if (is_retry_loop(file, *loop) ||
                has_catch_in(file, s.function, loop->range, report.range.start_byte)) {
                return;  // a retry: the sleep follows a failure
            }
            if (is_open_loop(file, *loop) && !is_hot && !loop_fetches_work(file, *loop)) {
                return;  // a periodic job sleeping for its period
            }
        } else if (!is_hot) {
            return;
        }
        for (const std::string& cond : enclosing_conditions(file, lines, report.range.start_byte)) {
            if (mentions_any(cond, k_failure_words)) {
                return;  // a sleep after a failed / throttled call
            }
            if (s.function < 0 && (cond.find("__name__") != std::string::npos ||
                                   cond.find("require.main") != std::string::npos)) {
                return;  // entry-point demo code at module level runs once, by hand
            }
        }
        if (comment_mentions(file, lines, report.range.start_line, k_intent_words)) {
            return;
        }

        const std::string duration = format_seconds(*s.seconds);
        const std::string what = "Fixed " + duration + " sleep (" + s.display + ")";
        const std::string label = function_label(file, s.function);
        std::string message;
        if (loop != nullptr) {
            message = what + " inside the loop at line " + std::to_string(loop->range.start_line) +
                      (s.function >= 0 ? " of '" + label + "'" : "") + ": every turn waits " +
                      duration + " doing nothing, so each " +
                      (is_item_loop(file, *loop) ? "item" : "batch") + " is delayed by it";
        } else {
            message = what + " in '" + label + "', which " + hot.hot_phrase(fi, s.function) +
                      ": every call waits " + duration + " doing nothing";
        }
        message += ". Remove it and wait for the condition itself (a blocking or long-polling "
                   "receive, an event, a callback); sleep only to back off after a failure.";
        Finding finding = make_finding(*this, ctx, file, report.range, message);
        if (loop != nullptr) {
            finding.secondary.push_back(
                secondary(file, loop->header_range.end_byte > loop->header_range.start_byte
                                    ? loop->header_range
                                    : loop->range,
                          "the loop that waits on every turn"));
        }
        if (is_hot) {
            for (SecondaryLocation& sl : hot.hot_chain(fi, s.function)) {
                finding.secondary.push_back(std::move(sl));
            }
        }
        out.push_back(std::move(finding));
    }
};

}  // namespace
}  // namespace cq

CQ_REGISTER_RULE(cq::SleepOnHotPathRule);
