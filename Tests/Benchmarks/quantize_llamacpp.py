#!/usr/bin/env python3
"""Peer side of Tests/Benchmarks/quantize.py: llama.cpp's quantizer through llama-cpp-python.

Runs in the peer's Python (llama-cpp-python 0.3.36; see llamacpp_peer.py for where it is and how
to make it), not necessarily the fixture venv:
    "$LLAMA_CPP_PYTHON" quantize_llamacpp.py SRC.gguf DST.gguf q8_0|q4_0|q4_1|q4_k_m|q6_k THREADS
Prints the seconds llama_model_quantize took (in-process: no interpreter start-up counted).
"""
import sys
import time
import llama_cpp

FTYPES = {"q8_0": llama_cpp.LLAMA_FTYPE_MOSTLY_Q8_0, "q4_0": llama_cpp.LLAMA_FTYPE_MOSTLY_Q4_0,
          "q4_1": llama_cpp.LLAMA_FTYPE_MOSTLY_Q4_1, "q4_k_m": llama_cpp.LLAMA_FTYPE_MOSTLY_Q4_K_M,
          "q6_k": llama_cpp.LLAMA_FTYPE_MOSTLY_Q6_K}

src, dst, kind, threads = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
silence = llama_cpp.llama_log_callback(lambda level, text, data: None)  # kept alive: C holds the pointer
llama_cpp.llama_log_set(silence, None)
params = llama_cpp.llama_model_quantize_default_params()
params.nthread = threads
params.ftype = FTYPES[kind]
params.pure = True  # every 2+-dim tensor gets the type, as `llama3 quantize --pure` does
start = time.perf_counter()
status = llama_cpp.llama_model_quantize(src.encode(), dst.encode(), params)
elapsed = time.perf_counter() - start
if status != 0:
    sys.exit(f"llama_model_quantize failed with status {status}")
print(f"{elapsed:.6f}")
