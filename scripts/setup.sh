#!/usr/bin/env bash
# Installs what is missing (Debian packages, the npm-pinned tree-sitter grammars), configures
# and builds cq. Safe to run again: nothing is reinstalled and the build is incremental.
#   BUILD_DIR (default: build)      CQ_BUILD_TYPE (default: RelWithDebInfo)
#   CQ_CMAKE_ARGS: extra arguments for the first configure (e.g. -DCQ_SANITIZE=ON)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
BUILD_TYPE=${CQ_BUILD_TYPE:-RelWithDebInfo}

log() { printf '[setup] %s\n' "$*" >&2; }

# Debian packages: the toolchain, libclang 16 (the newest LLVM Debian 12 ships), tree-sitter,
# and the libraries cq links.
packages=(build-essential cmake ninja-build pkg-config git ccache
          clang-16 libclang-16-dev libtree-sitter-dev nlohmann-json3-dev libcli11-dev
          libsqlite3-dev libgtest-dev libgmock-dev
          libyaml-cpp-dev libre2-dev  # configuration, custom rules (linear-time regexes)
          libjemalloc-dev             # the allocator of the cq binary (ARCHITECTURE.md says why)
          chromium    # headless, for the HTML report's browser tests
          pre-commit) # the pre-commit framework, for the .pre-commit-hooks.yaml end-to-end test
command -v node >/dev/null 2>&1 || packages+=(nodejs)
command -v npm >/dev/null 2>&1 || packages+=(npm)
missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
if ((${#missing[@]})); then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  log "installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# Grammars: exact versions from package-lock.json; --ignore-scripts because we compile their
# C sources with CMake and need none of their Node bindings.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "installing tree-sitter grammars from npm (npm ci --ignore-scripts)"
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
fi

if [ ! -f "$BUILD_DIR/CMakeCache.txt" ]; then
  log "configuring $BUILD_DIR ($BUILD_TYPE)"
  # shellcheck disable=SC2086
  cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE="$BUILD_TYPE" ${CQ_CMAKE_ARGS:-}
fi
# ccache keys on paths relative to the checkout, so a fresh clone (CI) reuses earlier objects.
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
log "building"
cmake --build "$BUILD_DIR" -j "$(nproc)"
