#define CQ_CX_NO_MACROS
#include "analyzer/clang/cx_api.hpp"
#include "analyzer/clang/clang_frontend.hpp"

#include <dlfcn.h>

#include <cstdlib>
#include <stdexcept>
#include <vector>

namespace cq::clangfe {
namespace {

struct Loaded {
    CxApi api;
    std::string error;  // empty when every function was found
};

Loaded load() {
    Loaded out;
    // The library CMake found, then its soname through the loader's search path (an installed
    // cq on a machine where LLVM lives elsewhere).
    // CQ_LIBCLANG in the environment names another libclang of the same major version.
    std::vector<const char*> candidates{CQ_LIBCLANG_PATH, CQ_LIBCLANG_SONAME};
    if (const char* env = std::getenv("CQ_LIBCLANG"); env != nullptr && *env != '\0') {
        candidates = {env};
    }
    void* handle = nullptr;
    std::string tried;
    for (const char* candidate : candidates) {
        handle = dlopen(candidate, RTLD_NOW | RTLD_LOCAL);
        if (handle != nullptr) {
            break;
        }
        const char* why = dlerror();
        tried += std::string(tried.empty() ? "" : "; ") + (why != nullptr ? why : candidate);
    }
    if (handle == nullptr) {
        out.error = "libclang could not be loaded (" + tried + "); install libclang-16 (scripts/setup.sh)";
        return out;
    }
#define CQ_CX_RESOLVE(name)                                                                 \
    out.api.name = reinterpret_cast<decltype(out.api.name)>(dlsym(handle, #name));         \
    if (out.api.name == nullptr && out.error.empty()) {                                     \
        out.error = "the libclang loaded lacks " #name " (not libclang 16?)";              \
    }
    CQ_CX_FUNCTIONS(CQ_CX_RESOLVE)
#undef CQ_CX_RESOLVE
    return out;
}

const Loaded& loaded() {
    static const Loaded l = load();  // thread-safe initialization
    return l;
}

}  // namespace

bool libclang_available(std::string& error) {
    error = loaded().error;
    return error.empty();
}

const CxApi& cx_api() {
    const Loaded& l = loaded();
    if (!l.error.empty()) {
        throw std::runtime_error(l.error);
    }
    return l.api;
}

}  // namespace cq::clangfe
