// security/tls-verification-disabled: TLS connections that accept any certificate.
#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include "rules/registry.hpp"
#include "rules/rule.hpp"
#include "rules/support/security_common.hpp"

namespace cq {
namespace {

using namespace security;

const RuleMeta& tls_meta() {
    static const RuleMeta meta{
        .id = "security/tls-verification-disabled",
        .title = "TLS certificate and host-name verification should not be disabled",
        .languages = lang_mask::all,
        .severity = Severity::critical,
        .clean_code_attribute = "TRUSTWORTHY",
        .impacts = {{Quality::security, ImpactSeverity::high}},
        .cwe = {295},
        .owasp = {"A07:2021"},
        .options = {},
        .effort_minutes = 10,
        .doc = R"md(## What it finds
Code that turns certificate or host-name verification off:
- Python: `verify=False` on `requests` / `httpx` calls and clients, `session.verify = False`,
  `ssl._create_unverified_context()`, `cert_reqs=ssl.CERT_NONE` (or `'CERT_NONE'`),
  `ctx.verify_mode = ssl.CERT_NONE`, `ctx.check_hostname = False`, aiohttp's `ssl=False` /
  `verify_ssl=False`;
- JavaScript / TypeScript: `rejectUnauthorized: false`, `strictSSL: false`, and setting
  `NODE_TLS_REJECT_UNAUTHORIZED` to `"0"`;
- C / C++: `curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER | CURLOPT_SSL_VERIFYHOST, 0)` (and the
  proxy variants), `SSL_CTX_set_verify` / `SSL_set_verify` with `SSL_VERIFY_NONE`.

`verify=True`, `verify="/path/to/ca.pem"`, `rejectUnauthorized: true` and a verify level of 1 or
2 are not reported.

## Why it matters
Without verification anyone on the network path (a café Wi-Fi, a compromised router, a
malicious proxy) can present their own certificate, read the traffic and change it, including
credentials and tokens (CWE-295, OWASP A07:2021 Identification and Authentication Failures).

## Example
```python
resp = requests.get(url, verify=False)
```

## Instead
Keep verification on and, for a private CA, point the client at it:
`requests.get(url, verify="/etc/ssl/internal-ca.pem")`, Node's `ca:` option,
`CURLOPT_CAINFO`. For local development, trust the development CA instead of disabling checks.

## Options
None.
)md",
        .aliases = {},
    };
    return meta;
}

std::string squeeze(std::string_view s) {
    std::string out;
    for (char c : s) {
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
            out.push_back(c);
        }
    }
    return out;
}

bool is_false_text(std::string_view t) {
    return t == "False" || t == "false" || t == "0" || t == "0L" || t == "FALSE";
}

std::string_view unquote(std::string_view t) {
    if (t.size() >= 2 && (t.front() == '\'' || t.front() == '"' || t.front() == '`') &&
        t.back() == t.front()) {
        return t.substr(1, t.size() - 2);
    }
    return t;
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

class TlsVerificationDisabledRule final : public FileRule {
public:
    const RuleMeta& meta() const override { return tls_meta(); }

    void check(const FileModel& file, const RuleContext& ctx,
               std::vector<Finding>& out) const override {
        if (file.language == Language::python) {
            python(file, ctx, out);
        } else if (is_js_family(file.language)) {
            javascript(file, ctx, out);
        } else {
            c_family(file, ctx, out);
        }
    }

private:
    void report(const FileModel& file, const RuleContext& ctx, const Range& range,
                const std::string& what, std::vector<Finding>& out) const {
        out.push_back(make_finding(*this, ctx, file, range,
                                   what + " disables TLS certificate verification; anyone on the "
                                          "network path can impersonate the server. Trust the "
                                          "right CA instead."));
    }

    void python(const FileModel& file, const RuleContext& ctx, std::vector<Finding>& out) const {
        static const std::array<std::string_view, 16> http_calls{
            "get", "post", "put", "patch", "delete", "head", "options", "request", "send",
            "Client", "AsyncClient", "Session", "stream", "urlopen", "TCPConnector", "ws_connect"};
        for (const CallSite& call : file.calls) {
            const std::string callee = canonical_callee(call);
            if (callee == "ssl._create_unverified_context") {
                report(file, ctx, call.range, "'ssl._create_unverified_context()'", out);
                continue;
            }
            const bool http = callee.rfind("requests.", 0) == 0 || callee.rfind("httpx.", 0) == 0 ||
                              callee.rfind("aiohttp.", 0) == 0 ||
                              std::find(http_calls.begin(), http_calls.end(), call.name) !=
                                  http_calls.end();
            for (const Argument& a : call.args) {
                const std::string_view v = arg_value_text(a);
                const bool off_flag = (a.keyword == "verify" || a.keyword == "verify_ssl" ||
                                       a.keyword == "ssl") &&
                                      is_false_text(v) && http;
                const bool cert_none = a.keyword == "cert_reqs" &&
                                       v.find("CERT_NONE") != std::string_view::npos;
                if (off_flag || cert_none) {
                    report(file, ctx, call.range, "'" + a.keyword + "=" + std::string(v) + "'", out);
                    break;
                }
            }
        }
        for (const Assignment& a : file.assignments) {
            const std::string target = squeeze(a.target);
            const std::string value = squeeze(a.value);
            if ((ends_with(target, ".verify") || ends_with(target, ".check_hostname")) &&
                value == "False") {
                report(file, ctx, a.range, "'" + target + " = False'", out);
            } else if (ends_with(target, ".verify_mode") &&
                       value.find("CERT_NONE") != std::string::npos) {
                report(file, ctx, a.range, "'" + target + " = CERT_NONE'", out);
            } else if (value.find("_create_unverified_context") != std::string::npos &&
                       ends_with(target, "_create_default_https_context")) {
                report(file, ctx, a.range, "Replacing the default HTTPS context", out);
            }
        }
    }

    // Property / environment settings, read from the token stream so that object literals,
    // assignments and `env` maps are all covered: `rejectUnauthorized: false`,
    // `process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0"`, `{ NODE_TLS_REJECT_UNAUTHORIZED: '0' }`.
    void javascript(const FileModel& file, const RuleContext& ctx,
                    std::vector<Finding>& out) const {
        const auto& toks = file.tokens;
        for (std::size_t i = 0; i < toks.size(); ++i) {
            const std::string_view name = unquote(token_text(file, toks[i]));
            const bool reject = name == "rejectUnauthorized" || name == "strictSSL";
            const bool env = name == "NODE_TLS_REJECT_UNAUTHORIZED";
            if (!reject && !env) {
                continue;
            }
            std::size_t j = i + 1;
            while (j < toks.size() && token_text(file, toks[j]) == "]") {
                ++j;
            }
            if (j + 1 >= toks.size()) {
                continue;
            }
            const std::string_view op = token_text(file, toks[j]);
            if (op != ":" && op != "=") {
                continue;
            }
            const std::string_view value = unquote(token_text(file, toks[j + 1]));
            if ((reject && value == "false") || (env && value == "0")) {
                const Range r = range_of_bytes(file, toks[i].start_byte, toks[j + 1].end_byte);
                report(file, ctx, r, "'" + std::string(name) + ": " + std::string(value) + "'", out);
            }
        }
    }

    void c_family(const FileModel& file, const RuleContext& ctx, std::vector<Finding>& out) const {
        for (const CallSite& call : file.calls) {
            if (call.name == "curl_easy_setopt" && call.args.size() >= 3) {
                const std::string opt = squeeze(call.args[1].text);
                const bool verify_opt = opt == "CURLOPT_SSL_VERIFYPEER" ||
                                        opt == "CURLOPT_SSL_VERIFYHOST" ||
                                        opt == "CURLOPT_PROXY_SSL_VERIFYPEER" ||
                                        opt == "CURLOPT_PROXY_SSL_VERIFYHOST";
                std::string value = squeeze(call.args[2].text);
                while (value.size() > 2 && value.front() == '(') {
                    const auto close = value.find(')');
                    value = close == std::string::npos ? value : value.substr(close + 1);
                }
                if (verify_opt && is_false_text(value)) {
                    report(file, ctx, call.range, "'" + opt + " = " + value + "'", out);
                }
                continue;
            }
            if ((call.name == "SSL_CTX_set_verify" || call.name == "SSL_set_verify") &&
                call.args.size() >= 2 && squeeze(call.args[1].text) == "SSL_VERIFY_NONE") {
                report(file, ctx, call.range, "'SSL_VERIFY_NONE'", out);
            }
        }
    }
};

}  // namespace
}  // namespace cq

CQ_REGISTER_RULE(cq::TlsVerificationDisabledRule);
