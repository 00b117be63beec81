#include "rules/support/hot_path.hpp"

#include <algorithm>
#include <cstring>
#include <deque>
#include <functional>

#include "analyzer/model/glob.hpp"
#include "rules/support/latency_apis.hpp"
#include "rules/support/latency_support.hpp"

namespace cq::latency {

const std::vector<FnRef> CallGraph::k_none{};
const std::vector<std::int32_t> CallGraph::k_no_index{};
const std::string CallGraph::k_no_name{};
const HotMark HotPaths::k_cold{};

namespace {

const std::vector<std::string> k_default_handler_names = {"handler", "lambda_handler"};
const std::vector<std::string> k_default_handler_decorators = {
    "route",     "get",          "post",          "put",        "patch",        "delete",
    "head",      "options",      "websocket",     "api_route",  "task",         "shared_task",
    "actor",     "agent",        "subscriber",    "subscribe",  "consumer",     "listener",
    "message_handler", "event_handler", "on_message", "handler"};
const std::vector<std::string> k_default_registrations = {
    "subscribe", "consume", "basic_consume", "process", "createServer", "add_handler",
    "register_handler", "set_message_handler", "setMessageHandler", "onMessage", "on_message",
    "message_handler", "add_listener", "addListener", "addEventListener", "on", "once",
    "listen", "route", "get", "post", "put", "patch", "delete", "all", "use", "handle",
    "add_get", "add_post", "add_put", "add_patch", "add_delete", "add_route", "add_api_route",
    "add_url_rule", "add_api_websocket_route", "add_websocket_route", "Worker"};

// Registration calls that need a message event name as their first argument.
bool is_event_registration(std::string_view name) {
    return name == "on" || name == "once" || name == "addListener" || name == "add_listener" ||
           name == "addEventListener" || name == "listen";
}
bool is_message_event(std::string_view ev) {
    for (std::string_view e : {"message", "messages", "data", "request", "job", "record",
                               "records", "delivery", "msg"}) {
        if (ev == e) {
            return true;
        }
    }
    return false;
}
// HTTP routing: needs a route path among its arguments. Express / Koa / Fastify verbs,
// aiohttp `router.add_get`, Flask `add_url_rule`, FastAPI / Starlette `add_api_route`.
bool is_route_registration(std::string_view name) {
    for (std::string_view v : {"get", "post", "put", "patch", "delete", "all", "use", "route",
                               "head", "options", "add_get", "add_post", "add_put", "add_patch",
                               "add_delete", "add_head", "add_route", "add_api_route",
                               "add_url_rule", "add_api_websocket_route", "add_websocket_route"}) {
        if (name == v) {
            return true;
        }
    }
    return false;
}

std::string join(const std::vector<std::string>& v) {
    std::string out;
    for (const std::string& s : v) {
        if (!out.empty()) {
            out += ",";
        }
        out += s;
    }
    return out;
}

bool contains(const std::vector<std::string>& v, std::string_view s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

// Whether code looks something up in a cache before doing the work: `configCache.get(k)`,
// `cache.has(k)`, `self._cache[k]`, `if key in _cache`, `memo.get(k)`. Writes and invalidations
// (`cache.delete(k)`, `cache.set(k, v)`) do not count.
// Whether `text` holds `lower_word` (lower-case), ignoring ASCII case: to_lower(text).find()
// without a copy of the text, for tests run on every call of the project.
bool contains_ascii_ci(std::string_view text, std::string_view lower_word) {
    if (lower_word.size() > text.size()) {
        return false;
    }
    for (std::size_t i = 0; i + lower_word.size() <= text.size(); ++i) {
        std::size_t k = 0;
        while (k < lower_word.size()) {
            const char c = text[i + k];
            const char lc = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
            if (lc != lower_word[k]) {
                break;
            }
            ++k;
        }
        if (k == lower_word.size()) {
            return true;
        }
    }
    return false;
}

// Where "cache" or "memo" starts in `text`, ignoring ASCII case (as to_lower() does: no
// locale is set), with the word's length: reads_cache() can only answer yes for a text that
// holds one of them.
std::vector<std::pair<std::uint32_t, std::uint32_t>> cache_words(std::string_view text) {
    std::vector<std::pair<std::uint32_t, std::uint32_t>> out;
    const auto lower = [](char c) {
        return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    };
    const auto at = [&](std::size_t i, std::string_view word) {
        if (i + word.size() > text.size()) {
            return false;
        }
        for (std::size_t k = 1; k < word.size(); ++k) {
            if (lower(text[i + k]) != word[k]) {
                return false;
            }
        }
        return true;
    };
    // One memchr pass per spelling of each word's first letter instead of a byte-by-byte loop
    // over every file's source (under 1% of a scan of lodash), then the hits in source order.
    const char* const begin = text.data();
    const char* const end = begin + text.size();
    for (const char first : {'c', 'C', 'm', 'M'}) {
        const std::string_view word = lower(first) == 'c' ? "cache" : "memo";
        for (const char* p = begin; p < end; ++p) {
            p = static_cast<const char*>(std::memchr(p, first, static_cast<std::size_t>(end - p)));
            if (p == nullptr) {
                break;
            }
            const auto i = static_cast<std::size_t>(p - begin);
            if (at(i, word)) {
                out.emplace_back(static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(word.size()));
            }
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

bool reads_cache(std::string_view text) {
    const std::string t = to_lower(text);
    for (std::string_view word : {"cache", "memo"}) {
        std::size_t pos = 0;
        while ((pos = t.find(word, pos)) != std::string::npos) {
            std::size_t start = pos;
            while (start > 0 && is_ident_char(t[start - 1])) {
                --start;
            }
            std::size_t end = pos + word.size();
            while (end < t.size() && is_ident_char(t[end])) {
                ++end;
            }
            pos = end;
            if (word == "memo" && t.substr(start, end - start).find("memor") != std::string::npos) {
                continue;  // memory, memorize: not a memo table
            }
            std::string_view after(t);
            after = after.substr(end);
            while (!after.empty() && (after.front() == ' ' || after.front() == '\t')) {
                after.remove_prefix(1);
            }
            if (starts_with(after, "[") || starts_with(after, ".get(") || starts_with(after, "?.get(") ||
                starts_with(after, ".has(") || starts_with(after, ".get_or") ||
                starts_with(after, ".contains") || starts_with(after, ".peek(") ||
                starts_with(after, ".lookup(")) {
                // `cache[k] = v` is a write
                if (starts_with(after, "[")) {
                    const std::size_t close = after.find(']');
                    if (close != std::string_view::npos) {
                        std::string_view rest = after.substr(close + 1);
                        while (!rest.empty() && rest.front() == ' ') {
                            rest.remove_prefix(1);
                        }
                        if (starts_with(rest, "=") && !starts_with(rest, "==")) {
                            continue;
                        }
                    }
                }
                return true;
            }
            std::size_t b = start;
            while (b > 0 && (is_ident_char(t[b - 1]) || t[b - 1] == '.')) {
                --b;
            }
            const std::string_view before = trim(std::string_view(t).substr(0, b));
            if (ends_with(before, " in") || ends_with(before, "\tin") || before == "in") {
                return true;
            }
        }
    }
    return false;
}

// Generic method names: a call on an unknown object with one of these names is not resolved to
// a method of the project by name alone.
bool generic_method(std::string_view n) {
    static const std::vector<std::string_view> k_names = {
        "get", "set", "put", "post", "send", "run", "start", "stop", "close", "open", "read",
        "write", "push", "pop", "append", "add", "remove", "update", "delete", "insert", "execute",
        "query", "call", "apply", "bind", "then", "catch", "finally", "map", "filter", "reduce",
        "forEach", "join", "split", "replace", "format", "log", "info", "debug", "warn", "warning",
        "error", "emit", "on", "once", "next", "end", "flush", "clear", "reset", "init", "load",
        "save", "create", "find", "items", "keys", "values", "copy", "sort", "extend", "count",
        "index", "size", "length", "toString", "__init__", "constructor", "wait", "notify",
        "lock", "unlock", "release", "acquire", "encode", "decode", "parse", "dump", "dumps",
        "loads", "json", "text", "send_message", "receive_message", "handle", "process"};
    return std::find(k_names.begin(), k_names.end(), n) != k_names.end();
}

bool is_self_receiver(std::string_view r) {
    return r == "self" || r == "this" || r == "cls" || starts_with(r, "super");
}

std::string dir_of(const std::string& path) {
    const std::size_t slash = path.rfind('/');
    return slash == std::string::npos ? std::string() : path.substr(0, slash);
}

std::string normalize_path(const std::string& p) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (start <= p.size()) {
        std::size_t slash = p.find('/', start);
        if (slash == std::string::npos) {
            slash = p.size();
        }
        const std::string part = p.substr(start, slash - start);
        if (part == "..") {
            if (!parts.empty() && parts.back() != "..") {
                parts.pop_back();
            } else {
                parts.push_back(part);
            }
        } else if (!part.empty() && part != ".") {
            parts.push_back(part);
        }
        start = slash + 1;
    }
    std::string out;
    for (const std::string& s : parts) {
        if (!out.empty()) {
            out += "/";
        }
        out += s;
    }
    return out;
}

std::int32_t enclosing_class_method(const FileModel& file, std::int32_t fn) {
    std::int32_t f = fn;
    while (const Function* p = function_ptr(file, f)) {
        if (!p->class_name.empty()) {
            return f;
        }
        f = p->parent;
    }
    return -1;
}

}  // namespace

HotPathOptions read_hot_path_options(const RuleContext& ctx) {
    HotPathOptions o;
    o.handler_names = ctx.option_list("handler-names", k_default_handler_names);
    o.handler_decorators = ctx.option_list("handler-decorators", k_default_handler_decorators);
    o.handler_registrations = ctx.option_list("handler-registrations", k_default_registrations);
    o.include_tests = option_bool(ctx, "include-tests", false);
    o.test_globs = ctx.option_list("test-paths", {});
    return o;
}

std::vector<RuleOption> hot_path_rule_options() {
    return {
        {"handler-names", join(k_default_handler_names),
         "Comma-separated names of module-level / exported functions that are handlers."},
        {"handler-decorators", join(k_default_handler_decorators),
         "Comma-separated decorator names (last dotted segment) that make a Python function a "
         "handler."},
        {"handler-registrations", join(k_default_registrations),
         "Comma-separated call names whose function arguments are handlers."},
        {"include-tests", "false", "Also treat test files as hot paths and report in them."},
        test_paths_option(),
    };
}

std::string hot_path_options_doc() {
    return "- `handler-names` (default `" + join(k_default_handler_names) +
           "`): module-level or exported functions with these names are handlers (AWS Lambda).\n"
           "- `handler-decorators` (default `" + join(k_default_handler_decorators) +
           "`): a Python function decorated with one of these (last dotted segment: `@app.route`, "
           "`@router.get`, `@app.task`) is a handler. HTTP verbs need a receiver (`@app.get`).\n"
           "- `handler-registrations` (default `" + join(k_default_registrations) +
           "`): functions passed to these calls are handlers. `on` / `once` / `addListener` / "
           "`addEventListener` / `listen` count only for message events (`'message'`, `'data'`, "
           "`'request'`...), HTTP verbs and `route` only with a route path (`'/...'`); `use` "
           "registers middleware, which runs for every request.\n"
           "- `include-tests` (default `false`): test files (`test_*.py`, `*_test.py`, "
           "`*.test.js`, `*.spec.ts`, `tests/`, `__tests__/`...) are not hot paths and are not "
           "reported unless this is `true`.\n"
           "- `test-paths` (default empty): more test files, as comma-separated globs "
           "(`qa/**,*_bench.py`); `paths.tests` in `.cq.yaml` fills it for every rule.\n";
}

// ---------------------------------------------------------------------------------------------
// Call graph
// ---------------------------------------------------------------------------------------------
CallGraph::CallGraph(const ProjectModel& project) : m_files(project.files) {
    m_top.resize(m_files.size());
    m_methods.resize(m_files.size());
    m_ctors.resize(m_files.size());
    m_bound.resize(m_files.size());
    m_children.resize(m_files.size());
    m_named.resize(m_files.size());
    m_calls_of.resize(m_files.size());
    for (std::size_t fi = 0; fi < m_files.size(); ++fi) {
        const FileModel& f = *m_files[fi];
        m_bound[fi].resize(f.functions.size());
        m_children[fi].resize(f.functions.size() + 1);
        m_calls_of[fi].resize(f.functions.size() + 1);
        for (std::size_t i = 0; i < f.functions.size(); ++i) {
            const Function& fn = f.functions[i];
            m_bound[fi][i] = bound_name(f, static_cast<std::int32_t>(i));
            if (!m_bound[fi][i].empty()) {
                m_named[fi][m_bound[fi][i]].push_back(static_cast<std::int32_t>(i));
            }
            if (fn.parent >= -1 && static_cast<std::size_t>(fn.parent + 1) < m_children[fi].size()) {
                m_children[fi][static_cast<std::size_t>(fn.parent + 1)].push_back(static_cast<std::int32_t>(i));
            }
            const auto idx = static_cast<std::int32_t>(i);
            const FnRef ref{static_cast<std::int32_t>(fi), idx};
            if (!fn.class_name.empty()) {
                m_methods[fi][fn.name].push_back(idx);
                if (fn.name == "__init__" || fn.name == "constructor" || fn.name == fn.class_name) {
                    m_ctors[fi][fn.class_name].push_back(idx);
                }
                if (is_c_family(f.language)) {
                    m_c_methods[fn.name].push_back(ref);
                }
                continue;
            }
            if (fn.parent >= 0 || fn.is_method) {
                continue;
            }
            if (!m_bound[fi][i].empty()) {
                m_top[fi][m_bound[fi][i]].push_back(idx);
                if (is_c_family(f.language)) {
                    m_c_top[m_bound[fi][i]].push_back(ref);
                }
            }
        }
        for (std::size_t ci = 0; ci < f.calls.size(); ++ci) {
            const std::int32_t fn = f.calls[ci].function;
            if (fn >= -1 && static_cast<std::size_t>(fn + 1) < m_calls_of[fi].size()) {
                m_calls_of[fi][static_cast<std::size_t>(fn + 1)].push_back(static_cast<std::int32_t>(ci));
            }
        }
    }
    for (std::size_t fi = 0; fi < m_files.size(); ++fi) {
        const std::string& path = m_files[fi]->path;
        const auto idx = static_cast<std::int32_t>(fi);
        m_by_path.emplace(path, idx);
        if (m_files[fi]->language == Language::python) {
            // Every '/'-boundary suffix, so an absolute module matches whatever the scan root is.
            for (std::size_t pos = 0; pos != std::string::npos;) {
                m_by_py_suffix.emplace(path.substr(pos), idx);
                pos = path.find('/', pos);
                if (pos != std::string::npos) {
                    ++pos;
                }
            }
        }
    }
    m_callees.resize(m_files.size());
    m_is_reference.resize(m_files.size());
    for (std::size_t fi = 0; fi < m_files.size(); ++fi) {
        resolve_file(fi);
    }
}

std::int32_t CallGraph::index_of(const FileModel* file) const {
    for (std::size_t i = 0; i < m_files.size(); ++i) {
        if (m_files[i] == file) {
            return static_cast<std::int32_t>(i);
        }
    }
    return -1;
}

const std::vector<FnRef>& CallGraph::callees(std::size_t file, std::size_t call) const {
    if (file >= m_callees.size() || call >= m_callees[file].size()) {
        return k_none;
    }
    return m_callees[file][call];
}

const std::string& CallGraph::bound(std::size_t file, std::int32_t fn) const {
    if (file >= m_bound.size() || fn < 0 || static_cast<std::size_t>(fn) >= m_bound[file].size()) {
        return k_no_name;
    }
    return m_bound[file][static_cast<std::size_t>(fn)];
}

const std::vector<std::int32_t>& CallGraph::children(std::size_t file, std::int32_t fn) const {
    if (file >= m_children.size() || fn < -1 || static_cast<std::size_t>(fn + 1) >= m_children[file].size()) {
        return k_no_index;
    }
    return m_children[file][static_cast<std::size_t>(fn + 1)];
}

const std::vector<std::int32_t>& CallGraph::calls_of(std::size_t file, std::int32_t fn) const {
    if (file >= m_calls_of.size() || fn < -1 || static_cast<std::size_t>(fn + 1) >= m_calls_of[file].size()) {
        return k_no_index;
    }
    return m_calls_of[file][static_cast<std::size_t>(fn + 1)];
}

bool CallGraph::is_reference(std::size_t file, std::size_t call, std::size_t k) const {
    return file < m_is_reference.size() && call < m_is_reference[file].size() &&
           k < m_is_reference[file][call].size() && m_is_reference[file][call][k];
}

const std::vector<std::int32_t>& CallGraph::top_level(std::size_t fi, const std::string& name) const {
    const auto it = m_top[fi].find(name);
    return it == m_top[fi].end() ? k_no_index : it->second;
}

const std::vector<std::int32_t>& CallGraph::methods(std::size_t fi, const std::string& name) const {
    const auto it = m_methods[fi].find(name);
    return it == m_methods[fi].end() ? k_no_index : it->second;
}

std::int32_t CallGraph::resolve_module(std::size_t fi, const std::string& module) const {
    if (module.empty()) {
        return -1;
    }
    const FileModel& from = *m_files[fi];
    std::vector<std::string> candidates;
    if (from.language == Language::python) {
        std::size_t dots = 0;
        while (dots < module.size() && module[dots] == '.') {
            ++dots;
        }
        std::string rest = module.substr(dots);
        std::replace(rest.begin(), rest.end(), '.', '/');
        if (dots > 0) {
            std::string base = dir_of(from.path);
            for (std::size_t i = 1; i < dots; ++i) {
                base = dir_of(base);
            }
            const std::string p = normalize_path(base.empty() ? rest : base + "/" + rest);
            candidates = {p + ".py", p + "/__init__.py"};
        } else {
            // Absolute module: match by path suffix (the scan root need not be the package root).
            for (const std::string& suffix : {rest + ".py", rest + "/__init__.py"}) {
                if (const auto it = m_by_py_suffix.find(suffix); it != m_by_py_suffix.end()) {
                    return it->second;
                }
            }
            return -1;
        }
    } else if (is_js_family(from.language)) {
        if (!starts_with(module, ".")) {
            return -1;  // a package
        }
        std::string p = normalize_path(dir_of(from.path) + "/" + module);
        std::string stem = p;
        for (std::string_view ext : {".js", ".mjs", ".cjs", ".jsx"}) {
            if (ends_with(p, ext)) {
                stem = p.substr(0, p.size() - ext.size());
            }
        }
        candidates = {p};
        for (std::string_view ext : {".js", ".ts", ".mjs", ".cjs", ".jsx", ".tsx", ".mts", ".cts"}) {
            candidates.push_back(p + std::string(ext));
            candidates.push_back(stem + std::string(ext));
        }
        for (std::string_view idx : {"/index.js", "/index.ts", "/index.mjs", "/index.tsx"}) {
            candidates.push_back(p + std::string(idx));
        }
    } else {
        return -1;
    }
    for (const std::string& c : candidates) {
        if (const auto it = m_by_path.find(c); it != m_by_path.end()) {
            return it->second;
        }
    }
    return -1;
}

std::vector<FnRef> CallGraph::resolve_plain(std::size_t fi, const CallSite& call,
                                            const std::string& name) const {
    const FileModel& f = *m_files[fi];
    const auto file_idx = static_cast<std::int32_t>(fi);
    std::vector<FnRef> out;
    // 1. Functions nested in the caller or its parents. Looked up by name, then filtered by
    // parent: a scope can have thousands of children (a bundle's one big IIFE).
    const auto named = m_named[fi].find(name);
    for (std::int32_t scope = call.function; scope >= 0 && named != m_named[fi].end();) {
        const Function* s = function_ptr(f, scope);
        if (s == nullptr) {
            break;
        }
        for (std::int32_t child : named->second) {
            if (f.functions[static_cast<std::size_t>(child)].parent == scope) {
                out.push_back({file_idx, child});
            }
        }
        if (!out.empty()) {
            return out;
        }
        scope = s->parent;
    }
    // 2. An imported name.
    for (const Import& imp : f.imports) {
        if (imp.alias != name || imp.name.empty() || imp.name == "*") {
            continue;
        }
        const std::int32_t m = resolve_module(fi, imp.module);
        if (m < 0) {
            return out;  // an external library
        }
        const std::string target = imp.name == "default" ? name : imp.name;
        for (std::int32_t idx : top_level(static_cast<std::size_t>(m), target)) {
            out.push_back({m, idx});
        }
        return out;
    }
    // 3. Top level of the same file.
    for (std::int32_t idx : top_level(fi, name)) {
        out.push_back({file_idx, idx});
    }
    if (!out.empty()) {
        return out;
    }
    // 4. Star imports.
    for (const Import& imp : f.imports) {
        if (imp.name != "*") {
            continue;
        }
        const std::int32_t m = resolve_module(fi, imp.module);
        if (m >= 0) {
            for (std::int32_t idx : top_level(static_cast<std::size_t>(m), name)) {
                out.push_back({m, idx});
            }
        }
    }
    if (!out.empty()) {
        return out;
    }
    // 5. C / C++: one global namespace of functions across files.
    if (is_c_family(f.language)) {
        if (const auto it = m_c_top.find(name); it != m_c_top.end()) {
            for (const FnRef& r : it->second) {
                if (static_cast<std::size_t>(r.file) != fi) {
                    out.push_back(r);
                }
            }
        }
    }
    return out;
}

std::vector<FnRef> CallGraph::resolve_call(std::size_t fi, const CallSite& call) const {
    const FileModel& f = *m_files[fi];
    const auto file_idx = static_cast<std::int32_t>(fi);
    std::vector<FnRef> out;
    const std::string& name = call.name;
    if (name.empty()) {
        return out;
    }
    const std::string& recv = call.receiver;
    // C++ qualified free functions: ns::helper() -> helper
    if (is_c_family(f.language) && !recv.empty() && recv.find("::") != std::string::npos) {
        // A Class::method static call, or a namespace-qualified function.
        const std::string cls = recv.substr(recv.rfind("::") + 2);
        for (const auto* index : {&m_c_methods, &m_c_top}) {
            const auto it = index->find(name);
            if (it == index->end()) {
                continue;
            }
            for (const FnRef& r : it->second) {
                const Function& fn = m_files[static_cast<std::size_t>(r.file)]->functions[static_cast<std::size_t>(r.fn)];
                if (fn.class_name == cls || ends_with(fn.qualified_name, recv + "::" + name)) {
                    out.push_back(r);
                }
            }
        }
        if (!out.empty()) {
            return out;
        }
        return resolve_plain(fi, call, name);
    }
    if (recv.empty() || recv == "::") {
        out = resolve_plain(fi, call, name);
        if (out.empty()) {
            // Constructors: Foo(...) / new Foo(...) runs Foo.__init__ / constructor.
            if (const auto it = m_ctors[fi].find(name); it != m_ctors[fi].end()) {
                for (std::int32_t idx : it->second) {
                    out.push_back({file_idx, idx});
                }
            }
        }
        return out;
    }
    if (is_self_receiver(recv)) {
        const std::int32_t m = enclosing_class_method(f, call.function);
        const std::string cls = m >= 0 ? f.functions[static_cast<std::size_t>(m)].class_name : "";
        for (std::int32_t idx : methods(fi, name)) {
            const Function& fn = f.functions[static_cast<std::size_t>(idx)];
            if (cls.empty() || fn.class_name == cls) {
                out.push_back({file_idx, idx});
            }
        }
        return out;
    }
    // A module imported whole: store.save(), utils.helper()
    for (const Import& imp : f.imports) {
        if (imp.alias != recv || !(imp.name.empty() || imp.name == "*")) {
            continue;
        }
        const std::int32_t m = resolve_module(fi, imp.module);
        if (m >= 0) {
            for (std::int32_t idx : top_level(static_cast<std::size_t>(m), name)) {
                out.push_back({m, idx});
            }
        }
        return out;
    }
    if (recv.find('(') != std::string::npos) {
        return out;  // a method of a call's result: unknown type
    }
    // A class of the file: Foo.bar() / a unique method of that name in the file.
    std::vector<FnRef> same_class;
    std::vector<FnRef> any_method;
    for (std::int32_t idx : methods(fi, name)) {
        const Function& fn = f.functions[static_cast<std::size_t>(idx)];
        if (fn.class_name == recv) {
            same_class.push_back({file_idx, idx});
        }
        any_method.push_back({file_idx, idx});
    }
    if (!same_class.empty()) {
        return same_class;
    }
    if (any_method.size() == 1 && !generic_method(name)) {
        return any_method;
    }
    if (any_method.empty() && is_c_family(f.language) && !generic_method(name)) {
        // C++ methods defined in another file: unique by name among C/C++ methods.
        if (const auto it = m_c_methods.find(name); it != m_c_methods.end() && it->second.size() == 1 &&
                                                    static_cast<std::size_t>(it->second[0].file) != fi) {
            return it->second;
        }
    }
    return out;
}

void CallGraph::resolve_file(std::size_t fi) {
    const FileModel& f = *m_files[fi];
    m_callees[fi].resize(f.calls.size());
    m_is_reference[fi].resize(f.calls.size());
    for (std::size_t ci = 0; ci < f.calls.size(); ++ci) {
        const CallSite& c = f.calls[ci];
        std::vector<FnRef> direct = resolve_call(fi, c);
        std::vector<bool> refs(direct.size(), false);
        // Functions passed by name: map(f, xs), asyncio.to_thread(f), sorted(key=f).
        for (const Argument& a : c.args) {
            if (a.kind != ArgKind::identifier) {
                continue;
            }
            const std::string name(argument_value(a));
            if (name.empty() || name == c.name) {
                continue;
            }
            // As a plain name in the calling function (resolve_plain reads only c.function):
            // no copy of the call and its arguments per argument.
            for (const FnRef& r : resolve_plain(fi, c, name)) {
                if (std::find(direct.begin(), direct.end(), r) == direct.end()) {
                    direct.push_back(r);
                    refs.push_back(true);
                }
            }
        }
        m_callees[fi][ci] = std::move(direct);
        m_is_reference[fi][ci] = std::move(refs);
    }
}

// ---------------------------------------------------------------------------------------------
// Hot paths
// ---------------------------------------------------------------------------------------------
namespace {

bool function_is_async(const FileModel& f, std::int32_t fn) {
    const Function* p = function_ptr(f, fn);
    return p != nullptr && p->is_async;
}

// Calls that run the function they are given later or elsewhere, not in sequence here.
bool is_deferring_call(const CallSite& c) {
    static const std::vector<std::string_view> k_names = {
        "Thread", "Process", "Timer", "setTimeout", "setInterval", "setImmediate", "nextTick",
        "queueMicrotask", "call_soon", "call_later", "call_at", "create_task", "ensure_future",
        "submit", "start_soon", "spawn", "apply_async", "run_in_executor", "register", "on",
        "once", "addListener", "addEventListener", "subscribe", "then", "catch", "finally"};
    return std::find(k_names.begin(), k_names.end(), c.name) != k_names.end() || is_fan_out_call(c);
}

}  // namespace

HotPaths::HotPaths(const ProjectModel& project, const HotPathOptions& options)
    : m_graph(project), m_options(options) {
    const std::size_t n = m_graph.file_count();
    m_test.resize(n);
    m_hot.resize(n);
    m_per_item.resize(n);
    m_cache.resize(n);
    m_loop_facts.resize(n);
    m_assignments.resize(n);
    m_assignments_built.resize(n, false);
    for (std::size_t fi = 0; fi < n; ++fi) {
        const FileModel& f = m_graph.file(fi);
        m_loop_facts[fi].resize(f.loops.size(), 0);
        m_test[fi] = !m_options.include_tests &&
                     (is_test_path(f.path) ||
                      std::any_of(m_options.test_globs.begin(), m_options.test_globs.end(),
                                  [&](const std::string& g) { return glob_match(g, f.path); }));
        m_hot[fi].resize(f.functions.size() + 1);
        m_per_item[fi].resize(f.functions.size() + 1);
        m_cache[fi].resize(f.functions.size() + 1, 0);
        // Lower-casing every function's body to look for a cache read cost O(nesting x size)
        // on big files; only a body that holds one of the words is read.
        const auto words = cache_words(f.source);
        const auto holds_word = [&](const Range& r) {
            auto it = std::lower_bound(words.begin(), words.end(),
                                       std::make_pair(r.start_byte, std::uint32_t{0}));
            for (; it != words.end() && it->first < r.end_byte; ++it) {
                if (it->first + it->second <= r.end_byte) {
                    return true;
                }
            }
            return false;
        };
        for (std::size_t i = 0; i < f.functions.size(); ++i) {
            const Function& fn = f.functions[i];
            bool guarded = false;
            for (const std::string& d : fn.decorators) {
                const std::string ld = to_lower(d);
                guarded = guarded || ld.find("cache") != std::string::npos ||
                          ld.find("memo") != std::string::npos;
            }
            if (!guarded) {
                const Range& body =
                    fn.body_range.end_byte > fn.body_range.start_byte ? fn.body_range : fn.range;
                guarded = holds_word(body) && reads_cache(f.text(body));
            }
            m_cache[fi][i + 1] = guarded ? 1 : 0;
        }
    }
    find_handlers();
    propagate_hot();
    propagate_per_item();
}

// Each fact of a loop is computed the first time it is asked for: most loops are only ever
// asked whether they retry (is_item_loop on every loop was 1.6% of a scan of typescript's lib).
bool HotPaths::loop_fact(std::size_t file, std::int32_t loop, LoopFact fact) {
    std::uint8_t& facts = m_loop_facts[file][static_cast<std::size_t>(loop)];
    const auto known = static_cast<std::uint8_t>(fact == LoopFact::retry ? 1u : 4u);
    const auto value = static_cast<std::uint8_t>(known << 1);
    if ((facts & known) == 0) {
        const FileModel& f = m_graph.file(file);
        const Loop& l = f.loops[static_cast<std::size_t>(loop)];
        bool yes = false;
        if (fact == LoopFact::retry) {
            yes = is_retry_loop(f, l);
        } else {
            if (!m_assignments_built[file]) {
                m_assignments_built[file] = true;
                m_assignments[file] = assignments_by_function(f);
            }
            yes = is_item_loop(f, l, &m_assignments[file]);
        }
        facts = static_cast<std::uint8_t>(facts | known | (yes ? value : 0u));
    }
    return (facts & value) != 0;
}

bool HotPaths::retry_loop(std::size_t file, std::int32_t loop) {
    return loop_fact(file, loop, LoopFact::retry);
}

bool HotPaths::item_loop(std::size_t file, std::int32_t loop) {
    return loop_fact(file, loop, LoopFact::item);
}

const HotMark& HotPaths::hot(std::size_t file, std::int32_t fn) const {
    if (file >= m_hot.size() || fn < -1 || static_cast<std::size_t>(fn + 1) >= m_hot[file].size()) {
        return k_cold;
    }
    return m_hot[file][static_cast<std::size_t>(fn + 1)];
}

const HotMark& HotPaths::per_item(std::size_t file, std::int32_t fn) const {
    if (file >= m_per_item.size() || fn < -1 ||
        static_cast<std::size_t>(fn + 1) >= m_per_item[file].size()) {
        return k_cold;
    }
    return m_per_item[file][static_cast<std::size_t>(fn + 1)];
}

bool HotPaths::cache_guarded(std::size_t file, std::int32_t fn) const {
    if (file >= m_cache.size() || fn < 0 || static_cast<std::size_t>(fn + 1) >= m_cache[file].size()) {
        return false;
    }
    return m_cache[file][static_cast<std::size_t>(fn + 1)] == 1;
}

void HotPaths::find_handlers() {
    for (std::size_t fi = 0; fi < m_graph.file_count(); ++fi) {
        if (m_test[fi]) {
            continue;
        }
        const FileModel& f = m_graph.file(fi);
        auto mark = [&](std::int32_t fn, std::string why) {
            if (fn < 0 || static_cast<std::size_t>(fn) >= f.functions.size()) {
                return;
            }
            HotMark& m = m_hot[fi][static_cast<std::size_t>(fn + 1)];
            if (m.kind != HotKind::none) {
                return;
            }
            m.kind = HotKind::handler;
            m.from = {static_cast<std::int32_t>(fi), fn};
            m.why = std::move(why);
        };
        // By name: Lambda handlers.
        if (!is_c_family(f.language)) {
            for (std::size_t i = 0; i < f.functions.size(); ++i) {
                const Function& fn = f.functions[i];
                if (fn.parent >= 0 || fn.is_method || !fn.class_name.empty()) {
                    continue;
                }
                const std::string& name = m_graph.bound(fi, static_cast<std::int32_t>(i));
                if (!contains(m_options.handler_names, name)) {
                    continue;
                }
                mark(static_cast<std::int32_t>(i), "named like a Lambda entry point (option handler-names)");
            }
        }
        // By decorator (Python).
        for (std::size_t i = 0; i < f.functions.size(); ++i) {
            const Function& fn = f.functions[i];
            for (const std::string& d : fn.decorators) {
                const std::string head = d.substr(0, d.find('('));
                const std::size_t dot = head.rfind('.');
                const std::string last(trim(dot == std::string::npos ? head : head.substr(dot + 1)));
                if (!contains(m_options.handler_decorators, last)) {
                    continue;
                }
                if (is_route_registration(last) && dot == std::string::npos) {
                    continue;  // a bare @get is not a route
                }
                mark(static_cast<std::int32_t>(i), "decorated with @" + head);
                break;
            }
        }
        // Registered as a callback: subscribe(cb), app.get('/x', cb), consumer.run({eachMessage}).
        for (std::size_t ci = 0; ci < f.calls.size(); ++ci) {
            const CallSite& c = f.calls[ci];
            bool registration = contains(m_options.handler_registrations, c.name);
            if (registration && is_event_registration(c.name)) {
                const Argument* ev = argument(c, 0);
                registration = ev != nullptr && ev->kind == ArgKind::string_literal &&
                               is_message_event(to_lower(ev->value));
            } else if (registration && is_route_registration(c.name)) {
                bool has_path = false;
                for (int k = 0; k < 2; ++k) {
                    const Argument* path = argument(c, k, {"path", "rule"});
                    has_path = has_path || (path != nullptr && path->kind == ArgKind::string_literal &&
                                            (starts_with(path->value, "/") || path->value == "*"));
                }
                // Middleware (`app.use(fn)`) runs for every request, with or without a path.
                registration = !c.receiver.empty() && (has_path || c.name == "use");
            }
            // Object arguments naming the per-message callback, whatever the call.
            bool message_object = false;
            for (const Argument& a : c.args) {
                for (const std::string& k : a.object_keys) {
                    if (k == "eachMessage" || k == "eachBatch" || k == "handleMessage" ||
                        k == "handleMessageBatch" || k == "onMessage") {
                        message_object = true;
                    }
                }
            }
            const bool subscribe_like = contains_ascii_ci(c.name, "subscribe") &&
                                        !contains_ascii_ci(c.name, "unsubscribe");
            if (!registration && !message_object && !subscribe_like) {
                continue;
            }
            const std::string why = "registered with " + c.callee + "() at line " +
                                    std::to_string(c.range.start_line);
            for (const Argument& a : c.args) {
                if (a.kind == ArgKind::function && a.function >= 0) {
                    mark(a.function, why);
                } else if (a.kind == ArgKind::object) {
                    // functions defined inside the object literal
                    for (std::size_t i = 0; i < f.functions.size(); ++i) {
                        const Function& fn = f.functions[i];
                        if (fn.parent == c.function && a.range.contains(fn.range)) {
                            mark(static_cast<std::int32_t>(i), why);
                        }
                    }
                } else if (a.kind == ArgKind::member && (starts_with(argument_value(a), "self.") ||
                                                         starts_with(argument_value(a), "this."))) {
                    // on_message_callback=self.on_message: a method of the caller's class
                    const std::string method(argument_value(a).substr(5));
                    const std::int32_t owner = enclosing_class_method(f, c.function);
                    const std::string cls =
                        owner >= 0 ? f.functions[static_cast<std::size_t>(owner)].class_name : "";
                    for (std::int32_t idx : m_graph.methods(fi, method)) {
                        if (cls.empty() || f.functions[static_cast<std::size_t>(idx)].class_name == cls) {
                            mark(idx, why);
                        }
                    }
                } else if (a.kind == ArgKind::identifier) {
                    const auto& callees = m_graph.callees(fi, ci);
                    for (std::size_t k = 0; k < callees.size(); ++k) {
                        if (m_graph.is_reference(fi, ci, k) &&
                            static_cast<std::size_t>(callees[k].file) == fi &&
                            m_graph.bound(fi, callees[k].fn) == argument_value(a)) {
                            mark(callees[k].fn, why);
                        }
                    }
                }
            }
        }
        // Assigned as the message callback: client.on_message = on_message (paho-mqtt),
        // ws.onmessage = (ev) => ...
        for (const Assignment& a : f.assignments) {
            // cheap test first: this runs over every assignment of every file
            if (a.target.find("essage") == std::string::npos) {
                continue;
            }
            const auto names = assigned_names(a.target);
            if (names.empty()) {
                continue;
            }
            const std::string& path = names.back();
            const std::string last = path.substr(path.rfind('.') == std::string::npos ? 0 : path.rfind('.') + 1);
            if (last != "on_message" && last != "onmessage" && last != "onMessage") {
                continue;
            }
            for (std::size_t i = 0; i < f.functions.size(); ++i) {
                const Function& fn = f.functions[i];
                const bool value_fn = a.range.contains(fn.range) && fn.parent == a.function;
                const bool named = m_graph.bound(fi, static_cast<std::int32_t>(i)) == trim(a.value) &&
                                   fn.parent < 0;
                if (value_fn || named) {
                    mark(static_cast<std::int32_t>(i), "assigned to " + path);
                }
            }
        }
    }
}

void HotPaths::propagate_hot() {
    std::deque<FnRef> queue;
    for (std::size_t fi = 0; fi < m_graph.file_count(); ++fi) {
        for (std::size_t i = 0; i < m_hot[fi].size(); ++i) {
            if (m_hot[fi][i].kind != HotKind::none) {
                queue.push_back({static_cast<std::int32_t>(fi), static_cast<std::int32_t>(i) - 1});
            }
        }
    }
    auto mark = [&](const FnRef& target, HotMark m) {
        if (target.file < 0 || static_cast<std::size_t>(target.file) >= m_hot.size() || target.fn < -1 ||
            static_cast<std::size_t>(target.fn + 1) >= m_hot[static_cast<std::size_t>(target.file)].size() ||
            m_test[static_cast<std::size_t>(target.file)]) {
            return;  // also guards against indices a front end got wrong
        }
        HotMark& slot = m_hot[static_cast<std::size_t>(target.file)][static_cast<std::size_t>(target.fn + 1)];
        if (slot.kind != HotKind::none) {
            return;
        }
        slot = std::move(m);
        queue.push_back(target);
    };
    // Seeds: calls in loops, iteration callbacks, functions defined in loops.
    for (std::size_t fi = 0; fi < m_graph.file_count(); ++fi) {
        if (m_test[fi]) {
            continue;
        }
        const FileModel& f = m_graph.file(fi);
        const auto fidx = static_cast<std::int32_t>(fi);
        for (std::size_t ci = 0; ci < f.calls.size(); ++ci) {
            const CallSite& c = f.calls[ci];
            const std::int32_t l = looped_by(f, c.function, c.range);
            if (l >= 0 && !retry_loop(fi, l)) {
                for (const FnRef& callee : m_graph.callees(fi, ci)) {
                    mark(callee, HotMark{HotKind::loop_call, {fidx, c.function},
                                         static_cast<std::int32_t>(ci), l, {}});
                }
            }
            if (is_iteration_method(c)) {
                for (const Argument& a : c.args) {
                    if (a.kind == ArgKind::function && a.function >= 0) {
                        mark({fidx, a.function}, HotMark{HotKind::callback, {fidx, c.function},
                                                         static_cast<std::int32_t>(ci), -1, {}});
                    }
                }
            }
        }
        for (std::size_t i = 0; i < f.functions.size(); ++i) {
            const Function& fn = f.functions[i];
            const std::int32_t l = looped_by(f, fn.parent, fn.range);
            if (l >= 0 && !retry_loop(fi, l)) {
                mark({fidx, static_cast<std::int32_t>(i)},
                     HotMark{HotKind::in_loop, {fidx, fn.parent}, -1, l, {}});
            }
        }
    }
    while (!queue.empty()) {
        const FnRef g = queue.front();
        queue.pop_front();
        const auto fi = static_cast<std::size_t>(g.file);
        if (g.fn < 0) {
            continue;  // module level is never hot as a whole
        }
        for (std::int32_t ci : m_graph.calls_of(fi, g.fn)) {
            for (const FnRef& callee : m_graph.callees(fi, static_cast<std::size_t>(ci))) {
                mark(callee, HotMark{HotKind::hot_call, g, ci, -1, {}});
            }
        }
        for (std::int32_t child : m_graph.children(fi, g.fn)) {
            mark({g.file, child}, HotMark{HotKind::nested, g, -1, -1, {}});
        }
    }
}

void HotPaths::propagate_per_item() {
    std::deque<FnRef> queue;
    auto mark = [&](const FnRef& target, HotMark m) {
        if (target.file < 0 || static_cast<std::size_t>(target.file) >= m_per_item.size() || target.fn < 0 ||
            static_cast<std::size_t>(target.fn + 1) >= m_per_item[static_cast<std::size_t>(target.file)].size() ||
            m_test[static_cast<std::size_t>(target.file)]) {
            return;
        }
        HotMark& slot =
            m_per_item[static_cast<std::size_t>(target.file)][static_cast<std::size_t>(target.fn + 1)];
        if (slot.kind != HotKind::none) {
            return;
        }
        slot = std::move(m);
        queue.push_back(target);
    };
    // Does call `ci` of file `fi` run `callee` in sequence?
    auto sequential = [&](std::size_t fi, std::size_t ci, std::size_t k) {
        const FileModel& f = m_graph.file(fi);
        const CallSite& c = f.calls[ci];
        const FnRef& callee = m_graph.callees(fi, ci)[k];
        if (inside_fan_out(f, c)) {
            return false;
        }
        if (m_graph.is_reference(fi, ci, k)) {
            // f passed by name: sequential for map(f, xs) / sorted(key=f) /
            // `await asyncio.to_thread(f)`, not for Thread(target=f) / submit(f).
            return !is_deferring_call(c);
        }
        const FileModel& cf = m_graph.file(static_cast<std::size_t>(callee.file));
        if (!function_is_async(cf, callee.fn)) {
            return true;
        }
        return c.awaited || is_returned(f, c.range);
    };
    for (std::size_t fi = 0; fi < m_graph.file_count(); ++fi) {
        if (m_test[fi]) {
            continue;
        }
        const FileModel& f = m_graph.file(fi);
        const auto fidx = static_cast<std::int32_t>(fi);
        for (std::size_t ci = 0; ci < f.calls.size(); ++ci) {
            const CallSite& c = f.calls[ci];
            const std::int32_t l = looped_by(f, c.function, c.range);
            if (l >= 0) {
                if (item_loop(fi, l) && !retry_loop(fi, l)) {
                    const auto& callees = m_graph.callees(fi, ci);
                    for (std::size_t k = 0; k < callees.size(); ++k) {
                        if (sequential(fi, ci, k)) {
                            mark(callees[k], HotMark{HotKind::loop_call, {fidx, c.function},
                                                     static_cast<std::int32_t>(ci), l, {}});
                        }
                    }
                }
            }
            if (is_iteration_method(c)) {
                for (const Argument& a : c.args) {
                    if (a.kind == ArgKind::function && a.function >= 0 &&
                        !function_is_async(f, a.function) && !inside_fan_out(f, c)) {
                        mark({fidx, a.function}, HotMark{HotKind::callback, {fidx, c.function},
                                                         static_cast<std::int32_t>(ci), -1, {}});
                    }
                }
            }
        }
    }
    while (!queue.empty()) {
        const FnRef g = queue.front();
        queue.pop_front();
        const auto fi = static_cast<std::size_t>(g.file);
        if (cache_guarded(fi, g.fn)) {
            continue;  // what a cache guards does not run per item
        }
        const FileModel& f = m_graph.file(fi);
        for (std::int32_t ci : m_graph.calls_of(fi, g.fn)) {
            const auto& callees = m_graph.callees(fi, static_cast<std::size_t>(ci));
            for (std::size_t k = 0; k < callees.size(); ++k) {
                if (sequential(fi, static_cast<std::size_t>(ci), k)) {
                    mark(callees[k], HotMark{HotKind::hot_call, g, ci, -1, {}});
                }
            }
        }
        for (std::int32_t i : m_graph.children(fi, g.fn)) {
            const Function& fn = f.functions[static_cast<std::size_t>(i)];
            if (fn.is_async) {
                continue;
            }
            // Only callbacks run right there (iteration methods) count; see the seeds.
            const std::int32_t call = enclosing_call(f, g.fn, fn.range);
            if (call >= 0 && is_iteration_method(f.calls[static_cast<std::size_t>(call)]) &&
                !inside_fan_out(f, f.calls[static_cast<std::size_t>(call)])) {
                mark({g.file, i}, HotMark{HotKind::nested, g, -1, -1, {}});
            }
        }
    }
}

std::string HotPaths::phrase(const std::vector<std::vector<HotMark>>& marks, std::size_t file,
                             std::int32_t fn, bool per_item) const {
    const FileModel& f = m_graph.file(file);
    // Walk to the root to name it; `direct` while still at `fn` itself.
    FnRef cur{static_cast<std::int32_t>(file), fn};
    const HotMark* mk = &marks[file][static_cast<std::size_t>(fn + 1)];
    bool direct = true;
    auto where = [&](const FileModel& lf, std::uint32_t line) {
        return lf.path == f.path ? "line " + std::to_string(line) : lf.path + ":" + std::to_string(line);
    };
    for (int steps = 0; steps < 64 && mk->kind != HotKind::none; ++steps) {
        const FileModel& cf = m_graph.file(static_cast<std::size_t>(cur.file));
        switch (mk->kind) {
        case HotKind::handler:
            return direct ? "is a handler (" + mk->why + ")"
                          : "is reached from handler '" + function_label(cf, cur.fn) + "'";
        case HotKind::loop_call:
        case HotKind::in_loop: {
            const FileModel& lf = m_graph.file(static_cast<std::size_t>(mk->from.file));
            const Loop* loop = loop_ptr(lf, mk->loop);
            const std::string at = where(lf, loop != nullptr ? loop->range.start_line : 0) + " in '" +
                                   function_label(lf, mk->from.fn) + "'";
            if (per_item) {
                return "runs for each item of the loop at " + at;
            }
            if (!direct) {
                return "is reached from the loop at " + at;
            }
            return mk->kind == HotKind::in_loop ? "is defined inside the loop at " + at
                                                : "is called in the loop at " + at;
        }
        case HotKind::callback: {
            const FileModel& lf = m_graph.file(static_cast<std::size_t>(mk->from.file));
            const CallSite& c = lf.calls[static_cast<std::size_t>(mk->call)];
            return std::string(direct ? "runs" : "is reached from a callback that runs") +
                   " for each element of " + c.callee + "() at " + where(lf, c.range.start_line);
        }
        case HotKind::hot_call:
        case HotKind::nested: {
            cur = mk->from;
            mk = &marks[static_cast<std::size_t>(cur.file)][static_cast<std::size_t>(cur.fn + 1)];
            direct = false;
            continue;
        }
        case HotKind::none:
            break;
        }
        break;
    }
    return per_item ? "runs per item" : "is on a hot path";
}

std::string HotPaths::hot_phrase(std::size_t file, std::int32_t fn) const {
    return phrase(m_hot, file, fn, false);
}

std::string HotPaths::per_item_phrase(std::size_t file, std::int32_t fn) const {
    return phrase(m_per_item, file, fn, true);
}

std::vector<SecondaryLocation> HotPaths::chain(const std::vector<std::vector<HotMark>>& marks,
                                               std::size_t file, std::int32_t fn,
                                               bool per_item) const {
    std::vector<SecondaryLocation> out;
    FnRef cur{static_cast<std::int32_t>(file), fn};
    for (int steps = 0; steps < 32; ++steps) {
        if (cur.file < 0 || cur.fn < -1) {
            break;
        }
        const HotMark& m = marks[static_cast<std::size_t>(cur.file)][static_cast<std::size_t>(cur.fn + 1)];
        const FileModel& cf = m_graph.file(static_cast<std::size_t>(cur.file));
        const std::string self = "'" + function_label(cf, cur.fn) + "'";
        if (m.kind == HotKind::none) {
            break;
        }
        if (m.kind == HotKind::handler) {
            const Function* h = function_ptr(cf, cur.fn);
            if (h != nullptr) {
                out.push_back(secondary(cf, h->name_range, self + " is a handler: " + m.why));
            }
            break;
        }
        const FileModel& from = m_graph.file(static_cast<std::size_t>(m.from.file));
        const std::string caller = "'" + function_label(from, m.from.fn) + "'";
        const HotMark& caller_mark =
            marks[static_cast<std::size_t>(m.from.file)][static_cast<std::size_t>(m.from.fn + 1)];
        const bool caller_is_handler = caller_mark.kind == HotKind::handler;
        switch (m.kind) {
        case HotKind::loop_call: {
            const CallSite& c = from.calls[static_cast<std::size_t>(m.call)];
            const Loop* loop = loop_ptr(from, m.loop);
            const std::string loop_line = loop != nullptr ? std::to_string(loop->range.start_line) : "?";
            out.push_back(secondary(
                from, c.range,
                self + (per_item ? " is called for each item of the loop at line " + loop_line
                                 : " is called in the loop at line " + loop_line) +
                    " in " + (caller_is_handler ? "handler " : "") + caller));
            if (!caller_is_handler) {
                return out;
            }
            cur = m.from;
            continue;
        }
        case HotKind::in_loop: {
            const Function* def = function_ptr(cf, cur.fn);
            const Loop* loop = loop_ptr(from, m.loop);
            if (def != nullptr) {
                out.push_back(secondary(cf, def->name_range,
                                        self + " is defined inside the loop at line " +
                                            (loop != nullptr ? std::to_string(loop->range.start_line) : "?") +
                                            " in " + caller));
            }
            return out;
        }
        case HotKind::callback: {
            const CallSite& c = from.calls[static_cast<std::size_t>(m.call)];
            out.push_back(secondary(from, c.range,
                                    self + " runs for each element of " + c.callee + "() in " + caller));
            if (!caller_is_handler) {
                return out;
            }
            cur = m.from;
            continue;
        }
        case HotKind::hot_call: {
            const CallSite& c = from.calls[static_cast<std::size_t>(m.call)];
            const Function* cfn = function_ptr(from, m.from.fn);
            const std::string def_line = cfn != nullptr ? std::to_string(cfn->range.start_line) : "?";
            out.push_back(secondary(from, c.range,
                                    "called from " + std::string(caller_is_handler ? "handler " : "") +
                                        caller + " (line " + def_line + ")"));
            cur = m.from;
            continue;
        }
        case HotKind::nested: {
            const Function* def = function_ptr(cf, cur.fn);
            if (def != nullptr) {
                out.push_back(secondary(cf, def->name_range, self + " is defined in " + caller));
            }
            cur = m.from;
            continue;
        }
        case HotKind::handler:
        case HotKind::none:
            break;
        }
        break;
    }
    return out;
}

std::vector<SecondaryLocation> HotPaths::hot_chain(std::size_t file, std::int32_t fn) const {
    return chain(m_hot, file, fn, false);
}

std::vector<SecondaryLocation> HotPaths::per_item_chain(std::size_t file, std::int32_t fn) const {
    return chain(m_per_item, file, fn, true);
}

namespace {

std::string options_key(const HotPathOptions& options) {
    std::string key = "latency::HotPaths";
    auto add = [&](const std::string& part) {
        key += '\x1f';
        key += part;
    };
    for (const auto* list : {&options.handler_names, &options.handler_decorators,
                             &options.handler_registrations}) {
        add(join(*list));
    }
    add(options.include_tests ? "1" : "0");
    add(join(options.test_globs));
    return key;
}

}  // namespace

std::shared_ptr<const HotPaths> shared_hot_paths(const ProjectModel& project,
                                                 const HotPathOptions& options) {
    return project.shared.get<HotPaths>(project, options_key(options), [&] {
        return std::make_shared<const HotPaths>(project, options);
    });
}

}  // namespace cq::latency
