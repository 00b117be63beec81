#include "reports/report.hpp"

namespace cq {

namespace {

void write_text_format(std::ostream& out, const ScanResult& scan, const ReportContext& ctx) {
    TextOptions options;
    options.color = ctx.color;
    write_text(out, scan, options);
}

void write_json_format(std::ostream& out, const ScanResult& scan, const ReportContext& ctx) {
    out << to_json(scan, ctx.version).dump(2) << "\n";
}

}  // namespace

const std::vector<ReportFormat>& report_formats() {
    static const std::vector<ReportFormat> k_formats = {
        {"text", "compiler-style lines and a summary", &write_text_format},
        {"json", "the documented JSON document (README)", &write_json_format},
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
