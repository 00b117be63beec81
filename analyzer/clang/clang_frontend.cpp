// The libclang front end: parse one file with its compile command, then lower its tokens,
// diagnostics and main-file declarations to a FileModel.
#include "analyzer/clang/clang_frontend.hpp"

#include <algorithm>
#include <exception>
#include <filesystem>
#include <string_view>
#include <system_error>

#include "analyzer/clang/cx_util.hpp"
#include "analyzer/clang/lower.hpp"
#include "analyzer/clang/source_map.hpp"
#include "analyzer/clang/tokens.hpp"
#include "analyzer/lexer/lexer.hpp"

namespace cq::clangfe {

namespace {

using detail::SourceMap;

bool is_header_path(const std::string& path) {
    const std::string ext = std::filesystem::path(path).extension().string();
    return ext == ".h" || ext == ".hh" || ext == ".hpp" || ext == ".hxx" || ext == ".inl";
}

void add_diagnostic(FileModel& m, DiagnosticLevel level, std::uint32_t line, std::uint32_t column,
                    std::string message) {
    Diagnostic d;
    d.level = level;
    d.line = line;
    d.column = column;
    d.message = std::move(message);
    m.diagnostics.push_back(std::move(d));
}

std::vector<std::string> libclang_arguments(const std::string& abs_path, Language lang,
                                            const CompileCommand& command) {
    std::vector<std::string> args;
    // First, so that a -resource-dir in the compile command (meant for clang) still wins.
    args.emplace_back("-resource-dir");
    args.push_back(resource_dir());
    // No -working-directory: libclang applies it with a process-wide chdir (LLVM's real file
    // system), which moved every other thread of the scan, and the report paths the CLI resolves,
    // into the compile command's folder. The path arguments are made absolute against that folder
    // instead (clean_arguments, command_line.cpp).
    const bool has_language =
        std::find(command.arguments.begin(), command.arguments.end(), "-x") !=
        command.arguments.end();
    if (!has_language && is_header_path(abs_path)) {
        args.emplace_back("-x");
        args.emplace_back(lang == Language::c ? "c" : "c++");
    }
    args.insert(args.end(), command.arguments.begin(), command.arguments.end());
    // Warnings are never reported, and ignoring them lets clang skip the analyses behind
    // -Wall (uninitialized values, unreachable code, ...), so this is cheaper than the build.
    args.emplace_back("-w");
    return args;
}

struct InclusionSearch {
    CXFile target;
    CXFile main;
    unsigned line = 0;
};

// The line of the main file's #include through which `header` was reached.
unsigned main_file_include_line(CXTranslationUnit tu, CXFile main, CXFile header) {
    InclusionSearch search{header, main, 0};
    clang_getInclusions(
        tu,
        [](CXFile included, CXSourceLocation* stack, unsigned depth, CXClientData data) {
            auto* s = static_cast<InclusionSearch*>(data);
            if (s->line != 0 || clang_File_isEqual(included, s->target) == 0) {
                return;
            }
            for (unsigned i = 0; i < depth; ++i) {
                CXFile file = nullptr;
                unsigned line = 0;
                clang_getFileLocation(stack[i], &file, &line, nullptr, nullptr);
                if (file != nullptr && clang_File_isEqual(file, s->main) != 0) {
                    s->line = line;
                    return;
                }
            }
        },
        &search);
    return search.line;
}

// Errors in the main file, and missing includes anywhere, as Diagnostics; errors inside headers
// are summed up in one warning (they usually mean the compile flags do not fit).
void add_diagnostics(CXTranslationUnit tu, CXFile main, FileModel& m) {
    const unsigned n = clang_getNumDiagnostics(tu);
    unsigned header_errors = 0;
    std::string first_header_error;
    for (unsigned i = 0; i < n; ++i) {
        CXDiagnostic d = clang_getDiagnostic(tu, i);
        const CXDiagnosticSeverity severity = clang_getDiagnosticSeverity(d);
        if (severity != CXDiagnostic_Error && severity != CXDiagnostic_Fatal) {
            clang_disposeDiagnostic(d);
            continue;
        }
        std::string message = detail::take(clang_getDiagnosticSpelling(d));
        CXFile file = nullptr;
        unsigned line = 0;
        unsigned column = 0;
        clang_getFileLocation(clang_getDiagnosticLocation(d), &file, &line, &column, nullptr);
        const bool located = file != nullptr;
        clang_disposeDiagnostic(d);
        if (!located) {
            // The driver's complaints (an unknown argument): the parse went on without it.
            add_diagnostic(m, DiagnosticLevel::warning, 0, 0, "libclang: " + message);
        } else if (clang_File_isEqual(file, main) != 0) {
            add_diagnostic(m, DiagnosticLevel::error, line, column, std::move(message));
        } else if (message.find("file not found") != std::string::npos) {
            const std::string header = detail::take(clang_getFileName(file));
            add_diagnostic(m, DiagnosticLevel::error, main_file_include_line(tu, main, file), 0,
                           message + " (included from " + header + ")");
        } else {
            if (header_errors++ == 0) {
                const std::string header = detail::take(clang_getFileName(file));
                first_header_error = header + ":" + std::to_string(line) + ": " + message;
            }
        }
    }
    if (header_errors > 0) {
        add_diagnostic(m, DiagnosticLevel::warning, 0, 0,
                       "libclang: " + std::to_string(header_errors) +
                           " error(s) in included files; first: " + first_header_error);
    }
}

void run(FileModel& m, const std::string& abs_path, const CompileCommand& command) {
    const std::vector<std::string> args = libclang_arguments(abs_path, m.language, command);
    std::vector<const char*> argv;
    argv.reserve(args.size());
    for (const std::string& a : args) {
        argv.push_back(a.c_str());
    }
    CXUnsavedFile unsaved;
    unsaved.Filename = abs_path.c_str();
    unsaved.Contents = m.source.data();
    unsaved.Length = static_cast<unsigned long>(m.source.size());

    detail::IndexHandle index;
    detail::TranslationUnitHandle tu;
    // KeepGoing: a missing header is a fatal error after which clang would otherwise stop
    // building the AST. No detailed preprocessing record, no skipped bodies, no preamble.
    const unsigned options =
        CXTranslationUnit_KeepGoing | CXTranslationUnit_IgnoreNonErrorsFromIncludedFiles;
    const CXErrorCode err = clang_parseTranslationUnit2(
        index.get(), abs_path.c_str(), argv.data(), static_cast<int>(argv.size()), &unsaved, 1,
        options, tu.out());
    if (err != CXError_Success || tu.get() == nullptr) {
        add_diagnostic(m, DiagnosticLevel::error, 0, 0,
                       "libclang could not parse the file (error code " +
                           std::to_string(static_cast<int>(err)) + ")");
        return;
    }
    CXFile main = clang_getFile(tu.get(), abs_path.c_str());
    if (main == nullptr) {
        add_diagnostic(m, DiagnosticLevel::error, 0, 0,
                       "libclang did not load the main file " + abs_path);
        return;
    }

    const SourceMap map(m.source, m.tokens);
    detail::add_includes(map, m);
    add_diagnostics(tu.get(), main, m);
    detail::lower_main_file(tu.get(), main, map, m);
}

template <typename T>
void sort_by_start(std::vector<T>& items) {
    std::stable_sort(items.begin(), items.end(), [](const T& a, const T& b) {
        return a.range.start_byte < b.range.start_byte;
    });
}

}  // namespace

FileModel analyze(const std::string& rel_path, const std::string& abs_path, Language lang,
                  std::string source, const CompileCommand& command) {
    FileModel m;
    m.path = rel_path;
    m.language = lang;
    m.source = std::move(source);
    m.front_end = "libclang";
    m.syntactic_only = false;
    m.lines = lexer::count_lines(m.source);
    // The token stream comes from cq's own lexer, the same for both front ends (and cheaper
    // than clang_tokenize plus a call per token to locate it).
    lexer::lex(lang, m.source, m.tokens, m.comment_lines);
    try {
        run(m, abs_path, command);
    } catch (const std::exception& e) {
        add_diagnostic(m, DiagnosticLevel::error, 0, 0,
                       std::string("libclang front end failed: ") + e.what());
    }
    // Calls, strings, assignments and imports are collected in walk order (an outer call before
    // the calls in its arguments); the model wants them by start position. Functions and loops
    // are created in source order already, and other vectors hold indices into them.
    sort_by_start(m.calls);
    sort_by_start(m.strings);
    sort_by_start(m.assignments);
    sort_by_start(m.imports);
    m.ncloc = lexer::code_lines(m.tokens);
    return m;
}

std::string resource_dir() { return CQ_CLANG_RESOURCE_DIR; }

}  // namespace cq::clangfe
