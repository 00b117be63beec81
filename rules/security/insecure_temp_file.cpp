// security/insecure-temp-file: temporary-file name generators that leave a race between
// choosing the name and creating the file.
#include <array>
#include <string>
#include <vector>

#include "rules/registry.hpp"
#include "rules/rule.hpp"
#include "rules/support/security_common.hpp"

namespace cq {
namespace {

using namespace security;

const RuleMeta& insecure_temp_file_meta() {
    static const RuleMeta meta{
        .id = "security/insecure-temp-file",
        .title = "Temporary files should be created atomically",
        .languages = lang_mask::python | lang_mask::c_cpp,
        .severity = Severity::major,
        .clean_code_attribute = "TRUSTWORTHY",
        .impacts = {{Quality::security, ImpactSeverity::medium}},
        .cwe = {377},
        .owasp = {"A01:2021"},
        .options = {},
        .effort_minutes = 10,
        .doc = R"md(## What it finds
Functions that return a temporary file *name* without creating the file: Python's
`tempfile.mktemp`, `os.tempnam`, `os.tmpnam`; C's `mktemp`, `tmpnam`, `tmpnam_r`, `tempnam`
(and `_mktemp`, `_tempnam`). `tempfile.mkstemp`, `NamedTemporaryFile`, `TemporaryDirectory`,
`mkstemp` and `tmpfile` are safe and not reported.

## Why it matters
Between the moment the name is chosen and the moment the program opens it, another local user
can create that path, often as a symbolic link to a file the program may write, and make it
overwrite or disclose data (CWE-377, OWASP A01:2021 Broken Access Control).

## Example
```python
path = tempfile.mktemp(suffix=".csv")
with open(path, "w") as out:
    out.write(report)
```

## Instead
Let the library create the file and hand you an open descriptor:
```python
with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as out:
    out.write(report)
```
In C use `mkstemp` (or `tmpfile`), and `mkdtemp` for directories.

## Options
None.
)md",
        .aliases = {},
    };
    return meta;
}

class InsecureTempFileRule final : public FileRule {
public:
    const RuleMeta& meta() const override { return insecure_temp_file_meta(); }

    void check(const FileModel& file, const RuleContext& ctx,
               std::vector<Finding>& out) const override {
        for (const CallSite& call : file.calls) {
            if (!is_unsafe(file, call)) {
                continue;
            }
            out.push_back(make_finding(*this, ctx, file, call.range,
                                       "'" + call.callee +
                                           "' only picks a name; another process can create the "
                                           "file first. Use mkstemp() / NamedTemporaryFile instead."));
        }
    }

private:
    static bool is_unsafe(const FileModel& file, const CallSite& call) {
        if (file.language == Language::python) {
            const std::string callee = canonical_callee(call);
            return callee == "tempfile.mktemp" || callee == "os.tempnam" || callee == "os.tmpnam";
        }
        if (!call.receiver.empty() && call.receiver != "std") {
            return false;
        }
        static const std::array<std::string_view, 6> k{"mktemp", "tmpnam", "tmpnam_r", "tempnam",
                                                       "_mktemp", "_tempnam"};
        for (std::string_view n : k) {
            if (call.name == n) {
                return true;
            }
        }
        return false;
    }
};

}  // namespace
}  // namespace cq

CQ_REGISTER_RULE(cq::InsecureTempFileRule);
