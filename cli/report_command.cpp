// `cq report html [PATH...] [-o cq-report.html]`: scans and writes the self-contained HTML report.
// Trend charts come from the scan history (--db, default <root>/.cq/history.db); without one the
// page says "no history yet".
#include "cli/commands.hpp"
#include "cli/export_support.hpp"
#include "history/identity.hpp"
#include "history/trends.hpp"

namespace cq::cli {

void add_report_command(CLI::App& app, int& exit_code) {
    auto* cmd = app.add_subcommand("report", "Write a human-readable report");
    cmd->require_subcommand(1);
    auto args = std::make_shared<ExportArgs>();
    args->output = "cq-report.html";
    auto* html = cmd->add_subcommand(
        "html", "One self-contained HTML file: overview, trends, security, filterable issues, "
                "sources with flagged lines (no network needed to view it)");
    add_export_scan_options(html, *args, "cq-report.html; - for stdout");
    html->callback([args, &exit_code]() {
        const ScanOptions scan_options = export_scan_options(*args);
        ScanResult scan = run_scan(scan_options);
        ReportContext ctx = export_context(*args, scan, scan_options);
        // Trend charts from the history database; none yet is fine ("no history yet").
        ctx.trends = history::load_trends(args->db.empty() ? history::default_db_path(scan_options.root) : args->db);
        exit_code = write_output(*args, scan, [&](std::ostream& out) { write_html(out, scan, ctx); });
    });
}

}  // namespace cq::cli
