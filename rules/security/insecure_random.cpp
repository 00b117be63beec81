// security/insecure-random: predictable generators used to make secrets.
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

const RuleMeta& insecure_random_meta() {
    static const RuleMeta meta{
        .id = "security/insecure-random",
        .title = "Secrets should come from a cryptographically secure generator",
        .languages = lang_mask::all,
        .severity = Severity::major,
        .clean_code_attribute = "TRUSTWORTHY",
        .impacts = {{Quality::security, ImpactSeverity::medium}},
        .cwe = {330, 338},
        .owasp = {"A02:2021"},
        .options = {},
        .effort_minutes = 10,
        .doc = R"md(## What it finds
Values from a predictable generator (Python's `random` module functions, JavaScript's
`Math.random`, C's `rand` / `random` / `drand48` family) that become a token, password, key,
salt, nonce, one-time code or session id: the generator's result is assigned to a variable with
such a name, or is produced inside a function with such a name (`make_token`,
`generatePassword`, `new_session_id`).

Other uses of these generators (jitter, sampling, shuffling a playlist, test data) are not
reported; `random.SystemRandom`, `secrets`, `crypto.randomBytes` / `crypto.getRandomValues` and
`getrandom` are secure and never reported.

## Why it matters
These generators are designed for statistics, not secrecy: their output is predictable from a
few observed values or from the seed (often the time), so an attacker can guess the next reset
token or session id (CWE-330, CWE-338, OWASP A02:2021 Cryptographic Failures).

## Example
```python
def reset_token():
    return "".join(random.choice(ALPHABET) for _ in range(32))
```

## Instead
Python: `secrets.token_urlsafe(32)` or `secrets.choice`; JavaScript: `crypto.randomBytes(32)`,
`crypto.randomUUID()` or `crypto.getRandomValues`; C: `getrandom(2)`, `arc4random_buf` or
reading `/dev/urandom`.

## Options
None.
)md",
        .aliases = {},
    };
    return meta;
}

bool is_weak_generator(const FileModel& file, const CallSite& call) {
    const std::string callee = canonical_callee(call);
    if (file.language == Language::python) {
        if (callee.find("SystemRandom") != std::string::npos || callee.rfind("random.", 0) != 0) {
            return false;
        }
        static const std::array<std::string_view, 10> k{
            "random", "randint", "randrange", "choice", "choices", "sample", "getrandbits",
            "uniform", "randbytes", "shuffle"};
        const std::string_view last = std::string_view(callee).substr(7);
        return std::find(k.begin(), k.end(), last) != k.end();
    }
    if (is_js_family(file.language)) {
        return call.name == "random" && call.receiver == "Math";
    }
    if (!call.receiver.empty() && call.receiver != "std") {
        return false;
    }
    static const std::array<std::string_view, 8> c{"rand", "random", "rand_r", "drand48",
                                                   "lrand48", "mrand48", "erand48", "nrand48"};
    return std::find(c.begin(), c.end(), call.name) != c.end();
}

bool secret_name(std::string_view name) {
    if (name_has_word(name, {"token", "password", "passwd", "pwd", "passphrase", "secret",
                             "salt", "nonce", "otp", "csrf", "xsrf", "sessionid",
                             "apikey", "credential", "credentials", "captcha"})) {
        return true;
    }
    const std::vector<std::string> words = name_words(name);
    const auto has = [&](std::string_view w) {
        return std::find(words.begin(), words.end(), w) != words.end();
    };
    if (has("session") && (has("id") || has("key") || has("cookie"))) {
        return true;
    }
    const bool key = std::find(words.begin(), words.end(), "key") != words.end();
    if (!key) {
        return false;
    }
    for (const std::string& w : words) {
        if (w == "api" || w == "secret" || w == "private" || w == "access" || w == "session" ||
            w == "encryption" || w == "signing" || w == "crypto" || w == "aes" || w == "hmac" ||
            w == "auth") {
            return true;
        }
    }
    return false;
}

class InsecureRandomRule final : public FileRule {
public:
    const RuleMeta& meta() const override { return insecure_random_meta(); }

    void check(const FileModel& file, const RuleContext& ctx,
               std::vector<Finding>& out) const override {
        for (const CallSite& call : file.calls) {
            if (!is_weak_generator(file, call)) {
                continue;
            }
            const std::string purpose = secret_purpose(file, call);
            if (purpose.empty()) {
                continue;
            }
            out.push_back(make_finding(*this, ctx, file, call.range,
                                       "'" + call.callee + "' is predictable but makes '" +
                                           purpose +
                                           "'; use a cryptographically secure generator "
                                           "(secrets, crypto.randomBytes, getrandom)."));
        }
    }

private:
    // The secret-sounding name the generated value goes to, or empty.
    static std::string secret_purpose(const FileModel& file, const CallSite& call) {
        for (const Assignment& a : file.assignments) {
            if (a.function != call.function || !a.range.contains(call.range)) {
                continue;
            }
            // the assigned name itself: "self.reset_token", "const sessionId"
            const ExprScan scan = scan_expression(a.target, file.language);
            for (const ExprRef& r : scan.refs) {
                if (secret_name(last_segment(r.path))) {
                    return std::string(last_segment(r.path));
                }
            }
        }
        for (const CallSite& outer : file.calls) {
            if (&outer == &call || !outer.range.contains(call.range)) {
                continue;
            }
            for (const Argument& a : outer.args) {
                if (!a.keyword.empty() && a.range.contains(call.range) && secret_name(a.keyword)) {
                    return a.keyword;
                }
            }
        }
        for (std::int32_t fn = call.function;
             fn >= 0 && fn < static_cast<std::int32_t>(file.functions.size());
             fn = file.functions[static_cast<std::size_t>(fn)].parent) {
            const Function& f = file.functions[static_cast<std::size_t>(fn)];
            if (secret_name(f.name)) {
                return f.name;
            }
        }
        return {};
    }

    static std::string_view last_segment(std::string_view path) {
        const auto dot = path.rfind('.');
        return dot == std::string_view::npos ? path : path.substr(dot + 1);
    }
};

}  // namespace
}  // namespace cq

CQ_REGISTER_RULE(cq::InsecureRandomRule);
