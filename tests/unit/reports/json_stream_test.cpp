// write_json streams the JSON report one file and one issue at a time, writing file objects by
// hand: it must give exactly the bytes of to_json(...).dump(2), whatever the text holds.
#include <gtest/gtest.h>

#include <sstream>

#include "reports/report.hpp"
#include "tests/unit/reports/report_fixture.hpp"

namespace cq {
namespace {

std::string streamed(const ScanResult& scan, bool show_suppressed) {
    std::ostringstream out;
    write_json(out, scan, "9.9.9", show_suppressed);
    return out.str();
}

std::string whole(const ScanResult& scan, bool show_suppressed) {
    return to_json(scan, "9.9.9", show_suppressed).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) +
           "\n";
}

TEST(JsonStream, SameBytesAsTheWholeDocument) {
    ScanResult scan = test::sample_scan();
    ASSERT_FALSE(scan.files.empty());
    // Names and messages that need escaping or repair: quotes, backslashes, control bytes,
    // invalid UTF-8, non-ASCII, an emoji.
    FileModel& f = *scan.files.front();
    Function odd;
    odd.name = "q\"uo\\te\x01";
    odd.qualified_name = "Cls.\xff\xfe bad utf8 \xc3\xa9 \xf0\x9f\x98\x80";
    odd.range.start_line = 3;
    odd.range.end_line = 9;
    odd.cyclomatic = 4;
    odd.cognitive = 7;
    odd.nloc = 6;
    odd.max_nesting = 2;
    odd.is_async = true;
    odd.params.resize(3);
    f.functions.push_back(odd);
    f.functions.push_back(Function{});
    f.diagnostics.push_back({DiagnosticLevel::error, 4, 2, "syntax error near \"\t\""});
    f.diagnostics.push_back({DiagnosticLevel::warning, 0, 0, "libclang could not be loaded"});
    f.diagnostics.push_back({DiagnosticLevel::note, 1, 1, "n\xe2\x80\xa8ote"});
    EXPECT_EQ(streamed(scan, false), whole(scan, false));
    EXPECT_EQ(streamed(scan, true), whole(scan, true));
}

TEST(JsonStream, EmptyScan) {
    const ScanResult scan;
    EXPECT_EQ(streamed(scan, false), whole(scan, false));
    EXPECT_EQ(streamed(scan, true), whole(scan, true));
}

}  // namespace
}  // namespace cq
