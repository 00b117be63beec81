#include <algorithm>
#include <cctype>
#include <stdexcept>
#include <tuple>

#include "rules/registry.hpp"
#include "rules/rule.hpp"

namespace cq {

std::string_view severity_name(Severity s) {
    switch (s) {
    case Severity::info: return "info";
    case Severity::minor: return "minor";
    case Severity::major: return "major";
    case Severity::critical: return "critical";
    case Severity::blocker: return "blocker";
    }
    return "major";
}

std::optional<Severity> parse_severity(std::string_view text) {
    std::string lower(text);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    for (Severity s : {Severity::info, Severity::minor, Severity::major, Severity::critical,
                       Severity::blocker}) {
        if (severity_name(s) == lower) {
            return s;
        }
    }
    return std::nullopt;
}

bool finding_less(const Finding& a, const Finding& b) {
    return std::tie(a.path, a.range.start_line, a.range.start_column, a.rule, a.message) <
           std::tie(b.path, b.range.start_line, b.range.start_column, b.rule, b.message);
}

std::shared_ptr<const void> SharedAnalyses::get_erased(
    const ProjectModel& project, const std::string& key,
    const std::function<std::shared_ptr<const void>()>& build) const {
    std::string full = key;
    full += '\x1e';
    full.append(reinterpret_cast<const char*>(project.files.data()),
                project.files.size() * sizeof(const FileModel*));
    {
        const std::lock_guard<std::mutex> lock(m_mutex);
        if (auto it = m_items.find(full); it != m_items.end()) {
            return it->second;
        }
    }
    // Built without the lock, so that a build may ask for another analysis.
    std::shared_ptr<const void> built = build();
    const std::lock_guard<std::mutex> lock(m_mutex);
    return m_items.emplace(std::move(full), std::move(built)).first->second;
}

std::uint32_t language_bit(Language lang) {
    switch (lang) {
    case Language::python: return lang_mask::python;
    case Language::javascript: return lang_mask::javascript;
    case Language::typescript: return lang_mask::typescript;
    case Language::c: return lang_mask::c;
    case Language::cpp: return lang_mask::cpp;
    }
    return 0;
}

long long RuleContext::option_int(const std::string& name, long long fallback) const {
    auto it = m_options.find(name);
    if (it == m_options.end()) {
        return fallback;
    }
    try {
        std::size_t used = 0;
        long long v = std::stoll(it->second, &used);
        if (used != it->second.size()) {
            throw std::invalid_argument(name);
        }
        return v;
    } catch (const std::logic_error&) {
        throw std::invalid_argument("option '" + name + "' must be an integer, got '" +
                                    it->second + "'");
    }
}

std::string RuleContext::option_string(const std::string& name,
                                       const std::string& fallback) const {
    auto it = m_options.find(name);
    return it == m_options.end() ? fallback : it->second;
}

std::vector<std::string> RuleContext::option_list(const std::string& name,
                                                  const std::vector<std::string>& fallback) const {
    auto it = m_options.find(name);
    if (it == m_options.end()) {
        return fallback;
    }
    std::vector<std::string> out;
    std::string cur;
    for (char c : it->second + ",") {
        if (c == ',') {
            auto b = cur.find_first_not_of(" \t");
            auto e = cur.find_last_not_of(" \t");
            if (b != std::string::npos) {
                out.push_back(cur.substr(b, e - b + 1));
            }
            cur.clear();
        } else {
            cur += c;
        }
    }
    return out;
}

Finding make_finding(const Rule& rule, const RuleContext& ctx, const FileModel& file,
                     const Range& range, std::string message) {
    Finding f;
    f.rule = rule.meta().id;
    f.severity = ctx.severity();
    f.path = file.path;
    f.range = range;
    f.message = std::move(message);
    std::int32_t fn = file.function_at(range.start_byte);
    if (fn >= 0) {
        f.function = file.functions[static_cast<std::size_t>(fn)].qualified_name;
    }
    return f;
}

Registry& Registry::instance() {
    static Registry registry;
    return registry;
}

void Registry::add(std::unique_ptr<Rule> rule) { m_rules.push_back(std::move(rule)); }

bool Registry::remove(std::string_view id) {
    const auto before = m_rules.size();
    std::erase_if(m_rules, [&](const std::unique_ptr<Rule>& r) { return r->meta().id == id; });
    return m_rules.size() != before;
}

std::vector<const Rule*> Registry::rules() const {
    std::vector<const Rule*> out;
    out.reserve(m_rules.size());
    for (const auto& r : m_rules) {
        out.push_back(r.get());
    }
    std::sort(out.begin(), out.end(),
              [](const Rule* a, const Rule* b) { return a->meta().id < b->meta().id; });
    return out;
}

const Rule* Registry::find(std::string_view id) const {
    for (const auto& r : m_rules) {
        if (r->meta().id == id) {
            return r.get();
        }
        for (const auto& alias : r->meta().aliases) {
            if (alias == id) {
                return r.get();
            }
        }
    }
    return nullptr;
}

}  // namespace cq
