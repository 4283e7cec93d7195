# SPDX-License-Identifier: GPL-3.0-or-later
# Finds LibTorch (Debian's 1.13 CPU build, or a 2.x CUDA build such as the one inside pip's torch)
# and records what was found for the configure summary.
find_package(Torch REQUIRED)
if(NOT Torch_VERSION AND DEFINED TORCH_VERSION)
  set(Torch_VERSION ${TORCH_VERSION})
endif()
# pip's LibTorch puts flags such as -D_GLIBCXX_USE_CXX11_ABI into TORCH_CXX_FLAGS.
set(CMAKE_CXX_FLAGS "${CMAKE_CXX_FLAGS} ${TORCH_CXX_FLAGS}")
# pip's libtorch_cpu.so exports its own statically linked copy of libstdc++'s std::filesystem
# (pytorch/pytorch#133437). Listed first, libtorch wins the symbol lookup and our std::filesystem
# calls land in a copy built for another libstdc++: measured on the GPU machine (LibTorch 2.11,
# GCC 13), every test that creates or removes folders crashed. Naming libstdc++ as the first
# needed library makes the system's definitions win.
if(Torch_VERSION VERSION_GREATER_EQUAL 2 AND CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang" AND UNIX AND NOT APPLE)
  add_link_options("LINKER:--push-state,--no-as-needed" "-lstdc++" "LINKER:--pop-state")
endif()

set(UNCLIP_TORCH_BACKENDS "cpu")
if(TARGET torch_cuda OR TARGET c10_cuda OR CUDA_FOUND)
  string(APPEND UNCLIP_TORCH_BACKENDS ", cuda")
  set(UNCLIP_HAVE_CUDA ON)
endif()

# Which BLAS will LibTorch's libtorch_cpu resolve at run time? Debian's build links the
# libblas.so.3 alternative; without OpenBLAS that is the slow reference BLAS.
set(UNCLIP_BLAS "unknown")
find_library(_unclip_openblas NAMES openblas PATHS /usr/lib/x86_64-linux-gnu/openblas-pthread)
if(EXISTS "/etc/alternatives/libblas.so.3-x86_64-linux-gnu")
  get_filename_component(_blas_real "/etc/alternatives/libblas.so.3-x86_64-linux-gnu" REALPATH)
  set(UNCLIP_BLAS "${_blas_real}")
elseif(_unclip_openblas)
  set(UNCLIP_BLAS "${_unclip_openblas}")
elseif(TORCH_LIBRARIES MATCHES "mkl")
  set(UNCLIP_BLAS "MKL (bundled with LibTorch)")
else()
  set(UNCLIP_BLAS "bundled with LibTorch")
endif()
