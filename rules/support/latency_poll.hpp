// Busy polling, shared by latency/busy-poll (which reports it) and latency/sleep-on-hot-path
// (which leaves the sleeps busy-poll reports alone, so one line gets one finding).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "analyzer/model/file_model.hpp"
#include "rules/support/latency_apis.hpp"

namespace cq::latency {

// Sleeps shorter than this between polls make a busy poll (a sub-second sleep).
inline constexpr double k_busy_poll_max_seconds = 1.0;

enum class PollShape : std::uint8_t {
    sleep_only,       // `while cond: await sleep(x)`: nothing but the sleep in the body (ASYNC110)
    nonblocking,      // a short sleep next to a receive that returns at once
    continue_after,   // a short sleep followed by `continue`: "nothing yet, try again"
};

struct BusyPoll {
    PollShape shape = PollShape::sleep_only;
    std::int32_t loop = -1;     // the polling loop
    std::int32_t receive = -1;  // the non-blocking receive (nonblocking shape), else -1
    PollApi receive_api;
};

// Whether `sleep` is the wait of a busy-poll loop: a `while` / `do` / `for(;;)` loop (not a
// retry loop, not an exception handler) that either holds nothing but the sleep and has a
// condition (any duration), or sleeps less than k_busy_poll_max_seconds (a constant) next to a
// non-blocking receive or right before `continue`.
std::optional<BusyPoll> classify_busy_poll(const FileModel& file, const SleepCall& sleep,
                                           const ClientTracker& clients);

}  // namespace cq::latency
