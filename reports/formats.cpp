#include "reports/report.hpp"

namespace cq {

namespace {

void write_text_format(std::ostream& out, const ScanResult& scan, const ReportContext& ctx) {
    TextOptions options;
    options.color = ctx.color;
    options.show_suppressed = ctx.show_suppressed;
    write_text(out, scan, options);
}

void write_json_format(std::ostream& out, const ScanResult& scan, const ReportContext& ctx) {
    write_json(out, scan, ctx.version, ctx.show_suppressed);
}

void write_sarif_format(std::ostream& out, const ScanResult& scan, const ReportContext& ctx) {
    out << to_sarif(scan, ctx).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
}

void write_sonar_format(std::ostream& out, const ScanResult& scan, const ReportContext& ctx) {
    write_sonar(out, scan, sonar_options(ctx));
}

void write_codeclimate_format(std::ostream& out, const ScanResult& scan, const ReportContext& ctx) {
    out << to_codeclimate(scan, ctx).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
}

}  // namespace

SonarOptions sonar_options(const ReportContext& ctx) {
    SonarOptions options;
    options.format = ctx.sonar_format;
    options.impacts = ctx.sonar_impacts;
    options.base_dir = ctx.sonar_base_dir;
    options.rules = ctx.rules;
    options.include = ctx.include;
    return options;
}

const std::vector<ReportFormat>& report_formats() {
    static const std::vector<ReportFormat> k_formats = {
        {"text", "compiler-style lines and a summary", &write_text_format},
        {"json", "the documented JSON document (README)", &write_json_format},
        {"sarif", "SARIF 2.1.0 for GitHub code scanning", &write_sarif_format},
        {"sonar", "SonarQube generic external issues (10.3+ format)", &write_sonar_format},
        {"codeclimate", "GitLab Code Quality (CodeClimate subset)", &write_codeclimate_format},
        {"markdown", "summary for a pull-request comment or job summary", &write_markdown},
        {"html", "self-contained HTML report with trends", &write_html},
    };
    return k_formats;
}

const ReportFormat* find_report_format(const std::string& name) {
    for (const auto& f : report_formats()) {
        if (f.name == name) {
            return &f;
        }
    }
    return nullptr;
}

}  // namespace cq
