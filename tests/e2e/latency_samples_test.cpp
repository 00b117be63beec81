// End-to-end: the latency rules on the telemetry samples (samples/README.md). Every anti-pattern
// planted in samples/telemetry-pipeline/ is reported at its file and line, nothing else is
// reported but the extras the README accepts, and the fixed twin has no latency finding. The C++
// worker is checked through both front ends: the tree-sitter fallback (no compile database at
// the scan root) and libclang (--compile-commands).
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/e2e/run_cq.hpp"

using cq::test::run_cq;

namespace {

struct Expected {
    std::string path;  // relative to the twin's folder
    int line;
    std::string rule;
};

// samples/README.md, "Expected findings in telemetry-pipeline/".
const std::vector<Expected> k_planted = {
    {"python/event_generator.py", 50, "latency/client-per-call"},
    {"python/event_generator.py", 57, "latency/query-per-item"},
    {"python/batch_consumer.py", 52, "latency/client-per-call"},
    {"python/batch_consumer.py", 85, "latency/sleep-on-hot-path"},
    {"python/batch_consumer.py", 89, "latency/blocking-call-in-async"},
    {"python/batch_consumer.py", 96, "latency/serialize-in-loop"},
    {"python/batch_consumer.py", 97, "latency/await-in-loop"},
    {"python/batch_consumer.py", 113, "latency/busy-poll"},
    {"python/batch_consumer.py", 120, "latency/blocking-call-in-async"},
    {"python/batch_consumer.py", 127, "latency/sleep-on-hot-path"},
    {"node/lambda_processor.js", 28, "latency/query-per-item"},
    {"node/lambda_processor.js", 41, "latency/serialize-in-loop"},
    {"node/lambda_processor.js", 43, "latency/await-in-loop"},
    {"node/lambda_processor.js", 60, "latency/sleep-on-hot-path"},
    {"node/lambda_processor.js", 72, "latency/blocking-call-in-async"},
    {"node/lambda_processor.js", 76, "latency/client-per-call"},
    {"node/lambda_processor.js", 80, "latency/await-in-loop"},
    {"nats/collector.ts", 40, "latency/client-per-call"},
    {"nats/collector.ts", 42, "latency/query-per-item"},
    {"redis/stream_ingestor.py", 46, "latency/client-per-call"},
    {"redis/stream_ingestor.py", 47, "latency/query-per-item"},
    {"redis/stream_ingestor.py", 48, "latency/query-per-item"},
    {"redis/stream_ingestor.py", 61, "latency/busy-poll"},
    {"cpp/worker.cpp", 68, "latency/client-per-call"},
    {"cpp/worker.cpp", 79, "latency/query-per-item"},
    {"cpp/worker.cpp", 97, "latency/busy-poll"},
};

// samples/README.md, "Also acceptable on the planted side": true, not required.
const std::vector<Expected> k_acceptable = {
    {"python/batch_consumer.py", 110, "latency/blocking-call-in-async"},
    {"python/batch_consumer.py", 103, "latency/blocking-call-in-async"},
    {"python/batch_consumer.py", 121, "latency/blocking-call-in-async"},
    {"python/batch_consumer.py", 89, "latency/sleep-on-hot-path"},
    {"python/event_generator.py", 53, "latency/query-per-item"},
    {"node/lambda_processor.js", 43, "latency/query-per-item"},
};

struct Reported {
    std::string path;
    int line = 0;
    std::string rule;
    std::string message;
    std::size_t secondaries = 0;
};

// Latency findings of a scan, with paths made relative to the twin's folder.
std::vector<Reported> scan_latency(const std::string& twin, const std::string& extra = "") {
    const auto r = run_cq("scan samples/" + twin + " --rules latency --format json --quiet --no-history " +
                          extra);
    EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.out.substr(0, 2000);
    std::vector<Reported> out;
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(r.out);
    } catch (const std::exception& e) {
        ADD_FAILURE() << "not JSON: " << e.what() << "\n" << r.out.substr(0, 2000);
        return out;
    }
    const std::string marker = twin + "/";
    for (const auto& issue : j.at("issues")) {
        const std::string rule = issue.at("rule").get<std::string>();
        if (rule.rfind("latency/", 0) != 0) {
            continue;
        }
        std::string path = issue.at("path").get<std::string>();
        const std::size_t pos = path.rfind(marker);
        if (pos != std::string::npos) {
            path = path.substr(pos + marker.size());
        }
        Reported rep;
        rep.path = path;
        rep.line = issue.at("line").get<int>();
        rep.rule = rule;
        rep.message = issue.at("message").get<std::string>();
        rep.secondaries = issue.contains("secondary") ? issue.at("secondary").size() : 0;
        out.push_back(std::move(rep));
    }
    return out;
}

bool has(const std::vector<Reported>& found, const Expected& e) {
    return std::any_of(found.begin(), found.end(), [&](const Reported& r) {
        return r.path == e.path && r.line == e.line && r.rule == e.rule;
    });
}

bool listed(const std::vector<Expected>& list, const Reported& r) {
    return std::any_of(list.begin(), list.end(), [&](const Expected& e) {
        return r.path == e.path && r.line == e.line && r.rule == e.rule;
    });
}

std::string dump(const std::vector<Reported>& found) {
    std::ostringstream s;
    for (const Reported& r : found) {
        s << "  " << r.path << ":" << r.line << " " << r.rule << " -- " << r.message << "\n";
    }
    return s.str();
}

void expect_planted(const std::vector<Reported>& found, bool cpp_only) {
    for (const Expected& e : k_planted) {
        if (cpp_only && e.path.rfind("cpp/", 0) != 0) {
            continue;
        }
        EXPECT_TRUE(has(found, e)) << "missing " << e.rule << " at " << e.path << ":" << e.line
                                   << "\nreported:\n"
                                   << dump(found);
    }
    for (const Reported& r : found) {
        EXPECT_TRUE(listed(k_planted, r) || listed(k_acceptable, r))
            << "unexpected finding " << r.path << ":" << r.line << " " << r.rule << " -- "
            << r.message;
    }
}

}  // namespace

TEST(LatencySamples, PlantedAntiPatternsAreReported) {
    const auto found = scan_latency("telemetry-pipeline");
    expect_planted(found, false);
    // One finding per line and concern: no duplicate of the same rule at one place.
    std::set<std::tuple<std::string, int, std::string>> seen;
    for (const Reported& r : found) {
        EXPECT_TRUE(seen.insert({r.path, r.line, r.rule}).second)
            << "reported twice: " << r.path << ":" << r.line << " " << r.rule;
    }
}

TEST(LatencySamples, MessagesSayWhatWhyAndInstead) {
    const auto found = scan_latency("telemetry-pipeline");
    auto message_at = [&](const std::string& path, int line, const std::string& rule) {
        for (const Reported& r : found) {
            if (r.path == path && r.line == line && r.rule == rule) {
                return r;
            }
        }
        return Reported{};
    };
    EXPECT_NE(message_at("python/event_generator.py", 57, "latency/query-per-item").message.find("send_message_batch"),
              std::string::npos);
    EXPECT_NE(message_at("redis/stream_ingestor.py", 47, "latency/query-per-item").message.find("pipeline"),
              std::string::npos);
    EXPECT_NE(message_at("nats/collector.ts", 42, "latency/query-per-item").message.find("INSERT"),
              std::string::npos);
    EXPECT_NE(message_at("python/batch_consumer.py", 97, "latency/await-in-loop").message.find("asyncio.gather"),
              std::string::npos);
    EXPECT_NE(message_at("node/lambda_processor.js", 80, "latency/await-in-loop").message.find("Promise.all"),
              std::string::npos);
    EXPECT_NE(message_at("python/batch_consumer.py", 113, "latency/busy-poll").message.find("WaitTimeSeconds"),
              std::string::npos);
    // Hot only because of a caller: the call chain comes along.
    EXPECT_GT(message_at("node/lambda_processor.js", 28, "latency/query-per-item").secondaries, 1u);
    EXPECT_GT(message_at("python/batch_consumer.py", 85, "latency/sleep-on-hot-path").secondaries, 0u);
    EXPECT_NE(message_at("python/batch_consumer.py", 127, "latency/sleep-on-hot-path").message.find("5 s"),
              std::string::npos);
    EXPECT_GT(message_at("redis/stream_ingestor.py", 46, "latency/client-per-call").secondaries, 0u);
}

TEST(LatencySamples, PlantedCppThroughLibclang) {
    const auto found = scan_latency(
        "telemetry-pipeline",
        "--compile-commands samples/telemetry-pipeline/cpp/compile_commands.json");
    expect_planted(found, false);
}

TEST(LatencySamples, FixedTwinHasNoLatencyFinding) {
    const auto found = scan_latency("telemetry-pipeline-fixed");
    EXPECT_TRUE(found.empty()) << "latency findings in the fixed twin:\n" << dump(found);
    const auto clang = scan_latency(
        "telemetry-pipeline-fixed",
        "--compile-commands samples/telemetry-pipeline-fixed/cpp/compile_commands.json");
    EXPECT_TRUE(clang.empty()) << "latency findings in the fixed twin (libclang):\n" << dump(clang);
}
