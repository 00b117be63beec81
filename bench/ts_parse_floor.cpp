// The tree-sitter parsing floor: parse every file of a list with the same grammars cq uses, and
// nothing else (no lowering, no metrics, no report). bench/run.sh compares the CPU time of a whole
// `cq scan` with this program's on the same files.
//
//   ts_parse_floor [--count-nodes] LIST [ROOT]
//     LIST: one path a line (relative to ROOT, default .), or - for stdin
//
// The language comes from the extension, as in cq's discovery. Prints one summary line to stdout:
//   files=N bytes=N nodes=N errors=N parse_cpu_s=S
// parse_cpu_s is the CPU time inside ts_parser_parse_string only; the process's CPU time (what
// bench/run.sh measures with GNU time) adds reading the files. "errors" counts the trees that
// contain an error node. --count-nodes also walks every tree with a cursor and counts its named
// nodes (a sanity check; off by default because it is not parsing).
#include <tree_sitter/api.h>

#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

extern "C" {
const TSLanguage* tree_sitter_python();
const TSLanguage* tree_sitter_javascript();
const TSLanguage* tree_sitter_typescript();
const TSLanguage* tree_sitter_tsx();
const TSLanguage* tree_sitter_c();
const TSLanguage* tree_sitter_cpp();
}

namespace {

bool ends_with(const std::string& s, const char* suffix) {
    const std::string suf(suffix);
    return s.size() >= suf.size() && s.compare(s.size() - suf.size(), suf.size(), suf) == 0;
}

const TSLanguage* language_for(const std::string& path) {
    for (const char* e : {".py", ".pyi"}) {
        if (ends_with(path, e)) return tree_sitter_python();
    }
    for (const char* e : {".js", ".mjs", ".cjs", ".jsx"}) {
        if (ends_with(path, e)) return tree_sitter_javascript();
    }
    if (ends_with(path, ".tsx")) return tree_sitter_tsx();
    for (const char* e : {".ts", ".mts", ".cts"}) {
        if (ends_with(path, e)) return tree_sitter_typescript();
    }
    for (const char* e : {".c", ".h"}) {
        if (ends_with(path, e)) return tree_sitter_c();
    }
    for (const char* e : {".cc", ".cpp", ".cxx", ".c++", ".hh", ".hpp", ".hxx", ".ipp"}) {
        if (ends_with(path, e)) return tree_sitter_cpp();
    }
    return nullptr;
}

double cpu_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

std::size_t count_named_nodes(TSNode root) {
    std::size_t n = 0;
    TSTreeCursor cursor = ts_tree_cursor_new(root);
    for (;;) {
        if (ts_node_is_named(ts_tree_cursor_current_node(&cursor))) ++n;
        if (ts_tree_cursor_goto_first_child(&cursor)) continue;
        while (!ts_tree_cursor_goto_next_sibling(&cursor)) {
            if (!ts_tree_cursor_goto_parent(&cursor)) {
                ts_tree_cursor_delete(&cursor);
                return n;
            }
        }
    }
}

}  // namespace

int main(int argc, char** argv) {
    bool count_nodes = false;
    int arg = 1;
    if (arg < argc && std::string(argv[arg]) == "--count-nodes") {
        count_nodes = true;
        ++arg;
    }
    if (arg >= argc) {
        std::cerr << "usage: ts_parse_floor [--count-nodes] LIST [ROOT]\n";
        return 2;
    }
    const std::string list = argv[arg];
    const std::string root = arg + 1 < argc ? std::string(argv[arg + 1]) + "/" : std::string();
    std::ifstream list_file;
    if (list != "-") {
        list_file.open(list);
        if (!list_file) {
            std::cerr << "cannot read " << list << "\n";
            return 2;
        }
    }
    std::istream& in = list == "-" ? std::cin : list_file;

    TSParser* parser = ts_parser_new();
    std::size_t files = 0, bytes = 0, nodes = 0, errors = 0;
    double parse_cpu = 0;
    std::string rel;
    while (std::getline(in, rel)) {
        if (rel.empty()) continue;
        const TSLanguage* lang = language_for(rel);
        if (lang == nullptr) continue;
        std::ifstream f(root + rel, std::ios::binary);
        if (!f) {
            std::cerr << "cannot read " << root + rel << "\n";
            continue;
        }
        const std::string text((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
        ts_parser_set_language(parser, lang);
        const double t0 = cpu_seconds();
        TSTree* tree = ts_parser_parse_string(parser, nullptr, text.data(),
                                              static_cast<uint32_t>(text.size()));
        parse_cpu += cpu_seconds() - t0;
        if (tree == nullptr) continue;
        const TSNode root_node = ts_tree_root_node(tree);
        if (count_nodes) nodes += count_named_nodes(root_node);
        if (ts_node_has_error(root_node)) ++errors;
        ts_tree_delete(tree);
        ++files;
        bytes += text.size();
    }
    ts_parser_delete(parser);
    std::printf("files=%zu bytes=%zu nodes=%zu errors=%zu parse_cpu_s=%.3f\n", files, bytes, nodes,
                errors, parse_cpu);
    return 0;
}
