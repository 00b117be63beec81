#include "analyzer/model/glob.hpp"

namespace cq {
namespace {

// Recursive glob matcher; recursion depth is bounded by the pattern's length (user globs are
// short), never by the input.
bool match_here(const char* p, const char* s) {
    while (*p != '\0') {
        if (p[0] == '*' && p[1] == '*') {
            const char* rest = p + 2;
            if (*rest == '/') {
                // "**/" matches zero or more whole segments
                ++rest;
                for (const char* t = s;; ++t) {
                    if ((t == s || t[-1] == '/') && match_here(rest, t)) {
                        return true;
                    }
                    if (*t == '\0') {
                        return false;
                    }
                }
            }
            for (const char* t = s;; ++t) {
                if (match_here(rest, t)) {
                    return true;
                }
                if (*t == '\0') {
                    return false;
                }
            }
        }
        if (*p == '*') {
            for (const char* t = s;; ++t) {
                if (match_here(p + 1, t)) {
                    return true;
                }
                if (*t == '\0' || *t == '/') {
                    return false;
                }
            }
        }
        if (*s == '\0') {
            return false;
        }
        if (*p == '?' ? *s == '/' : *p != *s) {
            return false;
        }
        ++p;
        ++s;
    }
    return *s == '\0';
}

}  // namespace

bool glob_match(const std::string& pattern, const std::string& path) {
    std::string p = pattern;
    if (p.rfind("./", 0) == 0) {
        p = p.substr(2);
    }
    if (!p.empty() && p.back() == '/') {
        p.pop_back();
    }
    if (p.empty()) {
        return false;
    }
    if (p.find('/') == std::string::npos) {
        // No slash: match a base name or a directory name at any depth.
        return match_here(("**/" + p).c_str(), path.c_str()) ||
               match_here(("**/" + p + "/**").c_str(), path.c_str());
    }
    // A directory pattern "src/gen" matches everything below it.
    return match_here(p.c_str(), path.c_str()) || match_here((p + "/**").c_str(), path.c_str());
}

}  // namespace cq
