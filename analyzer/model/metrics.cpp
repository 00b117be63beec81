// Complexity metrics from the control tree, once for all languages.
//
// The definitions (and why they are what they are) are documented for users in the docs of the
// complexity rules (rules/complexity/*.cpp); this file is their one implementation. In short:
//
//   cyclomatic  lizard's count: 1 + if + else-if + loop (comprehension `for` included) + case
//               (not default) + catch + ternary + comprehension `if` + each binary logical
//               operator. A function's own tree only: nested functions are measured on their own.
//   cognitive   SonarSource's white paper. A nested function is "folded" into its enclosing
//               function with one more level of nesting (the paper, sonar-python, C/C++), except
//               for JavaScript/TypeScript, where every function is scored on its own body only,
//               as SonarJS does. Python follows sonar-python where it refines the paper: lambdas,
//               decorator wrappers and comprehensions add no nesting, comprehension clauses no
//               increment.
//   max_nesting the deepest stack of statement-level control structures (if, switch, loop,
//               catch) in the function's own tree; else-if/else arms sit at their if's depth,
//               ternaries and comprehensions do not count, nested functions start again at 0.
//   nloc        lines holding a token inside the function's range (each line of a multi-line
//               token), nested functions included.
//
// Every walk uses an explicit stack: control trees thousands of levels deep must not overflow
// the call stack.
#include "analyzer/model/metrics.hpp"

#include <algorithm>
#include <cstddef>
#include <limits>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace cq {
namespace {

using control_flag::k_comprehension;

// Bounds the work spent on the increment lists of folded nested functions (functions walked plus
// increments listed, per file). Scores are always exact (computed by the recurrence in
// compute_cognitive); only the list of increments that explains a score is cut short when a
// file nests functions so deeply that listing every increment of every function again for each
// enclosing one would cost quadratic time.
constexpr std::size_t k_increment_budget = 4'000'000;

bool is_comprehension(const ControlNode& n) { return (n.flags & k_comprehension) != 0; }

std::uint16_t clamp16(std::uint32_t v) {
    return static_cast<std::uint16_t>(
        std::min<std::uint32_t>(v, std::numeric_limits<std::uint16_t>::max()));
}

std::uint32_t add_sat(std::uint32_t a, std::uint64_t b) {
    const std::uint64_t s = static_cast<std::uint64_t>(a) + b;
    return static_cast<std::uint32_t>(
        std::min<std::uint64_t>(s, std::numeric_limits<std::uint32_t>::max()));
}

// The number of sequences of like operators a logical run adds; a front end that only filled
// `operators` still gets one sequence for a non-empty run.
std::uint32_t run_sequences(const ControlNode& n) {
    if (n.sequences > 0) {
        return n.sequences;
    }
    return n.operators > 0 ? 1u : 0u;
}

// ---------------------------------------------------------------------------------------------
// Cyclomatic and max nesting: the function's own tree.

// The decision points a node adds to lizard's count.
std::uint32_t decisions(const ControlNode& n) {
    switch (n.kind) {
    case ControlKind::if_:
    case ControlKind::else_if:
    case ControlKind::loop:
    case ControlKind::catch_:
    case ControlKind::ternary: return 1;
    case ControlKind::case_: return (n.flags & control_flag::k_default) != 0 ? 0 : 1;
    case ControlKind::logical_run: return n.operators;
    default: return 0;  // else, switch, jump, recursion, nested function
    }
}

std::uint32_t compute_cyclomatic(const Function& fn) {
    std::uint64_t count = 1;
    std::vector<const ControlNode*> stack;
    for (const ControlNode& n : fn.control) {
        stack.push_back(&n);
    }
    while (!stack.empty()) {
        const ControlNode& n = *stack.back();
        stack.pop_back();
        if (n.kind == ControlKind::nested_function) {
            continue;  // measured on its own
        }
        count += decisions(n);
        for (const ControlNode& c : n.children) {
            stack.push_back(&c);
        }
    }
    return add_sat(0, count);
}

// A statement-level structure that opens one level of nesting for max_nesting (and for the
// complexity/nesting rule, which mirrors this in rules/support/complexity_support.cpp).
bool opens_nesting_level(const ControlNode& n) {
    switch (n.kind) {
    case ControlKind::if_:
    case ControlKind::loop: return !is_comprehension(n);
    case ControlKind::switch_:
    case ControlKind::catch_: return true;
    default: return false;
    }
}

std::uint32_t compute_max_nesting(const Function& fn) {
    struct Item {
        const ControlNode* node;
        std::uint32_t depth;  // structures enclosing this node
    };
    std::uint32_t max_depth = 0;
    std::vector<Item> stack;
    for (const ControlNode& n : fn.control) {
        stack.push_back({&n, 0});
    }
    while (!stack.empty()) {
        const Item item = stack.back();
        stack.pop_back();
        const ControlNode& n = *item.node;
        if (n.kind == ControlKind::nested_function) {
            continue;  // starts again from 0 in its own Function
        }
        std::uint32_t child_depth = item.depth;
        if (opens_nesting_level(n)) {
            child_depth = item.depth + 1;
        } else if (n.kind == ControlKind::else_if || n.kind == ControlKind::else_) {
            // An arm of the preceding if: its body sits where the if's body sits.
            child_depth = item.depth + 1;
        }
        max_depth = std::max(max_depth, child_depth);
        for (const ControlNode& c : n.children) {
            stack.push_back({&c, child_depth});
        }
    }
    return max_depth;
}

// ---------------------------------------------------------------------------------------------
// Cognitive complexity.

enum class NestedPolicy : std::uint8_t {
    fold,      // nested functions count inside the enclosing function (paper, sonar-python)
    separate,  // every function counts its own body only (SonarJS)
};

NestedPolicy nested_policy(Language lang) {
    return is_js_family(lang) ? NestedPolicy::separate : NestedPolicy::fold;
}

std::string_view token_text(const FileModel& model, const Token& t) {
    if (t.start_byte > t.end_byte || t.end_byte > model.source.size()) {
        return {};
    }
    return std::string_view(model.source).substr(t.start_byte, t.end_byte - t.start_byte);
}

bool is_blank(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
    });
}

bool is_plain_name(std::string_view s) {
    if (s.empty() || s == "None" || s == "True" || s == "False") {
        return false;
    }
    const auto word = [](char c) {
        return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
               (c >= '0' && c <= '9') || static_cast<unsigned char>(c) >= 0x80;
    };
    return !(s[0] >= '0' && s[0] <= '9') && std::all_of(s.begin(), s.end(), word);
}

// The one nested def that is all of `outer`'s control tree, or nullptr.
const Function* single_nested_def(const FileModel& model, const Function& outer,
                                  std::int32_t outer_index) {
    if (outer.control.size() != 1) {
        return nullptr;
    }
    const ControlNode& n = outer.control.front();
    const bool valid = n.kind == ControlKind::nested_function && n.function > outer_index &&
                       n.function < static_cast<std::int32_t>(model.functions.size());
    if (!valid) {
        return nullptr;
    }
    const Function* inner = &model.functions[static_cast<std::size_t>(n.function)];
    return inner->is_lambda ? nullptr : inner;
}

// The tokens of `body` outside `inner` (layout tokens left out), those before it and those
// after it. False when no token of `inner` lies in `body`.
bool tokens_around(const FileModel& model, const Range& body, const Function& inner,
                   std::vector<std::string_view>& before, std::vector<std::string_view>& after) {
    const auto first = std::lower_bound(
        model.tokens.begin(), model.tokens.end(), body.start_byte,
        [](const Token& t, std::uint32_t b) { return t.start_byte < b; });
    bool seen_inner = false;
    for (auto it = first; it != model.tokens.end() && it->start_byte < body.end_byte; ++it) {
        const std::string_view text = token_text(model, *it);
        if (inner.range.contains_byte(it->start_byte)) {
            seen_inner = true;
        } else if (it->end_byte > it->start_byte && !is_blank(text)) {
            (seen_inner ? after : before).push_back(text);
        }
    }
    return seen_inner;
}

// `return <name>` statements and nothing else.
bool simple_returns_only(const std::vector<std::string_view>& tokens) {
    if (tokens.size() % 2 != 0) {
        return false;
    }
    for (std::size_t i = 0; i < tokens.size(); i += 2) {
        if (tokens[i] != "return" || !is_plain_name(tokens[i + 1])) {
            return false;
        }
    }
    return true;
}

// sonar-python's "wrapper function": a def whose body is one nested def (with its decorators)
// and nothing but `return <name>` statements besides. Its nested def gets no extra nesting, so
// that the usual decorator pattern is not penalised.
bool is_python_wrapper(const FileModel& model, const Function& outer, std::int32_t outer_index) {
    if (model.language != Language::python) {
        return false;
    }
    const Function* inner = single_nested_def(model, outer, outer_index);
    if (inner == nullptr || outer.body_range.end_byte <= outer.body_range.start_byte) {
        return false;
    }
    std::vector<std::string_view> before;
    std::vector<std::string_view> after;
    if (!tokens_around(model, outer.body_range, *inner, before, after)) {
        return false;
    }
    // Only the nested def's decorators may precede it.
    const bool decorators_only = before.empty() || before.front() == "@";
    return decorators_only && simple_returns_only(after);
}

// sonar-python: a method of a class defined inside a function starts again at nesting 0,
// wherever the class stands (the class resets the level).
bool resets_nesting(const FileModel& model, const Function& inner) {
    return model.language == Language::python && inner.is_method;
}

// The nesting level at which the body of nested function `inner` starts, given the level `at`
// of its node inside `outer`'s tree.
std::uint32_t nested_base(const FileModel& model, const Function& inner, std::uint32_t at,
                          bool outer_is_wrapper) {
    if (resets_nesting(model, inner)) {
        return 0;
    }
    if (model.language == Language::python) {
        if (inner.is_lambda || outer_is_wrapper) {
            return at;
        }
    }
    return at + 1;
}

// A loop's header (condition, iterable, for-clauses) as [start, end) bytes: a do-while's comes
// after its body.
using HeaderSpan = std::pair<std::uint32_t, std::uint32_t>;
using HeaderMap = std::unordered_map<std::uint32_t, HeaderSpan>;

struct OwnCognitive {
    std::uint64_t score = 0;       // own increments, at base nesting 0
    std::uint64_t structural = 0;  // own increments that grow with nesting
    struct Nested {
        std::int32_t function;
        std::uint32_t level;  // nesting level of the node inside this function
    };
    std::vector<Nested> nested;  // in source order
};

// What one node adds by itself: its increment (amount 0 for none), the nesting part of that
// increment, and whether its contents sit one level deeper.
struct NodeEffect {
    std::uint32_t amount = 0;
    std::uint32_t nesting = 0;
    bool nests = false;
};

// Increments that take the nesting level ("structural" in the paper): they grow by one for each
// level a folded nested function adds.
bool is_structural(ControlKind kind) {
    switch (kind) {
    case ControlKind::if_:
    case ControlKind::loop:
    case ControlKind::switch_:
    case ControlKind::catch_:
    case ControlKind::ternary: return true;
    default: return false;
    }
}

NodeEffect effect_of(const ControlNode& n, std::uint32_t level) {
    if (is_comprehension(n)) {
        return {};  // sonar-python: comprehension clauses neither increment nor nest
    }
    if (is_structural(n.kind)) {
        return {1 + level, level, true};
    }
    switch (n.kind) {
    case ControlKind::else_if:
    case ControlKind::else_: return {1, 0, true};  // hybrid: no nesting charge, nests contents
    case ControlKind::logical_run: return {run_sequences(n), 0, false};
    case ControlKind::jump:
    case ControlKind::recursion: return {1, 0, false};
    default: return {};  // case (the switch took +1 for all), nested function (walked apart)
    }
}

// Whether child `c` of `n` stays at `n`'s own level although `n` nests its contents: a
// switch's subject, a loop's header.
bool outside_nesting(const ControlNode& n, const ControlNode& c, const HeaderMap& headers) {
    if (n.kind == ControlKind::switch_) {
        return c.kind != ControlKind::case_;
    }
    if (n.kind != ControlKind::loop) {
        return false;
    }
    const auto h = headers.find(n.range.start_byte);
    return h != headers.end() && h->second.first <= c.range.start_byte &&
           c.range.start_byte < h->second.second;
}

// The level of child `c` of `n`, `n` being at `level`.
std::uint32_t child_level(const ControlNode& n, const ControlNode& c, std::uint32_t level,
                          const NodeEffect& effect, const HeaderMap& headers) {
    if (!effect.nests || outside_nesting(n, c, headers)) {
        return level;
    }
    return level + 1;
}

// Walks one function's tree at base nesting `base` and reports each increment and each nested
// function to the callbacks, in source order. `headers` maps a loop keyword's start byte to the
// bytes of its header, so that a loop's header (condition, iterable) is not nested inside it.
template <typename OnIncrement, typename OnNested>
void walk_cognitive(const Function& fn, std::uint32_t base, const HeaderMap& headers,
                    OnIncrement&& on_increment, OnNested&& on_nested) {
    struct Item {
        const ControlNode* node;
        std::uint32_t level;
    };
    std::vector<Item> stack;
    for (auto it = fn.control.rbegin(); it != fn.control.rend(); ++it) {
        stack.push_back({&*it, base});
    }
    bool recursion_counted = false;
    while (!stack.empty()) {
        const Item item = stack.back();
        stack.pop_back();
        const ControlNode& n = *item.node;
        if (n.kind == ControlKind::nested_function) {
            on_nested(n, item.level);
            continue;
        }
        const NodeEffect effect = effect_of(n, item.level);
        // "+1 for each method in a recursion cycle": once per function, however many recursive
        // calls it makes.
        const bool repeated =
            n.kind == ControlKind::recursion && std::exchange(recursion_counted, true);
        if (effect.amount > 0 && !repeated) {
            on_increment(n, effect.amount, effect.nesting);
        }
        for (auto it = n.children.rbegin(); it != n.children.rend(); ++it) {
            stack.push_back({&*it, child_level(n, *it, item.level, effect, headers)});
        }
    }
}

struct CognitiveState {
    const FileModel& model;
    HeaderMap headers;
    std::vector<bool> wrapper;         // per function: sonar-python wrapper (Python only)
    std::vector<OwnCognitive> own;     // per function
    std::vector<std::uint64_t> total;  // per function: inclusive score at base 0
    std::vector<std::uint64_t> growth; // per function: inclusive count of nesting increments
    NestedPolicy policy;
    std::size_t budget = k_increment_budget;
};

bool valid_nested(const FileModel& model, std::int32_t outer, std::int32_t inner) {
    return inner > outer && inner < static_cast<std::int32_t>(model.functions.size());
}

// The increments that explain function `index`'s score, in source order. In fold mode they
// include the nested functions' increments at their folded nesting; the list is cut to the
// function's own increments when the file's budget is spent (see k_increment_budget).
std::vector<ComplexityIncrement> collect_increments(CognitiveState& st, std::int32_t index) {
    const FileModel& model = st.model;
    std::vector<ComplexityIncrement> out;
    const auto push = [&out](const ControlNode& n, std::uint32_t amount, std::uint32_t nesting) {
        ComplexityIncrement inc;
        inc.range = n.range;
        inc.amount = clamp16(amount);
        inc.nesting = clamp16(nesting);
        inc.kind = n.kind;
        out.push_back(inc);
    };
    struct Pending {
        std::int32_t function;
        std::uint32_t base;
    };
    std::vector<Pending> work{{index, 0}};
    bool complete = true;
    std::size_t walked = 0;
    while (!work.empty()) {
        const Pending p = work.back();
        work.pop_back();
        ++walked;
        const Function& fn = model.functions[static_cast<std::size_t>(p.function)];
        walk_cognitive(fn, p.base, st.headers, push,
                       [&](const ControlNode& n, std::uint32_t level) {
                           if (st.policy != NestedPolicy::fold ||
                               !valid_nested(model, p.function, n.function)) {
                               return;
                           }
                           const Function& inner =
                               model.functions[static_cast<std::size_t>(n.function)];
                           work.push_back(
                               {n.function,
                                nested_base(model, inner, level,
                                            st.wrapper[static_cast<std::size_t>(p.function)])});
                       });
        if (walked + out.size() > st.budget) {
            complete = false;
            break;
        }
    }
    if (!complete) {
        out.clear();
        walk_cognitive(model.functions[static_cast<std::size_t>(index)], 0, st.headers, push,
                       [](const ControlNode&, std::uint32_t) {});
    }
    st.budget -= std::min(st.budget, walked + out.size());
    std::stable_sort(out.begin(), out.end(),
                     [](const ComplexityIncrement& a, const ComplexityIncrement& b) {
                         return a.range.start_byte < b.range.start_byte;
                     });
    return out;
}

HeaderMap loop_headers(const FileModel& model) {
    HeaderMap headers;
    for (const Loop& loop : model.loops) {
        if (loop.header_range.end_byte > loop.header_range.start_byte) {
            const HeaderSpan span{loop.header_range.start_byte, loop.header_range.end_byte};
            headers[loop.header_range.start_byte] = span;
            headers.emplace(loop.range.start_byte, span);
        }
    }
    return headers;
}

// Each function's own increments at base 0, and where its nested functions stand.
void score_own(CognitiveState& st) {
    const FileModel& model = st.model;
    for (std::size_t i = 0; i < model.functions.size(); ++i) {
        const auto index = static_cast<std::int32_t>(i);
        st.wrapper[i] = is_python_wrapper(model, model.functions[i], index);
        OwnCognitive& own = st.own[i];
        walk_cognitive(
            model.functions[i], 0, st.headers,
            [&own](const ControlNode& n, std::uint32_t amount, std::uint32_t) {
                own.score += amount;
                own.structural += is_structural(n.kind) ? 1 : 0;
            },
            [&](const ControlNode& n, std::uint32_t level) {
                if (valid_nested(model, index, n.function)) {
                    own.nested.push_back({n.function, level});
                }
            });
    }
}

// Inclusive scores, children first (a nested function always has a larger index): folding h
// at base b adds total(h) + b * growth(h), growth being the count of increments that take the
// nesting level.
void fold_scores(CognitiveState& st) {
    const FileModel& model = st.model;
    for (std::size_t r = model.functions.size(); r-- > 0;) {
        st.total[r] = st.own[r].score;
        st.growth[r] = st.own[r].structural;
        if (st.policy != NestedPolicy::fold) {
            continue;
        }
        for (const OwnCognitive::Nested& nested : st.own[r].nested) {
            const auto h = static_cast<std::size_t>(nested.function);
            if (resets_nesting(model, model.functions[h])) {
                st.total[r] += st.total[h];  // fixed at base 0: does not grow with r's base
                continue;
            }
            const std::uint64_t base =
                nested_base(model, model.functions[h], nested.level, st.wrapper[r]);
            st.total[r] += st.total[h] + base * st.growth[h];
            st.growth[r] += st.growth[h];
        }
    }
}

// Functions that are reported on their own first, so that they get complete increment lists
// even when a pathological file spends the budget.
std::vector<std::size_t> listing_order(const FileModel& model) {
    std::vector<std::size_t> order;
    order.reserve(model.functions.size());
    for (const bool nested : {false, true}) {
        for (std::size_t i = 0; i < model.functions.size(); ++i) {
            if ((model.functions[i].parent >= 0) == nested) {
                order.push_back(i);
            }
        }
    }
    return order;
}

void compute_cognitive(FileModel& model) {
    const std::size_t count = model.functions.size();
    CognitiveState st{model,
                      loop_headers(model),
                      std::vector<bool>(count, false),
                      std::vector<OwnCognitive>(count),
                      std::vector<std::uint64_t>(count, 0),
                      std::vector<std::uint64_t>(count, 0),
                      nested_policy(model.language)};
    score_own(st);
    fold_scores(st);
    for (std::size_t i : listing_order(model)) {
        Function& fn = model.functions[i];
        fn.cognitive = add_sat(0, st.total[i]);
        fn.cognitive_increments = collect_increments(st, static_cast<std::int32_t>(i));
    }
}

// ---------------------------------------------------------------------------------------------
// Lines of code: every line that holds (part of) a token. A multi-line token (a docstring, a
// template literal, a raw string) counts each line it spans.

std::uint32_t last_line(const FileModel& model, const Token& t) {
    if (t.end_byte <= t.start_byte || t.end_byte > model.source.size()) {
        return t.line;
    }
    const auto newlines = std::count(model.source.begin() + t.start_byte,
                                     model.source.begin() + t.end_byte - 1, '\n');
    return t.line + static_cast<std::uint32_t>(newlines);
}

bool tokens_in_order(const std::vector<Token>& tokens) {
    for (std::size_t k = 1; k < tokens.size(); ++k) {
        if (tokens[k].start_byte < tokens[k - 1].start_byte ||
            tokens[k].line < tokens[k - 1].line) {
            return false;
        }
    }
    return true;
}

// The last line of token k: its own line unless the next token starts on a later line (only
// then can its text hold a newline), so most tokens cost no scan of their text.
std::uint32_t token_last_line(const FileModel& model, std::size_t k) {
    const std::vector<Token>& tokens = model.tokens;
    if (k + 1 < tokens.size() && tokens[k + 1].line == tokens[k].line) {
        return tokens[k].line;
    }
    return std::max(tokens[k].line, last_line(model, tokens[k]));
}

// For tokens in source order, the number of lines first covered by tokens [0, k) for each k of
// `at` (sorted, unique, each at most tokens.size()). A token adds the lines of its span that no
// earlier token reached; since tokens do not overlap, the lines a token adds in a function's
// range are the same whether or not earlier tokens outside the range are considered (those end
// at or before the line where the range's first token starts). One pass, and memory for `at`
// only: a prefix array per token was the largest allocation of a scan.
std::vector<std::uint32_t> line_prefix_at(const FileModel& model, const std::vector<std::uint32_t>& at) {
    const std::vector<Token>& tokens = model.tokens;
    std::vector<std::uint32_t> out(at.size(), 0);
    std::uint32_t covered = 0;  // highest line reached so far (lines are 1-based)
    std::uint32_t sum = 0;
    std::size_t p = 0;
    for (std::size_t k = 0; p < at.size(); ++k) {
        while (p < at.size() && at[p] == k) {
            out[p++] = sum;
        }
        if (k >= tokens.size()) {
            break;
        }
        const std::uint32_t first = tokens[k].line;
        const std::uint32_t last = token_last_line(model, k);
        const std::uint32_t from = std::max(first, covered + 1);
        sum += last >= from ? last - from + 1 : 0;
        covered = std::max(covered, last);
    }
    return out;
}

// Tokens out of order (a front end bug): merge the spans of the tokens whose start lies in
// [begin, end).
std::uint32_t distinct_lines_slow(const FileModel& model, std::uint32_t begin, std::uint32_t end) {
    std::vector<std::pair<std::uint32_t, std::uint32_t>> spans;
    for (const Token& t : model.tokens) {
        if (t.start_byte >= begin && t.start_byte < end) {
            spans.emplace_back(t.line, std::max(t.line, last_line(model, t)));
        }
    }
    std::sort(spans.begin(), spans.end());
    std::uint64_t count = 0;
    std::uint32_t covered = 0;
    for (const auto& [first, last] : spans) {
        const std::uint32_t from = std::max(first, covered + 1);
        if (last >= from) {
            count += last - from + 1;
        }
        covered = std::max(covered, last);
    }
    return add_sat(0, count);
}

// Every function's nloc and the file's ncloc (returned), tokens in order or not.
std::uint32_t compute_nloc(FileModel& model) {
    const std::vector<Token>& tokens = model.tokens;
    if (!tokens_in_order(tokens)) {
        for (Function& fn : model.functions) {
            fn.nloc = distinct_lines_slow(model, fn.range.start_byte, fn.range.end_byte);
        }
        return distinct_lines_slow(model, 0, std::numeric_limits<std::uint32_t>::max());
    }
    // Each function's tokens [i, j), then the prefix at i + 1 and j for all of them at once.
    const auto by_start = [](const Token& t, std::uint32_t b) { return t.start_byte < b; };
    std::vector<std::pair<std::uint32_t, std::uint32_t>> spans;
    spans.reserve(model.functions.size());
    std::vector<std::uint32_t> at;
    at.reserve(2 * model.functions.size() + 1);
    at.push_back(static_cast<std::uint32_t>(tokens.size()));
    for (const Function& fn : model.functions) {
        const auto first =
            std::lower_bound(tokens.begin(), tokens.end(), fn.range.start_byte, by_start);
        const auto last = std::lower_bound(first, tokens.end(), fn.range.end_byte, by_start);
        const auto i = static_cast<std::uint32_t>(first - tokens.begin());
        const auto j = static_cast<std::uint32_t>(last - tokens.begin());
        spans.emplace_back(i, j);
        if (i < j) {
            at.push_back(i + 1);
            at.push_back(j);
        }
    }
    std::sort(at.begin(), at.end());
    at.erase(std::unique(at.begin(), at.end()), at.end());
    const std::vector<std::uint32_t> prefix = line_prefix_at(model, at);
    const auto prefix_of = [&](std::uint32_t k) {
        return prefix[static_cast<std::size_t>(std::lower_bound(at.begin(), at.end(), k) - at.begin())];
    };
    for (std::size_t f = 0; f < model.functions.size(); ++f) {
        const auto [i, j] = spans[f];
        if (i == j) {
            model.functions[f].nloc = 0;
            continue;
        }
        // The range's first token counts its whole span, whatever came before it.
        const std::uint32_t head = token_last_line(model, i) - tokens[i].line + 1;
        model.functions[f].nloc = head + (prefix_of(j) - prefix_of(i + 1));
    }
    return prefix_of(static_cast<std::uint32_t>(tokens.size()));
}

}  // namespace

std::uint32_t count_ncloc(const FileModel& model) {
    if (!tokens_in_order(model.tokens)) {
        return distinct_lines_slow(model, 0, std::numeric_limits<std::uint32_t>::max());
    }
    return line_prefix_at(model, {static_cast<std::uint32_t>(model.tokens.size())}).front();
}

void compute_metrics(FileModel& model) {
    // One pass over the tokens serves the file's ncloc and every function's nloc.
    model.ncloc = compute_nloc(model);
    for (Function& fn : model.functions) {
        fn.cyclomatic = compute_cyclomatic(fn);
        fn.max_nesting = compute_max_nesting(fn);
        fn.param_count = static_cast<std::uint32_t>(fn.params.size());
    }
    compute_cognitive(model);
}

}  // namespace cq
