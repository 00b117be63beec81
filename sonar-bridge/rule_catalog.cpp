#include "sonar-bridge/rule_catalog.hpp"

#include <algorithm>
#include <array>
#include <sstream>

#include "rules/registry.hpp"

namespace cq {

RuleLookup registry_lookup() {
    return [](std::string_view id) -> const RuleMeta* {
        const Rule* rule = Registry::instance().find(id);
        return rule == nullptr ? nullptr : &rule->meta();
    };
}

namespace {

ImpactSeverity impact_from_severity(Severity s) {
    switch (s) {
    case Severity::info: return ImpactSeverity::info;
    case Severity::minor: return ImpactSeverity::low;
    case Severity::major: return ImpactSeverity::medium;
    case Severity::critical: return ImpactSeverity::high;
    case Severity::blocker: return ImpactSeverity::blocker;
    }
    return ImpactSeverity::medium;
}

}  // namespace

RuleMeta resolve_rule(const RuleLookup& lookup, const std::string& id, Severity severity) {
    const RuleMeta* meta = lookup ? lookup(id) : registry_lookup()(id);
    if (meta != nullptr) {
        return *meta;
    }
    RuleMeta stand_in;
    stand_in.id = id;
    stand_in.title = id;
    stand_in.severity = severity;
    stand_in.clean_code_attribute = "CONVENTIONAL";
    stand_in.impacts = {{Quality::maintainability, impact_from_severity(severity)}};
    return stand_in;
}

std::string rule_category(std::string_view id) {
    const auto slash = id.find('/');
    return std::string(slash == std::string_view::npos ? id : id.substr(0, slash));
}

const std::vector<std::string_view>& clean_code_attributes() {
    static const std::vector<std::string_view> k_names = {
        "CONVENTIONAL", "FORMATTED", "IDENTIFIABLE", "CLEAR",   "COMPLETE",
        "EFFICIENT",    "LOGICAL",   "DISTINCT",     "FOCUSED", "MODULAR",
        "TESTED",       "LAWFUL",    "RESPECTFUL",   "TRUSTWORTHY"};
    return k_names;
}

bool is_clean_code_attribute(std::string_view name) {
    const auto& names = clean_code_attributes();
    return std::find(names.begin(), names.end(), name) != names.end();
}

std::string_view quality_name(Quality q) {
    switch (q) {
    case Quality::maintainability: return "MAINTAINABILITY";
    case Quality::reliability: return "RELIABILITY";
    case Quality::security: return "SECURITY";
    }
    return "MAINTAINABILITY";
}

std::string_view impact_severity_name(ImpactSeverity s, ImpactRange range) {
    const bool extended = range == ImpactRange::extended;
    switch (s) {
    case ImpactSeverity::info: return extended ? "INFO" : "LOW";
    case ImpactSeverity::low: return "LOW";
    case ImpactSeverity::medium: return "MEDIUM";
    case ImpactSeverity::high: return "HIGH";
    case ImpactSeverity::blocker: return extended ? "BLOCKER" : "HIGH";
    }
    return "MEDIUM";
}

std::vector<Impact> effective_impacts(const RuleMeta& meta) {
    std::array<int, 3> best = {-1, -1, -1};
    for (const Impact& i : meta.impacts) {
        auto& slot = best[static_cast<std::size_t>(i.quality)];
        slot = std::max(slot, static_cast<int>(i.severity));
    }
    if (best == std::array<int, 3>{-1, -1, -1}) {
        best[0] = static_cast<int>(impact_from_severity(meta.severity));
    }
    std::vector<Impact> out;
    for (std::size_t q = 0; q < best.size(); ++q) {
        if (best[q] >= 0) {
            out.push_back({static_cast<Quality>(q), static_cast<ImpactSeverity>(best[q])});
        }
    }
    return out;
}

std::string html_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 8);
    for (const char c : text) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        default: out += c;
        }
    }
    return out;
}

namespace {

// `code` and **bold** in already-escaped text.
std::string inline_markup(const std::string& escaped) {
    std::string out;
    bool in_code = false;
    bool in_bold = false;
    for (std::size_t i = 0; i < escaped.size(); ++i) {
        const char c = escaped[i];
        if (c == '`') {
            out += in_code ? "</code>" : "<code>";
            in_code = !in_code;
            continue;
        }
        if (!in_code && c == '*' && i + 1 < escaped.size() && escaped[i + 1] == '*') {
            out += in_bold ? "</strong>" : "<strong>";
            in_bold = !in_bold;
            ++i;
            continue;
        }
        out += c;
    }
    if (in_code) {
        out += "</code>";
    }
    if (in_bold) {
        out += "</strong>";
    }
    return out;
}

std::string trim(std::string_view s) {
    const auto b = s.find_first_not_of(" \t\r");
    if (b == std::string_view::npos) {
        return {};
    }
    const auto e = s.find_last_not_of(" \t\r");
    return std::string(s.substr(b, e - b + 1));
}

}  // namespace

std::string doc_to_html(std::string_view markdown) {
    std::ostringstream out;
    std::string paragraph;
    bool in_list = false;
    bool in_item = false;
    bool in_code = false;
    auto close_item = [&]() {
        if (in_item) {
            out << inline_markup(html_escape(paragraph)) << "</li>\n";
            paragraph.clear();
            in_item = false;
        }
    };
    // Ends the text being collected: a list item's or a paragraph's.
    auto flush_paragraph = [&]() {
        if (in_item) {
            close_item();
        } else if (!paragraph.empty()) {
            out << "<p>" << inline_markup(html_escape(paragraph)) << "</p>\n";
            paragraph.clear();
        }
    };
    auto close_list = [&]() {
        close_item();
        if (in_list) {
            out << "</ul>\n";
            in_list = false;
        }
    };
    std::istringstream in{std::string(markdown)};
    std::string raw;
    while (std::getline(in, raw)) {
        if (!raw.empty() && raw.back() == '\r') {
            raw.pop_back();
        }
        const std::string line = trim(raw);
        if (line.rfind("```", 0) == 0) {
            if (in_code) {
                out << "</code></pre>\n";
                in_code = false;
            } else {
                flush_paragraph();
                close_list();
                out << "<pre><code>";
                in_code = true;
            }
            continue;
        }
        if (in_code) {
            out << html_escape(raw) << "\n";
            continue;
        }
        if (line.empty()) {
            flush_paragraph();
            close_list();
            continue;
        }
        if (line[0] == '#') {
            flush_paragraph();
            close_list();
            const auto level = std::min<std::size_t>(line.find_first_not_of('#'), 6);
            out << "<h" << level << ">" << inline_markup(html_escape(trim(line.substr(level))))
                << "</h" << level << ">\n";
            continue;
        }
        if (line.rfind("- ", 0) == 0 || line.rfind("* ", 0) == 0) {
            flush_paragraph();
            if (!in_list) {
                out << "<ul>\n";
                in_list = true;
            }
            out << "<li>";
            in_item = true;
            paragraph = line.substr(2);
            continue;
        }
        if (in_item && raw.size() > line.size() && (raw[0] == ' ' || raw[0] == '\t')) {
            paragraph += " " + line;  // continuation of a list item
            continue;
        }
        close_list();
        paragraph += paragraph.empty() ? line : " " + line;
    }
    if (in_code) {
        out << "</code></pre>\n";
    }
    flush_paragraph();
    close_list();
    return out.str();
}

std::string doc_summary(const RuleMeta& meta) {
    const std::string_view doc = meta.doc;
    const auto heading = doc.find("## What it finds");
    if (heading == std::string_view::npos) {
        return meta.title;
    }
    std::string out;
    std::istringstream in{std::string(doc.substr(heading))};
    std::string line;
    std::getline(in, line);  // the heading
    while (std::getline(in, line)) {
        const std::string t = trim(line);
        if (t.empty()) {
            if (out.empty()) {
                continue;
            }
            break;
        }
        if (t[0] == '#') {
            break;
        }
        out += out.empty() ? t : " " + t;
    }
    return out.empty() ? meta.title : out;
}

}  // namespace cq
