// security/hardcoded-secret: credentials written into the source.
#include <algorithm>
#include <array>
#include <cctype>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include <re2/re2.h>

#include "rules/registry.hpp"
#include "rules/rule.hpp"
#include "rules/support/security_common.hpp"

namespace cq {
namespace {

using namespace security;

const RuleMeta& hardcoded_secret_meta() {
    static const RuleMeta meta{
        .id = "security/hardcoded-secret",
        .title = "Credentials should not be hard-coded",
        .languages = lang_mask::all,
        .severity = Severity::critical,
        .clean_code_attribute = "TRUSTWORTHY",
        .impacts = {{Quality::security, ImpactSeverity::high}},
        .cwe = {798},
        .owasp = {"A07:2021"},
        .options = {{"min_entropy", "3.0",
                     "Least Shannon entropy (bits per character) of a value assigned to a "
                     "secret-sounding name before it is reported."}},
        .effort_minutes = 30,
        .doc = R"md(## What it finds
String literals that are credentials:
- **Known formats**, wherever they appear: AWS access key ids (`AKIA...`, `ASIA...`), private key
  blocks (`-----BEGIN ... PRIVATE KEY-----`), GitHub (`ghp_`, `gho_`, `ghs_`, `github_pat_`),
  GitLab (`glpat-`), Slack (`xoxb-`, `xoxp-`, ...), Stripe live keys (`sk_live_`, `rk_live_`),
  Google API keys (`AIza...`), SendGrid (`SG.x.y`), npm (`npm_`), OpenAI (`sk-...T3BlbkFJ...`,
  `sk-proj-`) and Anthropic (`sk-ant-`) keys, and URLs with a password (`scheme://user:pass@host`).
- **Secret-sounding names** given a literal that looks like a real secret: assignments, keyword
  arguments, object and dictionary entries, defaults and `#define`s whose name contains
  password / passwd / pwd / passphrase / secret / token / api key / private key / access key /
  client secret / credentials, when the value is at least 8 characters, has no spaces and has a
  Shannon entropy of at least `min_entropy` bits per character (16 characters for tokens and keys).

Placeholders stay silent: empty strings, `changeme`, `<token>`, `${TOKEN}`, `xxxx`, `your-key`,
`example`, `dummy`, `test`, AWS's documented `AKIAIOSFODNN7EXAMPLE`, values that are names
themselves (`"user_password"`, `"X-Auth-Token"`), paths, URLs without a password, and names that
describe a secret without holding one (`password_field`, `token_url`, `secret_name`,
`api_key_header`). Comparisons (`if password == "..."`) are not assignments and are not
reported. The message never repeats the value.

## Why it matters
Source code is copied to laptops, CI logs, forks and backups; a secret in it is effectively
published and cannot be rotated without a code change (CWE-798, OWASP A07:2021 Identification
and Authentication Failures).

## Example
```python
STRIPE_KEY = "sk_live_51H…"               # a live Stripe key (shortened here)
db = connect(host="db", password="Pr0d#Passw0rd!")
```

## Instead
Read secrets at run time from the environment or a secret manager (AWS Secrets Manager, Vault,
Kubernetes secrets), keep them out of version control, and rotate any that were committed.

## Options
- `min_entropy` (default 3.0): the least entropy, in bits per character, of a value assigned to
  a secret-sounding name for it to be reported.
)md",
        .aliases = {},
    };
    return meta;
}

struct KnownFormat {
    const char* name;
    const char* trigger;  // cheap substring checks before the regex, '|'-separated
    const char* pattern;
};

const std::array<KnownFormat, 14> k_formats = {{
    {"AWS access key id", "AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA", R"(\b(AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA)[A-Z0-9]{16}\b)"},
    {"private key", "PRIVATE KEY", R"(-----BEGIN ([A-Z]+ )*PRIVATE KEY( BLOCK)?-----)"},
    {"GitHub token", "gh", R"(\bgh[pousr]_[A-Za-z0-9]{36,}\b)"},
    {"GitHub token", "github_pat_", R"(\bgithub_pat_[A-Za-z0-9_]{22,})"},
    {"GitLab token", "glpat-", R"(\bglpat-[A-Za-z0-9_\-]{20,})"},
    {"Slack token", "xox", R"(\bxox[abprs]-[A-Za-z0-9\-]{10,})"},
    {"Stripe live key", "_live_", R"(\b[sr]k_live_[0-9a-zA-Z]{24,})"},
    {"Google API key", "AIza", R"(\bAIza[0-9A-Za-z_\-]{35}\b)"},
    {"SendGrid key", "SG.", R"(\bSG\.[A-Za-z0-9_\-]{22}\.[A-Za-z0-9_\-]{43}\b)"},
    {"npm token", "npm_", R"(\bnpm_[A-Za-z0-9]{36}\b)"},
    {"OpenAI key", "T3BlbkFJ", R"(\bsk-[A-Za-z0-9_\-]{20,}T3BlbkFJ[A-Za-z0-9_\-]{20,})"},
    {"OpenAI key", "sk-proj-", R"(\bsk-proj-[A-Za-z0-9_\-]{40,})"},
    {"Anthropic key", "sk-ant-", R"(\bsk-ant-[a-z0-9]+-[A-Za-z0-9_\-]{40,})"},
    {"password in a URL", "://", R"([A-Za-z][A-Za-z0-9+.\-]*://[^/\s:@]+:([^/\s:@]{3,})@)"},
}};

// RE2, not std::regex: std::regex compiles bounded repetitions such as {36,} into that many
// states (the 14 patterns were a third of the instructions of a one-file scan), and RE2 matches
// in linear time. Each pattern is compiled the first time its trigger words appear.
const RE2& format_regex(std::size_t i) {
    static std::array<std::once_flag, k_formats.size()> once;
    static std::array<std::unique_ptr<RE2>, k_formats.size()> compiled;
    std::call_once(once[i], [i] {
        RE2::Options options;
        options.set_log_errors(false);
        auto re = std::make_unique<RE2>(k_formats[i].pattern, options);
        if (!re->ok()) {
            throw std::logic_error(std::string("bad built-in secret pattern: ") + k_formats[i].pattern);
        }
        compiled[i] = std::move(re);
    });
    return *compiled[i];
}

bool format_placeholder(std::string_view match) {
    const std::string l = lower(match);
    for (std::string_view m : {"example", "xxxx", "dummy", "fake", "sample", "your", "placeholder",
                               "redacted", "0000000000", "1234567890", "...", "<", "${"}) {
        if (l.find(m) != std::string::npos) {
            return true;
        }
    }
    return false;
}

// Words that make a name describe a secret without holding one.
bool descriptive_name(std::string_view name) {
    return name_has_word(name, {"field", "name", "type", "header", "param", "url", "uri", "path",
                                "file", "env", "label", "prompt", "hint", "placeholder",
                                "message", "msg", "error", "length", "len", "min", "max",
                                "count", "policy", "format", "pattern", "regex", "expiry",
                                "expires", "ttl", "timeout", "endpoint", "kind", "mode", "prefix",
                                "suffix", "column", "attr", "attribute", "id", "hash", "reset",
                                "input", "selector", "class", "style", "icon", "text", "title",
                                "description", "help", "key_name", "route", "template", "query",
                                "confirm", "confirmation", "validator", "rule", "rules", "strength",
                                "version", "scope", "scopes", "audience", "issuer", "algorithm",
                                "encoding", "location", "dir", "var", "variable"});
}

enum class SecretKind : std::uint8_t { none, password, token };

SecretKind secret_kind(std::string_view name) {
    if (name.empty() || descriptive_name(name)) {
        return SecretKind::none;
    }
    if (name_has_word(name, {"password", "passwd", "pwd", "passphrase", "passwort"})) {
        return SecretKind::password;
    }
    if (name_has_word(name, {"secret", "token", "apikey", "credential", "credentials",
                             "privatekey", "secretkey", "accesskey", "authkey"})) {
        return SecretKind::token;
    }
    const std::vector<std::string> words = name_words(name);
    const bool key = std::find(words.begin(), words.end(), "key") != words.end();
    if (!key) {
        return SecretKind::none;
    }
    for (const std::string& w : words) {
        if (w == "api" || w == "private" || w == "access" || w == "secret" || w == "auth" ||
            w == "signing" || w == "encryption" || w == "client" || w == "master") {
            return SecretKind::token;
        }
    }
    return SecretKind::none;
}

bool is_name_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '$' || c == '-';
}

// The name a literal starting at `start` is bound to: `name = "..."`, `name: "..."`,
// `"name": "..."`, `name="..."`, `d["name"] = "..."`, `#define NAME "..."`. Empty if none.
std::string bound_name(std::string_view src, std::uint32_t start) {
    std::size_t i = start;
    const auto skip_back = [&]() {
        while (i > 0 && std::isspace(static_cast<unsigned char>(src[i - 1])) != 0) {
            --i;
        }
    };
    skip_back();
    if (i == 0) {
        return {};
    }
    const char op = src[i - 1];
    bool define = false;
    if (op == '=') {
        if (i >= 2 && std::string_view("=!<>+-*/%&|^:").find(src[i - 2]) != std::string_view::npos) {
            return {};  // comparison or compound operator
        }
        --i;
    } else if (op == ':') {
        if (i >= 2 && src[i - 2] == ':') {
            return {};
        }
        --i;
    } else if (is_name_char(op)) {
        define = true;  // maybe `#define NAME "..."`
    } else {
        return {};
    }
    skip_back();
    if (i == 0) {
        return {};
    }
    // a quoted key: "password": or ["password"] =
    if (src[i - 1] == ']') {
        --i;
        skip_back();
    }
    if (i > 0 && (src[i - 1] == '"' || src[i - 1] == '\'')) {
        const char q = src[i - 1];
        const std::size_t close = i - 1;
        const std::size_t open = src.rfind(q, close == 0 ? 0 : close - 1);
        if (open == std::string_view::npos || open == close) {
            return {};
        }
        return std::string(src.substr(open + 1, close - open - 1));
    }
    // TypeScript annotation: `password: string = "..."`
    std::size_t end = i;
    while (i > 0 && is_name_char(src[i - 1])) {
        --i;
    }
    if (i == end) {
        return {};
    }
    std::string name(src.substr(i, end - i));
    if (define) {
        std::size_t j = i;
        while (j > 0 && (src[j - 1] == ' ' || src[j - 1] == '\t')) {
            --j;
        }
        if (j < 6 || src.substr(j - 6, 6) != "define") {
            return {};
        }
        return name;
    }
    // skip a type annotation: `name: string =`
    std::size_t k = i;
    while (k > 0 && std::isspace(static_cast<unsigned char>(src[k - 1])) != 0) {
        --k;
    }
    if (k > 0 && src[k - 1] == ':' && op == '=') {
        std::size_t e = k - 1;
        while (e > 0 && std::isspace(static_cast<unsigned char>(src[e - 1])) != 0) {
            --e;
        }
        std::size_t b = e;
        while (b > 0 && is_name_char(src[b - 1])) {
            --b;
        }
        if (b < e) {
            return std::string(src.substr(b, e - b));
        }
    }
    return name;
}

class HardcodedSecretRule final : public FileRule {
public:
    const RuleMeta& meta() const override { return hardcoded_secret_meta(); }

    void check(const FileModel& file, const RuleContext& ctx,
               std::vector<Finding>& out) const override {
        const double min_entropy = entropy_option(ctx);
        for (const StringLiteral& lit : file.strings) {
            check_literal(file, lit, min_entropy, ctx, out);
        }
        for (const StringLiteral& lit : unlisted_literals(file)) {
            check_literal(file, lit, min_entropy, ctx, out);
        }
    }

private:
    void check_literal(const FileModel& file, const StringLiteral& lit, double min_entropy,
                       const RuleContext& ctx, std::vector<Finding>& out) const {
        if (lit.is_template || lit.value.size() < 8) {
            return;
        }
        if (const char* format = known_format(lit.value)) {
            out.push_back(make_finding(*this, ctx, file, lit.range,
                                       std::string("Hard-coded ") + format +
                                           "; load it from the environment or a secret "
                                           "manager, and rotate it."));
            return;
        }
        const std::string name = bound_name(file.source, lit.range.start_byte);
        const SecretKind kind = secret_kind(name);
        if (kind == SecretKind::none || looks_like_placeholder(lit.value)) {
            return;
        }
        const std::size_t min_len = kind == SecretKind::password ? 8 : 16;
        if (lit.value.size() < min_len || shannon_entropy(lit.value) < min_entropy) {
            return;
        }
        if (lower(lit.value).find(lower(name)) != std::string::npos) {
            return;  // the value repeats its own name
        }
        out.push_back(make_finding(*this, ctx, file, lit.range,
                                   "Hard-coded secret assigned to '" + name +
                                       "'; load it from the environment or a secret "
                                       "manager, and rotate it."));
    }

    // The literal tokens the model does not list as StringLiterals (the bodies of C `#define`s
    // are not expressions, so the front ends record no StringLiteral for them).
    static std::vector<StringLiteral> unlisted_literals(const FileModel& file) {
        std::vector<StringLiteral> out;
        std::vector<std::uint32_t> known;
        known.reserve(file.strings.size());
        for (const StringLiteral& s : file.strings) {
            known.push_back(s.range.start_byte);
        }
        std::sort(known.begin(), known.end());
        for (const Token& t : file.tokens) {
            if (t.kind != TokenKind::literal || t.end_byte > file.source.size() ||
                std::binary_search(known.begin(), known.end(), t.start_byte)) {
                continue;
            }
            std::string_view text =
                std::string_view(file.source).substr(t.start_byte, t.end_byte - t.start_byte);
            // the tree-sitter C grammar gives a `#define` body as one raw token, which may run on
            // into a trailing comment: keep the leading string literal only
            const std::size_t open = text.find('"');
            if (open == std::string_view::npos || open > 2) {
                continue;
            }
            std::size_t close = open + 1;
            while (close < text.size() && text[close] != '"') {
                close += text[close] == '\\' ? 2 : 1;
            }
            if (close >= text.size()) {
                continue;
            }
            text = text.substr(0, close + 1);
            StringLiteral lit;
            if (!decode_string_literal(text, lit.value)) {
                continue;
            }
            lit.range = range_of_bytes(file, t.start_byte,
                                       t.start_byte + static_cast<std::uint32_t>(text.size()));
            out.push_back(std::move(lit));
        }
        return out;
    }

    static double entropy_option(const RuleContext& ctx) {
        const std::string text = ctx.option_string("min_entropy", "3.0");
        try {
            std::size_t used = 0;
            const double v = std::stod(text, &used);
            if (used == text.size()) {
                return v;
            }
        } catch (const std::logic_error&) {
        }
        throw std::invalid_argument("option 'min_entropy' must be a number, got '" + text + "'");
    }

    static bool triggered(const std::string& value, std::string_view triggers) {
        while (!triggers.empty()) {
            const auto bar = triggers.find('|');
            if (value.find(triggers.substr(0, bar)) != std::string::npos) {
                return true;
            }
            if (bar == std::string_view::npos) {
                break;
            }
            triggers.remove_prefix(bar + 1);
        }
        return false;
    }

    static const char* known_format(const std::string& value) {
        for (std::size_t i = 0; i < k_formats.size(); ++i) {
            if (!triggered(value, k_formats[i].trigger)) {
                continue;
            }
            std::array<re2::StringPiece, 2> m;
            const RE2& re = format_regex(i);
            const int groups = std::min(1 + re.NumberOfCapturingGroups(), 2);
            if (!re.Match(re2::StringPiece(value.data(), value.size()), 0, value.size(),
                          RE2::UNANCHORED, m.data(), groups)) {
                continue;
            }
            if (format_placeholder(std::string_view(m[0].data(), m[0].size()))) {
                continue;
            }
            if (i + 1 == k_formats.size()) {
                // a URL with a password: the password must not be a placeholder itself
                const std::string pw(m[1].data(), m[1].size());
                if (looks_like_placeholder(pw)) {
                    continue;
                }
                if (pw.find('$') != std::string::npos || pw.find('{') != std::string::npos ||
                    pw.find('%') != std::string::npos || lower(pw) == "password" ||
                    lower(pw) == "pass") {
                    continue;
                }
            }
            if (i == 1 && value.find("-----END") == std::string::npos && value.size() < 64) {
                continue;  // a header mentioned in a message, not a key
            }
            return k_formats[i].name;
        }
        return nullptr;
    }
};

}  // namespace
}  // namespace cq

CQ_REGISTER_RULE(cq::HardcodedSecretRule);
