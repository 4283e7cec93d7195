# SPDX-License-Identifier: GPL-3.0-or-later
# Sanitizer and fuzzing builds (see docs/reliability.md).
#
#   -DUNCLIP_SANITIZE=address,undefined   ASan + UBSan on every target (GCC or Clang); tools/sanitize.sh
#   -DUNCLIP_SANITIZE=thread              ThreadSanitizer (not combinable with address)
#   -DUNCLIP_FUZZ=ON                      libFuzzer targets in fuzz/ (Clang only); implies
#                                         address,undefined unless UNCLIP_SANITIZE says otherwise
#
# The flags go on every target through add_compile_options/add_link_options, so this file must be
# included before any target is created. Use a build folder of its own for each setting (the
# precompiled header is built with the same flags as everything else).
option(UNCLIP_FUZZ "Build the libFuzzer targets in fuzz/ (requires CMAKE_CXX_COMPILER=clang++)" OFF)
set(UNCLIP_SANITIZE "" CACHE STRING "Sanitizers for every target: address,undefined | address | undefined | thread (empty: none)")

if(UNCLIP_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "UNCLIP_FUZZ=ON needs Clang's libFuzzer: configure a separate build folder with "
                        "-DCMAKE_CXX_COMPILER=clang++ (found ${CMAKE_CXX_COMPILER_ID} ${CMAKE_CXX_COMPILER}); "
                        "fuzz/run-fuzzers.sh does this for you")
  endif()
  if(NOT UNCLIP_SANITIZE)
    set(UNCLIP_SANITIZE "address,undefined")
  endif()
  # Coverage feedback for everything (the libraries under test too); -fsanitize=fuzzer (which adds
  # libFuzzer's main) is linked into the fuzz targets only, in fuzz/CMakeLists.txt.
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()

if(UNCLIP_SANITIZE)
  string(REPLACE " " "" UNCLIP_SANITIZE "${UNCLIP_SANITIZE}")
  string(REPLACE "," ";" _unclip_san_list "${UNCLIP_SANITIZE}")
  foreach(_s ${_unclip_san_list})
    if(NOT _s MATCHES "^(address|undefined|thread|leak)$")
      message(FATAL_ERROR "UNCLIP_SANITIZE: unknown sanitizer '${_s}' (use address, undefined, thread, leak)")
    endif()
  endforeach()
  if("thread" IN_LIST _unclip_san_list AND "address" IN_LIST _unclip_san_list)
    message(FATAL_ERROR "UNCLIP_SANITIZE: thread and address cannot be combined; use two build folders")
  endif()
  # -fno-sanitize-recover: a UBSan finding stops the program (and fails the test), as ASan's do.
  # -g1: line tables for readable reports, without the compile time and size of full debug info.
  add_compile_options(-fsanitize=${UNCLIP_SANITIZE} -fno-sanitize-recover=all -fno-omit-frame-pointer -g1)
  add_link_options(-fsanitize=${UNCLIP_SANITIZE})
  if("undefined" IN_LIST _unclip_san_list AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    # Clang's -fsanitize=undefined includes float -> integer overflow checks (plain UB in C++, e.g.
    # a config value of 1e300 read as an int); GCC's needs it spelt out.
    add_compile_options(-fsanitize=float-cast-overflow)
  endif()
  message(STATUS "unclip-studio: sanitizers ${UNCLIP_SANITIZE}")
endif()
if(UNCLIP_FUZZ)
  message(STATUS "unclip-studio: libFuzzer targets enabled (fuzz/)")
endif()
