#include "analyzer/engine/baseline.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <tuple>

#include "analyzer/engine/engine.hpp"

namespace cq {

void write_baseline(std::ostream& out, const std::vector<Finding>& findings) {
    std::vector<const Finding*> sorted;
    for (const auto& f : findings) {
        sorted.push_back(&f);
    }
    std::sort(sorted.begin(), sorted.end(), [](const Finding* a, const Finding* b) {
        return std::tie(a->path, a->range.start_line, a->rule, a->fingerprint) <
               std::tie(b->path, b->range.start_line, b->rule, b->fingerprint);
    });
    out << "{\"tool\": \"cq\", \"version\": 1, \"issues\": [";
    for (std::size_t i = 0; i < sorted.size(); ++i) {
        const Finding& f = *sorted[i];
        const nlohmann::ordered_json line = {
            {"fingerprint", f.fingerprint}, {"rule", f.rule}, {"path", f.path}, {"line", f.range.start_line}};
        out << (i == 0 ? "\n " : ",\n ") << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    }
    out << "\n]}\n";
}

std::set<std::string> read_baseline(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw UsageError("--baseline '" + path + "': cannot read the file (create one with `cq baseline create -o " +
                         path + "`)");
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    nlohmann::json doc;
    try {
        doc = nlohmann::json::parse(ss.str());
    } catch (const nlohmann::json::parse_error& e) {
        throw UsageError("--baseline '" + path + "': not valid JSON (" + e.what() + ")");
    }
    if (!doc.is_object() || doc.value("tool", "") != "cq" || !doc.contains("issues") || !doc["issues"].is_array()) {
        throw UsageError("--baseline '" + path + "': not a cq baseline (expected {\"tool\": \"cq\", \"issues\": [...]})");
    }
    if (!doc.contains("version") || !doc["version"].is_number_integer() || doc["version"].get<int>() != 1) {
        throw UsageError("--baseline '" + path + "': unsupported baseline version (this cq reads version 1)");
    }
    std::set<std::string> out;
    for (const auto& item : doc["issues"]) {
        if (!item.is_object() || !item.contains("fingerprint") || !item["fingerprint"].is_string()) {
            throw UsageError("--baseline '" + path + "': an issue without a \"fingerprint\" string");
        }
        out.insert(item["fingerprint"].get<std::string>());
    }
    return out;
}

std::size_t filter_baseline(std::vector<Finding>& findings, const std::set<std::string>& baseline) {
    const std::size_t before = findings.size();
    std::erase_if(findings, [&](const Finding& f) { return baseline.count(f.fingerprint) != 0; });
    return before - findings.size();
}

}  // namespace cq
