// Trends over the recorded scans: what `cq history` prints and the HTML report charts.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "history/store.hpp"
#include "reports/report.hpp"

namespace cq::history {

struct ScanTrend {
    ScanRow scan;
    TrendPoint point;
    std::map<std::string, std::uint64_t> by_category;  // "complexity" -> issues
};

// The trend of each recorded scan (gate baselines excluded), oldest first; branch "" means all
// branches; the newest `limit` scans of each branch (0 = all).
std::vector<ScanTrend> scan_trends(HistoryStore& store, const std::string& branch, std::size_t limit);

// For the HTML report: the trend points stored in the history database at `db_path`, oldest
// first. An absent database gives an empty vector (no history yet); a file that is not a usable
// cq history database throws UsageError. `functions_over_threshold` counts the distinct
// functions with a complexity finding.
std::vector<TrendPoint> load_trends(const std::string& db_path, const std::string& branch = "",
                                    std::size_t limit = 0);

}  // namespace cq::history
