// security/unsafe-deserialization: deserializers that can construct arbitrary objects (and so
// run code) applied to data that is not a constant.
#include <array>
#include <string>
#include <vector>

#include "rules/registry.hpp"
#include "rules/rule.hpp"
#include "rules/support/security_sink.hpp"
#include "rules/support/taint.hpp"

namespace cq {
namespace {

using namespace security;

const RuleMeta& unsafe_deserialization_meta() {
    static const RuleMeta meta{
        .id = "security/unsafe-deserialization",
        .title = "Untrusted data should not be deserialized with object-constructing loaders",
        .languages = lang_mask::python | lang_mask::js_ts,
        .severity = Severity::major,
        .clean_code_attribute = "COMPLETE",
        .impacts = {{Quality::security, ImpactSeverity::high}},
        .cwe = {502},
        .owasp = {"A08:2021"},
        .options = {},
        .effort_minutes = 30,
        .doc = R"md(## What it finds
Loaders that rebuild arbitrary objects, applied to data that is not a constant:
- Python: `pickle.load` / `loads` (and `cPickle`, `_pickle`, `dill`), `marshal.load` / `loads`,
  `shelve.open`, `jsonpickle.decode`, `pandas.read_pickle`, `yaml.unsafe_load`, and `yaml.load` /
  `load_all` without a safe loader (`Loader=yaml.SafeLoader`, `CSafeLoader` or `BaseLoader`);
- JavaScript / TypeScript: `node-serialize`'s `unserialize`.

`yaml.safe_load`, `yaml.load(data, Loader=yaml.SafeLoader)`, `json.loads` and `JSON.parse` are
safe and never reported. When the data comes from untrusted input (a request body, a queue
message, an environment variable) the finding is one severity higher and shows the path.

## Why it matters
These formats describe which classes to instantiate and which functions to call while loading:
`pickle` calls `__reduce__`, YAML's full loader builds any Python object, `node-serialize`
evaluates functions in the payload. Loading attacker-controlled bytes runs the attacker's code
(CWE-502, OWASP A08:2021 Software and Data Integrity Failures).

## Example
```python
def handler(event, context):
    job = pickle.loads(base64.b64decode(event["body"]))
```

## Instead
Exchange plain data (JSON, `yaml.safe_load`, protobuf) and validate it; if pickled data must
cross a trust boundary, sign it and verify the signature (`hmac.compare_digest`) before loading.

## Options
None.
)md",
        .aliases = {},
    };
    return meta;
}

bool safe_yaml_loader(std::string_view text) {
    return text.find("SafeLoader") != std::string_view::npos ||
           text.find("CSafeLoader") != std::string_view::npos ||
           text.find("BaseLoader") != std::string_view::npos;
}

// The data argument when `call` deserializes unsafely, else nullptr.
const Argument* payload_argument(const FileModel& file, const CallSite& call,
                                 std::string& what) {
    const std::string callee = canonical_callee(call);
    what = callee;
    if (file.language == Language::python) {
        static const std::array<std::string_view, 16> always{
            "pickle.load", "pickle.loads", "cPickle.load", "cPickle.loads", "_pickle.load",
            "_pickle.loads", "dill.load", "dill.loads", "marshal.load", "marshal.loads",
            "shelve.open", "jsonpickle.decode", "pandas.read_pickle", "yaml.unsafe_load",
            "yaml.unsafe_load_all", "pickle.Unpickler"};
        for (std::string_view c : always) {
            if (callee == c) {
                return positional_arg(call, 0);
            }
        }
        if (callee == "yaml.load" || callee == "yaml.load_all") {
            const Argument* loader = keyword_arg(call, "Loader");
            if (loader == nullptr) {
                loader = positional_arg(call, 1);
            }
            if (loader != nullptr && safe_yaml_loader(loader->text)) {
                return nullptr;
            }
            const Argument* a = positional_arg(call, 0);
            return a != nullptr ? a : keyword_arg(call, "stream");
        }
        return nullptr;
    }
    if (callee == "node-serialize.unserialize" ||
        (call.name == "unserialize" && call.callee.find("node-serialize") != std::string::npos)) {
        return positional_arg(call, 0);
    }
    return nullptr;
}

class UnsafeDeserializationRule final : public ProjectRule {
public:
    const RuleMeta& meta() const override { return unsafe_deserialization_meta(); }

    void check(const ProjectModel& project, const RuleContext& ctx,
               std::vector<Finding>& out) const override {
        struct Candidate {
            const FileModel* file;
            const CallSite* call;
            const Argument* arg;
            std::string what;
        };
        std::vector<Candidate> candidates;
        for (const FileModel* file : files_in(project, meta().languages)) {
            for (const CallSite& call : file->calls) {
                std::string what;
                const Argument* arg = payload_argument(*file, call, what);
                if (arg == nullptr || is_literal_kind(arg->kind)) {
                    continue;
                }
                candidates.push_back({file, &call, arg, what});
            }
        }
        if (candidates.empty()) {
            return;
        }
        // Only the functions with a sink, and what their facts depend on.
        std::vector<TaintFocus> focus;
        focus.reserve(candidates.size());
        for (const Candidate& c : candidates) {
            focus.push_back({c.file, c.call->function});
        }
        const TaintEngine engine(project, meta().languages, SinkProfile{}, focus);
        for (const Candidate& c : candidates) {
            const Fact fact = engine.evaluate_arg(*c.file, *c.call, *c.arg);
            if (!fact.dynamic) {
                continue;
            }
            out.push_back(sink_finding(
                *this, ctx, *c.file, c.call->range,
                "'" + c.call->callee + "' deserializes " + describe_value(fact) +
                    " and can run code while loading it; use a data-only format (JSON, "
                    "yaml.safe_load) or verify a signature first.",
                fact));
        }
    }
};

}  // namespace
}  // namespace cq

CQ_REGISTER_RULE(cq::UnsafeDeserializationRule);
