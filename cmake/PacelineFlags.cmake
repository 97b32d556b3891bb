# Compiler flags for every target. Warnings are errors everywhere.
set(CMAKE_C_STANDARD 11)
set(CMAKE_C_EXTENSIONS ON)          # -std=gnu11
set(CMAKE_C_STANDARD_REQUIRED ON)

add_compile_options(-Wall -Wextra -Wshadow -Wformat=2 -Wno-unused-parameter
                    -Wstrict-prototypes -Wmissing-prototypes -fno-common)
# Off only for scripts/fuzz's clang build (clang warns where gcc, the project's compiler, does not).
option(PL_WERROR "treat warnings as errors" ON)
if(PL_WERROR)
  add_compile_options(-Werror)
endif()
add_compile_definitions(_GNU_SOURCE)

# Build type "Sanitize": AddressSanitizer + UndefinedBehaviorSanitizer, used by the test command.
set(CMAKE_C_FLAGS_SANITIZE
    "-O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined"
    CACHE STRING "C flags for the Sanitize build type" FORCE)
set(CMAKE_EXE_LINKER_FLAGS_SANITIZE "-fsanitize=address,undefined"
    CACHE STRING "Linker flags for the Sanitize build type" FORCE)

if(NOT CMAKE_BUILD_TYPE)
  set(CMAKE_BUILD_TYPE RelWithDebInfo CACHE STRING "Build type" FORCE)
endif()
