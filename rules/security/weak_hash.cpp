// security/weak-hash: MD5 / SHA-1 (and older) used where a hash has to resist attackers.
#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <vector>

#include "rules/registry.hpp"
#include "rules/rule.hpp"
#include "rules/support/security_common.hpp"

namespace cq {
namespace {

using namespace security;

const RuleMeta& weak_hash_meta() {
    static const RuleMeta meta{
        .id = "security/weak-hash",
        .title = "MD5 and SHA-1 should not be used for security",
        .languages = lang_mask::all,
        .severity = Severity::major,
        .clean_code_attribute = "TRUSTWORTHY",
        .impacts = {{Quality::security, ImpactSeverity::medium}},
        .cwe = {327, 328},
        .owasp = {"A02:2021"},
        .options = {},
        .effort_minutes = 15,
        .doc = R"md(## What it finds
Creation of MD5, MD4, MD2 or SHA-1 digests:
- Python: `hashlib.md5` / `sha1`, `hashlib.new("md5" | "sha1" ...)`, PyCryptodome's
  `Crypto.Hash.MD5` / `SHA1`, `cryptography`'s `hashes.MD5()` / `hashes.SHA1()`;
- JavaScript / TypeScript: `crypto.createHash("md5" | "sha1")`, `CryptoJS.MD5` / `SHA1`;
- C / C++ (OpenSSL, CommonCrypto): `MD5`, `MD5_Init`, `SHA1`, `SHA1_Init`, `EVP_md5`,
  `EVP_sha1`, `CC_MD5`, `CC_SHA1`.

Not reported: Python calls with `usedforsecurity=False` (the standard way to say "not for
security"), and digests whose purpose is named as non-security by the variable they are
assigned to or the function they are in: cache keys, ETags, checksums, fingerprints,
deduplication, sharding / bucketing, file content hashes. A digest of a password, token,
secret, signature or session is reported one severity higher.

## Why it matters
Collisions for MD5 and SHA-1 are practical: two inputs with the same digest can be produced on
purpose, so signatures, integrity checks and certificate-like uses can be forged, and both are
far too fast for storing passwords (CWE-327, CWE-328, OWASP A02:2021 Cryptographic Failures).

## Example
```python
def store_password(user, password):
    user.pw = hashlib.md5(password.encode()).hexdigest()
```

## Instead
SHA-256 or SHA-3 for integrity and signatures; a password hash with a salt and a work factor
(`argon2`, `bcrypt`, `scrypt`, `hashlib.pbkdf2_hmac`) for passwords. When MD5 is only a checksum,
say so: `hashlib.md5(data, usedforsecurity=False)`.

## Options
None.
)md",
        .aliases = {},
    };
    return meta;
}

bool weak_algorithm(std::string_view name) {
    const std::string l = lower(name);
    return l == "md5" || l == "md4" || l == "md2" || l == "sha1" || l == "sha-1" || l == "sha" ||
           l == "rsa-md5" || l == "rsa-sha1";
}

bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// The weak algorithm a call creates, or empty.
std::string weak_digest(const FileModel& file, const CallSite& call) {
    const std::string callee = canonical_callee(call);
    if (file.language == Language::python) {
        for (std::string_view c : {"hashlib.md5", "hashlib.sha1", "hashlib.md4"}) {
            if (callee == c) {
                return std::string(c.substr(8));
            }
        }
        if (callee == "hashlib.new") {
            const Argument* a = positional_arg(call, 0);
            if (a != nullptr && a->kind == ArgKind::string_literal && weak_algorithm(a->value)) {
                return lower(a->value);
            }
            return {};
        }
        for (std::string_view suffix : {"Hash.MD5.new", "Hash.SHA1.new", "Hash.SHA.new",
                                        "Hash.MD4.new", "hashes.MD5", "hashes.SHA1"}) {
            if (ends_with(callee, suffix)) {
                return std::string(suffix);
            }
        }
        return {};
    }
    if (is_js_family(file.language)) {
        if (call.name == "createHash" &&
            (callee == "crypto.createHash" || call.receiver == "crypto" || call.receiver.empty())) {
            const Argument* a = positional_arg(call, 0);
            if (a != nullptr && a->kind == ArgKind::string_literal && weak_algorithm(a->value)) {
                return lower(a->value);
            }
            return {};
        }
        if ((call.name == "MD5" || call.name == "SHA1") && call.receiver == "CryptoJS") {
            return std::string(call.name);
        }
        return {};
    }
    if (!call.receiver.empty()) {
        return {};
    }
    static const std::array<std::string_view, 13> c_names{
        "MD5", "MD5_Init", "MD4", "MD4_Init", "SHA1", "SHA1_Init", "SHA_Init", "EVP_md5",
        "EVP_sha1", "EVP_md4", "CC_MD5", "CC_SHA1", "CC_MD5_Init"};
    for (std::string_view n : c_names) {
        if (call.name == n) {
            return std::string(n);
        }
    }
    return {};
}

// The names around a call that say what the digest is for: the variable it is assigned to, the
// enclosing function, the hashed argument.
std::string purpose_context(const FileModel& file, const CallSite& call) {
    std::string ctx;
    for (const Assignment& a : file.assignments) {
        if (a.function == call.function && a.range.contains(call.range)) {
            ctx += a.target;
            ctx += ' ';
        }
    }
    if (call.function >= 0 && call.function < static_cast<std::int32_t>(file.functions.size())) {
        ctx += file.functions[static_cast<std::size_t>(call.function)].name;
        ctx += ' ';
    }
    for (const Argument& a : call.args) {
        ctx += a.text;
        ctx += ' ';
    }
    return ctx;
}

bool any_word(std::string_view text, std::initializer_list<std::string_view> words) {
    // check every identifier-like piece of `text`
    std::string cur;
    const auto flush = [&]() {
        const bool hit = !cur.empty() && name_has_word(cur, words);
        cur.clear();
        return hit;
    };
    for (char c : text) {
        if (std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_') {
            cur.push_back(c);
        } else if (flush()) {
            return true;
        }
    }
    return flush();
}

class WeakHashRule final : public FileRule {
public:
    const RuleMeta& meta() const override { return weak_hash_meta(); }

    void check(const FileModel& file, const RuleContext& ctx,
               std::vector<Finding>& out) const override {
        for (const CallSite& call : file.calls) {
            const std::string algo = weak_digest(file, call);
            if (algo.empty()) {
                continue;
            }
            if (const Argument* u = keyword_arg(call, "usedforsecurity")) {
                if (arg_value_text(*u) == "False") {
                    continue;
                }
            }
            const std::string purpose = purpose_context(file, call);
            if (any_word(purpose, {"cache", "etag", "checksum", "fingerprint", "dedup", "dedupe",
                                   "shard", "bucket", "partition", "file", "content", "gravatar",
                                   "avatar", "cachekey", "digest_file", "filehash"})) {
                continue;  // named as a non-security use
            }
            Finding f = make_finding(
                *this, ctx, file, call.range,
                "'" + call.callee + "' creates a " + algo +
                    " digest, which attackers can collide; use SHA-256 (or a password hash such "
                    "as bcrypt/argon2 for passwords), or mark a non-security use explicitly.");
            if (any_word(purpose, {"password", "passwd", "pwd", "secret", "token", "signature",
                                   "sign", "credential", "credentials", "auth", "salt", "session",
                                   "apikey"})) {
                f.severity = raise(f.severity);
            }
            out.push_back(std::move(f));
        }
    }
};

}  // namespace
}  // namespace cq

CQ_REGISTER_RULE(cq::WeakHashRule);
