// latency/busy-poll: a loop that polls with a short fixed sleep, or none, instead of a blocking
// wait or long polling (flake8-async ASYNC110 for the async form).
#include <string>
#include <vector>

#include "rules/registry.hpp"
#include "rules/rule.hpp"
#include "rules/support/latency_apis.hpp"
#include "rules/support/latency_poll.hpp"
#include "rules/support/latency_support.hpp"

namespace cq {
namespace {

using namespace latency;

const RuleMeta& busy_poll_meta() {
    static const RuleMeta meta{
        .id = "latency/busy-poll",
        .title = "Loops should wait for work, not poll for it with short sleeps",
        .languages = lang_mask::all,
        .severity = Severity::major,
        .clean_code_attribute = "EFFICIENT",
        .impacts = {{Quality::reliability, ImpactSeverity::medium}},
        .cwe = {},
        .owasp = {},
        .options = {{"include-tests", "false",
                     "Also report polling loops in test files (the async busy wait of "
                     "flake8-async's ASYNC110 is always reported)."},
                    latency::test_paths_option()},
        .effort_minutes = 30,
        .doc = R"md(## What it finds
A polling loop (`while`, `do ... while`, `for (;;)`) that waits for work by sleeping:

- **a busy wait**: a `while` / `do ... while` whose body is one statement, a sleep, so that
  the loop condition is the check (`while not done: await asyncio.sleep(1)`), at any duration.
  This is flake8-async's ASYNC110 (Ruff `async-busy-wait`): `trio.sleep`, `trio.sleep_until`,
  `trio.lowlevel.checkpoint`, the `anyio` and `asyncio` sleeps, however they are imported. It is
  reported at the loop, as ASYNC110 does. Anything else in the body (a second statement, an `if`
  around the sleep, a nested function) is not this shape, nor is a `for` / `async for` loop or
  a function of the file that happens to be called `sleep`. Beyond ASYNC110, synchronous
  sleeps (`time.sleep`, `std::this_thread::sleep_for`, a promise around `setTimeout`) count
  too when the loop has a condition (`while True: time.sleep(60)` is a keep-alive);
- **short polling**: a sleep shorter than one second in a loop around a receive that returns at
  once when there is nothing: SQS `receive_message` / `ReceiveMessageCommand` without
  `WaitTimeSeconds` (or with 0), Redis `XREAD` / `XREADGROUP` without `BLOCK`, `LPOP` / `RPOP`,
  `get_nowait`, `try_pop...`, `poll(0)`. The finding points at the sleep, with the receive as a
  secondary location;
- **sleep and try again**: a sleep shorter than one second followed by `continue`, or in the
  branch the loop takes when there is no work (`else: sleep(0.01)`, `if not job: ...`);
- **no wait at all**: SQS short polling or a non-blocking `XREAD` in a `while` / `for (;;)` loop
  that never sleeps, which spins and pays for empty requests.

Not reported: sleeps in an `except` / `catch` block or in a retry loop (backoff), sleeps with a
computed duration in the short-polling forms, and loops over items (a sleep per item is
`latency/sleep-on-hot-path`). Test files are skipped, but for the async busy wait of ASYNC110
in Python, unless `include-tests` is set.

## Why it matters
A poll with a short sleep trades latency for load: every message waits up to the sleep interval
before it is seen, and an idle worker still wakes up many times a second, burning CPU and, with
SQS, paying for empty receives. A long poll or a blocking wait returns the moment work arrives
and costs nothing while idle.

## Example
```python
while True:
    resp = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)
    if not resp.get("Messages"):
        time.sleep(0.05)
        continue
    ...
```
```cpp
for (;;) {
    if (!queue.try_pop_batch(batch)) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        continue;
    }
    ...
}
```

## Instead
Let the source wait for you: SQS long polling (`WaitTimeSeconds=20`), `XREAD ... BLOCK 5000`,
`BLPOP` with a timeout, `queue.get(timeout=...)`, a `std::condition_variable` in the queue, an
`asyncio.Event` / `trio.Event` that the producer sets.

## Options
- `include-tests` (default `false`): also report polling loops in test files (the async busy
  wait of ASYNC110 is reported there anyway).
)md",
        .aliases = {},
    };
    return meta;
}

bool is_constant_condition(std::string_view cond) {
    const std::string_view c = trim(cond);
    return c.empty() || c == "True" || c == "true" || c == "1" || c == "(true)" || c == "(1)";
}

Range header_of(const Loop& loop) {
    return loop.header_range.end_byte > loop.header_range.start_byte ? loop.header_range : loop.range;
}

class BusyPollRule final : public FileRule {
public:
    const RuleMeta& meta() const override { return busy_poll_meta(); }

    void check(const FileModel& file, const RuleContext& ctx,
               std::vector<Finding>& out) const override {
        if (file.loops.empty()) {
            return;
        }
        const bool skip_tests = !option_bool(ctx, "include-tests", false) && is_test_file(ctx, file.path);
        const ClientTracker clients(file);
        const std::vector<SleepCall> sleeps = find_sleeps(file);
        for (const SleepCall& s : sleeps) {
            const auto poll = classify_busy_poll(file, s, clients);
            // In a test file, only flake8-async's ASYNC110 shape (an awaited sleep as the whole
            // body of a Python `while`) is reported: a test waiting for its fixture is not a
            // latency bug.
            const bool async110 = poll && poll->shape == PollShape::sleep_only && s.awaitable &&
                                  file.language == Language::python;
            if (!poll || (skip_tests && !async110)) {
                continue;
            }
            const Loop& loop = file.loops[static_cast<std::size_t>(poll->loop)];
            const CallSite& report = file.calls[static_cast<std::size_t>(s.report_call)];
            const std::string dur = s.seconds ? format_seconds(*s.seconds) : "a computed delay";
            std::string message;
            switch (poll->shape) {
            case PollShape::sleep_only:
                message = "Busy wait: the loop at line " + std::to_string(loop.range.start_line) +
                          " does nothing but sleep (" + dur + ")" +
                          (is_constant_condition(loop.condition)
                               ? ", waking up for nothing"
                               : " until `" + std::string(trim(loop.condition)) +
                                     "` changes, so the change is seen up to " + dur +
                                     " late and the loop keeps waking up meanwhile") +
                          ". Wait on the event itself: an " +
                          std::string(file.language == Language::python
                                          ? "`asyncio.Event` / `trio.Event` / `threading.Event`"
                                          : (is_c_family(file.language) ? "`std::condition_variable`"
                                                                       : "promise or event emitter")) +
                          " that the producer signals.";
                break;
            case PollShape::nonblocking:
                message = "Busy polling: the loop at line " + std::to_string(loop.range.start_line) +
                          " sleeps " + dur + " between calls to " + poll->receive_api.display +
                          ", so each message waits up to " + dur +
                          " and an idle worker keeps waking up. Use " + poll->receive_api.instead +
                          ", and drop the sleep.";
                break;
            case PollShape::continue_after:
                message = "Busy polling: the loop at line " + std::to_string(loop.range.start_line) +
                          " sleeps " + dur +
                          " and tries again when there is no work, so work waits up to " + dur +
                          " and an idle worker keeps waking up. Block on the source instead: a "
                          "long-polling or blocking receive, or a condition variable / event "
                          "that the producer signals.";
                break;
            }
            // The busy wait is the loop itself (where flake8-async's ASYNC110 points); the
            // other shapes point at the sleep that sets the polling interval.
            const bool at_loop = poll->shape == PollShape::sleep_only;
            Finding f = make_finding(*this, ctx, file, at_loop ? header_of(loop) : report.range, message);
            if (at_loop) {
                f.secondary.push_back(secondary(file, report.range, "the only thing the loop does"));
            }
            if (poll->receive >= 0) {
                f.secondary.push_back(secondary(file, file.calls[static_cast<std::size_t>(poll->receive)].range,
                                                "returns at once when there is nothing to receive"));
            }
            if (!at_loop) {
                f.secondary.push_back(secondary(file, header_of(loop), "the polling loop"));
            }
            out.push_back(std::move(f));
        }
        if (skip_tests) {
            return;
        }
        // Polling with no wait at all.
        for (std::size_t i = 0; i < file.calls.size(); ++i) {
            const CallSite& c = file.calls[i];
            const auto api = nonblocking_receive(file, c, clients);
            if (!api || !api->sure) {
                continue;
            }
            const std::string lname = to_lower(c.name);
            if (lname != "receive_message" && lname != "receivemessage" &&
                lname != "receivemessagecommand" && lname != "xread" && lname != "xreadgroup") {
                continue;
            }
            const std::int32_t l = looped_by(file, c.function, c.range);
            const Loop* loop = loop_ptr(file, l);
            if (loop == nullptr || !is_open_loop(file, *loop) || is_retry_loop(file, *loop)) {
                continue;
            }
            bool sleeps_in_loop = false;
            for (const SleepCall& s : sleeps) {
                const CallSite& r = file.calls[static_cast<std::size_t>(s.report_call)];
                sleeps_in_loop = sleeps_in_loop || loop->range.contains(r.range);
            }
            if (sleeps_in_loop) {
                continue;
            }
            // `new ReceiveMessageCommand(...)` is reported at the `send` that carries it.
            Range where = c.range;
            if (c.is_new) {
                const std::int32_t outer = enclosing_call(file, c.function, c.range);
                if (outer >= 0) {
                    where = file.calls[static_cast<std::size_t>(outer)].range;
                }
            }
            Finding f = make_finding(
                *this, ctx, file, where,
                "Busy polling: the loop at line " + std::to_string(loop->range.start_line) +
                    " calls " + api->display +
                    " with no wait, so an idle worker spins on empty requests. Use " + api->instead +
                    ".");
            f.secondary.push_back(secondary(file, header_of(*loop), "the polling loop"));
            out.push_back(std::move(f));
        }
    }
};

}  // namespace
}  // namespace cq

CQ_REGISTER_RULE(cq::BusyPollRule);
