#include "rules/support/taint.hpp"

#include <algorithm>
#include <array>
#include <deque>
#include <mutex>
#include <optional>
#include <unordered_set>

#include "rules/support/security_sink.hpp"

namespace cq::security {
namespace {

constexpr std::size_t k_max_fact_text = 1024;
constexpr std::size_t k_max_path = 24;

bool path_has_prefix(std::string_view path, std::string_view prefix) {
    return path == prefix ||
           (path.size() > prefix.size() && path.substr(0, prefix.size()) == prefix &&
            path[prefix.size()] == '.');
}

std::string_view last_segment(std::string_view path) {
    const auto dot = path.rfind('.');
    return dot == std::string_view::npos ? path : path.substr(dot + 1);
}

// Sources that are a member path (matched on whole segments).
struct SourcePattern {
    std::string_view prefix;
    std::uint32_t languages;
};

constexpr std::array k_source_paths = {
    // Flask / Werkzeug
    SourcePattern{"request.args", lang_mask::python},
    SourcePattern{"request.form", lang_mask::python},
    SourcePattern{"request.values", lang_mask::python},
    SourcePattern{"request.json", lang_mask::python},
    SourcePattern{"request.get_json", lang_mask::python},
    SourcePattern{"request.data", lang_mask::python},
    SourcePattern{"request.get_data", lang_mask::python},
    SourcePattern{"request.files", lang_mask::python},
    SourcePattern{"request.headers", lang_mask::python | lang_mask::js_ts},
    SourcePattern{"request.cookies", lang_mask::python | lang_mask::js_ts},
    SourcePattern{"request.stream", lang_mask::python},
    SourcePattern{"request.view_args", lang_mask::python},
    // Django
    SourcePattern{"request.GET", lang_mask::python},
    SourcePattern{"request.POST", lang_mask::python},
    SourcePattern{"request.body", lang_mask::python | lang_mask::js_ts},
    SourcePattern{"request.META", lang_mask::python},
    SourcePattern{"request.COOKIES", lang_mask::python},
    SourcePattern{"request.FILES", lang_mask::python},
    // Starlette / FastAPI / DRF
    SourcePattern{"request.query_params", lang_mask::python},
    SourcePattern{"request.path_params", lang_mask::python},
    // process
    SourcePattern{"sys.argv", lang_mask::python},
    SourcePattern{"sys.stdin", lang_mask::python},
    SourcePattern{"os.environ", lang_mask::python},
    SourcePattern{"os.environb", lang_mask::python},
    SourcePattern{"os.getenv", lang_mask::python},
    SourcePattern{"process.argv", lang_mask::js_ts},
    SourcePattern{"process.env", lang_mask::js_ts},
    // Express / Koa
    SourcePattern{"req.query", lang_mask::js_ts},
    SourcePattern{"req.params", lang_mask::js_ts},
    SourcePattern{"req.body", lang_mask::js_ts},
    SourcePattern{"req.headers", lang_mask::js_ts},
    SourcePattern{"req.cookies", lang_mask::js_ts},
    SourcePattern{"req.url", lang_mask::js_ts},
    SourcePattern{"req.originalUrl", lang_mask::js_ts},
    SourcePattern{"req.files", lang_mask::js_ts},
    SourcePattern{"req.file", lang_mask::js_ts},
    SourcePattern{"request.query", lang_mask::js_ts},
    SourcePattern{"request.params", lang_mask::js_ts},
    SourcePattern{"ctx.query", lang_mask::js_ts},
    SourcePattern{"ctx.params", lang_mask::js_ts},
    SourcePattern{"ctx.request.body", lang_mask::js_ts},
    SourcePattern{"ctx.request.query", lang_mask::js_ts},
    // queue message bodies
    SourcePattern{"msg.data", lang_mask::python | lang_mask::js_ts},
    SourcePattern{"message.data", lang_mask::python | lang_mask::js_ts},
    SourcePattern{"msg.body", lang_mask::python | lang_mask::js_ts},
    SourcePattern{"msg.Body", lang_mask::python | lang_mask::js_ts},
    SourcePattern{"message.body", lang_mask::python | lang_mask::js_ts},
    SourcePattern{"message.Body", lang_mask::python | lang_mask::js_ts},
    SourcePattern{"record.body", lang_mask::python | lang_mask::js_ts},
    SourcePattern{"record.Body", lang_mask::python | lang_mask::js_ts},
    SourcePattern{"record.Sns.Message", lang_mask::python | lang_mask::js_ts},
    SourcePattern{"record.kinesis.data", lang_mask::python | lang_mask::js_ts},
    SourcePattern{"msg.content", lang_mask::js_ts},
    SourcePattern{"message.content", lang_mask::js_ts},
    SourcePattern{"msg.value", lang_mask::python | lang_mask::js_ts},
    SourcePattern{"message.value", lang_mask::python | lang_mask::js_ts},
    // browser
    SourcePattern{"location.hash", lang_mask::js_ts},
    SourcePattern{"location.search", lang_mask::js_ts},
    SourcePattern{"location.href", lang_mask::js_ts},
    SourcePattern{"location.pathname", lang_mask::js_ts},
    SourcePattern{"window.location", lang_mask::js_ts},
    SourcePattern{"document.location", lang_mask::js_ts},
    SourcePattern{"document.URL", lang_mask::js_ts},
    SourcePattern{"document.documentURI", lang_mask::js_ts},
    SourcePattern{"document.referrer", lang_mask::js_ts},
    SourcePattern{"document.cookie", lang_mask::js_ts},
    SourcePattern{"window.name", lang_mask::js_ts},
};

// Sources that are a call (the path, exactly).
constexpr std::array k_source_calls = {
    SourcePattern{"input", lang_mask::python},
    SourcePattern{"raw_input", lang_mask::python},
    SourcePattern{"getenv", lang_mask::c_cpp},
    SourcePattern{"secure_getenv", lang_mask::c_cpp},
    SourcePattern{"std.getenv", lang_mask::cpp},
};

// Calls whose result is a number (or a boolean): safe for every injection sink.
bool is_numeric_conversion(std::string_view path) {
    static const std::unordered_set<std::string_view> k{
        "int", "float", "bool", "len", "abs", "round", "ord", "Number", "parseInt",
        "parseFloat", "Boolean", "Number.parseInt", "Number.parseFloat", "Math.floor",
        "Math.round", "Math.ceil", "Math.abs", "Math.trunc", "atoi", "atol", "atoll", "atof",
        "strtol", "strtoul", "strtoll", "strtoull", "strtod", "strtof", "std.stoi", "std.stol",
        "std.stoul", "std.stod", "uuid.UUID", "UUID"};
    return k.count(path) != 0;
}

// Calls that neither create nor remove dynamic-ness: their arguments decide.
bool is_transparent_call(std::string_view path, Language lang) {
    if (path.empty() || path.front() == '.') {
        return true;  // a method of a literal or of a call result: `"{}".format(x)`, `"".join(xs)`
    }
    static const std::unordered_set<std::string_view> k{
        "str", "repr", "bytes", "String", "JSON.stringify", "encodeURIComponent",
        "encodeURI", "decodeURIComponent", "decodeURI", "unescape", "Object.keys", "sorted",
        "list", "tuple", "dict", "set", "format", "sqlite3_mprintf", "sqlite3_vmprintf"};
    if (k.count(path) != 0) {
        return true;
    }
    if (lang == Language::python && path_has_prefix(path, "os.path")) {
        return true;
    }
    if (is_js_family(lang) && path_has_prefix(path, "path")) {
        return true;
    }
    return false;
}

bool is_route_decorator(std::string_view decorator) {
    const auto paren = decorator.find('(');
    const std::string_view head = decorator.substr(0, paren);
    if (head.find("api_view") != std::string_view::npos) {
        return true;
    }
    if (paren == std::string_view::npos) {
        return false;
    }
    static const std::array<std::string_view, 10> k{"route", "get", "post", "put", "delete",
                                                     "patch", "api_route", "websocket", "head",
                                                     "options"};
    const std::string_view last = last_segment(head);
    if (head.find('.') == std::string_view::npos) {
        return false;
    }
    return std::find(k.begin(), k.end(), last) != k.end();
}

bool is_framework_param(const Parameter& p, std::string_view text) {
    static const std::unordered_set<std::string_view> k{
        "self", "cls", "request", "req", "db", "session", "background_tasks", "response",
        "res", "current_user", "user"};
    if (k.count(p.name) != 0) {
        return true;
    }
    return text.find("Depends(") != std::string_view::npos ||
           text.find("Security(") != std::string_view::npos ||
           text.find("Request") != std::string_view::npos ||
           text.find("Session") != std::string_view::npos;
}

bool is_route_registration(const CallSite& call) {
    static const std::unordered_set<std::string_view> verbs{
        "get", "post", "put", "delete", "patch", "all", "use", "options", "head"};
    if (verbs.count(call.name) == 0 || call.receiver.empty()) {
        return false;
    }
    const std::string recv = lower(last_segment(call.receiver));
    return recv == "app" || recv == "server" || recv == "api" || recv == "fastify" ||
           recv.find("router") != std::string::npos || recv.find("route") != std::string::npos;
}

struct Version {
    std::uint32_t pos = 0;
    Fact fact;
};

struct Flow {
    std::unordered_map<std::string, std::vector<Version>> vars;
};

struct Event {
    std::uint32_t pos = 0;
    enum class Kind : std::uint8_t { assignment, loop, call } kind = Kind::assignment;
    std::int32_t index = -1;
};

struct Seed {
    bool set = false;
    Fact fact;
};

// (file index, function index; -1 is the module level)
using FnRef = std::pair<std::size_t, std::int32_t>;

// What is known of a function before a rule's sanitizers come in; shared by the engines of all
// rules over the same files (Skeleton).
struct FunctionFacts {
    std::vector<Event> events;
    std::vector<std::int32_t> calls;  // call sites made directly in this function
    std::vector<std::int32_t> children;
    std::vector<FnRef> callers;  // functions (and module levels) with a call that resolves here
    std::vector<Seed> seeds;     // per parameter: set for an entry point's untrusted parameters
    std::string request_param;   // Express-style request object parameter, if any
    bool entry = false;
};

struct FileFacts {
    const FileModel* file = nullptr;
    std::vector<FunctionFacts> fns;  // index fn + 1 (0 is module level)
    std::unordered_map<std::string, std::string> module_aliases;  // local name -> module
};

// One engine's state of a function.
struct FunctionRun {
    std::vector<Seed> seeds;  // per parameter, once in scope
    bool queued = false;
    bool in_scope = false;  // analyzed (TaintEngine's focus)
};

struct FileState {
    const FileModel* file = nullptr;
    const FileFacts* facts = nullptr;
    std::vector<FunctionRun> fns;  // index fn + 1
    std::vector<Flow> flows;       // index fn + 1
};

enum class OutMode : std::uint8_t { strong, append, source, source_if_stdin };

struct OutParam {
    std::string_view name;
    int dst;        // argument written
    int src_from;   // first argument read (for strong / append)
    int fmt;        // format argument, -1 if none
    OutMode mode;
    int stream;     // for source_if_stdin: the stream / fd argument
    bool all_from;  // every argument from dst on is written (scanf)
};

constexpr std::array k_out_params = {
    OutParam{"sprintf", 0, 1, 1, OutMode::strong, -1, false},
    OutParam{"vsprintf", 0, 1, 1, OutMode::strong, -1, false},
    OutParam{"snprintf", 0, 2, 2, OutMode::strong, -1, false},
    OutParam{"vsnprintf", 0, 2, 2, OutMode::strong, -1, false},
    OutParam{"swprintf", 0, 2, 2, OutMode::strong, -1, false},
    OutParam{"sqlite3_snprintf", 1, 2, 2, OutMode::strong, -1, false},
    OutParam{"strcpy", 0, 1, -1, OutMode::strong, -1, false},
    OutParam{"wcscpy", 0, 1, -1, OutMode::strong, -1, false},
    OutParam{"stpcpy", 0, 1, -1, OutMode::strong, -1, false},
    OutParam{"strncpy", 0, 1, -1, OutMode::strong, -1, false},
    OutParam{"memcpy", 0, 1, -1, OutMode::strong, -1, false},
    OutParam{"memmove", 0, 1, -1, OutMode::strong, -1, false},
    OutParam{"strcat", 0, 1, -1, OutMode::append, -1, false},
    OutParam{"strncat", 0, 1, -1, OutMode::append, -1, false},
    OutParam{"wcscat", 0, 1, -1, OutMode::append, -1, false},
    OutParam{"gets", 0, -1, -1, OutMode::source, -1, false},
    OutParam{"fgets", 0, -1, -1, OutMode::source_if_stdin, 2, false},
    OutParam{"getline", 0, -1, -1, OutMode::source_if_stdin, 2, false},
    OutParam{"scanf", 1, -1, -1, OutMode::source, -1, true},
    OutParam{"fscanf", 2, -1, -1, OutMode::source_if_stdin, 0, true},
    OutParam{"sscanf", 2, 0, -1, OutMode::strong, -1, true},
    OutParam{"recv", 1, -1, -1, OutMode::source, -1, false},
    OutParam{"recvfrom", 1, -1, -1, OutMode::source, -1, false},
    OutParam{"read", 1, -1, -1, OutMode::source_if_stdin, 0, false},
};

const OutParam* out_param_for(const CallSite& call) {
    if (!call.receiver.empty() && call.receiver != "std") {
        return nullptr;
    }
    for (const OutParam& op : k_out_params) {
        if (op.name == call.name) {
            return &op;
        }
    }
    return nullptr;
}

bool is_stdin(std::string_view text) {
    return text == "stdin" || text == "0" || text == "STDIN_FILENO" || text == "std::cin" ||
           text == "cin";
}

// The root variable a C argument writes: `buf`, `&line`, `(char *)p` -> buf, line, p.
std::string written_name(std::string_view text, Language lang) {
    const ExprScan scan = scan_expression(text, lang);
    for (const ExprRef& r : scan.refs) {
        if (!r.called) {
            return r.path;
        }
    }
    return {};
}

void push_step(Fact& fact, const std::string& file, const Range& range, std::string message) {
    if (!fact.tainted) {
        return;
    }
    auto next = std::make_shared<TaintPath>(fact.path ? *fact.path : TaintPath{});
    if (!next->empty() && next->back().path == file &&
        next->back().range.start_line == range.start_line) {
        return;  // the same line already says it
    }
    if (next->size() >= k_max_path) {
        next->erase(next->begin() + static_cast<std::ptrdiff_t>(k_max_path / 2));
    }
    next->push_back(SecondaryLocation{file, range, std::move(message)});
    fact.path = std::move(next);
}

// Everything about the project's functions that no rule's sanitizers change: their events,
// calls, closures, callers, entry points and name resolution. Built once per set of files and
// shared by the engines of all security rules (shared_skeleton()); immutable once built.
struct Skeleton {
    std::vector<FileFacts> files;
    std::unordered_map<const FileModel*, std::size_t> index_of;
    // simple name -> (file index, function index)
    std::unordered_map<std::string, std::vector<FnRef>> by_name;

    // ---- set-up -------------------------------------------------------------------------------

    explicit Skeleton(const std::vector<const FileModel*>& models) {
        for (const FileModel* f : models) {
            index_of[f] = files.size();
            files.push_back(prepare(*f));
        }
        for (std::size_t fi = 0; fi < files.size(); ++fi) {
            const FileModel& f = *files[fi].file;
            for (std::size_t k = 0; k < f.functions.size(); ++k) {
                const Function& fn = f.functions[k];
                if (fn.is_lambda || fn.name.empty() || fn.name.front() == '<') {
                    continue;
                }
                by_name[fn.name].emplace_back(fi, static_cast<std::int32_t>(k));
            }
        }
        for (std::size_t fi = 0; fi < files.size(); ++fi) {
            find_entry_points(fi);
        }
        link_callers();
    }


    void link_callers() {
        for (std::size_t fi = 0; fi < files.size(); ++fi) {
            const FileModel& f = *files[fi].file;
            for (std::size_t k = 0; k < files[fi].fns.size(); ++k) {
                const auto fn = static_cast<std::int32_t>(k) - 1;
                for (std::int32_t ci : files[fi].fns[k].calls) {
                    const CallSite& c = f.calls[static_cast<std::size_t>(ci)];
                    if (c.args.empty() || by_name.count(c.name) == 0) {
                        continue;
                    }
                    for (const auto& [tf, tk] : resolve(fi, fn, c)) {
                        files[tf].fns[static_cast<std::size_t>(tk + 1)].callers.emplace_back(fi, fn);
                    }
                }
            }
        }
    }

    // Adds to the scope `fn` of file `fi` and everything its facts can depend on: the functions
    // it is nested in (closures), its file's module level, and, transitively, the callers that
    // can seed its parameters. Returns true when the scope grew.

    static bool valid_fn(const FileModel& f, std::int32_t fn) {
        return fn >= -1 && fn < static_cast<std::int32_t>(f.functions.size());
    }


    static FileFacts prepare(const FileModel& f) {
        FileFacts st;
        st.file = &f;
        st.fns.resize(f.functions.size() + 1);
        for (std::size_t k = 0; k < f.functions.size(); ++k) {
            st.fns[k + 1].seeds.resize(f.functions[k].params.size());
            const std::int32_t parent = f.functions[k].parent;
            if (valid_fn(f, parent)) {
                st.fns[static_cast<std::size_t>(parent + 1)].children.push_back(
                    static_cast<std::int32_t>(k));
            }
        }
        for (std::size_t i = 0; i < f.assignments.size(); ++i) {
            const Assignment& a = f.assignments[i];
            if (valid_fn(f, a.function)) {
                st.fns[static_cast<std::size_t>(a.function + 1)].events.push_back(
                    {a.range.start_byte, Event::Kind::assignment, static_cast<std::int32_t>(i)});
            }
        }
        for (std::size_t i = 0; i < f.loops.size(); ++i) {
            const Loop& l = f.loops[i];
            if (valid_fn(f, l.function) && !l.target.empty() && !l.variables.empty()) {
                st.fns[static_cast<std::size_t>(l.function + 1)].events.push_back(
                    {l.header_range.start_byte, Event::Kind::loop, static_cast<std::int32_t>(i)});
            }
        }
        for (std::size_t i = 0; i < f.calls.size(); ++i) {
            const CallSite& c = f.calls[i];
            if (!valid_fn(f, c.function)) {
                continue;
            }
            FunctionFacts& fs = st.fns[static_cast<std::size_t>(c.function + 1)];
            fs.calls.push_back(static_cast<std::int32_t>(i));
            if (is_c_family(f.language) || (f.language == Language::cpp)) {
                if (out_param_for(c) != nullptr) {
                    fs.events.push_back({c.range.start_byte, Event::Kind::call,
                                         static_cast<std::int32_t>(i)});
                }
            }
        }
        for (FunctionFacts& fs : st.fns) {
            std::stable_sort(fs.events.begin(), fs.events.end(),
                             [](const Event& a, const Event& b) { return a.pos < b.pos; });
        }
        for (const Import& imp : f.imports) {
            if (imp.alias.empty()) {
                continue;
            }
            std::string module = imp.module;
            if (!imp.name.empty() && imp.name != "*") {
                module += (module.empty() || module.back() == '.' || module.back() == '/') ? "" : ".";
                module += imp.name;
            }
            st.module_aliases[imp.alias] = module;
        }
        return st;
    }


    void seed_param(std::size_t fi, std::int32_t fn, std::size_t p, const std::string& origin,
                    const std::string& message) {
        FileFacts& st = files[fi];
        const Function& f = st.file->functions[static_cast<std::size_t>(fn)];
        Seed& seed = st.fns[static_cast<std::size_t>(fn + 1)].seeds[p];
        if (seed.set) {
            return;
        }
        seed.set = true;
        seed.fact.dynamic = true;
        seed.fact.tainted = true;
        seed.fact.origin = origin;
        seed.fact.path = std::make_shared<TaintPath>(
            TaintPath{SecondaryLocation{st.file->path, f.params[p].range, message}});
    }

    void find_entry_points(std::size_t fi) {
        FileFacts& st = files[fi];
        const FileModel& f = *st.file;
        for (std::size_t k = 0; k < f.functions.size(); ++k) {
            const Function& fn = f.functions[k];
            const auto idx = static_cast<std::int32_t>(k);
            FunctionFacts& fs = st.fns[k + 1];
            // Flask / FastAPI / DRF route handlers: the parameters come from the request.
            if (f.language == Language::python &&
                std::any_of(fn.decorators.begin(), fn.decorators.end(), is_route_decorator)) {
                fs.entry = true;
                for (std::size_t p = 0; p < fn.params.size(); ++p) {
                    if (is_framework_param(fn.params[p], f.text(fn.params[p].range))) {
                        continue;
                    }
                    seed_param(fi, idx, p, "parameter '" + fn.params[p].name + "'",
                               "untrusted input: parameter '" + fn.params[p].name +
                                   "' of route handler '" + fn.name + "'");
                }
            }
            // AWS Lambda handlers: the event.
            const std::string lname = lower(fn.name);
            const bool handler_name = lname.find("handler") != std::string::npos;
            const bool lambda_shape = fn.params.size() >= 2 &&
                                      (fn.params[1].name == "context" || fn.params[1].name == "ctx");
            if (!fn.params.empty() && fn.params[0].name == "event" &&
                (handler_name || lambda_shape) && !is_c_family(f.language)) {
                fs.entry = true;
                seed_param(fi, idx, 0, "Lambda event",
                           "untrusted input: the Lambda event of '" + fn.name + "'");
            }
            // C / C++ main: argv and envp.
            if (is_c_family(f.language) && fn.name == "main" && fn.params.size() >= 2) {
                fs.entry = true;
                seed_param(fi, idx, 1, "argv", "untrusted input: command-line arguments");
                if (fn.params.size() >= 3) {
                    seed_param(fi, idx, 2, "envp", "untrusted input: environment");
                }
            }
        }
        // Express-style route callbacks: `app.get('/x', (req, res) => ...)`, `router.post(p, h)`.
        if (!is_js_family(f.language)) {
            return;
        }
        for (const CallSite& c : f.calls) {
            if (!is_route_registration(c)) {
                continue;
            }
            for (const Argument& a : c.args) {
                std::int32_t target = -1;
                if (a.kind == ArgKind::function && valid_fn(f, a.function) && a.function >= 0) {
                    target = a.function;
                } else if (a.kind == ArgKind::identifier) {
                    for (std::size_t k = 0; k < f.functions.size(); ++k) {
                        if (f.functions[k].name == a.text) {
                            target = static_cast<std::int32_t>(k);
                            break;
                        }
                    }
                }
                if (target < 0) {
                    continue;
                }
                const Function& fn = f.functions[static_cast<std::size_t>(target)];
                if (fn.params.size() < 2) {
                    continue;  // (req, res) at least; a one-argument callback is something else
                }
                FunctionFacts& fs = st.fns[static_cast<std::size_t>(target + 1)];
                fs.entry = true;
                fs.request_param = fn.params[0].name;
            }
        }
    }


    // ---- inter-procedural ----------------------------------------------------------------------

    static std::string module_stem(std::string_view module) {
        std::string_view m = module;
        while (!m.empty() && (m.back() == '/' || m.back() == '.')) {
            m.remove_suffix(1);
        }
        const auto cut = m.find_last_of("./");
        if (cut != std::string_view::npos) {
            const std::string_view tail = m.substr(cut + 1);
            // "./utils.js": the extension is not a module segment
            if ((tail == "js" || tail == "ts" || tail == "mjs" || tail == "cjs" || tail == "py") &&
                cut > 0) {
                return module_stem(m.substr(0, cut));
            }
            return std::string(tail);
        }
        return std::string(m);
    }

    static std::string path_stem(std::string_view path) {
        const auto slash = path.rfind('/');
        std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
        const auto dot = name.find('.');
        return std::string(name.substr(0, dot));
    }

    // The functions of the project a call resolves to (at most one), by name: same file first,
    // then imported names, then a project-unique name; `self.`/`this.` methods in the same class.
    std::vector<FnRef> resolve(std::size_t fi, std::int32_t caller,
                                                              const CallSite& c) const {
        std::vector<std::pair<std::size_t, std::int32_t>> out;
        auto it = by_name.find(c.name);
        if (it == by_name.end()) {
            return out;
        }
        const FileFacts& st = files[fi];
        const FileModel& f = *st.file;
        const auto& cands = it->second;
        const auto fn_of = [&](std::size_t file, std::int32_t k) -> const Function& {
            return files[file].file->functions[static_cast<std::size_t>(k)];
        };
        const std::string_view recv = c.receiver;
        if (recv == "self" || recv == "this" || recv == "cls") {
            if (!valid_fn(f, caller) || caller < 0) {
                return out;
            }
            const std::string& cls = f.functions[static_cast<std::size_t>(caller)].class_name;
            for (const auto& [file, k] : cands) {
                if (file == fi && fn_of(file, k).class_name == cls && !cls.empty()) {
                    out.emplace_back(file, k);
                    return out;
                }
            }
            return out;
        }
        if (recv.empty()) {
            for (const auto& [file, k] : cands) {
                if (file == fi && !fn_of(file, k).is_method) {
                    out.emplace_back(file, k);
                    return out;
                }
            }
            auto alias = st.module_aliases.find(c.name);
            if (alias != st.module_aliases.end()) {
                const std::string& module = alias->second;
                const auto dot = module.find_last_of("./");
                const std::string stem =
                    module_stem(dot == std::string::npos ? module : module.substr(0, dot));
                for (const auto& [file, k] : cands) {
                    if (file != fi && path_stem(files[file].file->path) == stem &&
                        !fn_of(file, k).is_method) {
                        out.emplace_back(file, k);
                        return out;
                    }
                }
            }
            // a name defined once in the project (C functions, star imports)
            std::vector<std::pair<std::size_t, std::int32_t>> free;
            for (const auto& [file, k] : cands) {
                if (!fn_of(file, k).is_method && fn_of(file, k).parent < 0 &&
                    is_c_family(files[file].file->language) == is_c_family(f.language)) {
                    free.emplace_back(file, k);
                }
            }
            if (free.size() == 1 && (is_c_family(f.language) || alias != st.module_aliases.end())) {
                out.push_back(free.front());
            }
            return out;
        }
        // `utils.run(x)` where utils is an imported module of the project
        auto alias = st.module_aliases.find(std::string(recv));
        if (alias == st.module_aliases.end()) {
            return out;
        }
        const std::string stem = module_stem(alias->second);
        for (const auto& [file, k] : cands) {
            if (path_stem(files[file].file->path) == stem && !fn_of(file, k).is_method) {
                out.emplace_back(file, k);
                return out;
            }
        }
        return out;
    }

};

// The skeleton for the files of `project` in `languages`, built once per project
// (ProjectModel::shared): the taint rules run one after the other over the same models. Rules
// that name different languages share one when the project has files of the same ones only (on
// a Python project, code-injection's Python and JavaScript and command-injection's all).
std::shared_ptr<const Skeleton> shared_skeleton(const ProjectModel& project,
                                                std::uint32_t languages) {
    std::uint32_t present = 0;
    for (const FileModel* f : project.files) {
        if (f != nullptr) {
            present |= language_bit(f->language);
        }
    }
    languages &= present;
    return project.shared.get<Skeleton>(
        project, "security::Skeleton\x1f" + std::to_string(languages),
        [&] { return std::make_shared<const Skeleton>(files_in(project, languages)); });
}

}  // namespace

void Fact::merge(const Fact& other) {
    dynamic = dynamic || other.dynamic;
    built = built || other.built;
    if (other.tainted && !tainted) {
        tainted = true;
        origin = other.origin;
        path = other.path;
    }
    if (text.size() < k_max_fact_text && !other.text.empty()) {
        text.append(other.text.substr(0, k_max_fact_text - text.size()));
        text.push_back(' ');
    }
}
struct TaintEngine::Impl {
    SinkProfile profile;
    std::shared_ptr<const Skeleton> sk;
    std::vector<FileState> files;  // as sk->files
    std::deque<FnRef> worklist;
    std::mutex mutex;  // evaluate() may widen the scope and run again

    Impl(const ProjectModel& project, std::uint32_t languages, SinkProfile prof)
        : profile(std::move(prof)), sk(shared_skeleton(project, languages)) {
        files.resize(sk->files.size());
        for (std::size_t fi = 0; fi < files.size(); ++fi) {
            const FileFacts& facts = sk->files[fi];
            files[fi].file = facts.file;
            files[fi].facts = &facts;
            files[fi].fns.resize(facts.fns.size());
            files[fi].flows.resize(facts.fns.size());
        }
    }

    static bool valid_fn(const FileModel& f, std::int32_t fn) { return Skeleton::valid_fn(f, fn); }

    // A state for a file outside the engine's languages: no flows, constness only.
    struct Detached {
        FileFacts facts;
        FileState st;
        explicit Detached(const FileModel& f) : facts(Skeleton::prepare(f)) {
            st.file = &f;
            st.facts = &facts;
            st.fns.resize(facts.fns.size());
            st.flows.resize(facts.fns.size());
        }
    };

    void scope_everything() {
        for (FileState& st : files) {
            for (FunctionRun& fs : st.fns) {
                fs.in_scope = true;
            }
        }
    }

    // Who can seed whom: for each function, the functions (and module levels) with a call that
    // resolves to it and passes arguments. The same edges propagate() follows.
    bool widen(std::size_t fi, std::int32_t fn) {
        if (files[fi].fns[static_cast<std::size_t>(fn + 1)].in_scope) {
            return false;
        }
        std::vector<FnRef> stack;
        bool grew = false;
        const auto add = [&](std::size_t file, std::int32_t k) {
            FunctionRun& fs = files[file].fns[static_cast<std::size_t>(k + 1)];
            if (!fs.in_scope) {
                fs.in_scope = true;
                grew = true;
                stack.emplace_back(file, k);
            }
        };
        add(fi, fn);
        while (!stack.empty()) {
            const auto [file, k] = stack.back();
            stack.pop_back();
            const FileModel& f = *files[file].file;
            add(file, -1);
            if (k >= 0) {
                const std::int32_t parent = f.functions[static_cast<std::size_t>(k)].parent;
                if (valid_fn(f, parent)) {
                    add(file, parent);
                }
            }
            for (const auto& [cf, ck] : files[file].facts->fns[static_cast<std::size_t>(k + 1)].callers) {
                add(cf, ck);
            }
        }
        return grew;
    }

    // The worklist over the functions in scope, from a clean state. Restricting it to a scope
    // closed under widen() leaves the facts of every function in it exactly as a run over the
    // whole project computes them: the functions left out never seed, and are never read by,
    // one in scope, so the functions in scope are analyzed in the same relative order.
    void run() {
        for (FileState& st : files) {
            for (std::size_t k = 0; k < st.fns.size(); ++k) {
                FunctionRun& fs = st.fns[k];
                fs.seeds.clear();
                if (fs.in_scope) {
                    fs.seeds = st.facts->fns[k].seeds;  // the entry points' own
                }
                fs.queued = false;
            }
            for (Flow& flow : st.flows) {
                flow.vars.clear();
            }
        }
        for (std::size_t fi = 0; fi < files.size(); ++fi) {
            for (std::size_t k = 0; k < files[fi].fns.size(); ++k) {
                if (files[fi].fns[k].in_scope) {
                    enqueue(fi, static_cast<std::int32_t>(k) - 1);
                }
            }
        }
        while (!worklist.empty()) {
            const auto [fi, fn] = worklist.front();
            worklist.pop_front();
            files[fi].fns[static_cast<std::size_t>(fn + 1)].queued = false;
            analyze(fi, fn);
            propagate(fi, fn);
        }
    }

    void enqueue(std::size_t fi, std::int32_t fn) {
        FunctionRun& fs = files[fi].fns[static_cast<std::size_t>(fn + 1)];
        if (fs.queued || !fs.in_scope) {
            return;
        }
        fs.queued = true;
        worklist.emplace_back(fi, fn);
    }

    // ---- lookups -------------------------------------------------------------------------------

    static const Fact* latest(const Flow& flow, const std::string& name, std::uint32_t pos,
                              bool any_pos) {
        auto it = flow.vars.find(name);
        if (it == flow.vars.end() || it->second.empty()) {
            return nullptr;
        }
        if (any_pos) {
            return &it->second.back().fact;
        }
        for (auto v = it->second.rbegin(); v != it->second.rend(); ++v) {
            if (v->pos <= pos) {
                return &v->fact;
            }
        }
        return nullptr;
    }

    // The fact of `path` (or of its longest assigned prefix) as seen from `fn` at `pos`.
    const Fact* lookup(const FileState& st, std::int32_t fn, std::string_view path,
                       std::uint32_t pos) const {
        std::string key(path);
        for (;;) {
            std::int32_t cur = fn;
            std::uint32_t at = pos;
            while (valid_fn(*st.file, cur)) {
                const bool module_from_function = cur == -1 && fn != -1;
                if (const Fact* f = latest(st.flows[static_cast<std::size_t>(cur + 1)], key, at,
                                           module_from_function)) {
                    return f;
                }
                if (cur == -1) {
                    break;
                }
                const Function& func = st.file->functions[static_cast<std::size_t>(cur)];
                at = func.range.start_byte;
                cur = func.parent;
            }
            const auto dot = key.rfind('.');
            if (dot == std::string::npos) {
                return nullptr;
            }
            key.resize(dot);
        }
    }

    // The source a reference reads, as written, or empty.
    std::string source_of(const FileState& st, std::int32_t fn, const ExprRef& ref) const {
        const std::uint32_t bit = language_bit(st.file->language);
        std::string_view path = ref.path;
        if (path.substr(0, 5) == "self.") {
            path.remove_prefix(5);  // class-based views: self.request.GET
        }
        if (ref.called) {
            for (const SourcePattern& s : k_source_calls) {
                if ((s.languages & bit) != 0 && path == s.prefix) {
                    return std::string(s.prefix);
                }
            }
        }
        for (const SourcePattern& s : k_source_paths) {
            if ((s.languages & bit) != 0 && path_has_prefix(path, s.prefix)) {
                return std::string(s.prefix);
            }
        }
        // the request object of an Express-style handler, whatever its name
        for (std::int32_t cur = fn; cur >= 0 && valid_fn(*st.file, cur);
             cur = st.file->functions[static_cast<std::size_t>(cur)].parent) {
            const std::string& req = st.facts->fns[static_cast<std::size_t>(cur + 1)].request_param;
            if (req.empty() || ref.root != req) {
                continue;
            }
            static const std::array<std::string_view, 8> parts{
                "query", "params", "body", "headers", "cookies", "url", "originalUrl", "files"};
            for (std::string_view part : parts) {
                if (path_has_prefix(path, req + "." + std::string(part))) {
                    return req + "." + std::string(part);
                }
            }
        }
        return {};
    }

    bool sanitized(const ExprScan& scan, const ExprRef& ref) const {
        for (std::uint32_t c : ref.enclosing) {
            if (c >= scan.calls.size()) {
                continue;
            }
            const ExprCall& call = scan.calls[c];
            if (is_numeric_conversion(call.path)) {
                return true;
            }
            if (profile.sanitizer && profile.sanitizer(call.path, call.args)) {
                return true;
            }
        }
        return false;
    }

    // ---- evaluation ----------------------------------------------------------------------------

    static bool formatted(const ExprScan& scan, const ExprRef& ref) {
        for (std::uint32_t c : ref.enclosing) {
            if (c >= scan.calls.size()) {
                continue;
            }
            const std::string_view last = last_segment(scan.calls[c].path);
            if (last == "format" || last == "sprintf" || last == "vsprintf" ||
                last == "sqlite3_mprintf" || last == "sqlite3_vmprintf" || last == "asprintf") {
                return true;
            }
        }
        return false;
    }

    // What one reference contributes to an expression's fact.
    Fact evaluate_ref(const FileState& st, std::int32_t fn, std::uint32_t pos, const ExprScan& scan,
                      const ExprRef& ref, const Range& range) const {
        Fact out;
        const Language lang = st.file->language;
        if (ref.called && ref.call < scan.calls.size()) {
            const ExprCall& call = scan.calls[ref.call];
            if (is_numeric_conversion(call.path) ||
                (profile.sanitizer && profile.sanitizer(call.path, call.args))) {
                return out;  // the call makes its own arguments safe
            }
        }
        const std::string source = source_of(st, fn, ref);
        if (!source.empty()) {
            out.dynamic = true;
            out.tainted = true;
            out.origin = source;
            out.path = std::make_shared<TaintPath>(
                TaintPath{SecondaryLocation{st.file->path, range, "untrusted input: " + source}});
            return out;
        }
        if (ref.called) {
            if (is_transparent_call(ref.path, lang)) {
                return out;
            }
            // a method of a variable carries the variable's fact: `name.strip()`
            if (ref.path.find('.') != std::string::npos &&
                st.facts->module_aliases.count(std::string(ref.root)) == 0) {
                if (const Fact* f = lookup(st, fn, ref.path, pos)) {
                    out = *f;
                }
            }
            out.dynamic = true;  // a function's result
            return out;
        }
        if (const Fact* f = lookup(st, fn, ref.path, pos)) {
            return *f;
        }
        if (!is_constant_case(ref.root)) {
            out.dynamic = true;  // unknown: a global, an attribute, a name from elsewhere
        }
        return out;
    }

    Fact evaluate(const FileState& st, std::int32_t fn, std::uint32_t pos, std::string_view text,
                  ArgKind kind, const Range& range) const {
        Fact out;
        if (is_literal_kind(kind) || kind == ArgKind::function) {
            if (kind == ArgKind::string_literal) {
                std::string v;
                out.text = decode_string_literal(text, v) ? v : std::string(text);
            }
            return out;
        }
        std::string_view yes;
        std::string_view no;
        if (split_conditional(text, st.file->language, yes, no)) {
            // `cond ? "a" : b`: the value is one of the branches
            const auto branch_kind = [&](std::string_view t) {
                std::string decoded;
                return decode_string_literal(t, decoded) ? ArgKind::string_literal : ArgKind::other;
            };
            out = evaluate(st, fn, pos, yes, branch_kind(yes), range);
            out.merge(evaluate(st, fn, pos, no, branch_kind(no), range));
            return out;
        }
        const ExprScan scan = scan_expression(text, st.file->language);
        out.text = scan.literal_text.substr(0, k_max_fact_text);
        for (const ExprRef& ref : scan.refs) {
            if (sanitized(scan, ref)) {
                continue;
            }
            const Fact part = evaluate_ref(st, fn, pos, scan, ref, range);
            if (part.dynamic && formatted(scan, ref)) {
                out.built = true;  // `"... {}".format(x)`, `sqlite3_mprintf("%s", x)`
            }
            out.merge(part);
        }
        if (out.dynamic && (kind == ArgKind::concatenation || kind == ArgKind::interpolated)) {
            out.built = true;
        }
        return out;
    }

    // ---- per-function analysis -----------------------------------------------------------------

    std::vector<std::string> target_names(const FileModel& f, std::string_view target,
                                          bool& weak) const {
        std::string t(target);
        for (std::string_view kw : {"const ", "let ", "var ", "export ", "readonly "}) {
            if (t.rfind(kw, 0) == 0) {
                t.erase(0, kw.size());
            }
        }
        const bool destructuring = !t.empty() && (t.front() == '{' || t.front() == '[' ||
                                                  t.front() == '(' ||
                                                  (t.find(',') != std::string::npos &&
                                                   !is_c_family(f.language)));
        if (is_js_family(f.language) && !destructuring) {
            const auto colon = t.find(':');
            if (colon != std::string::npos) {
                t.resize(colon);  // TypeScript annotation
            }
        }
        const ExprScan scan = scan_expression(t, f.language);
        std::vector<std::string> names;
        for (const ExprRef& r : scan.refs) {
            if (!r.called && r.enclosing.empty()) {
                names.push_back(r.path);
            }
        }
        if (names.empty()) {
            return names;
        }
        if (is_c_family(f.language)) {
            // `char *cmd`, `std::string q`, `buf[i]`: the declared / written name is the last
            // reference unless it subscripts.
            const bool subscript = t.find('[') != std::string::npos;
            std::string name = subscript ? names.front() : names.back();
            weak = weak || subscript;
            return {name};
        }
        if (!destructuring && t.find('[') != std::string::npos) {
            weak = true;  // d[key] = v: the container absorbs the value
            return {names.front()};
        }
        return names;
    }

    void assign(Flow& flow, const std::string& name, std::uint32_t pos, Fact fact, bool weak,
                const FileState& st, std::int32_t fn) {
        if (weak) {
            if (const Fact* prev = lookup(st, fn, name, pos)) {
                Fact merged = *prev;
                merged.merge(fact);
                fact = std::move(merged);
            }
        }
        flow.vars[name].push_back(Version{pos, std::move(fact)});
    }

    void analyze(std::size_t fi, std::int32_t fn) {
        FileState& st = files[fi];
        const FileModel& f = *st.file;
        const FunctionFacts& facts = st.facts->fns[static_cast<std::size_t>(fn + 1)];
        const FunctionRun& fs = st.fns[static_cast<std::size_t>(fn + 1)];
        Flow& flow = st.flows[static_cast<std::size_t>(fn + 1)];
        flow.vars.clear();
        if (fn >= 0) {
            const Function& func = f.functions[static_cast<std::size_t>(fn)];
            for (std::size_t p = 0; p < func.params.size(); ++p) {
                Fact fact;
                fact.dynamic = true;
                if (p < fs.seeds.size() && fs.seeds[p].set) {
                    fact = fs.seeds[p].fact;
                }
                if (!func.params[p].name.empty()) {
                    flow.vars[func.params[p].name].push_back(Version{func.range.start_byte, fact});
                }
            }
        }
        for (const Event& e : facts.events) {
            switch (e.kind) {
            case Event::Kind::assignment: {
                const Assignment& a = f.assignments[static_cast<std::size_t>(e.index)];
                Fact value = evaluate(st, fn, a.range.start_byte, a.value, a.value_kind, a.range);
                bool weak = a.is_augmented || a.is_member;
                const std::vector<std::string> names = target_names(f, a.target, weak);
                if (a.is_augmented && value.dynamic) {
                    value.built = true;
                }
                for (const std::string& name : names) {
                    Fact fact = value;
                    push_step(fact, f.path, a.range, "flows into '" + name + "'");
                    assign(flow, name, a.range.end_byte, std::move(fact), weak, st, fn);
                }
                break;
            }
            case Event::Kind::loop: {
                const Loop& l = f.loops[static_cast<std::size_t>(e.index)];
                Fact value = evaluate(st, fn, l.header_range.start_byte, l.target, ArgKind::other,
                                      l.header_range);
                for (const std::string& v : l.variables) {
                    Fact fact = value;
                    push_step(fact, f.path, l.header_range, "flows into loop variable '" + v + "'");
                    assign(flow, v, l.header_range.start_byte, std::move(fact), false, st, fn);
                }
                break;
            }
            case Event::Kind::call:
                out_param_event(st, fn, flow, f.calls[static_cast<std::size_t>(e.index)]);
                break;
            }
        }
    }

    void out_param_event(FileState& st, std::int32_t fn, Flow& flow, const CallSite& c) {
        const OutParam* op = out_param_for(c);
        if (op == nullptr) {
            return;
        }
        const FileModel& f = *st.file;
        const auto nargs = static_cast<int>(c.args.size());
        if (op->dst >= nargs) {
            return;
        }
        Fact value;
        if (op->mode == OutMode::source ||
            (op->mode == OutMode::source_if_stdin && op->stream < nargs &&
             is_stdin(arg_value_text(c.args[static_cast<std::size_t>(op->stream)])))) {
            value.dynamic = true;
            value.tainted = true;
            value.origin = std::string(c.name);
            value.path = std::make_shared<TaintPath>(TaintPath{SecondaryLocation{
                f.path, c.range, "untrusted input: read by " + std::string(c.name) + "()"}});
        } else if (op->mode == OutMode::source_if_stdin) {
            value.dynamic = true;  // read from a file or descriptor: not constant, not tainted
        } else {
            for (int i = op->src_from; i < nargs; ++i) {
                if (i == op->dst || (op->all_from && i >= op->dst)) {
                    continue;
                }
                const Argument& a = c.args[static_cast<std::size_t>(i)];
                value.merge(evaluate(st, fn, c.range.start_byte, arg_value_text(a), a.kind, a.range));
            }
            if (op->fmt >= 0 && op->fmt < nargs) {
                const Argument& fmt = c.args[static_cast<std::size_t>(op->fmt)];
                const FormatInfo info = parse_format(fmt.kind == ArgKind::string_literal ? fmt.value : "");
                value.built = value.dynamic &&
                              (fmt.kind != ArgKind::string_literal || info.unbounded_string);
                if (fmt.kind == ArgKind::string_literal) {
                    value.text = fmt.value;
                }
            }
            if (op->mode == OutMode::append && value.dynamic) {
                value.built = true;
            }
        }
        const int last = op->all_from ? nargs - 1 : op->dst;
        for (int i = op->dst; i <= last; ++i) {
            const std::string name =
                written_name(arg_value_text(c.args[static_cast<std::size_t>(i)]), f.language);
            if (name.empty()) {
                continue;
            }
            Fact fact = value;
            push_step(fact, f.path, c.range, "flows into '" + name + "'");
            assign(flow, name, c.range.end_byte, std::move(fact), op->mode == OutMode::append, st,
                   fn);
        }
    }

    void propagate(std::size_t fi, std::int32_t fn) {
        const FileState& st = files[fi];
        const FileModel& f = *st.file;
        for (std::int32_t ci : st.facts->fns[static_cast<std::size_t>(fn + 1)].calls) {
            const CallSite& c = f.calls[static_cast<std::size_t>(ci)];
            const auto targets = sk->resolve(fi, fn, c);
            if (targets.empty() || c.args.empty()) {
                continue;
            }
            for (const auto& [tf, tk] : targets) {
                const Function& callee = files[tf].file->functions[static_cast<std::size_t>(tk)];
                std::size_t offset = 0;
                if (callee.is_method && !callee.params.empty() &&
                    (callee.params[0].name == "self" || callee.params[0].name == "cls")) {
                    offset = 1;
                }
                std::size_t positional = 0;
                for (const Argument& a : c.args) {
                    std::size_t p = callee.params.size();
                    if (a.keyword.empty()) {
                        p = offset + positional++;
                    } else {
                        for (std::size_t q = 0; q < callee.params.size(); ++q) {
                            if (callee.params[q].name == a.keyword) {
                                p = q;
                            }
                        }
                    }
                    if (p >= callee.params.size() || callee.params[p].variadic) {
                        continue;
                    }
                    FunctionRun& target = files[tf].fns[static_cast<std::size_t>(tk + 1)];
                    if (!target.in_scope || target.seeds[p].set) {
                        continue;
                    }
                    Seed& seed = target.seeds[p];
                    Fact fact = evaluate(st, fn, c.range.start_byte, arg_value_text(a), a.kind,
                                         a.range);
                    if (!fact.tainted) {
                        continue;
                    }
                    push_step(fact, f.path, c.range,
                              "passed to '" + callee.name + "' as '" + callee.params[p].name + "'");
                    push_step(fact, files[tf].file->path, callee.params[p].range,
                              "parameter '" + callee.params[p].name + "' of '" + callee.name +
                                  "' receives untrusted input");
                    seed.set = true;
                    seed.fact = std::move(fact);
                    requeue(tf, tk);
                }
            }
        }
    }

    // A function whose seeds changed is analyzed again, and so are the functions nested in it
    // (they read its variables through closures).
    void requeue(std::size_t fi, std::int32_t fn) {
        enqueue(fi, fn);
        for (std::int32_t child : files[fi].facts->fns[static_cast<std::size_t>(fn + 1)].children) {
            requeue(fi, child);
        }
    }
};

TaintEngine::TaintEngine(const ProjectModel& project, std::uint32_t languages, SinkProfile profile)
    : m_impl(std::make_unique<Impl>(project, languages, std::move(profile))) {
    m_impl->scope_everything();
    m_impl->run();
}

TaintEngine::TaintEngine(const ProjectModel& project, std::uint32_t languages, SinkProfile profile,
                         const std::vector<TaintFocus>& focus)
    : m_impl(std::make_unique<Impl>(project, languages, std::move(profile))) {
    for (const TaintFocus& f : focus) {
        auto it = m_impl->sk->index_of.find(f.file);
        if (f.file == nullptr || it == m_impl->sk->index_of.end()) {
            continue;
        }
        m_impl->widen(it->second, Impl::valid_fn(*f.file, f.function) ? f.function : -1);
    }
    m_impl->run();
}

TaintEngine::~TaintEngine() = default;

Fact TaintEngine::evaluate(const FileModel& file, std::int32_t function, std::uint32_t position,
                           std::string_view text, ArgKind kind, const Range& range) const {
    auto it = m_impl->sk->index_of.find(&file);
    if (it == m_impl->sk->index_of.end()) {
        // not analyzed (language filtered out): constness only
        const Impl::Detached detached(file);
        return m_impl->evaluate(detached.st, -1, position, text, kind, range);
    }
    if (!Impl::valid_fn(file, function)) {
        function = -1;
    }
    const std::lock_guard<std::mutex> lock(m_impl->mutex);
    if (m_impl->widen(it->second, function)) {
        m_impl->run();  // outside the focus given at construction: correct, but a second run
    }
    const FileState& st = m_impl->files[it->second];
    return m_impl->evaluate(st, function, position, text, kind, range);
}

Fact TaintEngine::evaluate_arg(const FileModel& file, const CallSite& call,
                               const Argument& arg) const {
    return evaluate(file, call.function, call.range.start_byte, arg_value_text(arg), arg.kind,
                    arg.range);
}

bool TaintEngine::is_entry_point(const FileModel& file, std::int32_t function) const {
    auto it = m_impl->sk->index_of.find(&file);
    if (it == m_impl->sk->index_of.end() || !Impl::valid_fn(file, function) || function < 0) {
        return false;
    }
    return m_impl->sk->files[it->second].fns[static_cast<std::size_t>(function + 1)].entry;
}

std::vector<SecondaryLocation> taint_secondaries(const Fact& fact) {
    if (!fact.tainted || !fact.path) {
        return {};
    }
    constexpr std::size_t k_keep = 10;
    const TaintPath& p = *fact.path;
    if (p.size() <= k_keep) {
        return p;
    }
    std::vector<SecondaryLocation> out(p.begin(), p.begin() + k_keep / 2);
    out.insert(out.end(), p.end() - static_cast<std::ptrdiff_t>(k_keep / 2), p.end());
    return out;
}

std::string taint_phrase(const Fact& fact) {
    if (!fact.tainted) {
        return {};
    }
    return " from untrusted input (" + fact.origin + ")";
}

}  // namespace cq::security
