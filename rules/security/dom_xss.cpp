// security/dom-xss: HTML written into the page from a value that is not a constant.
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

const RuleMeta& dom_xss_meta() {
    static const RuleMeta meta{
        .id = "security/dom-xss",
        .title = "HTML should not be written into the DOM from non-constant values",
        .languages = lang_mask::js_ts,
        .severity = Severity::major,
        .clean_code_attribute = "COMPLETE",
        .impacts = {{Quality::security, ImpactSeverity::high}},
        .cwe = {79},
        .owasp = {"A03:2021"},
        .options = {},
        .effort_minutes = 20,
        .doc = R"md(## What it finds
HTML sinks fed with a value that is not a constant: assignments to `innerHTML` / `outerHTML`
(including `+=`), `document.write` / `writeln`, `insertAdjacentHTML`, and React's
`dangerouslySetInnerHTML={{ __html: ... }}`.

Constant markup (`el.innerHTML = ""`) and values passed through a sanitizer (`DOMPurify.sanitize`,
`sanitizeHtml`, `escapeHtml`, `he.encode`, `filterXSS`, a numeric conversion) are not
reported. Values from the URL (`location.hash`, `location.search`, `document.URL`,
`document.referrer`), `window.name`, cookies or a request are untrusted: such a finding is one
severity higher and shows the path.

## Why it matters
Markup written this way is parsed and its scripts and event handlers run with the page's
privileges: a crafted link or stored value steals sessions or acts as the user (CWE-79, OWASP
A03:2021 Injection).

## Example
```js
const q = new URLSearchParams(location.search).get("q");
document.getElementById("title").innerHTML = "Results for " + q;
```

## Instead
Write text, not HTML: `el.textContent = "Results for " + q`, or build nodes with
`document.createElement`. When HTML is really needed, sanitize it with DOMPurify first. In
React, render the value as a child (`<h1>{q}</h1>`), which React escapes.

## Options
None.
)md",
        .aliases = {},
    };
    return meta;
}

bool xss_sanitizer(std::string_view path, std::string_view) {
    const std::string_view last = last_part(path);
    static const std::array<std::string_view, 11> k{
        "sanitize", "sanitizeHtml", "sanitizeHTML", "escapeHtml", "escapeHTML", "escape",
        "encode", "encodeHTML", "filterXSS", "xss", "createTextNode"};
    for (std::string_view s : k) {
        if (last == s) {
            return true;
        }
    }
    return false;
}

bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string_view token_text(const FileModel& f, const Token& t) {
    if (t.end_byte > f.source.size() || t.start_byte > t.end_byte) {
        return {};
    }
    return std::string_view(f.source).substr(t.start_byte, t.end_byte - t.start_byte);
}

struct Sink {
    const FileModel* file;
    Range range;
    std::int32_t function;
    std::uint32_t position;
    std::string text;
    ArgKind kind;
    Range value_range;
    std::string what;
};

// `dangerouslySetInnerHTML={{ __html: <expr> }}`: the expression's text, read from the tokens.
void jsx_sinks(const FileModel& file, std::vector<Sink>& out) {
    const auto& toks = file.tokens;
    for (std::size_t i = 0; i < toks.size(); ++i) {
        if (token_text(file, toks[i]) != "dangerouslySetInnerHTML") {
            continue;
        }
        std::size_t j = i + 1;
        const std::size_t limit = std::min(toks.size(), i + 8);
        while (j < limit && token_text(file, toks[j]) != "__html") {
            ++j;
        }
        if (j + 2 >= toks.size() || j >= limit || token_text(file, toks[j + 1]) != ":") {
            continue;
        }
        const std::size_t first = j + 2;
        std::size_t last = first;
        int depth = 0;
        for (; last < toks.size(); ++last) {
            const std::string_view t = token_text(file, toks[last]);
            if (t == "(" || t == "[" || t == "{") {
                ++depth;
            } else if (t == ")" || t == "]" || t == "}") {
                if (depth == 0) {
                    break;
                }
                --depth;
            } else if (t == "," && depth == 0) {
                break;
            }
        }
        if (last == first) {
            continue;
        }
        Sink s;
        s.file = &file;
        s.range = range_of_bytes(file, toks[i].start_byte, toks[i].end_byte);
        s.position = toks[first].start_byte;
        s.function = file.function_at(s.position);
        s.text = std::string(file.source.substr(toks[first].start_byte,
                                                toks[last - 1].end_byte - toks[first].start_byte));
        std::string decoded;
        s.kind = (last - first == 1 && toks[first].kind == TokenKind::literal &&
                  decode_string_literal(s.text, decoded))
                     ? ArgKind::string_literal
                     : ArgKind::other;
        s.value_range = range_of_bytes(file, toks[first].start_byte, toks[last - 1].end_byte);
        s.what = "dangerouslySetInnerHTML";
        out.push_back(std::move(s));
    }
}

class DomXssRule final : public ProjectRule {
public:
    const RuleMeta& meta() const override { return dom_xss_meta(); }

    void check(const ProjectModel& project, const RuleContext& ctx,
               std::vector<Finding>& out) const override {
        std::vector<Sink> sinks;
        for (const FileModel* file : files_in(project, meta().languages)) {
            for (const Assignment& a : file->assignments) {
                if (is_literal_kind(a.value_kind)) {
                    continue;
                }
                std::string target;
                for (char ch : a.target) {
                    if (ch != ' ') {
                        target.push_back(ch);
                    }
                }
                if (!ends_with(target, ".innerHTML") && !ends_with(target, ".outerHTML")) {
                    continue;
                }
                sinks.push_back({file, a.range, a.function, a.range.start_byte, a.value,
                                 a.value_kind, a.range,
                                 std::string(last_part(target))});
            }
            for (const CallSite& call : file->calls) {
                const bool doc_write = (call.name == "write" || call.name == "writeln") &&
                                       (call.receiver == "document" ||
                                        call.receiver == "window.document");
                const bool adjacent = call.name == "insertAdjacentHTML" && call.args.size() >= 2;
                if (!doc_write && !adjacent) {
                    continue;
                }
                const std::size_t first = adjacent ? 1 : 0;
                for (std::size_t i = first; i < call.args.size(); ++i) {
                    const Argument& a = call.args[i];
                    if (is_literal_kind(a.kind)) {
                        continue;
                    }
                    sinks.push_back({file, call.range, call.function, call.range.start_byte,
                                     std::string(arg_value_text(a)), a.kind, a.range,
                                     call.callee});
                }
            }
            jsx_sinks(*file, sinks);
        }
        if (sinks.empty()) {
            return;
        }
        SinkProfile profile;
        profile.sanitizer = xss_sanitizer;
        // Only the functions with a sink, and what their facts depend on.
        std::vector<TaintFocus> focus;
        focus.reserve(sinks.size());
        for (const Sink& s : sinks) {
            focus.push_back({s.file, s.function});
        }
        const TaintEngine engine(project, meta().languages, std::move(profile), focus);
        const Range* last_range = nullptr;
        for (const Sink& s : sinks) {
            const Fact fact =
                engine.evaluate(*s.file, s.function, s.position, s.text, s.kind, s.value_range);
            if (!fact.dynamic) {
                continue;
            }
            if (last_range != nullptr && last_range->start_byte == s.range.start_byte &&
                out.back().path == s.file->path) {
                continue;  // one finding per call, even with several dynamic arguments
            }
            out.push_back(sink_finding(*this, ctx, *s.file, s.range,
                                       "HTML written through '" + s.what + "' comes from " +
                                           describe_value(fact) +
                                           "; set textContent instead, or sanitize it with "
                                           "DOMPurify.",
                                       fact));
            last_range = &s.range;
        }
    }
};

}  // namespace
}  // namespace cq

CQ_REGISTER_RULE(cq::DomXssRule);
