#include "analyzer/engine/engine.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>

#include "analyzer/clang/clang_frontend.hpp"
#include "analyzer/engine/discovery.hpp"
#include "analyzer/engine/fingerprint.hpp"
#include "analyzer/engine/suppressions.hpp"
#include "analyzer/lexer/lexer.hpp"
#include "analyzer/model/metrics.hpp"
#include "analyzer/treesitter/treesitter_frontend.hpp"
#include "rules/registry.hpp"

namespace fs = std::filesystem;

namespace cq {

namespace {

std::string lower_ext(const std::string& path) {
    std::string ext = fs::path(path).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return ext;
}

bool looks_like_cpp_header(const std::string& source) {
    for (const char* marker : {"class ", "namespace ", "template <", "template<", "std::",
                               "public:", "private:"}) {
        if (source.find(marker) != std::string::npos) {
            return true;
        }
    }
    return false;
}

// A rule and the context it runs with.
struct ActiveRule {
    const Rule* rule = nullptr;
    RuleContext ctx;
};

bool selected(const RuleSelection& sel, const RuleMeta& meta) {
    auto matches = [&](const std::string& pattern) {
        if (pattern == meta.id) {
            return true;
        }
        if (std::find(meta.aliases.begin(), meta.aliases.end(), pattern) != meta.aliases.end()) {
            return true;
        }
        // "complexity" or "complexity/" selects the category
        std::string cat = meta.id.substr(0, meta.id.find('/'));
        return pattern == cat || pattern == cat + "/" || pattern == cat + "/*";
    };
    if (!sel.only.empty() && std::none_of(sel.only.begin(), sel.only.end(), matches)) {
        return false;
    }
    return std::none_of(sel.disabled.begin(), sel.disabled.end(), matches);
}

std::vector<ActiveRule> active_rules(const RuleSelection& sel) {
    std::vector<ActiveRule> out;
    for (const Rule* rule : Registry::instance().rules()) {
        const RuleMeta& meta = rule->meta();
        if (!selected(sel, meta)) {
            continue;
        }
        auto opt = sel.options.find(meta.id);
        auto sev = sel.severities.find(meta.id);
        out.push_back({rule, RuleContext(opt == sel.options.end() ? std::map<std::string, std::string>{}
                                                                  : opt->second,
                                         sev == sel.severities.end() ? meta.severity : sev->second)});
    }
    return out;
}

void run_file_rules(const std::vector<ActiveRule>& rules, const FileModel& model,
                    std::vector<Finding>& findings, std::vector<InternalError>& errors) {
    const std::uint32_t bit = language_bit(model.language);
    for (const ActiveRule& ar : rules) {
        if (ar.rule->is_project_rule() || (ar.rule->meta().languages & bit) == 0) {
            continue;
        }
        const auto* file_rule = static_cast<const FileRule*>(ar.rule);
        try {
            file_rule->check(model, ar.ctx, findings);
        } catch (const std::invalid_argument& e) {
            errors.push_back({model.path, ar.rule->meta().id, e.what(), true});
        } catch (const std::exception& e) {
            errors.push_back({model.path, ar.rule->meta().id, e.what()});
        } catch (...) {
            errors.push_back({model.path, ar.rule->meta().id, "unknown exception"});
        }
    }
}

void run_project_rules(const std::vector<ActiveRule>& rules, const ProjectModel& project,
                       std::vector<Finding>& findings, std::vector<InternalError>& errors) {
    for (const ActiveRule& ar : rules) {
        if (!ar.rule->is_project_rule()) {
            continue;
        }
        const auto* project_rule = static_cast<const ProjectRule*>(ar.rule);
        try {
            project_rule->check(project, ar.ctx, findings);
        } catch (const std::invalid_argument& e) {
            errors.push_back({"", ar.rule->meta().id, e.what(), true});
        } catch (const std::exception& e) {
            errors.push_back({"", ar.rule->meta().id, e.what()});
        } catch (...) {
            errors.push_back({"", ar.rule->meta().id, "unknown exception"});
        }
    }
}

// Inline suppressions (suppressions.hpp) over the findings of `files`, after fingerprints are
// assigned (so suppressing one finding never changes another's fingerprint).
void suppress(const std::vector<ActiveRule>& rules, const ProjectModel& project, std::vector<Finding>& findings,
              std::vector<Finding>& suppressed) {
    std::vector<ActiveRuleInfo> active;
    const ActiveRule* unused = nullptr;
    for (const ActiveRule& ar : rules) {
        active.push_back({&ar.rule->meta()});
        if (ar.rule->meta().id == k_unused_suppression_rule) {
            unused = &ar;
        }
    }
    std::vector<Finding> unused_findings;
    apply_suppressions(project.files, active, unused == nullptr ? nullptr : unused->rule,
                       unused == nullptr ? nullptr : &unused->ctx, findings, suppressed, unused_findings);
    if (!unused_findings.empty()) {
        assign_fingerprints(unused_findings, project);
        for (Finding& f : unused_findings) {
            findings.push_back(std::move(f));
        }
    }
    std::sort(suppressed.begin(), suppressed.end(), finding_less);
}

// A tokens-only model (every selected rule reads_tokens_only): lexed, not parsed.
std::unique_ptr<FileModel> lex_only(const std::string& rel, Language lang, std::string source) {
    auto model = std::make_unique<FileModel>();
    model->path = rel;
    model->language = lang;
    model->source = std::move(source);
    model->front_end = "lexer (tokens only)";
    model->syntactic_only = is_c_family(lang);
    model->lines = lexer::count_lines(model->source);
    lexer::lex(lang, model->source, model->tokens, model->comment_lines);
    model->ncloc = lexer::code_lines(model->tokens);
    return model;
}

std::unique_ptr<FileModel> lower(const std::string& rel, const std::string& abs, Language lang,
                                 std::string source, const clangfe::CompileCommand* command) {
    std::unique_ptr<FileModel> model;
    std::string no_libclang;
    if (is_c_family(lang) && command != nullptr && clangfe::libclang_available(no_libclang)) {
        model = std::make_unique<FileModel>(clangfe::analyze(rel, abs, lang, std::move(source), *command));
    } else {
        const std::string ext = lower_ext(rel);
        const auto dialect = (ext == ".tsx") ? treesitter::Dialect::tsx : treesitter::Dialect::standard;
        model = std::make_unique<FileModel>(treesitter::analyze(rel, lang, std::move(source), dialect));
        if (is_c_family(lang)) {
            model->syntactic_only = true;
            model->front_end = "tree-sitter (syntactic fallback)";
            if (command != nullptr) {  // it has a compile command, but libclang is missing
                model->diagnostics.push_back({DiagnosticLevel::warning, 0, 0, no_libclang});
            }
        }
    }
    compute_metrics(*model);
    return model;
}

// What compact_models keeps of a model (ScanOptions): the rest is freed, not just cleared.
void compact(FileModel& m) {
    std::string().swap(m.source);
    std::vector<CallSite>().swap(m.calls);
    std::vector<Loop>().swap(m.loops);
    std::vector<Await>().swap(m.awaits);
    std::vector<Assignment>().swap(m.assignments);
    std::vector<StringLiteral>().swap(m.strings);
    std::vector<Import>().swap(m.imports);
    std::vector<Token>().swap(m.tokens);
    std::vector<std::uint32_t>().swap(m.comment_lines);
    for (Function& fn : m.functions) {
        std::vector<ControlNode>().swap(fn.control);
        std::vector<ComplexityIncrement>().swap(fn.cognitive_increments);  // in the findings already
        std::vector<std::string>().swap(fn.decorators);
        fn.param_count = static_cast<std::uint32_t>(fn.params.size());
        std::vector<Parameter>().swap(fn.params);
    }
    m.functions.shrink_to_fit();
}

std::string read_whole(const std::string& path, bool& ok) {
    // A directory opens and reads as empty: it must not pass for an empty source file (a file
    // replaced by a directory between discovery and reading).
    ok = false;
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return {};
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        return {};
    }
    // The size fstat gives, then whatever follows (a file that grows meanwhile is read to its
    // new end) through a small buffer, so the string holds no spare capacity for its lifetime.
    std::string out(static_cast<std::size_t>(st.st_size), '\0');
    std::size_t have = 0;
    char more[4096];
    for (;;) {
        const bool in_place = have < out.size();
        const ssize_t n = in_place ? ::read(fd, out.data() + have, out.size() - have)
                                   : ::read(fd, more, sizeof more);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            ::close(fd);
            return {};
        }
        if (n == 0) {
            break;
        }
        if (!in_place) {
            out.append(more, static_cast<std::size_t>(n));
        }
        have += static_cast<std::size_t>(n);
    }
    ::close(fd);
    out.resize(have);  // a file that shrank meanwhile
    ok = true;
    return out;
}

// The compilation databases of a scan. With --compile-commands, that one file. Otherwise each
// C/C++ file takes its command from the nearest compile_commands.json found walking up from its
// folder to the scan root, in the folder itself or in its build/ subfolder (a project with
// several CMake trees, or samples/ with one database per service); when the nearest database
// does not list the file, the next one up is asked. Databases load once, on first use, from
// any worker thread.
class CompileDatabases {
public:
    CompileDatabases(const ScanOptions& options, const fs::path& root) : m_root(root) {
        if (!options.compile_commands.empty()) {
            std::string error;
            auto db = clangfe::CompilationDatabase::load(options.compile_commands, error);
            if (!db) {
                throw UsageError(error);
            }
            m_explicit = std::move(db);
            m_used.insert(options.compile_commands);
        }
    }

    const clangfe::CompileCommand* find(const std::string& abs_path) {
        const std::string key = fs::path(abs_path).lexically_normal().string();
        if (m_explicit) {
            return m_explicit->find(key);
        }
        const std::string root = m_root.lexically_normal().string();
        for (fs::path dir = fs::path(key).parent_path();; dir = dir.parent_path()) {
            for (const fs::path& candidate : {dir / "compile_commands.json", dir / "build" / "compile_commands.json"}) {
                if (const clangfe::CompilationDatabase* db = load(candidate.string())) {
                    if (const clangfe::CompileCommand* cmd = db->find(key)) {
                        const std::lock_guard<std::mutex> lock(m_mutex);
                        m_used.insert(candidate.string());
                        return cmd;
                    }
                }
            }
            const std::string d = dir.string();
            if (d.size() <= root.size() || !dir.has_parent_path() || dir.parent_path() == dir) {
                return nullptr;
            }
        }
    }

    // The databases that gave a command, ", "-separated; errors met loading the others.
    std::string used() const {
        std::string out;
        for (const std::string& p : m_used) {
            out += (out.empty() ? "" : ", ") + p;
        }
        return out;
    }
    std::vector<InternalError> errors() const { return m_errors; }

private:
    const clangfe::CompilationDatabase* load(const std::string& path) {
        const std::lock_guard<std::mutex> lock(m_mutex);
        auto it = m_loaded.find(path);
        if (it == m_loaded.end()) {
            std::error_code ec;
            std::optional<clangfe::CompilationDatabase> db;
            if (fs::is_regular_file(path, ec)) {
                std::string error;
                db = clangfe::CompilationDatabase::load(path, error);
                if (!db) {
                    m_errors.push_back({path, "", error});
                }
            }
            it = m_loaded.emplace(path, std::move(db)).first;
        }
        return it->second ? &*it->second : nullptr;
    }

    fs::path m_root;
    std::optional<clangfe::CompilationDatabase> m_explicit;
    std::mutex m_mutex;
    std::map<std::string, std::optional<clangfe::CompilationDatabase>> m_loaded;
    std::set<std::string> m_used;
    std::vector<InternalError> m_errors;
};

}  // namespace

std::optional<Language> language_for_path(const std::string& path) {
    static const std::map<std::string, Language> k_ext = {
        {".py", Language::python},     {".pyi", Language::python},
        {".js", Language::javascript}, {".mjs", Language::javascript},
        {".cjs", Language::javascript}, {".jsx", Language::javascript},
        {".ts", Language::typescript}, {".tsx", Language::typescript},
        {".mts", Language::typescript}, {".cts", Language::typescript},
        {".c", Language::c},           {".h", Language::c},
        {".cc", Language::cpp},        {".cpp", Language::cpp},
        {".cxx", Language::cpp},       {".c++", Language::cpp},
        {".hh", Language::cpp},        {".hpp", Language::cpp},
        {".hxx", Language::cpp},       {".ipp", Language::cpp},
    };
    const std::string ext = lower_ext(path);
    if (path.size() >= 5 && path.compare(path.size() - 5, 5, ".d.ts") == 0) {
        return Language::typescript;
    }
    auto it = k_ext.find(ext);
    if (it == k_ext.end()) {
        return std::nullopt;
    }
    return it->second;
}

std::unique_ptr<FileModel> build_model(const std::string& path, std::string source,
                                       const std::vector<std::string>* command_args) {
    auto lang = language_for_path(path);
    if (!lang) {
        throw UsageError("unsupported file type: " + path);
    }
    if (*lang == Language::c && lower_ext(path) == ".h" && looks_like_cpp_header(source)) {
        lang = Language::cpp;
    }
    if (command_args != nullptr && is_c_family(*lang)) {
        clangfe::CompileCommand cmd;
        std::error_code ec;
        cmd.directory = fs::current_path(ec).string();
        cmd.file = (fs::path(cmd.directory) / path).lexically_normal().string();
        cmd.arguments = *command_args;
        return lower(path, cmd.file, *lang, std::move(source), &cmd);
    }
    return lower(path, path, *lang, std::move(source), nullptr);
}

SingleFileResult analyze_source(const std::string& path, std::string source,
                                const RuleSelection& rules,
                                const std::vector<std::string>* command_args) {
    SingleFileResult out;
    out.model = build_model(path, std::move(source), command_args);
    const auto active = active_rules(rules);
    run_file_rules(active, *out.model, out.findings, out.internal_errors);
    ProjectModel project;
    project.files.push_back(out.model.get());
    run_project_rules(active, project, out.findings, out.internal_errors);
    assign_fingerprints(out.findings, project);
    suppress(active, project, out.findings, out.suppressed);
    std::sort(out.findings.begin(), out.findings.end(), finding_less);
    return out;
}

ScanResult run_scan(const ScanOptions& options) {
    const auto started = std::chrono::steady_clock::now();
    ScanResult result;
    Discovery discovery = discover_files(options);
    std::error_code ec;
    const fs::path root = fs::weakly_canonical(fs::absolute(options.root.empty() ? "." : options.root), ec);
    result.root = root.string();
    result.skipped = std::move(discovery.skipped);

    CompileDatabases cdbs(options, root);

    const auto rules = active_rules(options.rules);
    const std::size_t n = discovery.files.size();
    std::vector<std::unique_ptr<FileModel>> models(n);
    std::vector<std::vector<Finding>> findings(n);
    std::vector<std::vector<InternalError>> errors(n);
    std::vector<std::string> skips(n);
    std::vector<std::string> hashes(n);
    std::vector<char> cache_hit(n, 0);
    std::vector<std::vector<Finding>> suppressed(n);  // filled per file when streaming
    // In a focus scan, the other files matter only to project rules: without any, skip them.
    const bool need_context = std::any_of(rules.begin(), rules.end(),
                                          [](const ActiveRule& r) { return r.rule->is_project_rule(); });
    // Every selected rule reads tokens only: lex, do not parse (nor ask libclang).
    const bool tokens_only = !rules.empty() && std::all_of(rules.begin(), rules.end(), [](const ActiveRule& r) {
        return r.rule->reads_tokens_only();
    });
    auto in_focus = [&](const std::string& rel) {
        return !options.focus || options.focus->count(rel) != 0;
    };

    std::atomic<std::size_t> next{0};
    std::atomic<std::size_t> done{0};
    auto analyze_one = [&](std::size_t i) {
        const DiscoveredFile& f = discovery.files[i];
        const bool focused = in_focus(f.rel_path);
        if (!focused && !need_context) {
            return;
        }
        bool ok = false;
        std::string source;
        std::optional<std::string> replaced;
        if (options.read_override) {
            replaced = options.read_override(f.rel_path);
        }
        if (replaced) {
            source = std::move(*replaced);
            ok = true;
        } else {
            source = read_whole(f.abs_path, ok);
        }
        if (!ok) {
            skips[i] = "unreadable";
            return;
        }
        if (std::string why = skip_reason(source, f.language, options.max_file_bytes); !why.empty()) {
            skips[i] = why;
            return;
        }
        hashes[i] = content_hash(source);
        Language lang = f.language;
        if (lang == Language::c && lower_ext(f.rel_path) == ".h" && looks_like_cpp_header(source)) {
            lang = Language::cpp;
        }
        if (tokens_only) {
            // Not cached: the cache holds whole models, which a later full scan would reuse.
            models[i] = lex_only(f.rel_path, lang, std::move(source));
            if (focused) {
                run_file_rules(rules, *models[i], findings[i], errors[i]);
            }
            return;
        }
        const clangfe::CompileCommand* cmd = nullptr;
        if (is_c_family(f.language)) {
            cmd = cdbs.find(f.abs_path);
        }
        FileResultCache* cache = cmd == nullptr ? options.cache : nullptr;
        if (cache != nullptr) {
            CachedFile hit = cache->load(f.rel_path, hashes[i], source);
            if (hit.model) {
                models[i] = std::move(hit.model);
                cache_hit[i] = 1;
                if (!focused) {
                    return;
                }
                if (hit.findings) {
                    findings[i] = std::move(*hit.findings);
                    return;
                }
                run_file_rules(rules, *models[i], findings[i], errors[i]);
                cache->store(*models[i], hashes[i], errors[i].empty() ? &findings[i] : nullptr);
                return;
            }
        }
        models[i] = lower(f.rel_path, f.abs_path, lang, std::move(source), cmd);
        if (focused) {
            run_file_rules(rules, *models[i], findings[i], errors[i]);
        }
        if (cache != nullptr) {
            cache->store(*models[i], hashes[i], focused && errors[i].empty() ? &findings[i] : nullptr);
        }
    };
    // Without project rules, a file is finished as soon as its file rules ran (compact_models).
    const bool stream = options.compact_models && !need_context;
    auto finish_one = [&](std::size_t i) {
        if (!stream || !models[i]) {
            return;
        }
        ProjectModel one;
        one.files.push_back(models[i].get());
        assign_fingerprints(findings[i], one);
        suppress(rules, one, findings[i], suppressed[i]);
        compact(*models[i]);
    };
    auto worker = [&]() {
        for (;;) {
            const std::size_t i = next.fetch_add(1);
            if (i >= n) {
                return;
            }
            const DiscoveredFile& f = discovery.files[i];
            try {
                analyze_one(i);
                finish_one(i);
            } catch (const std::exception& e) {
                errors[i].push_back({f.rel_path, "", std::string("front end failed: ") + e.what()});
            } catch (...) {
                errors[i].push_back({f.rel_path, "", "front end failed"});
            }
            const std::size_t d = done.fetch_add(1) + 1;
            if (options.progress) {
                options.progress(d, n);
            }
        }
    };
    unsigned jobs = options.jobs == 0 ? std::max(1u, std::thread::hardware_concurrency()) : options.jobs;
    jobs = static_cast<unsigned>(std::min<std::size_t>(jobs, std::max<std::size_t>(n, 1)));
    if (jobs <= 1) {
        worker();
    } else {
        std::vector<std::thread> threads;
        threads.reserve(jobs);
        for (unsigned t = 0; t < jobs; ++t) {
            threads.emplace_back(worker);
        }
        for (auto& t : threads) {
            t.join();
        }
    }

    result.compile_commands = cdbs.used();
    for (InternalError& e : cdbs.errors()) {
        result.internal_errors.push_back(std::move(e));
    }
    for (std::size_t i = 0; i < n; ++i) {
        if (!skips[i].empty() && in_focus(discovery.files[i].rel_path)) {
            result.skipped.push_back({discovery.files[i].rel_path, skips[i]});
        }
        for (auto& f : findings[i]) {
            result.findings.push_back(std::move(f));
        }
        for (auto& f : suppressed[i]) {
            result.suppressed.push_back(std::move(f));
        }
        for (auto& e : errors[i]) {
            result.internal_errors.push_back(std::move(e));
        }
        if (models[i]) {
            result.content_hashes[models[i]->path] = hashes[i];
            result.cache_hits += cache_hit[i] != 0 ? 1u : 0u;
            result.files.push_back(std::move(models[i]));
        }
    }
    ProjectModel project;
    for (const auto& m : result.files) {
        project.files.push_back(m.get());
    }
    if (!stream) {
        run_project_rules(rules, project, result.findings, result.internal_errors);
        assign_fingerprints(result.findings, project);
    }
    if (options.focus) {
        // Project rules saw every file; the report covers the focus only.
        std::erase_if(result.findings, [&](const Finding& f) { return !in_focus(f.path); });
        std::erase_if(result.internal_errors,
                      [&](const InternalError& e) { return !e.path.empty() && !in_focus(e.path); });
        const std::size_t before = result.files.size();
        std::erase_if(result.files, [&](const std::unique_ptr<FileModel>& m) { return !in_focus(m->path); });
        result.context_files = before - result.files.size();
        std::erase_if(result.content_hashes, [&](const auto& kv) { return !in_focus(kv.first); });
    }
    if (!stream) {
        ProjectModel reported;
        for (const auto& m : result.files) {
            reported.files.push_back(m.get());
        }
        suppress(rules, reported, result.findings, result.suppressed);
    } else {
        std::sort(result.suppressed.begin(), result.suppressed.end(), finding_less);
    }
    // A rule that rejects an option's value (--set, .cq.yaml) is bad usage, not a crash: exit 2.
    for (const InternalError& e : result.internal_errors) {
        if (e.bad_option) {
            throw UsageError(e.rule + ": " + e.message);
        }
    }
    std::sort(result.findings.begin(), result.findings.end(), finding_less);
    std::sort(result.skipped.begin(), result.skipped.end(),
              [](const SkippedFile& a, const SkippedFile& b) { return a.path < b.path; });
    result.duration_ms = static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started)
            .count());
    return result;
}

}  // namespace cq
