// Helpers shared by the security rules (rules/security/*.cpp) and the taint engine
// (rules/support/taint.hpp): a small scanner that reads an expression's source text as the model
// gives it (Argument::text, Assignment::value) and lists the names it reads, plus predicates on
// names and literals (sensitive names, placeholders, SQL-looking text, printf formats).
//
// Everything here is lexical and language-aware only as far as comments, string literals and
// interpolations go; it never needs a parser.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/model/file_model.hpp"
#include "rules/finding.hpp"
#include "rules/rule.hpp"

namespace cq::security {

// A call that an expression makes: `shlex.quote(x)` has path "shlex.quote" and args "x".
// A method called on something that is not a name (`"a".format(x)`, `f(x)(y)`) has a path that
// starts with '.' (".format") or is empty.
struct ExprCall {
    std::string path;
    std::string_view args;  // the text between the parentheses (a view into the scanned text)
};

// A name an expression reads. Member chains are folded into one path ("request.args.get");
// subscripts with a constant string key become a segment (`event['Records']` -> "event.Records"),
// other subscripts are dropped from the path and their contents scanned as references of their own.
struct ExprRef {
    std::string path;
    std::string_view root;          // first segment of path
    std::uint32_t offset = 0;       // byte offset of the root in the scanned text
    bool called = false;            // the path is called: `f(...)`, `a.b(...)`
    std::uint32_t call = 0xffffffffu;  // when called: its index in ExprScan::calls
    std::vector<std::uint32_t> enclosing;  // indices into ExprScan::calls, outermost first
};

struct ExprScan {
    std::vector<ExprRef> refs;
    std::vector<ExprCall> calls;
    std::string literal_text;  // the contents of every string literal, joined by spaces (capped)
    bool has_literal = false;  // at least one string / number literal
};

// Scans `text` (an expression or a few statements) in the syntax of `lang`. Keywords and the
// language's constants (True, null, nullptr, ...) are not references; keyword-argument names and
// object-literal keys are not either. Never throws; malformed text yields what it can.
ExprScan scan_expression(std::string_view text, Language lang);

// The two result branches of a conditional expression at the top level of `text`
// (`c ? a : b`, Python `a if c else b`); false when `text` is not one. The condition is left out:
// it decides which branch, not what the value is made of.
bool split_conditional(std::string_view text, Language lang, std::string_view& first,
                       std::string_view& second);

// true for names that denote a constant of the language (None, true, undefined, NULL, ...).
bool is_constant_name(std::string_view name);
// ALL_CAPS names (at least two characters, letters/digits/underscores, one letter): module-level
// constants and C macros by convention.
bool is_constant_case(std::string_view name);

// Splits an identifier into lower-case words: "apiKey" -> {api, key}, "DB_PASSWORD" -> {db,
// password}, "x-auth-token" -> {x, auth, token}.
std::vector<std::string> name_words(std::string_view name);
// Whether one of `words` (lower-case) is a word of `name`. "session_token" has "token";
// "monkey" has no "key".
bool name_has_word(std::string_view name, std::initializer_list<std::string_view> words);

// The decoded value of a string literal as written in source ('x', "x", r"x", `x`, b'x', L"x");
// quotes and prefixes removed, the simple escapes decoded. Returns false when `text` is not a
// single string literal.
bool decode_string_literal(std::string_view text, std::string& out);

// Lower-case copy.
std::string lower(std::string_view s);
// Whether `text` (lower-case or not) reads like SQL: SELECT ... FROM, INSERT INTO, UPDATE ... SET,
// DELETE FROM, WHERE, or DDL (CREATE/DROP/ALTER TABLE ...).
bool looks_like_sql(std::string_view text);

// printf-style format facts.
struct FormatInfo {
    bool unbounded_string = false;  // a %s / %ls / %[ without precision or width limit
    bool string_conversion = false; // any %s / %ls / %S / %[ / %z (sqlite) conversion
    bool sqlite_quoted_only = true; // every string conversion is sqlite's %q / %Q / %w
    int conversions = 0;
};
FormatInfo parse_format(std::string_view format);
// scanf-style: a %s or %[ without a field width.
bool scanf_has_unbounded_string(std::string_view format);

// Shannon entropy in bits per character.
double shannon_entropy(std::string_view s);
// Values that are obviously not real secrets: empty, placeholders ("changeme", "<token>",
// "${TOKEN}", "xxxx", "your-api-key", "example", "dummy", "test"), repeated characters, values
// that look like a variable or setting name, a path or an environment variable reference.
bool looks_like_placeholder(std::string_view value);

// One step up the severity ladder (major -> critical -> blocker); blocker stays.
Severity raise(Severity s);

// Callee helpers. `strip_node_prefix("node:child_process.exec")` -> "child_process.exec".
std::string_view strip_node_prefix(std::string_view resolved);
// The resolved callee of a call with JS's "node:" and C++'s "std::" / "::" prefixes removed.
std::string canonical_callee(const CallSite& call);
// The argument with this keyword, or nullptr.
const Argument* keyword_arg(const CallSite& call, std::string_view keyword);
// The i-th positional (non-keyword) argument, or nullptr.
const Argument* positional_arg(const CallSite& call, std::size_t i);
// The value text of an argument with any "keyword=" prefix and surrounding space removed.
std::string_view arg_value_text(const Argument& arg);
// true for string / number / bool / null literal arguments.
bool is_literal_kind(ArgKind kind);

// The Range of [start_byte, end_byte) in `file`, with lines and 1-based byte columns.
Range range_of_bytes(const FileModel& file, std::uint32_t start_byte, std::uint32_t end_byte);

}  // namespace cq::security
