#include "config/custom_rules.hpp"

#include <re2/re2.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>

#include "analyzer/engine/engine.hpp"
#include "analyzer/engine/fingerprint.hpp"
#include "analyzer/treesitter/query_rules.hpp"
#include "config/yaml_reader.hpp"
#include "rules/custom/custom_rule.hpp"
#include "rules/registry.hpp"

namespace fs = std::filesystem;

namespace cq::config {

namespace {

const std::vector<std::string> k_rule_keys = {
    "id",          "title",    "message", "severity",    "languages",     "query",          "location",
    "constraints", "valid",    "invalid", "description", "cwe",           "quality",        "clean-code-attribute",
    "effort-minutes"};
const std::vector<std::string> k_constraint_keys = {"equals", "not-equals", "regex", "not-regex"};

std::vector<std::string>& registered_ids() {
    static std::vector<std::string> ids;
    return ids;
}

class QueryMatcher final : public custom::Matcher {
public:
    std::unique_ptr<treesitter::CompiledQuery> standard;
    std::unique_ptr<treesitter::CompiledQuery> tsx;  // TypeScript rules: the TSX grammar for .tsx

    std::vector<custom::Match> find(const FileModel& file) const override {
        const bool is_tsx = file.path.size() >= 4 && file.path.compare(file.path.size() - 4, 4, ".tsx") == 0;
        const treesitter::CompiledQuery* q = is_tsx && tsx ? tsx.get() : standard.get();
        std::vector<custom::Match> out;
        if (q == nullptr) {
            return out;
        }
        for (auto& m : q->run(file.source)) {
            custom::Match cm;
            for (auto& c : m.captures) {
                cm.captures.push_back({std::move(c.name), c.range});
            }
            out.push_back(std::move(cm));
        }
        return out;
    }
};

std::optional<Language> parse_language(const std::string& s) {
    const std::string l = lower(s);
    if (l == "python" || l == "py") {
        return Language::python;
    }
    if (l == "javascript" || l == "js") {
        return Language::javascript;
    }
    if (l == "typescript" || l == "ts") {
        return Language::typescript;
    }
    if (l == "c") {
        return Language::c;
    }
    if (l == "cpp" || l == "c++") {
        return Language::cpp;
    }
    return std::nullopt;
}

bool valid_id(const std::string& id) {
    const auto slash = id.find('/');
    if (slash == std::string::npos || slash == 0 || slash + 1 >= id.size() || id.find('/', slash + 1) != std::string::npos) {
        return false;
    }
    return std::all_of(id.begin(), id.end(), [](unsigned char c) {
        return std::islower(c) != 0 || std::isdigit(c) != 0 || c == '-' || c == '/' || c == '_' || c == '.';
    });
}

// Where (file line, column; 0-based) the query text's line/column (1-based) is, for a query
// given as a block scalar (`query: |`) or a single-line scalar.
std::pair<int, int> file_position(std::string_view file_text, const YAML::Node& node, std::uint32_t qline,
                                  std::uint32_t qcol) {
    const YAML::Mark mark = node.Mark();
    std::vector<std::size_t> starts{0};
    for (std::size_t i = 0; i < file_text.size(); ++i) {
        if (file_text[i] == '\n') {
            starts.push_back(i + 1);
        }
    }
    if (mark.line < 0 || static_cast<std::size_t>(mark.line) >= starts.size()) {
        return {mark.line, mark.column};
    }
    const std::size_t at = starts[static_cast<std::size_t>(mark.line)] + static_cast<std::size_t>(mark.column);
    const char indicator = at < file_text.size() ? file_text[at] : '\0';
    if (indicator == '|' || indicator == '>') {
        // content starts on the next line, indented; find the indentation of the first non-empty line
        std::size_t line = static_cast<std::size_t>(mark.line) + 1;
        int indent = 0;
        for (std::size_t l = line; l < starts.size(); ++l) {
            std::size_t p = starts[l];
            int n = 0;
            while (p < file_text.size() && file_text[p] == ' ') {
                ++p;
                ++n;
            }
            if (p < file_text.size() && file_text[p] != '\n') {
                indent = n;
                break;
            }
        }
        return {static_cast<int>(line + qline - 1), indent + static_cast<int>(qcol) - 1};
    }
    const int quote = (indicator == '"' || indicator == '\'') ? 1 : 0;
    if (qline == 1) {
        return {mark.line, mark.column + quote + static_cast<int>(qcol) - 1};
    }
    return {mark.line + static_cast<int>(qline) - 1, static_cast<int>(qcol) - 1};
}

std::string ext_for(Language l) {
    switch (l) {
    case Language::python: return ".py";
    case Language::javascript: return ".js";
    case Language::typescript: return ".ts";
    case Language::c: return ".c";
    case Language::cpp: return ".cpp";
    }
    return ".txt";
}

std::string make_doc(const std::string& description, const std::string& file, const std::vector<CustomExample>& ex,
                     const std::vector<custom::Constraint>& constraints, const std::string& query) {
    std::string doc = "## What it finds\n" + (description.empty() ? std::string("Code that matches the query of this custom rule.") : description) +
                      "\n\nA custom rule, defined in `" + file + "`:\n```\n" + query + "\n```\n";
    for (const auto& c : constraints) {
        doc += "- `@" + c.capture + "` " + c.description + "\n";
    }
    doc += "\n## Why it matters\nThis project's own convention (see the rule file).\n\n## Example\n";
    for (const auto& e : ex) {
        if (e.expect_finding) {
            doc += "```" + std::string(language_name(e.language)) + "\n" + e.code + "\n```\n";
            break;
        }
    }
    doc += "\n## Instead\n";
    for (const auto& e : ex) {
        if (!e.expect_finding) {
            doc += "```" + std::string(language_name(e.language)) + "\n" + e.code + "\n```\n";
            break;
        }
    }
    doc += "\n## Options\nNone (edit the rule file).\n";
    return doc;
}

struct Parsed {
    std::unique_ptr<custom::CustomRule> rule;
    CustomRuleInfo info;
};

Parsed parse_rule(const Reader& r, const YAML::Node& node, std::string_view text, const std::string& file) {
    r.expect_map(node, "a custom rule");
    Parsed out;
    custom::CustomRuleSpec spec;
    spec.source_file = file;
    spec.meta.severity = Severity::major;
    spec.meta.clean_code_attribute = "CONVENTIONAL";
    std::string query;
    YAML::Node query_node;
    YAML::Node constraints_node;
    YAML::Node message_node;
    std::string description;
    std::vector<Language> languages;
    Quality quality = Quality::maintainability;
    bool have_id = false;
    bool have_constraints = false;
    for (auto it = node.begin(); it != node.end(); ++it) {
        const std::string key = r.key_of(it->first);
        const YAML::Node v = it->second;  // a copy: it->second lives in a temporary proxy
        if (key == "id") {
            spec.meta.id = r.scalar(v, "id");
            if (!valid_id(spec.meta.id)) {
                r.fail(v, "rule id '" + spec.meta.id + "' must be category/kebab-name in lower case (e.g. team/no-print)");
            }
            have_id = true;
        } else if (key == "title") {
            spec.meta.title = r.scalar(v, "title");
        } else if (key == "message") {
            spec.message = r.scalar(v, "message");
            message_node = v;
        } else if (key == "severity") {
            const auto sev = parse_severity(r.scalar(v, "severity"));
            if (!sev) {
                r.fail(v, "severity must be info, minor, major, critical or blocker, got '" + v.Scalar() + "'");
            }
            spec.meta.severity = *sev;
        } else if (key == "languages") {
            for (const auto& name : r.strings(v, "languages")) {
                const auto lang = parse_language(name);
                if (!lang) {
                    r.fail(v, "unknown language '" + name + "' (python, javascript, typescript, c, cpp)");
                }
                languages.push_back(*lang);
            }
        } else if (key == "query") {
            query = r.scalar(v, "query");
            query_node = v;
        } else if (key == "location") {
            spec.location_capture = r.scalar(v, "location");
        } else if (key == "constraints") {
            constraints_node = v;
            have_constraints = true;
        } else if (key == "valid" || key == "invalid") {
            if (!v.IsSequence() && !v.IsNull()) {
                r.fail(v, key + " must be a list of code snippets");
            }
            for (const auto& item : v) {
                CustomExample ex;
                ex.expect_finding = key == "invalid";
                ex.line = item.Mark().line + 1;
                ex.language = Language::python;  // set below from languages when not given
                if (item.IsMap()) {
                    bool lang_given = false;
                    for (auto e = item.begin(); e != item.end(); ++e) {
                        const std::string k = r.key_of(e->first);
                        if (k == "code") {
                            ex.code = r.scalar(e->second, key + ".code");
                        } else if (k == "language") {
                            const auto lang = parse_language(r.scalar(e->second, key + ".language"));
                            if (!lang) {
                                r.fail(e->second, "unknown language '" + e->second.Scalar() + "'");
                            }
                            ex.language = *lang;
                            lang_given = true;
                        } else {
                            r.unknown_key(e->first, k, "an example", {"code", "language"});
                        }
                    }
                    ex.line = lang_given ? -ex.line : ex.line;  // negative: language given (fixed below)
                } else {
                    ex.code = r.scalar(item, key + " example");
                }
                out.info.examples.push_back(std::move(ex));
            }
        } else if (key == "description") {
            description = r.scalar(v, "description");
        } else if (key == "cwe") {
            for (const auto& c : r.strings(v, "cwe")) {
                std::string digits = c.rfind("CWE-", 0) == 0 ? c.substr(4) : c;
                if (digits.empty() || digits.size() > 6 ||
                    !std::all_of(digits.begin(), digits.end(), [](unsigned char ch) { return std::isdigit(ch) != 0; })) {
                    r.fail(v, "cwe entries are numbers (79 or CWE-79), got '" + c + "'");
                }
                spec.meta.cwe.push_back(std::stoi(digits));
            }
        } else if (key == "quality") {
            const std::string q = lower(r.scalar(v, "quality"));
            if (q == "maintainability") {
                quality = Quality::maintainability;
            } else if (q == "reliability") {
                quality = Quality::reliability;
            } else if (q == "security") {
                quality = Quality::security;
            } else {
                r.fail(v, "quality must be maintainability, reliability or security, got '" + v.Scalar() + "'");
            }
        } else if (key == "clean-code-attribute") {
            spec.meta.clean_code_attribute = r.scalar(v, "clean-code-attribute");
            static const std::vector<std::string> k_attrs = {"CONVENTIONAL", "FORMATTED", "IDENTIFIABLE", "CLEAR",
                                                             "COMPLETE",     "EFFICIENT", "LOGICAL",      "DISTINCT",
                                                             "FOCUSED",      "MODULAR",   "TESTED",       "LAWFUL",
                                                             "RESPECTFUL",   "TRUSTWORTHY"};
            if (std::find(k_attrs.begin(), k_attrs.end(), spec.meta.clean_code_attribute) == k_attrs.end()) {
                const std::string guess = closest(spec.meta.clean_code_attribute, k_attrs);
                r.fail(v, "unknown clean-code attribute '" + spec.meta.clean_code_attribute + "'" +
                              (guess.empty() ? "" : " (did you mean '" + guess + "'?)"));
            }
        } else if (key == "effort-minutes") {
            spec.meta.effort_minutes = static_cast<int>(std::min<std::uint64_t>(r.unsigned_integer(v, "effort-minutes"), 100000));
        } else {
            r.unknown_key(it->first, key, "a custom rule", k_rule_keys);
        }
    }
    auto missing = [&](const char* what) { r.fail(node, std::string("custom rule needs '") + what + "'"); };
    if (!have_id) {
        missing("id");
    }
    if (spec.message.empty()) {
        missing("message");
    }
    if (languages.empty()) {
        missing("languages");
    }
    if (query.empty()) {
        missing("query");
    }
    if (spec.meta.title.empty()) {
        spec.meta.title = spec.message.substr(0, 120);
    }
    std::sort(languages.begin(), languages.end());
    languages.erase(std::unique(languages.begin(), languages.end()), languages.end());
    spec.meta.languages = 0;
    std::set<std::string> captures;
    for (const Language lang : languages) {
        spec.meta.languages |= language_bit(lang);
        auto matcher = std::make_shared<QueryMatcher>();
        for (const auto dialect : {treesitter::Dialect::standard, treesitter::Dialect::tsx}) {
            if (dialect == treesitter::Dialect::tsx && lang != Language::typescript) {
                continue;
            }
            treesitter::QueryError err;
            auto q = treesitter::CompiledQuery::compile(lang, dialect, query, err);
            if (!q) {
                const auto [line, col] = file_position(text, query_node, err.line, err.column);
                r.fail_at(line, col, "query of rule '" + spec.meta.id + "' does not compile: " + err.message +
                                         " of the query (" + err.kind + " error)");
            }
            for (const auto& c : q->capture_names()) {
                captures.insert(c);
            }
            (dialect == treesitter::Dialect::tsx ? matcher->tsx : matcher->standard) = std::move(q);
        }
        spec.matchers[lang] = matcher;
    }
    if (captures.empty()) {
        r.fail(query_node, "the query of rule '" + spec.meta.id + "' has no @capture: a finding needs one to point at");
    }
    const std::vector<std::string> capture_list(captures.begin(), captures.end());
    auto check_capture = [&](const YAML::Node& at, const std::string& name, const std::string& where) {
        if (captures.count(name) == 0) {
            const std::string guess = closest(name, capture_list);
            r.fail(at, where + " names capture '" + name + "', which the query does not have" +
                           (guess.empty() ? "" : " (did you mean '" + guess + "'?)"));
        }
    };
    if (!spec.location_capture.empty()) {
        check_capture(node["location"], spec.location_capture, "location");
    }
    for (const auto& name : custom::placeholders(spec.message)) {
        check_capture(message_node, name, "the message");
    }
    if (have_constraints && !constraints_node.IsNull()) {
        r.expect_map(constraints_node, "constraints");
        for (auto it = constraints_node.begin(); it != constraints_node.end(); ++it) {
            const std::string cap = r.key_of(it->first);
            check_capture(it->first, cap, "a constraint");
            r.expect_map(it->second, "constraints." + cap);
            for (auto c = it->second.begin(); c != it->second.end(); ++c) {
                const std::string op = r.key_of(c->first);
                custom::Constraint con;
                con.capture = cap;
                if (op == "equals" || op == "not-equals") {
                    const auto values = r.strings(c->second, "constraints." + cap + "." + op);
                    const bool negate = op == "not-equals";
                    con.description = std::string(negate ? "is none of" : "is one of");
                    for (const auto& v : values) {
                        con.description += " `" + v + "`";
                    }
                    con.test = [values, negate](std::string_view t) {
                        const bool hit = std::find(values.begin(), values.end(), t) != values.end();
                        return hit != negate;
                    };
                } else if (op == "regex" || op == "not-regex") {
                    const std::string pattern = r.scalar(c->second, "constraints." + cap + "." + op);
                    RE2::Options options;
                    options.set_log_errors(false);
                    auto re = std::make_shared<RE2>(pattern, options);
                    if (!re->ok()) {
                        r.fail(c->second, "invalid regular expression '" + pattern + "': " + re->error() +
                                              " (RE2 syntax: no backreferences or lookaround)");
                    }
                    const bool negate = op == "not-regex";
                    con.description = std::string(negate ? "does not match" : "matches") + " `" + pattern + "`";
                    con.test = [re, negate](std::string_view t) {
                        return RE2::PartialMatch(re2::StringPiece(t.data(), t.size()), *re) != negate;
                    };
                } else {
                    r.unknown_key(c->first, op, "constraints." + cap, k_constraint_keys);
                }
                spec.constraints.push_back(std::move(con));
            }
        }
    }
    spec.meta.impacts = {{quality, spec.meta.severity >= Severity::critical ? ImpactSeverity::high
                                   : spec.meta.severity >= Severity::major  ? ImpactSeverity::medium
                                                                            : ImpactSeverity::low}};
    for (auto& ex : out.info.examples) {
        if (ex.line > 0) {
            ex.language = languages.front();
        } else {
            ex.line = -ex.line;
        }
    }
    spec.meta.doc = make_doc(description, file, out.info.examples, spec.constraints, query);
    out.info.id = spec.meta.id;
    out.info.file = file;
    out.info.line = node.Mark().line + 1;
    out.rule = std::make_unique<custom::CustomRule>(std::move(spec));
    return out;
}

std::vector<Parsed> parse_file(std::string_view text, const std::string& file) {
    const Reader r(file);
    check_nesting(text, r.file());
    YAML::Node root;
    try {
        root = YAML::Load(std::string(text));
    } catch (const YAML::Exception& e) {
        r.fail_at(e.mark.line, e.mark.column, "not valid YAML: " + e.msg);
    }
    std::vector<Parsed> out;
    if (root.IsNull()) {
        return out;
    }
    try {
        const YAML::Node& croot = root;
        if (croot.IsMap() && croot["rules"] && !croot["id"]) {
            const YAML::Node list = croot["rules"];
            for (auto it = croot.begin(); it != croot.end(); ++it) {
                if (r.key_of(it->first) != "rules") {
                    r.unknown_key(it->first, it->first.Scalar(), "a rule file with a `rules:` list", {"rules"});
                }
            }
            if (!list.IsSequence()) {
                r.fail(list, "rules must be a list of rules");
            }
            for (const auto& item : list) {
                out.push_back(parse_rule(r, item, text, file));
            }
        } else {
            out.push_back(parse_rule(r, croot, text, file));
        }
    } catch (const YAML::Exception& e) {
        r.fail_at(e.mark.line, e.mark.column, std::string("invalid rule file: ") + e.what());
    }
    return out;
}

}  // namespace

std::vector<CustomRuleInfo> check_custom_rules(std::string_view text, const std::string& file_name) {
    std::vector<CustomRuleInfo> out;
    for (auto& p : parse_file(text, file_name)) {
        out.push_back(std::move(p.info));
    }
    return out;
}

void unregister_custom_rules() {
    for (const auto& id : registered_ids()) {
        Registry::instance().remove(id);
    }
    registered_ids().clear();
}

CustomRuleSet load_custom_rules(const std::vector<std::string>& dirs) {
    unregister_custom_rules();
    CustomRuleSet set;
    std::vector<std::string> files;
    for (const auto& dir : dirs) {
        std::error_code ec;
        if (!fs::is_directory(dir, ec)) {
            continue;
        }
        for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
            const std::string ext = it->path().extension().string();
            if ((ext == ".yaml" || ext == ".yml") && it->is_regular_file(ec)) {
                files.push_back(it->path().string());
            }
        }
    }
    std::sort(files.begin(), files.end());
    std::vector<Parsed> all;
    std::string identity;
    for (const auto& f : files) {
        std::ifstream in(f, std::ios::binary);
        std::ostringstream ss;
        ss << in.rdbuf();
        if (!in) {
            throw ConfigError(f + ": cannot read the custom rule file");
        }
        const std::string text = ss.str();
        identity += f + '\0' + text + '\0';
        for (auto& p : parse_file(text, f)) {
            all.push_back(std::move(p));
        }
    }
    std::set<std::string> ids;
    for (const auto& p : all) {
        if (!ids.insert(p.info.id).second) {
            throw ConfigError(p.info.file + ":" + std::to_string(p.info.line) + ": custom rule id '" + p.info.id +
                              "' is defined twice");
        }
        if (Registry::instance().find(p.info.id) != nullptr) {
            throw ConfigError(p.info.file + ":" + std::to_string(p.info.line) + ": custom rule id '" + p.info.id +
                              "' is the id of a built-in rule; choose another");
        }
    }
    for (auto& p : all) {
        registered_ids().push_back(p.info.id);
        Registry::instance().add(std::move(p.rule));
        set.rules.push_back(std::move(p.info));
    }
    set.files = std::move(files);
    if (!identity.empty()) {
        char buf[17];
        std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(fnv1a64(identity)));
        set.hash = buf;
    }
    return set;
}

std::vector<std::string> run_examples(const CustomRuleSet& rules) {
    std::vector<std::string> failures;
    for (const auto& rule : rules.rules) {
        if (rule.examples.empty()) {
            failures.push_back(rule.file + ":" + std::to_string(rule.line) + ": " + rule.id +
                               ": no valid / invalid examples (every custom rule needs at least one)");
            continue;
        }
        RuleSelection sel;
        sel.only = {rule.id};
        for (const auto& ex : rule.examples) {
            std::string where = rule.file + ":" + std::to_string(ex.line) + ": " + rule.id + ": ";
            try {
                const auto result = analyze_source("example" + ext_for(ex.language), ex.code, sel);
                std::size_t n = 0;
                for (const auto& f : result.findings) {
                    n += f.rule == rule.id ? 1 : 0;
                }
                if (ex.expect_finding && n == 0) {
                    failures.push_back(where + "invalid example produced no finding");
                } else if (!ex.expect_finding && n > 0) {
                    failures.push_back(where + "valid example produced " + std::to_string(n) + " finding(s): " +
                                       result.findings.front().message);
                }
                for (const auto& e : result.internal_errors) {
                    failures.push_back(where + "internal error: " + e.message);
                }
            } catch (const std::exception& e) {
                failures.push_back(where + e.what());
            }
        }
    }
    return failures;
}

}  // namespace cq::config
