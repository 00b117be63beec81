#include "rules/support/latency_poll.hpp"

#include "rules/support/latency_support.hpp"

namespace cq::latency {

namespace {

bool constant_condition(std::string_view cond) {
    const std::string_view c = trim(cond);
    return c.empty() || c == "true" || c == "True" || c == "1" || c == "(true)" || c == "(1)";
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
        if (only_sleep) {
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
