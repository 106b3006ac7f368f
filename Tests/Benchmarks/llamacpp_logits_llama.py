#!/usr/bin/env python3
"""Peer side of Tests/Benchmarks/convert_llama_logits.py: the logits llama.cpp computes for a GGUF.

Runs in the peer's Python (llama-cpp-python 0.3.36; see llamacpp_peer.py for where it is and how
to make it), not necessarily the fixture venv:
    "$LLAMA_CPP_PYTHON" llamacpp_logits_llama.py MODEL.gguf "1 2 3" OUT.npy
Writes float32 [tokens, vocab] logits, one row per position (all positions are requested).
"""
import sys

import llama_cpp
import numpy as np

path, tokens, out = sys.argv[1], [int(t) for t in sys.argv[2].split()], sys.argv[3]
silence = llama_cpp.llama_log_callback(lambda level, text, data: None)  # kept alive: C holds the pointer
llama_cpp.llama_log_set(silence, None)
model = llama_cpp.Llama(model_path=path, logits_all=True, n_ctx=64, n_threads=1, verbose=False)
model.eval(tokens)
np.save(out, np.array(model.scores[: len(tokens)], dtype=np.float32))
