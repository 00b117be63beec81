// Taint and constness facts for the security rules: which values an expression reads, whether
// they are all constants, and whether any of them comes from untrusted input (and along which
// path). One TaintEngine is built per rule run, over the whole project or, given the functions
// of the rule's sinks (TaintFocus), over those and what their facts depend on; the part that no
// sanitizer changes (events, closures, call resolution, entry points) is built once per scan
// and shared by the engines of all rules.
//
// The analysis (documented for users in each security rule's doc, and in ARCHITECTURE terms here):
//   - Intra-procedural, flow-sensitive in source order, path-insensitive. For each function (and
//     for module-level code) the engine walks its events in byte order: parameters at entry, then
//     assignments (FileModel::assignments), loop headers (`for x in xs` binds x from xs), and C
//     calls that write an out-parameter (`strcpy(dst, src)`, `sprintf(dst, fmt, ...)`,
//     `fgets(buf, n, stdin)`). A plain assignment replaces the variable's fact (strong update);
//     augmented assignments, member and subscript targets, and strcat-style appends merge
//     (weak update). Branches are not modelled: the last assignment before a use in source order
//     wins.
//   - A fact is {dynamic, tainted, built, literal text, taint path}. `dynamic` means "not a
//     compile-time constant"; `built` means a string assembled from a dynamic part by
//     concatenation, interpolation or formatting (what the SQL rule needs).
//   - Names that a function does not assign resolve to: a parameter (dynamic, or tainted when
//     seeded), the enclosing function's variable (closures), a module-level variable (its last
//     module-level value), an ALL_CAPS name (a constant or macro), or else an unknown (dynamic).
//   - Calls: a known source (`os.getenv(...)`, `getenv`, `input()`) is tainted; a sanitizer for
//     the rule (`shlex.quote`, `int`, `DOMPurify.sanitize`, `sqlite3_mprintf` with %q only ...)
//     makes its arguments safe; any other call is dynamic and carries the taint of its arguments
//     and of its receiver.
//   - Inter-procedural, over the whole project, with a worklist: when a call passes a tainted
//     argument to a function of the project (resolved by name: same file first, then imported
//     names, then a project-unique name; `self.`/`this.` methods in the same class), the callee's
//     parameter becomes tainted with the caller's path plus the call site, and the callee is
//     analyzed again. Each (function, parameter) is seeded once, so the worklist ends after at
//     most functions x (1 + parameters) analyses. Return values are not summarized: a callee's
//     result is dynamic and carries the taint of its arguments.
//   - Sources: HTTP request data (Flask `request.args/form/values/json/data/files/headers/
//     cookies`, Django `request.GET/POST/body/META/COOKIES/FILES`, Starlette/FastAPI
//     `request.query_params/path_params`, Express/Koa `req.query/params/body/headers/cookies`),
//     parameters of route handlers (Flask/FastAPI decorated functions, Express callbacks'
//     request object), a Lambda handler's `event`, `sys.argv`, `process.argv`, C `main`'s
//     `argv`, environment variables (`os.environ`, `os.getenv`, `process.env`, `getenv`), queue
//     message bodies (`msg.data`, `message['Body']`, `record.body`, `msg.content`), stdin and
//     sockets in C (`fgets(.., stdin)`, `gets`, `scanf`, `recv`, `read(0, ..)`), and the browser
//     (`location.hash/search/href`, `document.URL/referrer/cookie`, `window.name`).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "analyzer/model/file_model.hpp"
#include "rules/finding.hpp"
#include "rules/rule.hpp"
#include "rules/support/security_common.hpp"

namespace cq::security {

using TaintPath = std::vector<SecondaryLocation>;

// What the engine knows about one value.
struct Fact {
    bool dynamic = false;  // not a constant
    bool tainted = false;  // from untrusted input
    bool built = false;    // a string assembled from a dynamic part
    std::string text;      // literal text that went into it (capped), for SQL-likeness
    std::string origin;    // the untrusted source, as written ("request.args", "sys.argv")
    std::shared_ptr<const TaintPath> path;  // source to here, when tainted

    void merge(const Fact& other);
};

// What a rule treats as making a value safe for its sink.
struct SinkProfile {
    // Called with the path of a call that encloses a reference ("shlex.quote", ".escape") and
    // the text of that call's arguments; returns true when the call makes its arguments safe.
    std::function<bool(std::string_view call_path, std::string_view call_args)> sanitizer;
};

// A function whose values a rule will evaluate: `function` indexes file->functions, -1 (or any
// out-of-range index) is the module level.
struct TaintFocus {
    const FileModel* file = nullptr;
    std::int32_t function = -1;
};

class TaintEngine {
public:
    // Analyzes every function of every file of `project`. `languages` is a lang_mask: files in
    // other languages are skipped. Never throws on odd models (out-of-range indices are ignored).
    TaintEngine(const ProjectModel& project, std::uint32_t languages, SinkProfile profile);
    // The same facts for the functions in `focus`, at a fraction of the cost: analyzes only them
    // and what their facts depend on (the functions they are nested in, their module level, and
    // the callers that can pass them taint, transitively). evaluate() in a function outside the
    // focus still answers the same, by widening the analysis and running it again.
    TaintEngine(const ProjectModel& project, std::uint32_t languages, SinkProfile profile,
                const std::vector<TaintFocus>& focus);
    ~TaintEngine();
    TaintEngine(const TaintEngine&) = delete;
    TaintEngine& operator=(const TaintEngine&) = delete;

    // The fact for an expression that appears in `file` at byte `position` within `function`
    // (-1 for module level): `text` is its source text, `kind` what the model says it is, and
    // `range` where it is (for the taint path when the expression itself is a source).
    Fact evaluate(const FileModel& file, std::int32_t function, std::uint32_t position,
                  std::string_view text, ArgKind kind, const Range& range) const;
    // Convenience for a call argument.
    Fact evaluate_arg(const FileModel& file, const CallSite& call, const Argument& arg) const;

    // Whether the engine considers `function` of `file` a handler of untrusted input (a route,
    // a Lambda handler, C main).
    bool is_entry_point(const FileModel& file, std::int32_t function) const;

    struct Impl;

private:
    std::unique_ptr<Impl> m_impl;
};

// The secondary locations of a finding on a tainted flow: the path, capped to a readable length
// (first and last steps kept), ending at the sink.
std::vector<SecondaryLocation> taint_secondaries(const Fact& fact);

// " from untrusted input (request.args)" when tainted, else "".
std::string taint_phrase(const Fact& fact);

}  // namespace cq::security
