// cq history: the recorded scans per branch, with trends.
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>

#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "history/identity.hpp"
#include "history/store.hpp"
#include "history/trends.hpp"

namespace cq::cli {

namespace {

struct HistoryArgs {
    std::string db;
    std::string branch;
    std::string format = "text";
    std::size_t limit = 20;
    bool all = false;
};

constexpr const char* k_severity_keys[5] = {"info", "minor", "major", "critical", "blocker"};

std::string fixed1(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", v);
    return buf;
}

std::string delta(std::uint64_t a, std::uint64_t b) {
    const long long d = static_cast<long long>(b) - static_cast<long long>(a);
    return std::to_string(a) + " -> " + std::to_string(b) + " (" + (d > 0 ? "+" : "") + std::to_string(d) + ")";
}

nlohmann::ordered_json scan_json(const history::ScanTrend& t) {
    nlohmann::ordered_json sev = nlohmann::ordered_json::object();
    for (int i = 4; i >= 0; --i) {
        sev[k_severity_keys[i]] = t.point.issues_by_severity[i];
    }
    nlohmann::ordered_json cat = nlohmann::ordered_json::object();
    for (const auto& [name, n] : t.by_category) {
        cat[name] = n;
    }
    const history::ScanRow& s = t.scan;
    return {{"id", s.id},
            {"time", s.meta.started_at},
            {"commit", s.meta.commit},
            {"parent", s.meta.parent},
            {"dirty", s.meta.dirty},
            {"duration_ms", s.duration_ms},
            {"tool_version", s.meta.tool_version},
            {"config_hash", s.meta.config_hash},
            {"files", s.files},
            {"cached_files", s.cached_files},
            {"lines", s.lines},
            {"ncloc", s.ncloc},
            {"issues", s.issues},
            {"issues_by_severity", sev},
            {"issues_by_category", cat},
            {"duplicated_lines", s.duplicated_lines},
            {"duplication_density", t.point.duplication_density},
            {"functions_over_threshold", t.point.functions_over_threshold}};
}

void write_text(std::ostream& out, const std::string& db,
                const std::map<std::string, std::vector<history::ScanTrend>>& branches) {
    if (branches.empty()) {
        out << "no scans recorded in " << db << " (cq scan records one)\n";
        return;
    }
    for (const auto& [branch, scans] : branches) {
        out << "branch " << (branch.empty() ? "(none: not a git repository)" : branch) << ": " << scans.size()
            << " scan(s)\n";
        char line[256];
        std::snprintf(line, sizeof line, "  %-6s %-20s %-10s %6s %8s %7s %5s %5s %5s %5s %5s %6s %7s\n", "scan",
                      "time (UTC)", "commit", "files", "ncloc", "issues", "block", "crit", "major", "minor", "info",
                      "dup%", "complex");
        out << line;
        for (const history::ScanTrend& t : scans) {
            const auto& p = t.point;
            std::string commit = t.scan.meta.commit.substr(0, 10);
            if (t.scan.meta.dirty) {
                commit += "+";
            }
            std::snprintf(line, sizeof line,
                          "  #%-5lld %-20s %-10s %6llu %8llu %7llu %5llu %5llu %5llu %5llu %5llu %6s %7llu\n",
                          static_cast<long long>(t.scan.id), t.scan.meta.started_at.c_str(),
                          commit.empty() ? "-" : commit.c_str(), static_cast<unsigned long long>(t.scan.files),
                          static_cast<unsigned long long>(p.ncloc), static_cast<unsigned long long>(p.issues),
                          static_cast<unsigned long long>(p.issues_by_severity[4]),
                          static_cast<unsigned long long>(p.issues_by_severity[3]),
                          static_cast<unsigned long long>(p.issues_by_severity[2]),
                          static_cast<unsigned long long>(p.issues_by_severity[1]),
                          static_cast<unsigned long long>(p.issues_by_severity[0]),
                          fixed1(p.duplication_density).c_str(),
                          static_cast<unsigned long long>(p.functions_over_threshold));
            out << line;
        }
        const history::ScanTrend& first = scans.front();
        const history::ScanTrend& last = scans.back();
        if (scans.size() > 1) {
            out << "  trend #" << first.scan.id << " -> #" << last.scan.id << ": issues "
                << delta(first.point.issues, last.point.issues) << ", ncloc " << delta(first.point.ncloc, last.point.ncloc)
                << ", duplication " << fixed1(first.point.duplication_density) << "% -> "
                << fixed1(last.point.duplication_density) << "%, functions over the complexity thresholds "
                << delta(first.point.functions_over_threshold, last.point.functions_over_threshold) << "\n";
        }
        if (!last.by_category.empty()) {
            out << "  issues by category in #" << last.scan.id << ":";
            for (const auto& [name, n] : last.by_category) {
                out << " " << name << " " << n;
            }
            out << "\n";
        }
        out << "\n";
    }
    out << "('+' after a commit: the work tree had local changes when it was scanned)\n";
}

int run(const HistoryArgs& args) {
    const std::string db = args.db.empty() ? history::default_db_path(".") : args.db;
    auto store = history::HistoryStore::open(db, history::HistoryStore::Open::existing);
    std::map<std::string, std::vector<history::ScanTrend>> branches;
    for (auto& t : history::scan_trends(*store, args.branch, args.all ? 0 : args.limit)) {
        branches[t.scan.meta.branch].push_back(std::move(t));
    }
    if (args.format == "json") {
        nlohmann::ordered_json list = nlohmann::ordered_json::array();
        for (const auto& [branch, scans] : branches) {
            nlohmann::ordered_json js = nlohmann::ordered_json::array();
            for (const auto& t : scans) {
                js.push_back(scan_json(t));
            }
            list.push_back({{"branch", branch}, {"scans", js}});
        }
        nlohmann::ordered_json doc = {{"database", db},
                                      {"schema_version", history::latest_schema_version()},
                                      {"branches", list}};
        std::cout << doc.dump(2) << "\n";
    } else {
        write_text(std::cout, db, branches);
    }
    return k_exit_ok;
}

}  // namespace

void add_history_command(CLI::App& app, int& exit_code) {
    auto args = std::make_shared<HistoryArgs>();
    auto* cmd = app.add_subcommand("history", "List the recorded scans per branch, with trends");
    cmd->add_option("--db", args->db, "history database (default: ./.cq/history.db)");
    cmd->add_option("--branch", args->branch, "only this branch");
    cmd->add_option("--format,-f", args->format, "text or json")->check(CLI::IsMember({"text", "json"}));
    cmd->add_option("--limit", args->limit, "the newest N scans of each branch (default 20)");
    cmd->add_flag("--all", args->all, "every scan");
    cmd->callback([args, &exit_code]() { exit_code = run(*args); });
}

}  // namespace cq::cli
