#include "history/trends.hpp"

#include <filesystem>

namespace cq::history {

std::vector<ScanTrend> scan_trends(HistoryStore& store, const std::string& branch, std::size_t limit) {
    std::vector<ScanTrend> out;
    const std::vector<ScanRow> rows = store.scans(branch, false, limit);
    try {
        Statement by_kind = store.db().prepare(
            "SELECT severity, substr(rule, 1, instr(rule, '/') - 1), count(*) FROM issues WHERE scan_id = ? "
            "GROUP BY 1, 2");
        Statement complex = store.db().prepare(
            "SELECT count(*) FROM (SELECT DISTINCT path, function FROM issues WHERE scan_id = ? AND "
            "rule LIKE 'complexity/%')");
        for (const ScanRow& row : rows) {
            ScanTrend t;
            t.scan = row;
            t.point.scan_id = row.id;
            t.point.branch = row.meta.branch;
            t.point.commit = row.meta.commit;
            t.point.time = row.meta.started_at;
            t.point.issues = row.issues;
            t.point.ncloc = row.ncloc;
            t.point.duplication_density =
                row.lines == 0 ? 0.0 : 100.0 * static_cast<double>(row.duplicated_lines) / static_cast<double>(row.lines);
            by_kind.bind(1, row.id);
            while (by_kind.step()) {
                const auto n = static_cast<std::uint64_t>(by_kind.int64(2));
                if (auto sev = parse_severity(by_kind.text(0))) {
                    t.point.issues_by_severity[static_cast<std::size_t>(*sev)] += n;
                }
                t.by_category[by_kind.text(1)] += n;
            }
            by_kind.reset();
            complex.bind(1, row.id);
            if (complex.step()) {
                t.point.functions_over_threshold = static_cast<std::uint64_t>(complex.int64(0));
            }
            complex.reset();
            out.push_back(std::move(t));
        }
    } catch (const DbError& e) {
        store.fail(e);
    }
    return out;
}

std::vector<TrendPoint> load_trends(const std::string& db_path, const std::string& branch, std::size_t limit) {
    std::error_code ec;
    if (!std::filesystem::exists(db_path, ec)) {
        return {};
    }
    auto store = HistoryStore::open(db_path, HistoryStore::Open::existing);
    std::vector<TrendPoint> out;
    for (ScanTrend& t : scan_trends(*store, branch, limit)) {
        out.push_back(std::move(t.point));
    }
    return out;
}

}  // namespace cq::history
