# Tree-sitter grammars come from npm (package.json pins them, `npm ci --ignore-scripts`
# installs them into node_modules/); we compile their generated C here. Each must be ABI 14
# (LANGUAGE_VERSION 14) for Debian's tree-sitter 0.20.7.
set(CQ_GRAMMAR_ROOT ${CMAKE_SOURCE_DIR}/node_modules CACHE PATH "where npm put the grammars")
set(_cq_grammar_dirs
  tree-sitter-python/src
  tree-sitter-javascript/src
  tree-sitter-typescript/typescript/src
  tree-sitter-typescript/tsx/src
  tree-sitter-c/src
  tree-sitter-cpp/src)

foreach(_dir ${_cq_grammar_dirs})
  set(_src ${CQ_GRAMMAR_ROOT}/${_dir})
  if(NOT EXISTS ${_src}/parser.c)
    message(FATAL_ERROR "grammar ${_dir} is missing: run `npm ci --ignore-scripts` at the "
                        "repository root (scripts/setup.sh does it)")
  endif()
  file(STRINGS ${_src}/parser.c _abi REGEX "^#define LANGUAGE_VERSION ")
  if(NOT _abi MATCHES "LANGUAGE_VERSION 1[34]$")
    message(FATAL_ERROR "${_dir}/parser.c has ${_abi}; Debian's tree-sitter 0.20 loads ABI 13-14 "
                        "(grammar versions 0.23.x)")
  endif()
  string(REPLACE "/" "_" _name ${_dir})
  string(REPLACE "-" "_" _name ${_name})
  set(_files ${_src}/parser.c)
  if(EXISTS ${_src}/scanner.c)
    list(APPEND _files ${_src}/scanner.c)
  endif()
  add_library(cq_grammar_${_name} STATIC ${_files})
  target_include_directories(cq_grammar_${_name} PRIVATE ${_src})
  # Generated code: no warnings of ours, and always optimized (the parse tables are large).
  target_compile_options(cq_grammar_${_name} PRIVATE -w -O2)
  set_target_properties(cq_grammar_${_name} PROPERTIES POSITION_INDEPENDENT_CODE ON
                                                       C_STANDARD 11)
  list(APPEND CQ_GRAMMAR_TARGETS cq_grammar_${_name})
endforeach()

add_library(cq_grammars INTERFACE)
target_link_libraries(cq_grammars INTERFACE ${CQ_GRAMMAR_TARGETS})
