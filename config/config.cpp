#include "config/config.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "config/custom_rules.hpp"
#include "config/yaml_reader.hpp"
#include "rules/registry.hpp"

namespace fs = std::filesystem;

namespace cq::config {

namespace {

const std::vector<std::string> k_top_keys = {"version", "include", "exclude",   "max-file-size", "paths",
                                             "rules",   "hot-paths", "gate",    "sonar",         "custom-rules"};
const std::vector<std::string> k_path_keys = {"tests", "generated", "vendored"};
const std::vector<std::string> k_hot_keys = {"handler-names", "handler-decorators", "handler-registrations",
                                             "include-tests"};
const std::vector<std::string> k_gate_keys = {"fail-on-new", "max-new-duplication", "min-new-lines", "complexity"};
const std::vector<std::string> k_sonar_keys = {"format", "extended-impacts", "project-base-dir", "project-key"};

bool is_int_text(const std::string& s) {
    std::size_t i = (!s.empty() && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
    return i < s.size() && std::all_of(s.begin() + static_cast<std::ptrdiff_t>(i), s.end(),
                                       [](unsigned char c) { return std::isdigit(c) != 0; });
}

bool is_number_text(const std::string& s) {
    try {
        std::size_t used = 0;
        (void)std::stod(s, &used);
        return used == s.size() && !s.empty();
    } catch (const std::exception&) {
        return false;
    }
}

// A rule option's value from YAML, checked against the kind its default has.
std::string option_value(const Reader& r, const YAML::Node& n, const RuleOption& opt, const std::string& rule) {
    const std::string what = "option '" + opt.name + "' of " + rule;
    const std::string& def = opt.default_value;
    if (def == "true" || def == "false") {
        return r.boolean(n, what) ? "true" : "false";
    }
    if (is_int_text(def)) {
        const std::string v = r.scalar(n, what);
        if (!is_int_text(v)) {
            r.fail(n, what + " must be a whole number (default " + def + "), got '" + v + "'");
        }
        return v;
    }
    if (is_number_text(def)) {
        const std::string v = r.scalar(n, what);
        if (!is_number_text(v)) {
            r.fail(n, what + " must be a number (default " + def + "), got '" + v + "'");
        }
        return v;
    }
    std::string joined;
    for (const auto& s : r.strings(n, what)) {
        joined += (joined.empty() ? "" : ",") + s;
    }
    return joined;
}

std::vector<std::string> categories() {
    std::set<std::string> cats;
    for (const Rule* rule : Registry::instance().rules()) {
        cats.insert(rule->meta().id.substr(0, rule->meta().id.find('/')));
    }
    return {cats.begin(), cats.end()};
}

std::string category_of(const std::string& key) {
    std::string k = key;
    if (k.size() > 2 && k.compare(k.size() - 2, 2, "/*") == 0) {
        k.resize(k.size() - 2);
    } else if (!k.empty() && k.back() == '/') {
        k.pop_back();
    }
    return k;
}

bool known_selector(const std::string& id) {
    if (Registry::instance().find(id) != nullptr) {
        return true;
    }
    const auto cats = categories();
    return std::find(cats.begin(), cats.end(), category_of(id)) != cats.end();
}

std::vector<std::string> selector_candidates() {
    std::vector<std::string> out = categories();
    for (const Rule* rule : Registry::instance().rules()) {
        out.push_back(rule->meta().id);
    }
    return out;
}

void read_selector_list(const Reader& r, const YAML::Node& n, const std::string& what, std::vector<std::string>& out) {
    if (n.IsSequence()) {
        for (const auto& item : n) {
            const std::string id = r.scalar(item, "each entry of " + what);
            if (!known_selector(id)) {
                const std::string guess = closest(id, selector_candidates());
                r.fail(item, "unknown rule or category '" + id + "' in " + what +
                                 (guess.empty() ? " (see `cq rules`)" : " (did you mean '" + guess + "'?)"));
            }
            out.push_back(id);
        }
        return;
    }
    for (const std::string& id : r.strings(n, what)) {
        if (!known_selector(id)) {
            const std::string guess = closest(id, selector_candidates());
            r.fail(n, "unknown rule or category '" + id + "' in " + what +
                          (guess.empty() ? " (see `cq rules`)" : " (did you mean '" + guess + "'?)"));
        }
        out.push_back(id);
    }
}

void read_rules(const Reader& r, const YAML::Node& node, Config& c) {
    r.expect_map(node, "rules");
    const Registry& registry = Registry::instance();
    // Categories first, so that a rule's own entry wins over its category's.
    std::vector<std::pair<YAML::Node, YAML::Node>> cat_entries;
    std::vector<std::pair<YAML::Node, YAML::Node>> rule_entries;
    for (auto it = node.begin(); it != node.end(); ++it) {
        const std::string key = r.key_of(it->first);
        if (key == "only") {
            read_selector_list(r, it->second, "rules.only", c.rules.only);
        } else if (key == "disable") {
            read_selector_list(r, it->second, "rules.disable", c.rules.disabled);
        } else if (registry.find(key) != nullptr) {
            rule_entries.emplace_back(it->first, it->second);
        } else if (known_selector(key)) {
            cat_entries.emplace_back(it->first, it->second);
        } else {
            std::vector<std::string> allowed = selector_candidates();
            allowed.push_back("only");
            allowed.push_back("disable");
            r.unknown_key(it->first, key, "rules", allowed);
        }
    }
    auto enable = [&](const std::string& id, bool on) {
        auto& d = c.rules.disabled;
        if (on) {
            d.erase(std::remove(d.begin(), d.end(), id), d.end());
        } else if (std::find(d.begin(), d.end(), id) == d.end()) {
            d.push_back(id);
        }
    };
    for (const auto& [key, value] : cat_entries) {
        const std::string cat = category_of(key.Scalar());
        const std::string section = "rules." + key.Scalar();
        if (value.IsScalar() || value.IsNull()) {
            // `latency: off` / `latency: minor`
            if (auto sev = parse_severity(value.Scalar())) {
                for (const Rule* rule : registry.rules()) {
                    if (rule->meta().id.rfind(cat + "/", 0) == 0) {
                        c.rules.severities[rule->meta().id] = *sev;
                    }
                }
            } else {
                enable(cat, r.boolean(value, section + " (true, false or a severity)"));
            }
            continue;
        }
        r.expect_map(value, section);
        for (auto it = value.begin(); it != value.end(); ++it) {
            const std::string k = r.key_of(it->first);
            if (k == "enabled") {
                enable(cat, r.boolean(it->second, section + ".enabled"));
            } else if (k == "severity") {
                const auto sev = parse_severity(r.scalar(it->second, section + ".severity"));
                if (!sev) {
                    r.fail(it->second, "severity must be info, minor, major, critical or blocker, got '" +
                                           it->second.Scalar() + "'");
                }
                for (const Rule* rule : registry.rules()) {
                    if (rule->meta().id.rfind(cat + "/", 0) == 0) {
                        c.rules.severities[rule->meta().id] = *sev;
                    }
                }
            } else {
                r.unknown_key(it->first, k, section + " (a category takes enabled and severity; options go under a rule id)",
                              {"enabled", "severity"});
            }
        }
    }
    for (const auto& [key, value] : rule_entries) {
        const Rule* rule = registry.find(key.Scalar());
        const RuleMeta& meta = rule->meta();
        const std::string section = "rules." + key.Scalar();
        if (value.IsScalar() || value.IsNull()) {
            if (auto sev = parse_severity(value.Scalar())) {
                c.rules.severities[meta.id] = *sev;
            } else {
                enable(meta.id, r.boolean(value, section + " (true, false or a severity)"));
            }
            continue;
        }
        r.expect_map(value, section);
        for (auto it = value.begin(); it != value.end(); ++it) {
            const std::string k = r.key_of(it->first);
            if (k == "enabled") {
                enable(meta.id, r.boolean(it->second, section + ".enabled"));
                continue;
            }
            if (k == "severity") {
                const auto sev = parse_severity(r.scalar(it->second, section + ".severity"));
                if (!sev) {
                    r.fail(it->second, "severity must be info, minor, major, critical or blocker, got '" +
                                           it->second.Scalar() + "'");
                }
                c.rules.severities[meta.id] = *sev;
                continue;
            }
            const RuleOption* opt = nullptr;
            for (const auto& o : meta.options) {
                if (o.name == k) {
                    opt = &o;
                }
            }
            if (opt == nullptr) {
                std::vector<std::string> allowed = {"enabled", "severity"};
                for (const auto& o : meta.options) {
                    allowed.push_back(o.name);
                }
                r.unknown_key(it->first, k, section + " (see `cq explain " + meta.id + "`)", allowed);
            }
            c.rules.options[meta.id][k] = option_value(r, it->second, *opt, meta.id);
        }
    }
}

// hot-paths: each key is the option of that name on every rule that declares it.
void read_hot_paths(const Reader& r, const YAML::Node& node, Config& c) {
    r.expect_map(node, "hot-paths");
    for (auto it = node.begin(); it != node.end(); ++it) {
        const std::string key = r.key_of(it->first);
        if (std::find(k_hot_keys.begin(), k_hot_keys.end(), key) == k_hot_keys.end()) {
            r.unknown_key(it->first, key, "hot-paths", k_hot_keys);
        }
        for (const Rule* rule : Registry::instance().rules()) {
            for (const auto& o : rule->meta().options) {
                if (o.name != key) {
                    continue;
                }
                auto& slot = c.rules.options[rule->meta().id];
                if (slot.count(key) == 0) {  // a rule's own entry (read later) wins
                    slot[key] = option_value(r, it->second, o, "hot-paths");
                }
            }
        }
        // validated even when no rule declares it (a build without latency rules)
        if (key == "include-tests") {
            (void)r.boolean(it->second, "hot-paths.include-tests");
        } else {
            (void)r.strings(it->second, "hot-paths." + key);
        }
    }
}

void read_paths(const Reader& r, const YAML::Node& node, Config& c) {
    r.expect_map(node, "paths");
    for (auto it = node.begin(); it != node.end(); ++it) {
        const std::string key = r.key_of(it->first);
        if (key == "tests") {
            c.roles.tests = r.strings(it->second, "paths.tests");
        } else if (key == "generated") {
            c.roles.generated = r.strings(it->second, "paths.generated");
        } else if (key == "vendored") {
            c.roles.vendored = r.strings(it->second, "paths.vendored");
        } else {
            r.unknown_key(it->first, key, "paths", k_path_keys);
        }
    }
}

void read_gate(const Reader& r, const YAML::Node& node, Config& c) {
    r.expect_map(node, "gate");
    for (auto it = node.begin(); it != node.end(); ++it) {
        const std::string key = r.key_of(it->first);
        const YAML::Node v = it->second;  // a copy: it->second lives in a temporary proxy
        if (key == "fail-on-new") {
            const std::string s = lower(r.scalar(v, "gate.fail-on-new"));
            if (s != "none" && s != "off" && !parse_severity(s)) {
                r.fail(v, "gate.fail-on-new must be info, minor, major, critical, blocker or none, got '" +
                              v.Scalar() + "'");
            }
            c.gate.fail_on_new = s == "off" ? "none" : s;
        } else if (key == "max-new-duplication") {
            const std::string s = lower(r.scalar(v, "gate.max-new-duplication"));
            c.gate.max_new_duplication =
                (s == "none" || s == "off") ? -1.0 : r.number(v, "gate.max-new-duplication (percent, or none)");
        } else if (key == "min-new-lines") {
            c.gate.min_new_lines = r.unsigned_integer(v, "gate.min-new-lines");
        } else if (key == "complexity") {
            c.gate.complexity = r.boolean(v, "gate.complexity");
        } else {
            r.unknown_key(it->first, key, "gate", k_gate_keys);
        }
    }
}

void read_sonar(const Reader& r, const YAML::Node& node, Config& c) {
    r.expect_map(node, "sonar");
    for (auto it = node.begin(); it != node.end(); ++it) {
        const std::string key = r.key_of(it->first);
        const YAML::Node v = it->second;  // a copy: it->second lives in a temporary proxy
        if (key == "format") {
            const std::string s = lower(r.scalar(v, "sonar.format"));
            if (s != "current" && s != "legacy") {
                r.fail(v, "sonar.format must be current or legacy, got '" + v.Scalar() + "'");
            }
            c.sonar.format = s;
        } else if (key == "extended-impacts") {
            c.sonar.extended_impacts = r.boolean(v, "sonar.extended-impacts");
        } else if (key == "project-base-dir") {
            c.sonar.project_base_dir = r.scalar(v, "sonar.project-base-dir");
        } else if (key == "project-key") {
            c.sonar.project_key = r.scalar(v, "sonar.project-key");
        } else {
            r.unknown_key(it->first, key, "sonar", k_sonar_keys);
        }
    }
}

}  // namespace

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> prev(b.size() + 1);
    std::vector<std::size_t> cur(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) {
        prev[j] = j;
    }
    for (std::size_t i = 1; i <= a.size(); ++i) {
        cur[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
        }
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

std::string closest(std::string_view word, const std::vector<std::string>& candidates) {
    std::string best;
    std::size_t best_d = std::max<std::size_t>(2, word.size() / 3) + 1;
    for (const auto& c : candidates) {
        const std::size_t d = edit_distance(lower(std::string(word)), lower(c));
        if (d < best_d) {
            best_d = d;
            best = c;
        }
    }
    return best;
}

std::string find_config(const std::string& start_dir) {
    std::error_code ec;
    fs::path dir = fs::weakly_canonical(fs::absolute(start_dir.empty() ? "." : start_dir), ec);
    if (ec) {
        return {};
    }
    if (!fs::is_directory(dir, ec)) {
        dir = dir.parent_path();
    }
    for (int depth = 0; depth < 256 && !dir.empty(); ++depth) {
        const fs::path candidate = dir / k_config_file_name;
        if (fs::is_regular_file(candidate, ec)) {
            return candidate.string();
        }
        if (fs::exists(candidate, ec)) {
            return candidate.string();  // a directory or worse: load_config says what is wrong
        }
        if (dir == dir.root_path()) {
            break;
        }
        dir = dir.parent_path();
    }
    return {};
}

Config parse_config(std::string_view text, const std::string& file_name) {
    Config c;
    c.path = file_name;
    const Reader r(file_name);
    check_nesting(text, r.file());
    YAML::Node root;
    try {
        root = YAML::Load(std::string(text));
    } catch (const YAML::ParserException& e) {
        r.fail_at(e.mark.line, e.mark.column, "not valid YAML: " + e.msg);
    } catch (const YAML::Exception& e) {
        r.fail_at(e.mark.line, e.mark.column, std::string("not valid YAML: ") + e.what());
    }
    if (root.IsNull()) {
        return c;  // an empty file: the defaults
    }
    r.expect_map(root, "the configuration");
    try {
        // hot-paths before rules, so that a rule's own entry wins
        const YAML::Node& croot = root;
        for (auto it = croot.begin(); it != croot.end(); ++it) {
            if (it->first.IsScalar() && it->first.Scalar() == "hot-paths") {
                read_hot_paths(r, it->second, c);
            }
        }
        for (auto it = root.begin(); it != root.end(); ++it) {
            const std::string key = r.key_of(it->first);
            const YAML::Node v = it->second;  // a copy: it->second lives in a temporary proxy
            if (key == "version") {
                if (r.unsigned_integer(v, "version") != 1) {
                    r.fail(v, "unsupported configuration version '" + v.Scalar() + "' (this cq reads version 1)");
                }
            } else if (key == "include") {
                c.include = r.strings(v, "include");
            } else if (key == "exclude") {
                c.exclude = r.strings(v, "exclude");
            } else if (key == "max-file-size") {
                c.max_file_size = r.size(v, "max-file-size");
            } else if (key == "paths") {
                read_paths(r, v, c);
            } else if (key == "rules") {
                read_rules(r, v, c);
            } else if (key == "hot-paths") {
                // read above
            } else if (key == "gate") {
                read_gate(r, v, c);
            } else if (key == "sonar") {
                read_sonar(r, v, c);
            } else if (key == "custom-rules") {
                c.custom_rule_dirs = r.strings(v, "custom-rules");
            } else {
                r.unknown_key(it->first, key, "", k_top_keys);
            }
        }
    } catch (const YAML::Exception& e) {
        r.fail_at(e.mark.line, e.mark.column, std::string("invalid configuration: ") + e.what());
    }
    return c;
}

Config load_config(const std::string& path) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
        throw ConfigError(path + ": is a directory, not a configuration file");
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw ConfigError(path + ": cannot read the configuration file");
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad()) {
        throw ConfigError(path + ": cannot read the configuration file");
    }
    Config c = parse_config(ss.str(), path);
    c.project_dir = fs::absolute(path, ec).parent_path().string();
    return c;
}

Config load_project(const std::string& explicit_path, const std::string& scan_root) {
    std::error_code ec;
    std::string path = explicit_path;
    if (!path.empty()) {
        if (!fs::exists(path, ec)) {
            throw ConfigError("--config '" + path + "': no such file");
        }
    } else {
        path = find_config(scan_root);
    }
    std::string text;
    if (!path.empty()) {
        if (fs::is_directory(path, ec)) {
            throw ConfigError(path + ": is a directory, not a configuration file");
        }
        std::ifstream in(path, std::ios::binary);
        std::ostringstream ss;
        ss << in.rdbuf();
        if (!in) {
            throw ConfigError(path + ": cannot read the configuration file");
        }
        text = ss.str();
    }
    const fs::path project_dir =
        path.empty() ? fs::absolute(scan_root.empty() ? "." : scan_root, ec) : fs::absolute(path, ec).parent_path();
    // The custom-rule directories first: the rest of the file may configure those rules.
    std::vector<std::string> dirs = Config{}.custom_rule_dirs;
    if (!text.empty()) {
        const Reader r(path);
        check_nesting(text, path);
        try {
            const YAML::Node root = YAML::Load(text);
            if (root.IsMap()) {
                for (auto it = root.begin(); it != root.end(); ++it) {
                    if (it->first.IsScalar() && it->first.Scalar() == "custom-rules") {
                        dirs = r.strings(it->second, "custom-rules");
                    }
                }
            }
        } catch (const YAML::Exception&) {
            // parse_config reports it with its position
        }
    }
    for (auto& d : dirs) {
        d = (project_dir / d).lexically_normal().string();
    }
    CustomRuleSet custom = load_custom_rules(dirs);
    Config c = text.empty() && path.empty() ? Config{} : parse_config(text, path);
    c.path = path;
    c.project_dir = project_dir.string();
    c.custom = std::move(custom);
    return c;
}

void apply(const Config& config, ScanOptions& options) {
    if (!config.custom.hash.empty()) {
        options.rules.options["cq/custom-rules"]["definitions"] = config.custom.hash;
    }
    options.include.insert(options.include.begin(), config.include.begin(), config.include.end());
    auto add_excludes = [&](const std::vector<std::string>& globs) {
        for (const auto& g : globs) {
            if (std::find(options.exclude.begin(), options.exclude.end(), g) == options.exclude.end()) {
                options.exclude.push_back(g);
            }
        }
    };
    add_excludes(config.exclude);
    add_excludes(config.roles.generated);
    add_excludes(config.roles.vendored);
    if (config.max_file_size && options.max_file_bytes == ScanOptions{}.max_file_bytes) {
        options.max_file_bytes = *config.max_file_size;
    }
    RuleSelection& sel = options.rules;
    if (sel.only.empty()) {
        sel.only = config.rules.only;
    }
    for (const auto& d : config.rules.disabled) {
        // an explicit --rules naming it turns it back on
        if (std::find(sel.only.begin(), sel.only.end(), d) == sel.only.end() &&
            std::find(sel.disabled.begin(), sel.disabled.end(), d) == sel.disabled.end()) {
            sel.disabled.push_back(d);
        }
    }
    for (const auto& [rule, opts] : config.rules.options) {
        for (const auto& [k, v] : opts) {
            sel.options[rule].emplace(k, v);  // emplace: a --set value already there wins
        }
    }
    for (const auto& [rule, sev] : config.rules.severities) {
        sel.severities.emplace(rule, sev);
    }
    if (!config.roles.tests.empty()) {
        std::string joined;
        for (const auto& g : config.roles.tests) {
            joined += (joined.empty() ? "" : ",") + g;
        }
        for (const Rule* rule : Registry::instance().rules()) {
            for (const auto& o : rule->meta().options) {
                if (o.name == "test-paths") {
                    sel.options[rule->meta().id].emplace("test-paths", joined);
                }
            }
        }
    }
}

}  // namespace cq::config
