#include "analyzer/clang/lower.hpp"

#include <algorithm>
#include <array>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "analyzer/clang/cx_util.hpp"
#include "analyzer/lexer/lexer.hpp"

namespace cq::clangfe::detail {

namespace {

using Nodes = std::vector<ControlNode>;

// AST nesting deeper than this is skipped (with a note): the walk recurses, and a worker
// thread's stack must survive generated code such as a 10,000-term `a + b + ...` chain.
constexpr int k_max_depth = 800;
constexpr std::size_t k_text_limit = 200;
constexpr std::size_t k_string_limit = 4096;

struct Span {
    std::uint32_t begin = 0;
    std::uint32_t end = 0;
    bool valid = false;
};

// Everything that is "per function": the control tree goes to the function itself.
struct FunctionContext {
    std::int32_t index = -1;
    std::string qualified;
    std::vector<std::int32_t> loops;  // enclosing loops, innermost last
    std::uint32_t handler_depth = 0;
    bool in_loop_condition = false;
};

struct UsingInfo {
    enum class Kind : std::uint8_t { directive, declaration, alias };
    Kind kind = Kind::directive;
    std::string module;
    std::string name;
    std::string alias;
};

CXCursorKind kind_of(CXCursor c) { return clang_getCursorKind(c); }

bool is_function_kind(CXCursorKind k) {
    return k == CXCursor_FunctionDecl || k == CXCursor_CXXMethod || k == CXCursor_Constructor ||
           k == CXCursor_Destructor || k == CXCursor_ConversionFunction ||
           k == CXCursor_FunctionTemplate;
}

bool is_method_kind(CXCursorKind k) {
    return k == CXCursor_CXXMethod || k == CXCursor_Constructor || k == CXCursor_Destructor ||
           k == CXCursor_ConversionFunction;
}

bool is_class_kind(CXCursorKind k) {
    return k == CXCursor_StructDecl || k == CXCursor_ClassDecl || k == CXCursor_UnionDecl ||
           k == CXCursor_ClassTemplate || k == CXCursor_ClassTemplatePartialSpecialization;
}

// Leaves that name something declared elsewhere: nothing to lower below them.
bool is_reference_kind(CXCursorKind k) {
    switch (k) {
    case CXCursor_TypeRef:
    case CXCursor_TemplateRef:
    case CXCursor_NamespaceRef:
    case CXCursor_MemberRef:
    case CXCursor_LabelRef:
    case CXCursor_OverloadedDeclRef:
    case CXCursor_VariableRef:
    case CXCursor_CXXBaseSpecifier:
    case CXCursor_TemplateTypeParameter:
    case CXCursor_NonTypeTemplateParameter:
    case CXCursor_TemplateTemplateParameter:
        return true;
    default:
        return false;
    }
}

// Literals and plain name references: nothing below them to lower.
bool is_leaf_kind(CXCursorKind k) {
    return k == CXCursor_IntegerLiteral || k == CXCursor_FloatingLiteral ||
           k == CXCursor_CharacterLiteral || k == CXCursor_CXXBoolLiteralExpr ||
           k == CXCursor_CXXNullPtrLiteralExpr || k == CXCursor_DeclRefExpr;
}

// The kinds Lowerer::walk() does something with; the others it only descends through.
bool is_lowered_kind(CXCursorKind k) {
    switch (k) {
    case CXCursor_Namespace:
    case CXCursor_StructDecl:
    case CXCursor_ClassDecl:
    case CXCursor_UnionDecl:
    case CXCursor_ClassTemplate:
    case CXCursor_ClassTemplatePartialSpecialization:
    case CXCursor_LinkageSpec:
    case CXCursor_UnexposedDecl:
    case CXCursor_FunctionDecl:
    case CXCursor_CXXMethod:
    case CXCursor_Constructor:
    case CXCursor_Destructor:
    case CXCursor_ConversionFunction:
    case CXCursor_FunctionTemplate:
    case CXCursor_LambdaExpr:
    case CXCursor_UsingDirective:
    case CXCursor_UsingDeclaration:
    case CXCursor_NamespaceAlias:
    case CXCursor_TypedefDecl:
    case CXCursor_TypeAliasDecl:
    case CXCursor_TypeAliasTemplateDecl:
    case CXCursor_EnumDecl:
    case CXCursor_VarDecl:
    case CXCursor_FieldDecl:
    case CXCursor_IfStmt:
    case CXCursor_SwitchStmt:
    case CXCursor_CaseStmt:
    case CXCursor_DefaultStmt:
    case CXCursor_ForStmt:
    case CXCursor_CXXForRangeStmt:
    case CXCursor_WhileStmt:
    case CXCursor_DoStmt:
    case CXCursor_CXXTryStmt:
    case CXCursor_CXXCatchStmt:
    case CXCursor_ConditionalOperator:
    case CXCursor_BinaryOperator:
    case CXCursor_CompoundAssignOperator:
    case CXCursor_CallExpr:
    case CXCursor_UnexposedExpr:
    case CXCursor_CXXNewExpr:
    case CXCursor_CXXFunctionalCastExpr:
    case CXCursor_CXXStaticCastExpr:
    case CXCursor_CXXDynamicCastExpr:
    case CXCursor_CXXReinterpretCastExpr:
    case CXCursor_CXXConstCastExpr:
    case CXCursor_StringLiteral:
    case CXCursor_GotoStmt:
    case CXCursor_IndirectGotoStmt:
        return true;
    default:
        return false;
    }
}

bool is_ident_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_';
}

// "operator()", "operator==", "operator bool" (but not "operator_count").
bool is_operator_name(std::string_view n) {
    return n.substr(0, 8) == "operator" && (n.size() == 8 || !is_ident_char(n[8]));
}

bool is_assignment_operator(std::string_view n) {
    if (!is_operator_name(n) || n.back() != '=') {
        return false;
    }
    const std::string_view op = n.substr(8);
    return op != "==" && op != "!=" && op != "<=" && op != ">=";
}

// "Box<int>" -> "Box"; operator names are left alone.
std::string strip_template_args(std::string s) {
    if (s.empty() || s.back() != '>' || is_operator_name(s)) {
        return s;
    }
    int depth = 0;
    for (std::size_t i = s.size(); i-- > 0;) {
        if (s[i] == '>') {
            ++depth;
        } else if (s[i] == '<' && --depth == 0) {
            s.erase(i);
            break;
        }
    }
    return s;
}

// Splits "a.b->c::d<int>" into receiver "a.b->c" and name "d" at the last '.', '->' or '::'
// outside brackets.
void split_callee(const std::string& callee, std::string& receiver, std::string& name) {
    int depth = 0;
    std::size_t sep = std::string::npos;
    std::size_t sep_len = 0;
    for (std::size_t i = 0; i < callee.size(); ++i) {
        const char c = callee[i];
        if (c == '(' || c == '[' || c == '<') {
            ++depth;
        } else if ((c == ')' || c == ']' || c == '>') && !(c == '>' && i > 0 && callee[i - 1] == '-')) {
            --depth;
        } else if (depth == 0) {
            if (c == '.') {
                sep = i;
                sep_len = 1;
            } else if (c == '-' && i + 1 < callee.size() && callee[i + 1] == '>') {
                sep = i;
                sep_len = 2;
            } else if (c == ':' && i + 1 < callee.size() && callee[i + 1] == ':') {
                sep = i;
                sep_len = 2;
                ++i;
            }
        }
    }
    if (sep == std::string::npos) {
        receiver.clear();
        name = strip_template_args(callee);
        return;
    }
    receiver = callee.substr(0, sep);
    name = strip_template_args(callee.substr(sep + sep_len));
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' ||
                          s.front() == '\r')) {
        s.remove_prefix(1);
    }
    while (!s.empty() &&
           (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r')) {
        s.remove_suffix(1);
    }
    return s;
}

bool is_logical_operator(std::string_view op) {
    return op == "&&" || op == "||" || op == "and" || op == "or";
}

std::string_view normalized_logical(std::string_view op) {
    if (op == "and") {
        return "&&";
    }
    if (op == "or") {
        return "||";
    }
    return op;
}

std::vector<CXCursor> children(CXCursor c) {
    std::vector<CXCursor> out;
    clang_visitChildren(
        c,
        [](CXCursor child, CXCursor, CXClientData data) {
            static_cast<std::vector<CXCursor>*>(data)->push_back(child);
            return CXChildVisit_Continue;
        },
        &out);
    return out;
}

struct CursorHash {
    std::size_t operator()(const CXCursor& c) const { return clang_hashCursor(c); }
};
struct CursorEqual {
    bool operator()(const CXCursor& a, const CXCursor& b) const {
        return clang_equalCursors(a, b) != 0;
    }
};

class Lowerer {
public:
    Lowerer(CXTranslationUnit tu, CXFile main_file, const SourceMap& map, FileModel& model)
        : m_tu(tu), m_main(main_file), m_map(map), m_model(model) {}

    void run() {
        Nodes top_level;  // control nodes outside any function (global initializers) are dropped
        walk_declarations(clang_getTranslationUnitCursor(m_tu), top_level);
        if (m_truncated) {
            Diagnostic d;
            d.level = DiagnosticLevel::note;
            d.message = "libclang: expressions nested deeper than " + std::to_string(k_max_depth) +
                        " levels were not analyzed";
            m_model.diagnostics.push_back(std::move(d));
        }
    }

private:
    // ---- locations and tokens ------------------------------------------------------------

    bool main_offset(CXSourceLocation loc, std::uint32_t& offset) const {
        // No line or column asked: libclang computes them only on request, and the column
        // costs a scan back to the line start.
        CXFile file = nullptr;
        unsigned off = 0;
        clang_getFileLocation(loc, &file, nullptr, nullptr, &off);
        if (file == nullptr || clang_File_isEqual(file, m_main) == 0) {
            return false;
        }
        offset = off;
        return true;
    }

    Span span_of(CXCursor c) const {
        const CXSourceRange r = clang_getCursorExtent(c);
        Span s;
        if (!main_offset(clang_getRangeStart(r), s.begin) ||
            !main_offset(clang_getRangeEnd(r), s.end) || s.end < s.begin) {
            return Span{};
        }
        s.valid = true;
        return s;
    }

    // The token at the cursor's own location (a declaration's name, a reference's name).
    std::int32_t location_token(CXCursor c) const {
        std::uint32_t off = 0;
        if (!main_offset(clang_getCursorLocation(c), off)) {
            return -1;
        }
        return m_map.token_starting_at(off);
    }

    // The keyword at the start of `s` when it is spelled there; -1 when the construct comes from
    // a macro body (its start then maps to the macro name).
    std::int32_t keyword_at(const Span& s, std::string_view keyword) const {
        if (!s.valid) {
            return -1;
        }
        const std::int32_t t = m_map.token_starting_at(s.begin);
        return m_map.token_text(t) == keyword ? t : -1;
    }

    // First and last token inside a span (first > last when it holds none).
    std::pair<std::int32_t, std::int32_t> tokens_of(const Span& s) const {
        if (!s.valid) {
            return {0, -1};
        }
        const std::int32_t first = m_map.token_at_or_after(s.begin);
        const std::int32_t last = m_map.last_token_before(s.end);
        if (first < 0 || last < first) {
            return {0, -1};
        }
        return {first, last};
    }

    Range range_of(const Span& s) const { return m_map.range(s.begin, s.end); }

    bool first_time(ControlKind kind, std::uint32_t byte) {
        return m_seen_control.insert((static_cast<std::uint64_t>(kind) << 32) | byte).second;
    }

    std::int32_t innermost_loop() const {
        return m_fn->loops.empty() ? -1 : m_fn->loops.back();
    }

    // ---- names -----------------------------------------------------------------------------

    // ns::Class::name of a declaration through its semantic parents, as a call resolves to it.
    // Anonymous and inline namespaces (std::__1, std::__cxx11) and anonymous records are left
    // out, so that names equal what is written in code and in the syntactic front end.
    std::string qualified_name(CXCursor decl) {
        auto& cache = m_qualified;
        auto it = cache.find(decl);
        if (it != cache.end()) {
            return it->second;
        }
        std::vector<std::string> parts;
        parts.push_back(strip_template_args(spelling(decl)));
        CXCursor p = clang_getCursorSemanticParent(decl);
        for (int guard = 0; guard < 64 && !is_null(p); ++guard) {
            const CXCursorKind k = kind_of(p);
            if (k == CXCursor_TranslationUnit) {
                break;
            }
            const bool named_scope = k == CXCursor_Namespace || is_class_kind(k) ||
                                     is_function_kind(k);
            if (named_scope && clang_Cursor_isAnonymous(p) == 0 &&
                (k != CXCursor_Namespace || clang_Cursor_isInlineNamespace(p) == 0)) {
                std::string s = strip_template_args(spelling(p));
                if (!s.empty() && s[0] != '(') {
                    parts.push_back(std::move(s));
                }
            }
            p = clang_getCursorSemanticParent(p);
        }
        std::string out;
        for (std::size_t i = parts.size(); i-- > 0;) {
            out += parts[i];
            if (i > 0) {
                out += "::";
            }
        }
        cache.emplace(decl, out);
        return out;
    }

    // A callee clang could not resolve (a missing header): apply the file's using-declarations,
    // namespace aliases and a sole using-directive the way the syntactic front end does.
    std::string resolve_textually(const std::string& callee) const {
        if (callee.find('.') != std::string::npos || callee.find("->") != std::string::npos) {
            return callee;
        }
        const std::size_t sep = callee.find("::");
        if (sep == 0) {
            return callee.substr(2);
        }
        if (sep == std::string::npos) {
            for (auto it = m_usings.rbegin(); it != m_usings.rend(); ++it) {
                if (it->kind == UsingInfo::Kind::declaration && it->name == callee) {
                    return it->module + "::" + callee;
                }
            }
            const UsingInfo* directive = nullptr;
            int directives = 0;
            for (const UsingInfo& u : m_usings) {
                if (u.kind == UsingInfo::Kind::directive) {
                    directive = &u;
                    ++directives;
                }
            }
            return directives == 1 ? directive->module + "::" + callee : callee;
        }
        const std::string head = callee.substr(0, sep);
        for (auto it = m_usings.rbegin(); it != m_usings.rend(); ++it) {
            if (it->kind == UsingInfo::Kind::alias && it->alias == head) {
                return it->module + callee.substr(sep);
            }
        }
        return callee;
    }

    static bool is_member_function(CXCursor decl, CXCursorKind k) {
        if (is_method_kind(k)) {
            return true;
        }
        if (k != CXCursor_FunctionTemplate) {
            return false;
        }
        const CXCursor parent = clang_getCursorSemanticParent(decl);
        return !is_null(parent) && is_class_kind(kind_of(parent));
    }

    std::string scoped(const std::string& name) const {
        return m_scope.empty() ? name : m_scope + "::" + name;
    }

    // The qualifier written before a definition's name (`a::Box<T>::` in
    // `void a::Box<T>::put()`), empty for a name defined in its own scope.
    std::string written_qualifier(const Range& name) const {
        const std::int32_t first = m_map.token_starting_at(name.start_byte);
        if (first <= 0) {
            return {};
        }
        std::int32_t b = first;
        while (m_map.token_text(b - 1) == "::") {
            std::int32_t q = b - 2;
            if (m_map.token_text(q) == ">") {
                q = match_angle_backward(q) - 1;
            }
            if (q < 0 || m_map.token(q).kind != TokenKind::identifier) {
                break;
            }
            b = q;
        }
        return b < first ? m_map.compact(b, first - 1, 512) : std::string();
    }

    // The '<' opening the template argument list that the '>' at `close` ends, or -1.
    std::int32_t match_angle_backward(std::int32_t close) const {
        int depth = 0;
        for (std::int32_t i = close; i >= 0; --i) {
            const std::string_view t = m_map.token_text(i);
            if (t == ">") {
                ++depth;
            } else if (t == ">>") {
                depth += 2;
            } else if (t == "<" && --depth == 0) {
                return i;
            } else if (t == ";" || t == "{" || t == "}") {
                return -1;
            }
        }
        return -1;
    }

    // ---- the walk --------------------------------------------------------------------------

    void walk_declarations(CXCursor container, Nodes& out) {
        for (CXCursor child : children(container)) {
            if (!in_main_file(child)) {
                continue;  // declared in a header
            }
            walk(child, out);
        }
    }

    // Written in the main file, or produced by a macro invoked there (TEST(...) { ... }).
    bool in_main_file(CXCursor c) const {
        const CXSourceLocation loc = clang_getCursorLocation(c);
        if (clang_Location_isFromMainFile(loc) != 0) {
            return true;
        }
        CXFile file = nullptr;
        clang_getExpansionLocation(loc, &file, nullptr, nullptr, nullptr);
        return file != nullptr && clang_File_isEqual(file, m_main) != 0;
    }

    // Walks the children of `c` the way walk() would, but lets libclang descend through the
    // kinds that lower to nothing themselves (statements, most expressions) in one visit, so
    // that the cost per AST node stays low: each clang_visitChildren call has a setup cost that
    // a generated table with a million literals would pay a million times. The nodes that do
    // lower are collected and walked after the visit, in the same order, so that libclang's
    // frames are not on the stack while the walk recurses.
    void walk_children(CXCursor c, Nodes& out) {
        std::vector<CXCursor> lowered;
        clang_visitChildren(
            c,
            [](CXCursor child, CXCursor, CXClientData data) {
                const CXCursorKind k = clang_getCursorKind(child);
                if (is_leaf_kind(k) || is_reference_kind(k)) {
                    return CXChildVisit_Continue;
                }
                if (k == CXCursor_UnexposedExpr &&
                    clang_getCursorType(child).kind != CXType_Dependent) {
                    // An implicit conversion; only an erroneous (dependent-typed) one can be a
                    // call to an undeclared function.
                    return CXChildVisit_Recurse;
                }
                if (!is_lowered_kind(k)) {
                    return CXChildVisit_Recurse;
                }
                static_cast<std::vector<CXCursor>*>(data)->push_back(child);
                return CXChildVisit_Continue;
            },
            &lowered);
        walk_all(lowered, out);
    }

    void walk_all(const std::vector<CXCursor>& cursors, Nodes& out) {
        for (CXCursor c : cursors) {
            walk(c, out);
        }
    }

    void walk(CXCursor c, Nodes& out) {
        struct DepthGuard {
            int& depth;
            explicit DepthGuard(int& d) : depth(d) { ++depth; }
            ~DepthGuard() { --depth; }
            DepthGuard(const DepthGuard&) = delete;
            DepthGuard& operator=(const DepthGuard&) = delete;
        } guard(m_depth);
        if (m_depth > k_max_depth) {
            m_truncated = true;
            return;
        }
        const CXCursorKind k = kind_of(c);
        if (is_leaf_kind(k) || is_reference_kind(k)) {
            return;
        }
        switch (k) {
        case CXCursor_Namespace:
        case CXCursor_StructDecl:
        case CXCursor_ClassDecl:
        case CXCursor_UnionDecl:
        case CXCursor_ClassTemplate:
        case CXCursor_ClassTemplatePartialSpecialization:
            walk_scope(c, out);
            return;
        case CXCursor_LinkageSpec:
        case CXCursor_UnexposedDecl:
            lower_linkage(c, out);
            return;
        case CXCursor_FunctionDecl:
        case CXCursor_CXXMethod:
        case CXCursor_Constructor:
        case CXCursor_Destructor:
        case CXCursor_ConversionFunction:
        case CXCursor_FunctionTemplate:
            lower_function(c, out, false);
            return;
        case CXCursor_LambdaExpr:
            lower_function(c, out, true);
            return;
        case CXCursor_UsingDirective:
        case CXCursor_UsingDeclaration:
        case CXCursor_NamespaceAlias:
            add_using(c);
            return;
        case CXCursor_TypedefDecl:
        case CXCursor_TypeAliasDecl:
        case CXCursor_TypeAliasTemplateDecl:
        case CXCursor_EnumDecl:
            return;
        case CXCursor_VarDecl:
        case CXCursor_FieldDecl:
            lower_variable(c, out);
            return;
        case CXCursor_IfStmt:
            lower_if(c, out);
            return;
        case CXCursor_SwitchStmt:
            lower_switch(c, out);
            return;
        case CXCursor_CaseStmt:
        case CXCursor_DefaultStmt:
            lower_lone_case(c, out);
            return;
        case CXCursor_ForStmt:
        case CXCursor_CXXForRangeStmt:
        case CXCursor_WhileStmt:
        case CXCursor_DoStmt:
            lower_loop(c, out);
            return;
        case CXCursor_CXXTryStmt:
            lower_try(c, out);
            return;
        case CXCursor_CXXCatchStmt:
            lower_catch(c, out);
            return;
        case CXCursor_ConditionalOperator:
            lower_ternary(c, out);
            return;
        case CXCursor_BinaryOperator:
            lower_binary(c, out, false);
            return;
        case CXCursor_CompoundAssignOperator:
            lower_binary(c, out, true);
            return;
        case CXCursor_CallExpr:
            lower_call(c, children(c), out, false);
            return;
        case CXCursor_UnexposedExpr:
            lower_unexposed(c, out);
            return;
        case CXCursor_CXXNewExpr:
            lower_new(c, out);
            return;
        case CXCursor_CXXFunctionalCastExpr:
        case CXCursor_CXXStaticCastExpr:
        case CXCursor_CXXDynamicCastExpr:
        case CXCursor_CXXReinterpretCastExpr:
        case CXCursor_CXXConstCastExpr:
            lower_type_call(c, children(c), out);
            return;
        case CXCursor_StringLiteral:
            add_string(c);
            return;
        case CXCursor_GotoStmt:
        case CXCursor_IndirectGotoStmt:
            lower_goto(c, out);
            return;
        default:
            walk_children(c, out);
            return;
        }
    }

    // libclang 16 shows `extern "C" { ... }` as an unexposed declaration. Its "C" is a string
    // literal to the syntactic front end; what it holds may come from an #include inside the
    // braces, hence the main-file filter.
    [[gnu::noinline]] void lower_linkage(CXCursor c, Nodes& out) {
        const Span ls = span_of(c);
        const std::int32_t t = ls.valid ? m_map.token_starting_at(ls.begin) : -1;
        if (t >= 0 && m_map.token_text(t) != "extern" && m_class_depth == 0) {
            add_structured_binding(ls);  // the other unexposed declaration: auto [a, b] = ...
        }
        if (m_map.token_text(t) == "extern" && is_string_literal_token(m_map.token_text(t + 1)) &&
            m_seen_strings.insert(m_map.token(t + 1).start_byte).second) {
            StringLiteral str;
            str.value = lexer::decode_string_literal(m_map.token_text(t + 1), Language::cpp);
            str.range = m_map.token_range(t + 1);
            str.function = m_fn->index;
            m_model.strings.push_back(std::move(str));
        }
        walk_declarations(c, out);
    }

    [[gnu::noinline]] void lower_try(CXCursor c, Nodes& out) {
        for (CXCursor child : children(c)) {
            if (kind_of(child) == CXCursor_CXXCatchStmt) {
                lower_catch(child, out);
            } else {
                walk(child, out);  // the try block: `try` itself makes no node
            }
        }
    }

    [[gnu::noinline]] void walk_scope(CXCursor c, Nodes& out) {
        std::string name = strip_template_args(spelling(c));
        const bool named = clang_Cursor_isAnonymous(c) == 0 && !name.empty() && name[0] != '(';
        const std::string saved = m_scope;
        const bool is_class = kind_of(c) != CXCursor_Namespace;
        m_class_depth += is_class ? 1 : 0;
        if (named) {
            if (is_class) {
                // `struct Outer::Inner { ... }` is scoped as written.
                const std::int32_t t = location_token(c);
                if (m_map.token_text(t) == name) {
                    name = written_qualifier(m_map.token_range(t)) + name;
                }
            }
            m_scope = scoped(name);
        }
        walk_declarations(c, out);
        m_scope = saved;
        m_class_depth -= is_class ? 1 : 0;
    }

    // ---- functions -------------------------------------------------------------------------

    [[gnu::noinline]] void lower_function(CXCursor c, Nodes& out, bool lambda) {
        const std::vector<CXCursor> kids = children(c);
        std::size_t body = kids.size();
        for (std::size_t i = kids.size(); i-- > 0;) {
            const CXCursorKind k = kind_of(kids[i]);
            if (k == CXCursor_CompoundStmt || k == CXCursor_CXXTryStmt) {
                body = i;
                break;
            }
        }
        const Span s = span_of(c);
        if (!s.valid) {
            return;
        }
        const CXCursorKind k = kind_of(c);
        const bool has_body = body < kids.size();
        // Declarations and pure virtuals make no Function. A member defined as `= default` or
        // `= delete` does, with no body: the syntactic front end reads it as a definition.
        if (!has_body && (lambda || !is_defaulted_or_deleted(c, k, s))) {
            return;
        }
        if (has_body && !lambda && clang_isCursorDefinition(c) == 0) {
            return;
        }
        const Span body_span = has_body ? span_of(kids[body]) : Span{};
        if (has_body && !body_span.valid) {
            return;
        }
        if (lambda ? !m_seen_lambdas.insert(s.begin).second : !m_seen_functions.insert(c).second) {
            // A macro that repeats its argument; a local class reached both through its
            // declaration and through the variable declared with it.
            return;
        }

        Function f;
        f.name_range = lambda ? lambda_introducer(s) : function_name_range(c, s);
        std::string name = lambda ? std::string() : spelling(c);
        bool macro_declared = false;
        if (!lambda && m_map.text(f.name_range.start_byte, f.name_range.end_byte) != name) {
            // The name comes from a macro. `TEST(Suite, Case) { ... }` writes the body in the
            // file, and the syntactic front end reads a function named after the macro; one
            // entirely inside a macro body it does not see at all.
            const std::int32_t head = m_map.token_starting_at(s.begin);
            if (!has_body || head < 0 ||
                m_map.token_text(m_map.token_starting_at(body_span.begin)) != "{" ||
                m_map.token(head).kind != TokenKind::identifier) {
                // Not a function to a syntactic reader; what its macro's arguments wrote
                // (a lambda, a call) still belongs to the enclosing scope.
                for (CXCursor kid : kids) {
                    if (!is_reference_kind(kind_of(kid)) && kind_of(kid) != CXCursor_ParmDecl) {
                        walk(kid, out);
                    }
                }
                return;
            }
            name = std::string(m_map.token_text(head));
            f.name_range = m_map.token_range(head);
            macro_declared = true;
        }
        if (lambda) {
            // `auto name = [...](...) {...}` takes the variable's name, as in the syntactic
            // front end; other lambdas are "<lambda>".
            auto named = m_lambda_names.find(s.begin);
            f.name = named != m_lambda_names.end() && named->second.second == s.end
                         ? named->second.first
                         : "<lambda>";
            f.qualified_name = scoped(f.name);
            f.is_lambda = true;
        } else if (macro_declared) {
            f.name = std::move(name);
            f.qualified_name = scoped(f.name);
            f.is_exported = true;
        } else {
            // Named from the lexical scope and the name as written (`A::f` out of line), as
            // the syntactic front end does; calls get the semantic name in `resolved`.
            f.name = std::move(name);
            f.qualified_name = scoped(written_qualifier(f.name_range) + f.name);
            const CXCursor parent = clang_getCursorSemanticParent(c);
            if (!is_null(parent) && is_class_kind(kind_of(parent))) {
                f.class_name = strip_template_args(spelling(parent));
            }
            f.is_method = is_method_kind(k) || (k == CXCursor_FunctionTemplate && !f.class_name.empty());
            f.is_exported = clang_getCursorLinkage(c) == CXLinkage_External;
        }
        f.range = function_range(s);
        f.body_range = has_body ? range_of(body_span) : m_map.range(s.end, s.end);
        f.parent = m_fn->index;
        std::vector<bool> walk_default(kids.size(), false);
        if (macro_declared) {
            add_macro_parameters(f);
        } else {
            for (std::size_t i = 0; i < body; ++i) {
                if (kind_of(kids[i]) == CXCursor_ParmDecl) {
                    walk_default[i] = add_parameter(kids[i], f);
                }
            }
            if (!lambda && has_body && clang_Cursor_isVariadic(c) != 0) {
                add_c_varargs(f, s, body_span);
            }
        }

        const auto index = static_cast<std::int32_t>(m_model.functions.size());
        if (m_fn->index >= 0) {
            ControlNode n;
            n.kind = ControlKind::nested_function;
            n.range = f.name_range;
            n.function = index;
            out.push_back(std::move(n));
        }
        FunctionContext ctx;
        ctx.index = index;
        ctx.qualified = f.qualified_name;
        m_model.functions.push_back(std::move(f));

        struct ContextSwitch {
            FunctionContext*& slot;
            FunctionContext* saved;
            ContextSwitch(FunctionContext*& s, FunctionContext* next) : slot(s), saved(s) {
                slot = next;
            }
            ~ContextSwitch() { slot = saved; }
            ContextSwitch(const ContextSwitch&) = delete;
            ContextSwitch& operator=(const ContextSwitch&) = delete;
        } context_switch(m_fn, &ctx);
        const std::string saved_scope = m_scope;
        const int saved_class_depth = m_class_depth;
        m_scope = ctx.qualified;
        m_class_depth = 0;

        Nodes control;
        for (std::size_t i = 0; i < kids.size(); ++i) {
            const CXCursorKind kk = kind_of(kids[i]);
            if (kk == CXCursor_ParmDecl) {
                if (walk_default[i]) {
                    walk_children(kids[i], control);
                }
            } else if (!is_reference_kind(kk)) {
                walk(kids[i], control);  // member initializers, lambda captures, the body
            }
        }
        m_scope = saved_scope;
        m_class_depth = saved_class_depth;
        m_model.functions[static_cast<std::size_t>(index)].control = std::move(control);
    }

    bool is_defaulted_or_deleted(CXCursor c, CXCursorKind k, const Span& s) const {
        if (!is_method_kind(k) && k != CXCursor_FunctionTemplate) {
            return false;
        }
        if (k == CXCursor_FunctionTemplate) {
            const CXCursor parent = clang_getCursorSemanticParent(c);
            if (is_null(parent) || !is_class_kind(kind_of(parent))) {
                return false;
            }
        }
        std::int32_t last = m_map.last_token_before(s.end);
        if (m_map.token_text(last) == ";") {
            --last;
        }
        const std::string_view what = m_map.token_text(last);
        return (what == "default" || what == "delete") && m_map.token_text(last - 1) == "=";
    }

    // The definition's range, without a leading `template <...>` header (the syntactic front
    // end's function_definition starts after it).
    Range function_range(const Span& s) const {
        std::int32_t t = m_map.token_starting_at(s.begin);
        std::uint32_t begin = s.begin;
        // `[[nodiscard]] int f()`: the attributes before it are part of the definition there
        std::int32_t a = t;
        while (a > 0 && m_map.token_text(a - 1) == "]]") {
            std::int32_t k = a - 2;
            while (k >= 0 && m_map.token_text(k) != "[[") {
                --k;
            }
            if (k < 0) {
                break;
            }
            a = k;
            begin = m_map.token(a).start_byte;
        }
        while (t >= 0 && m_map.token_text(t) == "template") {
            const std::int32_t close = m_map.match_angle(t + 1);
            if (close < 0 || close + 1 >= m_map.token_count()) {
                break;
            }
            t = close + 1;
            begin = m_map.token(t).start_byte;
        }
        return m_map.range(begin, s.end);
    }

    Range function_name_range(CXCursor c, const Span& s) const {
        const CXSourceRange r = clang_Cursor_getSpellingNameRange(c, 0, 0);
        std::uint32_t b = 0;
        std::uint32_t e = 0;
        if (main_offset(clang_getRangeStart(r), b) && main_offset(clang_getRangeEnd(r), e) &&
            b < e && e <= s.end) {
            return m_map.range(b, e);
        }
        const std::int32_t t = location_token(c);
        return t >= 0 ? m_map.token_range(t) : m_map.range(s.begin, s.begin);
    }

    // `[captures]` of a lambda.
    Range lambda_introducer(const Span& s) const {
        const std::int32_t open = m_map.token_starting_at(s.begin);
        if (m_map.token_text(open) == "[") {
            const std::int32_t close = m_map.match_forward(open);
            if (close > open) {
                return m_map.tokens_range(open, close);
            }
        }
        return m_map.range(s.begin, s.begin);
    }

    // Returns true when the parameter's default value is written here (so it is walked with the
    // function); an out-of-line definition inherits the declaration's default, located elsewhere.
    bool add_parameter(CXCursor parm, Function& f) {
        Parameter p;
        p.name = spelling(parm);
        const Span ps = span_of(parm);
        if (ps.valid) {
            p.range = range_of(ps);
            const auto [first, last] = tokens_of(ps);
            int depth = 0;
            for (std::int32_t i = first; i <= last; ++i) {
                const std::string_view t = m_map.token_text(i);
                if (t == "(" || t == "[" || t == "{" || t == "<") {
                    ++depth;
                } else if (t == ")" || t == "]" || t == "}" || t == ">") {
                    --depth;
                } else if (t == "=" && depth == 0) {
                    p.has_default = true;
                    break;
                } else if (t == "...") {
                    p.variadic = true;  // a parameter pack: Args... args
                }
            }
        }
        f.params.push_back(std::move(p));
        return f.params.back().has_default;
    }

    // `TEST(Suite, Case)` read as a declarator: one unnamed parameter per macro argument.
    void add_macro_parameters(Function& f) const {
        const std::int32_t open = m_map.token_at_or_after(f.name_range.end_byte);
        if (m_map.token_text(open) != "(") {
            return;
        }
        const std::int32_t close = m_map.match_forward(open);
        if (close <= open + 1) {
            return;
        }
        std::int32_t start = open + 1;
        int depth = 0;
        for (std::int32_t i = open + 1; i <= close; ++i) {
            const std::string_view t = m_map.token_text(i);
            if (i < close && t == "<" && m_map.template_close(i, close - 1) > i) {
                i = m_map.template_close(i, close - 1);  // std::map<K, V>{}: one argument
                continue;
            }
            if (i < close && (t == "(" || t == "[" || t == "{")) {
                ++depth;
            } else if (i < close && (t == ")" || t == "]" || t == "}")) {
                --depth;
            } else if ((depth == 0 && t == ",") || i == close) {
                if (i > start) {
                    Parameter p;
                    p.range = m_map.tokens_range(start, i - 1);
                    f.params.push_back(std::move(p));
                }
                start = i + 1;
            }
        }
    }

    // C varargs: a Parameter "..." at the `...` closing the parameter list.
    void add_c_varargs(Function& f, const Span& s, const Span& body) {
        const std::int32_t first = m_map.token_at_or_after(f.name_range.end_byte);
        const std::int32_t stop = m_map.token_at_or_after(body.begin);
        if (first < 0 || stop < 0) {
            return;
        }
        for (std::int32_t i = stop - 1; i >= first; --i) {
            if (m_map.token_text(i) == "..." && m_map.token_text(i + 1) == ")" &&
                m_map.token(i).end_byte <= s.end) {
                Parameter p;
                p.name = "...";
                p.range = m_map.token_range(i);
                p.variadic = true;
                f.params.push_back(std::move(p));
                return;
            }
        }
    }

    // ---- declarations ----------------------------------------------------------------------

    [[gnu::noinline]] void lower_variable(CXCursor c, Nodes& out) {
        const Span s = span_of(c);
        const std::int32_t name = location_token(c);
        if (s.valid && name >= 0 && kind_of(c) == CXCursor_VarDecl && m_class_depth == 0 &&
            m_map.token_text(name) == spelling(c)) {
            add_declaration(s, name);
        }
        if (constant_table(s)) {
            return;
        }
        walk_children(c, out);
    }

    // `T declarator = value`, `T declarator{...}`, `T declarator(...)` read the way the syntactic
    // front end reads an init-declarator: target "T declarator" (qualifiers and storage class
    // left out), range from the declarator to the end of the value. Class members' default
    // initializers are not assignments there, so they are not here either.
    void add_declaration(const Span& s, std::int32_t name) {
        const std::int32_t first = m_map.token_at_or_after(s.begin);
        const std::int32_t last = m_map.last_token_before(s.end);
        if (is_condition_declaration(first, last)) {
            return;  // `if (T x = f())`: a condition, not an init-declarator, to tree-sitter
        }
        std::int32_t i = name + 1;
        while (i > 0 && i <= last && m_map.token_text(i) == "[") {
            i = m_map.match_forward(i) + 1;  // array bounds
        }
        while (i > 0 && i <= last && m_map.token_text(i) == ")") {
            ++i;  // a function pointer's declarator: (*fp)(int)
            if (m_map.token_text(i) == "(") {
                i = m_map.match_forward(i) + 1;
            }
        }
        if (i <= 0 || i > last) {
            return;
        }
        const std::string_view form = m_map.token_text(i);
        std::int32_t value_first = -1;
        std::int32_t value_last = -1;
        if (form == "=") {
            value_first = i + 1;
            value_last = last;
        } else if (form == "{" || form == "(") {
            value_first = i;
            value_last = m_map.match_forward(i);
        }
        if (value_first < 0 || value_last < value_first || value_last > last) {
            return;
        }
        if (form == "(" && !has_value_argument(value_first, value_last)) {
            // `T x(a, b)` with names only reads as a function declaration (the most vexing
            // parse) to a syntactic reader: no assignment there, none here.
            return;
        }
        if (form == "=" && m_map.token_text(value_first) == "[") {
            // Named only when the lambda is the whole value (not `= [] {...}()`).
            m_lambda_names[m_map.token(value_first).start_byte] = {
                std::string(m_map.token_text(name)), s.end};
        }
        const std::int32_t declarator = declarator_start(name);
        const Range range = m_map.tokens_range(declarator, value_last);
        if (!m_seen_assignments.insert(range.start_byte).second) {
            return;
        }
        Assignment a;
        // The type is written once for all the declarators of a declaration (`int a = 1, *b`);
        // a later declarator's extent may start at itself.
        a.target = declared_type(first < declarator ? first : statement_start(declarator),
                                 declarator);
        if (!a.target.empty()) {
            a.target += ' ';
        }
        a.target = truncated(a.target + m_map.compact(declarator, i - 1), k_text_limit);
        a.value = truncated(m_map.text(m_map.token(value_first).start_byte,
                                       m_map.token(value_last).end_byte),
                            k_text_limit);
        // An argument list is no expression kind (a braced list classes as other anyway).
        a.value_kind = form == "(" ? ArgKind::other
                                   : classify_tokens(m_map, value_first, value_last);
        a.range = range;
        a.function = m_fn->index;
        a.loop = innermost_loop();
        a.is_declaration = true;
        m_model.assignments.push_back(std::move(a));
    }

    // Where the declarator around the name at `name` begins: its pointer and reference marks
    // with their qualifiers (`* const p`) and, for a function pointer, the parenthesis opening
    // `(*fp)(int)`.
    std::int32_t declarator_start(std::int32_t name) const {
        std::int32_t d = name;
        while (d > 0) {
            const std::string_view p = m_map.token_text(d - 1);
            if (p == "*" || p == "&" || p == "&&" || p == "(") {
                --d;
                continue;
            }
            if (p == "const" || p == "volatile" || p == "restrict" || p == "__restrict") {
                std::int32_t q = d - 1;
                while (q > 0 && (m_map.token_text(q - 1) == "const" ||
                                 m_map.token_text(q - 1) == "volatile")) {
                    --q;
                }
                const std::string_view mark = m_map.token_text(q - 1);
                if (q > 0 && (mark == "*" || mark == "&" || mark == "&&")) {
                    d = q - 1;  // `* const`: a qualified pointer
                    continue;
                }
            }
            break;
        }
        return d;
    }

    // `auto [a, b] = value;` (a structured binding, which libclang does not expose as a
    // variable): an Assignment to "auto [a,b]".
    void add_structured_binding(const Span& s) {
        const auto [first, last] = tokens_of(s);
        std::int32_t open = first;
        while (open <= last && m_map.token_text(open) != "[") {
            ++open;
        }
        const std::int32_t close = open <= last ? m_map.match_forward(open) : -1;
        if (close < 0 || close >= last || is_condition_declaration(first, last)) {
            return;
        }
        const std::int32_t i = close + 1;
        const std::string_view form = m_map.token_text(i);
        const std::int32_t value_first = form == "=" ? i + 1 : i;
        const std::int32_t value_last =
            form == "=" ? last : (form == "{" || form == "(" ? m_map.match_forward(i) : -1);
        if (value_last < value_first || value_last > last) {
            return;
        }
        const std::int32_t declarator = declarator_start(open);  // `auto& [a, b]`
        const Range range = m_map.tokens_range(declarator, value_last);
        if (!m_seen_assignments.insert(range.start_byte).second) {
            return;
        }
        Assignment a;
        a.target = declared_type(first, declarator);
        if (!a.target.empty()) {
            a.target += ' ';
        }
        a.target = truncated(a.target + m_map.compact(declarator, close), k_text_limit);
        a.value = truncated(m_map.text(m_map.token(value_first).start_byte,
                                       m_map.token(value_last).end_byte),
                            k_text_limit);
        a.value_kind = form == "=" ? classify_tokens(m_map, value_first, value_last)
                                   : ArgKind::other;
        a.range = range;
        a.function = m_fn->index;
        a.loop = innermost_loop();
        a.is_declaration = true;
        m_model.assignments.push_back(std::move(a));
    }

    // A declaration that is the condition of an if / while / switch: `(` before it, `)` after.
    bool is_condition_declaration(std::int32_t first, std::int32_t last) const {
        const std::int32_t open = statement_start(first + 1) - 1;
        const std::string_view keyword = m_map.token_text(open - 1);
        return m_map.token_text(open) == "(" &&
               (keyword == "if" || keyword == "while" || keyword == "switch" ||
                keyword == "constexpr") &&
               m_map.token_text(last + 1) == ")";
    }

    // Whether some argument of `(a, b)` at open..close is a value rather than a type-like name
    // (a literal, an operator, a member access, a call).
    bool has_value_argument(std::int32_t open, std::int32_t close) const {
        if (close == open + 1) {
            return false;  // `T x()` declares a function
        }
        bool arg_start = true;
        for (std::int32_t i = open + 1; i < close; ++i) {
            const std::string_view t = m_map.token_text(i);
            const TokenKind k = m_map.token(i).kind;
            if (t == "<" && m_map.template_close(i, close - 1) > i) {
                i = m_map.template_close(i, close - 1);
                continue;
            }
            if (t == ",") {
                arg_start = true;
                continue;
            }
            const bool value_keyword = t == "new" || t == "this" || t == "sizeof" ||
                                       t == "alignof" || t == "true" || t == "false" ||
                                       t == "nullptr" || t == "NULL" || t == "typeid";
            const bool name = (k == TokenKind::identifier || k == TokenKind::keyword) &&
                              !value_keyword;
            if (arg_start && !name) {
                return true;  // starts with a literal, `&x`, `new`, `(`, ...
            }
            if (t == "(") {
                // `count()` could be a parameter of function type: still a declaration
                const std::int32_t inner = m_map.match_forward(i);
                if (inner < 0 || inner >= close || has_value_argument(i, inner) ||
                    (inner > i + 1 && m_map.token(i + 1).kind == TokenKind::literal)) {
                    return true;
                }
                i = inner;
                continue;
            }
            if (!name && t != "::" && t != "*" && t != "&" && t != "&&") {
                return true;
            }
            arg_start = false;
        }
        return false;
    }

    // The first token of the declaration statement holding token `at`: after the previous
    // `;`, `{` or `}`, or after the `(` of a for / if header.
    std::int32_t statement_start(std::int32_t at) const {
        std::int32_t i = at - 1;
        for (int budget = 512; i >= 0 && budget > 0; --i, --budget) {
            const std::string_view t = m_map.token_text(i);
            if (t == "}") {
                // a braced initializer of an earlier declarator (`int a[] = {1}, b = 2`)
                const std::int32_t open = m_map.match_backward(i);
                const std::string_view before = m_map.token_text(open - 1);
                if (open > 0 && (before == "=" || before == "," || m_map.token(open - 1).kind ==
                                                                      TokenKind::identifier)) {
                    i = open;
                    continue;
                }
                break;
            }
            if (t == ")" || t == "]") {
                i = m_map.match_backward(i);
                if (i < 0) {
                    break;
                }
                continue;
            }
            if (t == ";" || t == "{" || t == "(") {
                break;
            }
        }
        return i + 1;
    }

    // The type of a declaration as written, from its first token: storage classes and
    // qualifiers skipped (`static const char* p` gives "char"), up to the first declarator.
    std::string declared_type(std::int32_t first, std::int32_t limit) const {
        static constexpr std::array<std::string_view, 14> k_skip = {
            "static",   "extern",       "const",       "volatile", "register",
            "inline",   "constexpr",    "thread_local", "mutable",  "_Thread_local",
            "__thread", "constinit",    "typename",    "restrict"};
        std::int32_t i = first;
        while (i < limit && std::find(k_skip.begin(), k_skip.end(), m_map.token_text(i)) != k_skip.end()) {
            ++i;
        }
        const std::int32_t begin = i;
        std::int32_t end = -1;
        for (; i < limit; ++i) {
            const std::string_view t = m_map.token_text(i);
            if (t == "<") {
                const std::int32_t close = m_map.match_angle(i);
                if (close < 0 || close >= limit) {
                    break;
                }
                end = i = close;
                continue;
            }
            if (t == "{" && i > begin) {
                const std::string_view b = m_map.token_text(begin);
                if (b == "struct" || b == "class" || b == "union" || b == "enum") {
                    // `struct S { ... } s = ...`: the type is the whole specifier, as written.
                    const std::int32_t close = m_map.match_forward(i);
                    if (close > i && close < limit) {
                        end = i = close;
                        continue;
                    }
                }
            }
            if (t == "*" || t == "&" || t == "&&" || t == "[" || t == "(" || t == "=" ||
                t == "," || t == ";" || t == "{") {
                break;
            }
            if (m_map.token(i).kind == TokenKind::identifier) {
                const std::string_view next = m_map.token_text(i + 1);
                if (next == "=" || next == "," || next == ";" || next == "[" || next == "(" ||
                    next == "{" || next == ")" || next == ":") {
                    break;  // the declarator's name
                }
            }
            end = i;
        }
        if (end < begin) {
            return {};
        }
        return truncated(
            trim(m_map.text(m_map.token(begin).start_byte, m_map.token(end).end_byte)),
            k_text_limit);
    }

    // A C file-scope initializer is a constant expression: it holds no call, lambda or
    // function, so only string literals can come out of it. Generated parsers and lookup tables
    // have initializers of a million nodes; a token scan is much cheaper than walking them.
    bool constant_table(const Span& s) const {
        if (m_model.language != Language::c || m_fn->index >= 0 || !s.valid) {
            return false;
        }
        const auto [first, last] = tokens_of(s);
        if (last - first < 64) {
            return false;
        }
        for (std::int32_t i = first; i <= last; ++i) {
            if (m_map.token(i).kind == TokenKind::literal &&
                is_string_literal_token(m_map.token_text(i))) {
                return false;
            }
        }
        return true;
    }

    [[gnu::noinline]] void add_using(CXCursor c) {
        const Span s = span_of(c);
        const auto [first, last] = tokens_of(s);
        if (last < first) {
            return;
        }
        std::int32_t end = last;
        if (m_map.token_text(end) == ";") {
            --end;
        }
        UsingInfo u;
        const CXCursorKind k = kind_of(c);
        if (k == CXCursor_UsingDirective) {
            if (m_map.token_text(first) != "using" || m_map.token_text(first + 1) != "namespace") {
                return;
            }
            u.kind = UsingInfo::Kind::directive;
            u.module = m_map.compact(first + 2, end, 512);
        } else if (k == CXCursor_UsingDeclaration) {
            if (m_map.token_text(first) != "using") {
                return;
            }
            std::int32_t b = first + 1;
            if (m_map.token_text(b) == "typename") {
                ++b;
            }
            const std::string qualified = m_map.compact(b, end, 512);
            const std::size_t sep = qualified.rfind("::");
            if (sep == std::string::npos) {
                return;
            }
            u.kind = UsingInfo::Kind::declaration;
            u.module = qualified.substr(0, sep);
            u.name = qualified.substr(sep + 2);
            u.alias = u.name;
        } else {
            // namespace alias = target
            if (m_map.token_text(first) != "namespace" || m_map.token_text(first + 2) != "=") {
                return;
            }
            u.kind = UsingInfo::Kind::alias;
            u.alias = std::string(m_map.token_text(first + 1));
            u.module = m_map.compact(first + 3, end, 512);
        }
        if (u.module.rfind("::", 0) == 0) {
            u.module.erase(0, 2);
        }
        if (u.module.empty()) {
            return;
        }
        Import imp;
        imp.module = u.module;
        imp.name = u.name;
        imp.alias = u.alias;
        // The declaration's `;` belongs to it (clang's extent stops before it).
        const std::int32_t range_last = m_map.token_text(last + 1) == ";" ? last + 1 : last;
        imp.range = m_map.tokens_range(first, range_last);
        m_model.imports.push_back(std::move(imp));
        m_usings.push_back(std::move(u));
    }

    [[gnu::noinline]] void add_string(CXCursor c) {
        const Span s = span_of(c);
        const auto [first, last] = tokens_of(s);
        if (last < first || m_map.token(first).start_byte != s.begin ||
            !is_string_literal_token(m_map.token_text(first))) {
            return;  // from a macro body (__FILE__, #x) or an implicit string
        }
        // One entry per literal: `"a" "b"` is two, as the syntactic front end records them.
        for (std::int32_t i = first; i <= last; ++i) {
            const std::string_view t = m_map.token_text(i);
            if (!is_string_literal_token(t) ||
                !m_seen_strings.insert(m_map.token(i).start_byte).second) {
                continue;
            }
            StringLiteral str;
            str.value = truncated(lexer::decode_string_literal(t, Language::cpp), k_string_limit);
            str.range = m_map.token_range(i);
            str.function = m_fn->index;
            m_model.strings.push_back(std::move(str));
        }
    }

    // ---- statements ------------------------------------------------------------------------

    // An if / else-if / else chain: If, ElseIf..., Else as siblings in `out`.
    [[gnu::noinline]] void lower_if(CXCursor c, Nodes& out) {
        CXCursor current = c;
        ControlKind kind = ControlKind::if_;
        for (;;) {
            const std::vector<CXCursor> kids = children(current);
            const Span s = span_of(current);
            const std::int32_t kw = keyword_at(s, "if");
            if (kw < 0 || !first_time(kind, m_map.token(kw).start_byte)) {
                // From a macro body: no node, but what the branches contain still counts.
                walk_all(kids, out);
                return;
            }
            ControlNode node;
            node.kind = kind;
            // An else-if points at `else if`, an if at `if`.
            node.range = kind == ControlKind::else_if ? m_map.tokens_range(kw - 1, kw)
                                                      : m_map.token_range(kw);
            std::int32_t open = kw + 1;
            while (open < kw + 3 && m_map.token_text(open) != "(") {
                ++open;  // if constexpr (...), if ! consteval
            }
            const std::int32_t close = m_map.token_text(open) == "(" ? m_map.match_forward(open) : -1;
            const std::uint32_t header_end =
                close >= 0 ? m_map.token(close).end_byte : m_map.token(kw).end_byte;

            bool then_done = false;
            std::int32_t else_tok = -1;
            CXCursor else_kid = clang_getNullCursor();
            for (CXCursor kid : kids) {
                const Span ks = span_of(kid);
                if (!then_done) {
                    walk(kid, node.children);  // init, condition variable, condition, then
                    if (ks.valid && ks.begin >= header_end) {
                        then_done = true;
                        std::int32_t after = m_map.token_at_or_after(ks.end);
                        if (m_map.token_text(after) == ";") {
                            ++after;  // an expression statement's extent ends before its ';'
                        }
                        if (m_map.token_text(after) == "else") {
                            else_tok = after;
                        }
                    }
                    continue;
                }
                if (else_tok >= 0 && ks.valid && ks.begin >= m_map.token(else_tok).end_byte &&
                    is_null(else_kid)) {
                    else_kid = kid;
                } else {
                    walk(kid, node.children);
                }
            }
            out.push_back(std::move(node));
            if (is_null(else_kid)) {
                return;
            }
            if (kind_of(else_kid) == CXCursor_IfStmt &&
                keyword_at(span_of(else_kid), "if") == else_tok + 1) {
                current = else_kid;  // `else if`: the next arm is a sibling
                kind = ControlKind::else_if;
                continue;
            }
            ControlNode e;
            e.kind = ControlKind::else_;
            e.range = m_map.token_range(else_tok);
            walk(else_kid, e.children);
            out.push_back(std::move(e));
            return;
        }
    }

    [[gnu::noinline]] void lower_switch(CXCursor c, Nodes& out) {
        const std::vector<CXCursor> kids = children(c);
        const Span s = span_of(c);
        const std::int32_t kw = keyword_at(s, "switch");
        if (kw < 0 || kids.empty() || !first_time(ControlKind::switch_, m_map.token(kw).start_byte)) {
            walk_all(kids, out);
            return;
        }
        ControlNode node;
        node.kind = ControlKind::switch_;
        node.range = m_map.token_range(kw);
        for (std::size_t i = 0; i + 1 < kids.size(); ++i) {
            walk(kids[i], node.children);  // init, condition
        }
        const CXCursor body = kids.back();
        bool has_case = false;
        if (kind_of(body) == CXCursor_CompoundStmt) {
            for (CXCursor stmt : children(body)) {
                add_switch_statement(stmt, node, has_case);
            }
        } else {
            add_switch_statement(body, node, has_case);
        }
        out.push_back(std::move(node));
    }

    // clang nests `case 1: case 2: stmt` as Case(1, Case(2, stmt)) and leaves the statements
    // after a label as siblings of it; the tree-sitter shape has one Case per label holding the
    // statements up to the next label.
    void add_switch_statement(CXCursor stmt, ControlNode& sw, bool& has_case) {
        CXCursor current = stmt;
        for (;;) {
            const CXCursorKind k = kind_of(current);
            if (k != CXCursor_CaseStmt && k != CXCursor_DefaultStmt) {
                break;
            }
            const bool is_default = k == CXCursor_DefaultStmt;
            const std::int32_t kw = keyword_at(span_of(current), is_default ? "default" : "case");
            const std::vector<CXCursor> kids = children(current);
            if (kw < 0 || kids.empty()) {
                break;  // a label from a macro: an ordinary statement
            }
            ControlNode cn;
            cn.kind = ControlKind::case_;
            cn.flags = is_default ? control_flag::k_default : 0;
            cn.range = m_map.token_range(kw);
            for (std::size_t i = 0; i + 1 < kids.size(); ++i) {
                walk(kids[i], cn.children);  // the label's value
            }
            sw.children.push_back(std::move(cn));
            has_case = true;
            current = kids.back();
        }
        walk(current, has_case ? sw.children.back().children : sw.children);
    }

    // A case label outside the switch body's own statement list (Duff's device).
    [[gnu::noinline]] void lower_lone_case(CXCursor c, Nodes& out) {
        const bool is_default = kind_of(c) == CXCursor_DefaultStmt;
        const std::int32_t kw = keyword_at(span_of(c), is_default ? "default" : "case");
        if (kw < 0) {
            walk_children(c, out);
            return;
        }
        ControlNode cn;
        cn.kind = ControlKind::case_;
        cn.flags = is_default ? control_flag::k_default : 0;
        cn.range = m_map.token_range(kw);
        walk_children(c, cn.children);
        out.push_back(std::move(cn));
    }

    enum class Role : std::uint8_t { outer, condition, body };

    void walk_in_loop(CXCursor kid, Role role, std::int32_t loop, Nodes& out) {
        if (role == Role::outer) {
            walk(kid, out);
            return;
        }
        const bool saved = m_fn->in_loop_condition;
        m_fn->loops.push_back(loop);
        m_fn->in_loop_condition = role == Role::condition;
        walk(kid, out);
        m_fn->in_loop_condition = saved;
        m_fn->loops.pop_back();
    }

    [[gnu::noinline]] void lower_loop(CXCursor c, Nodes& out) {
        const CXCursorKind k = kind_of(c);
        const std::vector<CXCursor> kids = children(c);
        const Span s = span_of(c);
        LoopKind lk = LoopKind::for_;
        std::string_view keyword = "for";
        if (k == CXCursor_CXXForRangeStmt) {
            lk = LoopKind::for_each;
        } else if (k == CXCursor_WhileStmt) {
            lk = LoopKind::while_;
            keyword = "while";
        } else if (k == CXCursor_DoStmt) {
            lk = LoopKind::do_while;
            keyword = "do";
        }
        const std::int32_t kw = keyword_at(s, keyword);
        if (kids.empty() || (kw >= 0 && !first_time(ControlKind::loop, m_map.token(kw).start_byte))) {
            walk_all(kids, out);
            return;
        }
        const bool spelled = kw >= 0;
        if (!spelled && lk == LoopKind::do_while) {
            walk_all(kids, out);  // `do { ... } while (0)` inside a macro body runs once
            return;
        }
        // A loop from a macro body is still recorded (calls in it do run in a loop) but gets no
        // control node: the syntactic front end does not see it.

        // The header's parentheses and separators.
        std::int32_t open = -1;
        std::int32_t close = -1;
        std::int32_t while_tok = -1;
        if (spelled) {
            if (lk == LoopKind::do_while) {
                const Span body = span_of(kids.front());
                while_tok = body.valid ? m_map.token_at_or_after(body.end) : -1;
                if (m_map.token_text(while_tok) == "while") {
                    open = while_tok + 1;
                }
            } else {
                open = kw + 1;
            }
            close = m_map.token_text(open) == "(" ? m_map.match_forward(open) : -1;
        }
        std::int32_t semi1 = -1;
        std::int32_t semi2 = -1;
        std::int32_t colon = -1;
        if (close > open && open >= 0) {
            int depth = 0;
            for (std::int32_t i = open + 1; i < close; ++i) {
                const std::string_view t = m_map.token_text(i);
                if (t == "(" || t == "[" || t == "{") {
                    ++depth;
                } else if (t == ")" || t == "]" || t == "}") {
                    --depth;
                } else if (depth == 0 && t == ";") {
                    (semi1 < 0 ? semi1 : semi2) = i;
                    colon = -1;
                } else if (depth == 0 && t == ":" && colon < 0) {
                    colon = i;
                }
            }
        }

        Loop loop;
        loop.kind = lk;
        loop.range = s.valid ? range_of(s) : Range{};
        loop.function = m_fn->index;
        loop.parent = innermost_loop();
        loop.depth = static_cast<std::uint16_t>(m_fn->loops.size() + 1);
        if (close >= 0) {
            const std::int32_t head = lk == LoopKind::do_while ? while_tok : kw;
            // do-while's header is `while (cond);`, with its semicolon.
            const std::int32_t tail =
                lk == LoopKind::do_while && m_map.token_text(close + 1) == ";" ? close + 1 : close;
            loop.header_range = m_map.tokens_range(head, tail);
        } else if (spelled) {
            loop.header_range = m_map.token_range(kw);
        } else {
            const std::int32_t t = m_map.token_starting_at(s.begin);
            loop.header_range = t >= 0 ? m_map.token_range(t) : loop.range;
        }
        const Span body_span = span_of(lk == LoopKind::do_while ? kids.front() : kids.back());
        if (body_span.valid) {
            loop.body_range = range_of(body_span);
        }
        auto text_between = [&](std::int32_t a, std::int32_t b) {
            if (a < 0 || b <= a + 1) {
                return std::string();
            }
            return truncated(trim(m_map.text(m_map.token(a).end_byte, m_map.token(b).start_byte)),
                             k_text_limit);
        };
        if (lk == LoopKind::for_) {
            loop.condition = text_between(semi1, semi2);
        } else if (lk == LoopKind::while_ || lk == LoopKind::do_while) {
            loop.condition = text_between(open, close);
        } else if (colon >= 0) {
            loop.target = text_between(colon, close);
        }
        const auto index = static_cast<std::int32_t>(m_model.loops.size());
        m_model.loops.push_back(std::move(loop));

        ControlNode node;
        node.kind = ControlKind::loop;
        node.flags = lk == LoopKind::do_while ? control_flag::k_do_while : 0;
        if (spelled) {
            node.range = m_map.token_range(kw);
        }
        Nodes& target = spelled ? node.children : out;
        const std::uint32_t close_begin = close >= 0 ? m_map.token(close).start_byte : 0;
        for (std::size_t i = 0; i < kids.size(); ++i) {
            const CXCursor kid = kids[i];
            const Span ks = span_of(kid);
            Role role = Role::body;
            if (lk == LoopKind::do_while) {
                role = i == 0 ? Role::body : Role::condition;
            } else if (close < 0 || !ks.valid) {
                // Header unknown (macro): the last child is the body, the rest the header.
                const bool last = i + 1 == kids.size();
                role = last ? Role::body
                            : (lk == LoopKind::for_each ? Role::outer : Role::condition);
            } else if (ks.begin >= close_begin) {
                role = Role::body;
            } else if (lk == LoopKind::for_each) {
                role = Role::outer;  // the range is evaluated once
                if (colon < 0 || ks.begin < m_map.token(colon).start_byte) {
                    add_loop_variables(kid, index);
                }
            } else if (lk == LoopKind::for_ && (semi1 < 0 || ks.begin < m_map.token(semi1).end_byte)) {
                role = Role::outer;  // for-init runs once
                add_for_init_variables(kid, index);
            } else {
                role = Role::condition;
            }
            walk_in_loop(kid, role, index, target);
        }
        if (spelled) {
            out.push_back(std::move(node));
        }
    }

    // `for (int i = 0, j = 1; ...)` declares i and j; `for (i = 0; ...)` assigns i.
    void add_for_init_variables(CXCursor init, std::int32_t loop) {
        std::vector<std::string>& vars = m_model.loops[static_cast<std::size_t>(loop)].variables;
        const CXCursorKind k = kind_of(init);
        if (k == CXCursor_DeclStmt) {
            for (CXCursor child : children(init)) {
                if (kind_of(child) == CXCursor_VarDecl) {
                    vars.push_back(spelling(child));
                }
            }
        } else if (k == CXCursor_BinaryOperator) {
            const std::vector<CXCursor> kids = children(init);
            const std::int32_t op = binary_operator(kids);
            if (m_map.token_text(op) == "=") {
                const auto [first, last] = tokens_of(span_of(kids[0]));
                if (first <= last) {
                    vars.push_back(std::string(trim(m_map.text(m_map.token(first).start_byte,
                                                                m_map.token(last).end_byte))));
                }
            }
        }
    }

    void add_loop_variables(CXCursor decl, std::int32_t loop) {
        std::vector<std::string>& vars = m_model.loops[static_cast<std::size_t>(loop)].variables;
        const CXCursorKind k = kind_of(decl);
        if (k == CXCursor_VarDecl) {
            vars.push_back(spelling(decl));
        } else if (k == CXCursor_UnexposedDecl) {
            // auto [a, b] : a structured binding, its names are its children
            for (CXCursor child : children(decl)) {
                if (kind_of(child) == CXCursor_UnexposedDecl || kind_of(child) == CXCursor_VarDecl) {
                    vars.push_back(spelling(child));
                }
            }
        }
    }

    [[gnu::noinline]] void lower_catch(CXCursor c, Nodes& out) {
        const std::vector<CXCursor> kids = children(c);
        const std::int32_t kw = keyword_at(span_of(c), "catch");
        ++m_fn->handler_depth;
        if (kw < 0 || !first_time(ControlKind::catch_, m_map.token(kw).start_byte)) {
            walk_all(kids, out);
        } else {
            ControlNode node;
            node.kind = ControlKind::catch_;
            node.range = m_map.token_range(kw);
            walk_all(kids, node.children);
            out.push_back(std::move(node));
        }
        --m_fn->handler_depth;
    }

    [[gnu::noinline]] void lower_goto(CXCursor c, Nodes& out) {
        const std::int32_t kw = keyword_at(span_of(c), "goto");
        if (kw >= 0 && first_time(ControlKind::jump, m_map.token(kw).start_byte)) {
            ControlNode node;
            node.kind = ControlKind::jump;
            node.flags = control_flag::k_goto;
            node.range = m_map.token_range(kw);
            out.push_back(std::move(node));
        }
        walk_children(c, out);
    }

    // ---- expressions -----------------------------------------------------------------------

    [[gnu::noinline]] void lower_ternary(CXCursor c, Nodes& out) {
        const std::vector<CXCursor> kids = children(c);
        if (kids.size() == 3) {
            const Span cond = span_of(kids[0]);
            const Span then = span_of(kids[1]);
            const std::int32_t q = cond.valid ? m_map.token_at_or_after(cond.end) : -1;
            if (m_map.token_text(q) == "?" && then.valid && m_map.token(q).end_byte <= then.begin &&
                first_time(ControlKind::ternary, m_map.token(q).start_byte)) {
                ControlNode node;
                node.kind = ControlKind::ternary;
                node.range = m_map.token_range(q);
                walk_all(kids, node.children);
                out.push_back(std::move(node));
                return;
            }
        }
        walk_all(kids, out);
    }

    // The operator token of a binary expression whose operands are `kids`, when spelled between
    // them; -1 otherwise.
    std::int32_t binary_operator(const std::vector<CXCursor>& kids) const {
        if (kids.size() != 2) {
            return -1;
        }
        const Span lhs = span_of(kids[0]);
        const Span rhs = span_of(kids[1]);
        if (!lhs.valid || !rhs.valid) {
            return -1;
        }
        const std::int32_t op = m_map.token_at_or_after(lhs.end);
        if (op < 0 || m_map.token(op).end_byte > rhs.begin) {
            return -1;
        }
        return op;
    }

    [[gnu::noinline]] void lower_binary(CXCursor c, Nodes& out, bool compound) {
        const std::vector<CXCursor> kids = children(c);
        const std::int32_t op = binary_operator(kids);
        const std::string_view text = m_map.token_text(op);
        if (!compound && is_logical_operator(text)) {
            lower_logical(kids, op, out);
            return;
        }
        if (op >= 0 && (text == "=" || (compound && text.size() >= 2 && text.back() == '='))) {
            add_assignment(span_of(c), kids[0], kids[1], compound);
        }
        walk_all(kids, out);
    }

    // A maximal run of && / || in one expression: `a && b && c` is one sequence, `a && b || c`
    // two. A parenthesised group, a negation or a call argument starts a run of its own, a
    // child of this one (the rule's documented reading, and the syntactic front end's).
    [[gnu::noinline]] void lower_logical(const std::vector<CXCursor>& kids, std::int32_t op, Nodes& out) {
        struct Item {
            CXCursor cursor;
            std::int32_t op;  // >= 0: an operator token, in source order
        };
        std::vector<Item> stack = {{kids[1], -1}, {clang_getNullCursor(), op}, {kids[0], -1}};
        std::vector<std::int32_t> ops;
        std::vector<CXCursor> operands;
        while (!stack.empty()) {
            const Item item = stack.back();
            stack.pop_back();
            if (item.op >= 0) {
                ops.push_back(item.op);
                continue;
            }
            // Look through implicit conversions only: they are not written.
            CXCursor inner = item.cursor;
            std::vector<CXCursor> inner_kids;
            for (;;) {
                if (kind_of(inner) != CXCursor_UnexposedExpr) {
                    break;
                }
                inner_kids = children(inner);
                if (inner_kids.size() != 1) {
                    break;
                }
                inner = inner_kids.front();
            }
            if (kind_of(inner) == CXCursor_BinaryOperator) {
                inner_kids = children(inner);
                const std::int32_t inner_op = binary_operator(inner_kids);
                if (is_logical_operator(m_map.token_text(inner_op))) {
                    stack.push_back({inner_kids[1], -1});
                    stack.push_back({clang_getNullCursor(), inner_op});
                    stack.push_back({inner_kids[0], -1});
                    continue;
                }
            }
            operands.push_back(item.cursor);
        }
        if (!first_time(ControlKind::logical_run, m_map.token(ops.front()).start_byte)) {
            walk_all(operands, out);
            return;
        }
        ControlNode node;
        node.kind = ControlKind::logical_run;
        node.range = m_map.token_range(ops.front());
        node.operators = static_cast<std::uint16_t>(std::min<std::size_t>(ops.size(), 0xFFFF));
        std::uint16_t sequences = 1;
        for (std::size_t i = 1; i < ops.size(); ++i) {
            if (normalized_logical(m_map.token_text(ops[i])) !=
                normalized_logical(m_map.token_text(ops[i - 1]))) {
                ++sequences;
            }
        }
        node.sequences = sequences;
        walk_all(operands, node.children);
        out.push_back(std::move(node));
    }

    void add_assignment(const Span& s, CXCursor lhs, CXCursor rhs, bool augmented) {
        const Span ls = span_of(lhs);
        const Span rs = span_of(rhs);
        if (!s.valid || !ls.valid || !rs.valid || !m_seen_assignments.insert(s.begin).second) {
            return;
        }
        const auto [lf, ll] = tokens_of(ls);
        const auto [rf, rl] = tokens_of(rs);
        Assignment a;
        a.target = m_map.compact(lf, ll);
        a.value = truncated(m_map.text(rs.begin, rs.end), k_text_limit);
        a.value_kind = classify_tokens(m_map, rf, rl);
        a.range = range_of(s);
        a.function = m_fn->index;
        a.loop = innermost_loop();
        // a.b = ... / p->b = ... (not a[i] = ... nor f(a.b) = ...)
        const std::string_view access = m_map.token_text(ll - 1);
        a.is_member = ll > lf && (access == "." || access == "->") &&
                      m_map.token(ll).kind == TokenKind::identifier &&
                      m_map.token(lf).kind != TokenKind::op;
        a.is_augmented = augmented;
        m_model.assignments.push_back(std::move(a));
    }

    // clang keeps a call to an undeclared function (a missing header) as a recovery
    // expression: callee reference first, then the arguments.
    [[gnu::noinline]] void lower_unexposed(CXCursor c, Nodes& out) {
        std::vector<CXCursor> kids = children(c);
        if (!kids.empty()) {
            const CXCursorKind k0 = kind_of(kids[0]);
            if (k0 == CXCursor_DeclRefExpr || k0 == CXCursor_MemberRefExpr) {
                const CXCursor ref = clang_getCursorReferenced(kids[0]);
                if (!is_null(ref) && kind_of(ref) == CXCursor_OverloadedDeclRef) {
                    const Span s = span_of(c);
                    const Span callee = span_of(kids[0]);
                    const std::int32_t last = s.valid ? m_map.last_token_before(s.end) : -1;
                    if (callee.valid && m_map.token_text(last) == ")" &&
                        m_map.match_backward(last) == m_map.token_at_or_after(callee.end)) {
                        lower_call(c, std::move(kids), out, true);
                        return;
                    }
                }
            }
        }
        walk_all(kids, out);
    }

    [[gnu::noinline]] void lower_call(CXCursor c, std::vector<CXCursor> kids, Nodes& out, bool recovery) {
        CXCursor decl = recovery ? clang_getNullCursor() : clang_getCursorReferenced(c);
        if (is_null(decl) && !kids.empty()) {
            const CXCursor r = clang_getCursorReferenced(kids[0]);
            if (!is_null(r) && kind_of(r) == CXCursor_OverloadedDeclRef) {
                // A dependent call in a template, or an undeclared name.
                if (clang_getNumOverloadedDecls(r) > 0) {
                    decl = clang_getOverloadedDecl(r, 0);
                }
            }
        }
        const CXCursorKind dk = is_null(decl) ? CXCursor_NoDeclFound : kind_of(decl);
        if (dk == CXCursor_Constructor) {
            // `T(a, b)` names its type (a TypeRef child) and reads as a call; a variable's
            // initialization and implicit constructions do not. `new T` is lower_new's.
            const bool written = std::any_of(kids.begin(), kids.end(), [](CXCursor k) {
                return kind_of(k) == CXCursor_TypeRef || kind_of(k) == CXCursor_TemplateRef;
            });
            if (written) {
                lower_type_call(c, kids, out);
            } else {
                walk_all(kids, out);
            }
            return;
        }
        const std::string decl_name = is_null(decl) ? std::string() : spelling(decl);
        const bool functor = decl_name == "operator()";
        if (is_operator_name(decl_name) && !functor) {
            if (is_assignment_operator(decl_name) && clang_Cursor_getNumArguments(c) == 2) {
                const CXCursor lhs = clang_Cursor_getArgument(c, 0);
                const CXCursor rhs = clang_Cursor_getArgument(c, 1);
                const Span ls = span_of(lhs);
                const std::int32_t op = ls.valid ? m_map.token_at_or_after(ls.end) : -1;
                if (m_map.token_text(op) == std::string_view(decl_name).substr(8)) {
                    add_assignment(span_of(c), lhs, rhs, decl_name != "operator=");
                }
            }
            walk_all(kids, out);  // an overloaded operator: not a call syntactically
            return;
        }

        const Span s = span_of(c);
        const CXCursor callee_cursor = kids.empty() ? clang_getNullCursor() : kids[0];
        std::int32_t name_tok = is_null(callee_cursor) ? -1 : location_token(callee_cursor);
        const std::int32_t first = s.valid ? m_map.token_starting_at(s.begin) : -1;
        const std::int32_t last = s.valid ? m_map.last_token_before(s.end) : -1;
        std::int32_t lparen = -1;
        if (first >= 0 && last > first && m_map.token(last).end_byte == s.end &&
            m_map.token_text(last) == ")") {
            const std::int32_t open = m_map.match_backward(last);
            if (open > first) {
                lparen = open;
            }
        }
        // The name clang resolved must be written as the callee's last name (`ns::f<T>(...)`);
        // otherwise the call comes from a macro body and is attributed to the invocation.
        if (lparen >= 0 && !decl_name.empty() && !functor && decl_name[0] != '~') {
            std::int32_t n = lparen - 1;
            if (m_map.token_text(n) == ">" || m_map.token_text(n) == ">>") {
                n = match_angle_backward(n) - 1;
            }
            if (n >= first && m_map.token_text(n) == decl_name) {
                name_tok = n;
            } else if (m_map.token_text(name_tok) != decl_name) {
                lparen = -1;
            }
        }

        CallSite call;
        if (lparen >= 0) {
            call.callee = m_map.compact(first, lparen - 1);
            call.callee_range = m_map.tokens_range(first, lparen - 1);
        } else if (!decl_name.empty() && !functor && s.valid) {
            const std::int32_t at = name_tok >= 0 ? name_tok : first;
            if (at < 0) {
                walk_all(kids, out);
                return;
            }
            call.callee = decl_name;
            call.callee_range = m_map.token_range(at);
        } else {
            walk_all(kids, out);  // implicit (conversions) or unresolvable
            return;
        }
        split_callee(call.callee, call.receiver, call.name);
        if (functor) {
            call.resolved = call.callee;  // a lambda or function object: its variable
        } else if (!is_null(decl) && is_function_kind(dk) && !is_member_function(decl, dk)) {
            // A free function by its declaration's name: through using-directives and
            // -declarations, namespace aliases and inline namespaces, as written elsewhere.
            call.resolved = qualified_name(decl);
        } else if (!is_null(decl) && is_function_kind(dk)) {
            // A method keeps the name it is called by (`client.send`, `Store::make`), as in
            // the syntactic front end that the rules were written against.
            call.resolved = resolve_textually(call.callee);
        } else if (is_null(decl)) {
            call.resolved = resolve_textually(call.callee);
        } else {
            call.resolved = call.callee;  // a function pointer, a std::function, ...
        }
        if (!m_seen_calls.insert({call.callee_range.start_byte, call.resolved}).second) {
            walk_all(kids, out);  // a macro that repeats its argument
            return;
        }
        call.range = range_of(s);
        set_context(call);

        // Arguments: as written between the parentheses (no default arguments); for a call
        // inside a macro body, those of its arguments that the invocation wrote.
        if (lparen >= 0) {
            add_written_arguments(lparen, last, call);
        } else {
            std::vector<CXCursor> arg_cursors;
            const int nargs = recovery ? -1 : clang_Cursor_getNumArguments(c);
            for (int i = 0; i < nargs; ++i) {
                arg_cursors.push_back(clang_Cursor_getArgument(c, static_cast<unsigned>(i)));
            }
            add_arguments(arg_cursors, s.begin + 1, s.end - 1, call);
        }

        if (lparen >= 0) {
            add_recursion(call, name_tok >= 0 ? m_map.token_range(name_tok) : call.callee_range,
                          out);
        }
        push_call(std::move(call), kids, out);
    }

    // Recursion as the syntactic front end sees it, so that the numbers agree (the header's
    // "by simple name or qualified name"): a call by the function's own name (an overload
    // included), by its qualified name, or this->name in a method. Only calls written in the
    // file: one inside a macro body is invisible to a syntactic reader.
    void add_recursion(const CallSite& call, const Range& name, Nodes& out) {
        if (m_fn->index < 0 || call.is_new || call.name.empty()) {
            return;
        }
        const Function& f = m_model.functions[static_cast<std::size_t>(m_fn->index)];
        if (f.name.empty() || f.name.front() == '<') {
            return;
        }
        const bool recursive = call.callee == f.name || call.callee == f.qualified_name ||
                               (f.is_method && call.receiver == "this" && call.name == f.name);
        if (recursive && first_time(ControlKind::recursion, name.start_byte)) {
            ControlNode r;
            r.kind = ControlKind::recursion;
            r.range = name;
            out.push_back(std::move(r));
        }
    }

    void set_context(CallSite& call) const {
        call.function = m_fn->index;
        call.loop = innermost_loop();
        call.loop_depth = static_cast<std::uint16_t>(m_fn->loops.size());
        call.in_handler = m_fn->handler_depth > 0;
        call.in_loop_condition = m_fn->in_loop_condition;
    }

    // Records the call, then walks its children (calls in the arguments come after it) and
    // points lambda arguments at their Functions.
    void push_call(CallSite call, const std::vector<CXCursor>& kids, Nodes& out) {
        const std::size_t call_index = m_model.calls.size();
        const std::size_t functions_before = m_model.functions.size();
        m_model.calls.push_back(std::move(call));
        walk_all(kids, out);
        link_function_arguments(call_index, functions_before);
    }

    // `T(args)`: a functional cast or a temporary, a call to the type's name as written; and
    // `static_cast<T>(x)` and its kin, which read as calls too.
    [[gnu::noinline]] void lower_type_call(CXCursor c, const std::vector<CXCursor>& kids, Nodes& out) {
        const Span s = span_of(c);
        const std::int32_t first = s.valid ? m_map.token_starting_at(s.begin) : -1;
        const std::int32_t last = s.valid ? m_map.last_token_before(s.end) : -1;
        std::int32_t open = -1;
        if (first >= 0 && last > first && m_map.token(last).end_byte == s.end &&
            m_map.token_text(last) == ")") {
            open = m_map.match_backward(last);
        }
        if (open <= first) {
            walk_all(kids, out);  // T{...}, or produced by a macro
            return;
        }
        CallSite call;
        call.callee = m_map.compact(first, open - 1);
        call.callee_range = m_map.tokens_range(first, open - 1);
        split_callee(call.callee, call.receiver, call.name);
        call.resolved = call.callee;
        const CXCursorKind ck = kind_of(c);
        const bool named_cast = ck == CXCursor_CXXStaticCastExpr ||
                                ck == CXCursor_CXXDynamicCastExpr ||
                                ck == CXCursor_CXXReinterpretCastExpr ||
                                ck == CXCursor_CXXConstCastExpr;
        for (CXCursor kid : kids) {
            if (kind_of(kid) != CXCursor_TypeRef) {
                continue;
            }
            const CXCursor type = clang_getCursorReferenced(kid);
            if (!is_null(type) &&
                m_map.token_text(location_token(kid)) != strip_template_args(spelling(type))) {
                walk_all(kids, out);  // the type is named inside a macro body
                return;
            }
            if (!is_null(type) && !named_cast) {
                call.resolved = qualified_name(type);
            }
        }
        if (!m_seen_calls.insert({call.callee_range.start_byte, call.resolved}).second) {
            walk_all(kids, out);
            return;
        }
        call.range = range_of(s);
        set_context(call);
        add_written_arguments(open, last, call);
        add_recursion(call, m_map.token_range(open - 1), out);
        push_call(std::move(call), kids, out);
    }

    // The arguments between the parentheses at `open` and `close`, split at the commas outside
    // brackets: what the syntactic front end reads, whatever clang makes of them (conversions,
    // default arguments).
    void add_written_arguments(std::int32_t open, std::int32_t close, CallSite& call) {
        std::int32_t start = open + 1;
        int depth = 0;
        for (std::int32_t i = open + 1; i <= close; ++i) {
            const std::string_view t = m_map.token_text(i);
            if (i < close && t == "<" && m_map.template_close(i, close - 1) > i) {
                i = m_map.template_close(i, close - 1);  // std::map<K, V>{}: one argument
                continue;
            }
            if (i < close && (t == "(" || t == "[" || t == "{")) {
                ++depth;
            } else if (i < close && (t == ")" || t == "]" || t == "}")) {
                --depth;
            } else if ((depth == 0 && t == ",") || i == close) {
                if (i > start) {
                    add_argument(start, i - 1, call);
                }
                start = i + 1;
            }
        }
    }

    void add_argument(std::int32_t first, std::int32_t last, CallSite& call) {
        Argument arg;
        arg.kind = classify_tokens(m_map, first, last);
        arg.range = m_map.tokens_range(first, last);
        arg.text = truncated(m_map.text(arg.range.start_byte, arg.range.end_byte), k_text_limit);
        if (arg.kind == ArgKind::string_literal) {
            arg.value = string_value(m_map, first, last, k_text_limit);
        }
        call.args.push_back(std::move(arg));
    }

    void add_arguments(const std::vector<CXCursor>& cursors, std::uint32_t lo, std::uint32_t hi,
                       CallSite& call) {
        for (CXCursor a : cursors) {
            const Span as = span_of(a);
            if (!as.valid || as.begin < lo || as.end > hi || as.begin >= as.end) {
                continue;
            }
            const auto [first, last] = tokens_of(as);
            if (first <= last) {
                add_argument(first, last, call);
            }
        }
    }

    // A lambda passed as an argument: point the Argument at its Function.
    void link_function_arguments(std::size_t call_index, std::size_t functions_before) {
        for (Argument& arg : m_model.calls[call_index].args) {
            if (arg.kind != ArgKind::function) {
                continue;
            }
            for (std::size_t f = functions_before; f < m_model.functions.size(); ++f) {
                if (m_model.functions[f].range.start_byte == arg.range.start_byte) {
                    arg.function = static_cast<std::int32_t>(f);
                    break;
                }
            }
        }
    }

    [[gnu::noinline]] void lower_new(CXCursor c, Nodes& out) {
        const std::vector<CXCursor> kids = children(c);
        const Span s = span_of(c);
        std::int32_t t = s.valid ? m_map.token_starting_at(s.begin) : -1;
        if (m_map.token_text(t) == "::") {
            ++t;
        }
        if (m_map.token_text(t) != "new") {
            walk_all(kids, out);
            return;
        }
        ++t;
        if (m_map.token_text(t) == "(") {
            t = m_map.match_forward(t) + 1;  // placement arguments
        }
        const std::int32_t type_first = t;
        std::int32_t type_last = -1;
        while (t > 0 && t < m_map.token_count() && m_map.token(t).end_byte <= s.end) {
            const std::string_view text = m_map.token_text(t);
            if (text == "(" || text == "{" || text == "[") {
                break;
            }
            if (text == "<") {
                const std::int32_t close = m_map.match_angle(t);
                if (close < 0) {
                    break;
                }
                t = close;
            }
            type_last = t++;
        }
        if (type_first <= 0 || type_last < type_first) {
            walk_all(kids, out);
            return;
        }
        CallSite call;
        call.is_new = true;
        call.callee = m_map.compact(type_first, type_last);
        call.callee_range = m_map.tokens_range(type_first, type_last);
        split_callee(call.callee, call.receiver, call.name);
        call.resolved = call.callee;
        for (CXCursor kid : kids) {
            if (kind_of(kid) == CXCursor_TypeRef) {
                const CXCursor type = clang_getCursorReferenced(kid);
                if (!is_null(type)) {
                    call.resolved = qualified_name(type);
                }
            }
        }
        if (!m_seen_calls.insert({call.callee_range.start_byte, call.resolved}).second) {
            walk_all(kids, out);
            return;
        }
        call.range = range_of(s);
        set_context(call);
        // The initializer as written: `(a, b)` gives two arguments, a braced list one (as the
        // syntactic front end reads them).
        const std::int32_t init = type_last + 1;
        const std::int32_t init_end = m_map.match_forward(init);
        if (init_end > init && m_map.token(init_end).end_byte <= s.end) {
            if (m_map.token_text(init) == "(") {
                add_written_arguments(init, init_end, call);
            } else if (m_map.token_text(init) == "{") {
                add_argument(init, init_end, call);
            }
        }
        push_call(std::move(call), kids, out);
    }

    CXTranslationUnit m_tu;
    CXFile m_main;
    const SourceMap& m_map;
    FileModel& m_model;

    FunctionContext m_top;  // outside any function
    FunctionContext* m_fn = &m_top;
    // The lexical scope as the syntactic front end names it: enclosing namespaces, classes and
    // functions ("app::Store::sum").
    std::string m_scope;
    // `auto name = [...]`: lambda start -> (variable name, end of the declaration)
    std::unordered_map<std::uint32_t, std::pair<std::string, std::uint32_t>> m_lambda_names;
    std::vector<UsingInfo> m_usings;
    int m_depth = 0;
    int m_class_depth = 0;  // inside a class body (not inside one of its functions)
    bool m_truncated = false;

    std::unordered_set<std::uint64_t> m_seen_control;
    std::set<std::pair<std::uint32_t, std::string>> m_seen_calls;
    std::unordered_set<std::uint32_t> m_seen_strings;
    std::unordered_set<std::uint32_t> m_seen_assignments;
    std::unordered_set<std::uint32_t> m_seen_lambdas;
    std::unordered_set<CXCursor, CursorHash, CursorEqual> m_seen_functions;
    std::unordered_map<CXCursor, std::string, CursorHash, CursorEqual> m_qualified;
};

}  // namespace

void lower_main_file(CXTranslationUnit tu, CXFile main_file, const SourceMap& map,
                     FileModel& model) {
    Lowerer(tu, main_file, map, model).run();
}

}  // namespace cq::clangfe::detail
