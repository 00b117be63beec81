#include "rules/support/latency_poll.hpp"

#include "rules/support/latency_support.hpp"

namespace cq::latency {

namespace {

bool constant_condition(std::string_view cond) {
    const std::string_view c = trim(cond);
    return c.empty() || c == "true" || c == "True" || c == "1" || c == "(true)" || c == "(1)";
}

// Whether the loop's body is one statement: the sleep (`await` before it, braces, `;`, `pass`
// and comments aside). `while x: ...; await sleep(1)` or `while x: if y: await sleep(1)` is not
// the busy-wait shape (flake8-async's ASYNC110 looks at exactly one statement too).
bool body_is_only(const FileModel& file, const Loop& loop, const Range& sleep) {
    const Range& body = loop.body_range;
    if (body.end_byte <= body.start_byte || !body.contains(sleep)) {
        return false;
    }
    const std::string_view src(file.source);
    std::string_view before = trim(src.substr(body.start_byte, sleep.start_byte - body.start_byte));
    const std::string_view after = src.substr(sleep.end_byte, body.end_byte - sleep.end_byte);
    if (ends_with(before, "await")) {
        before = trim(before.substr(0, before.size() - 5));
    }
    const bool py = file.language == Language::python;
    auto only_filler = [&](std::string_view t) {
        for (std::size_t i = 0; i < t.size(); ++i) {
            const char c = t[i];
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ';' || c == '{' || c == '}') {
                continue;
            }
            if ((py && c == '#') || (!py && c == '/' && i + 1 < t.size() && t[i + 1] == '/')) {
                while (i < t.size() && t[i] != '\n') {
                    ++i;
                }
                continue;
            }
            if (!py && c == '/' && i + 1 < t.size() && t[i + 1] == '*') {
                const std::size_t end = t.find("*/", i + 2);
                if (end == std::string_view::npos) {
                    return false;
                }
                i = end + 1;
                continue;
            }
            if (py && t.substr(i, 4) == "pass" && (i + 4 == t.size() || !is_ident_char(t[i + 4])) &&
                (i == 0 || !is_ident_char(t[i - 1]))) {
                i += 3;
                continue;
            }
            return false;
        }
        return true;
    };
    return only_filler(before) && only_filler(after);
}

}  // namespace

std::optional<BusyPoll> classify_busy_poll(const FileModel& file, const SleepCall& sleep,
                                           const ClientTracker& clients) {
    const CallSite& report = file.calls[static_cast<std::size_t>(sleep.report_call)];
    const CallSite& call = file.calls[static_cast<std::size_t>(sleep.call)];
    if (report.in_handler || call.in_handler) {
        return std::nullopt;
    }
    const std::int32_t l = looped_by(file, sleep.function, report.range);
    const Loop* loop = loop_ptr(file, l);
    if (loop == nullptr || !is_open_loop(file, *loop) || is_retry_loop(file, *loop)) {
        return std::nullopt;
    }
    BusyPoll out;
    out.loop = l;
    // ASYNC110: the body holds nothing but the sleep, and the condition is the check.
    // ASYNC110 reports an awaited sleep as the whole body of any `while`; a synchronous
    // `while True: time.sleep(1)` keep-alive is only a busy wait when there is a condition.
    const bool is_while = loop->kind == LoopKind::while_ || loop->kind == LoopKind::do_while;
    const bool has_condition = is_while && !constant_condition(loop->condition);
    if (has_condition || (is_while && sleep.awaitable && !is_c_family(file.language))) {
        bool only_sleep = true;
        const auto [c_lo, c_hi] = starting_in(file.calls, loop->range);
        for (std::size_t i = c_lo; i < c_hi && only_sleep; ++i) {
            const CallSite& c = file.calls[i];
            if (c.function != sleep.function || looped_by(file, c.function, c.range) != l ||
                c.in_loop_condition) {
                continue;
            }
            if (!report.range.contains(c.range)) {
                only_sleep = false;
            }
        }
        const auto [a_lo, a_hi] = starting_in(file.assignments, loop->range);
        for (std::size_t i = a_lo; i < a_hi; ++i) {
            const Assignment& a = file.assignments[i];
            if (a.function == sleep.function && loop->body_range.contains(a.range)) {
                only_sleep = false;
            }
        }
        if (only_sleep && body_is_only(file, *loop, report.range)) {
            out.shape = PollShape::sleep_only;
            return out;
        }
    }
    if (!sleep.seconds || *sleep.seconds >= k_busy_poll_max_seconds) {
        return std::nullopt;
    }
    const auto [lo, hi] = starting_in(file.calls, loop->range);
    for (std::size_t i = lo; i < hi; ++i) {
        const CallSite& c = file.calls[i];
        if (c.function != sleep.function || !loop->range.contains(c.range)) {
            continue;
        }
        if (auto api = nonblocking_receive(file, c, clients)) {
            out.shape = PollShape::nonblocking;
            out.receive = static_cast<std::int32_t>(i);
            out.receive_api = std::move(*api);
            return out;
        }
    }
    if (followed_by_continue(file, report.range)) {
        out.shape = PollShape::continue_after;
        return out;
    }
    // `if (has_work()) { work(); } else { sleep(1ms); }` / `if not job: sleep(0.1)`: the sleep
    // is what the loop does when there is nothing to do.
    const LineIndex lines(file.source);
    const auto conditions = enclosing_conditions(file, lines, report.range.start_byte);
    if (!conditions.empty()) {
        const std::string c = to_lower(conditions.front());
        const bool idle = starts_with(c, "else") || starts_with(c, "} else") ||
                          c.find("if not ") != std::string::npos ||
                          c.find("if (!") != std::string::npos || c.find("is none") != std::string::npos ||
                          c.find("== null") != std::string::npos || c.find("=== null") != std::string::npos ||
                          c.find("== nullptr") != std::string::npos || c.find("empty()") != std::string::npos ||
                          c.find("length === 0") != std::string::npos || c.find("== 0") != std::string::npos;
        if (idle && !starts_with(c, "elif") && c.find("else if") == std::string::npos) {
            out.shape = PollShape::continue_after;
            return out;
        }
    }
    return std::nullopt;
}

}  // namespace cq::latency
