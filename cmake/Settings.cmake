# Warnings everywhere, -Werror only when asked (developer preset), sanitizers on request.
add_library(cq_warnings INTERFACE)
target_compile_options(cq_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion
  -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Woverloaded-virtual
  -Wimplicit-fallthrough)
if(CQ_WERROR)
  target_compile_options(cq_warnings INTERFACE -Werror)
endif()

if(CQ_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

# The repository root is the include root: #include "analyzer/model/file_model.hpp".
set(CQ_SOURCE_ROOT ${CMAKE_SOURCE_DIR})

# ccache makes re-runs of the set-up command and CI quick (the grammar tables are large).
find_program(CQ_CCACHE ccache)
if(CQ_CCACHE)
  set(CMAKE_C_COMPILER_LAUNCHER ${CQ_CCACHE})
  set(CMAKE_CXX_COMPILER_LAUNCHER ${CQ_CCACHE})
endif()
