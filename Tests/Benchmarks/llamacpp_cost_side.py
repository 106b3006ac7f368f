#!/usr/bin/env python3
"""Peer side of Tests/Benchmarks/quantization_cost.py: what llama.cpp computes on one GGUF.

Runs in the peer's Python (llama-cpp-python 0.3.36; see llamacpp_peer.py):
    "$LLAMA_CPP_PYTHON" llamacpp_cost_side.py MODEL.gguf COMPARE_IDS.json PERPLEXITY_IDS.json CONTEXT BOS OUT.npy
Writes OUT.npy, float32 [len(COMPARE_IDS), vocab]: the logits of the compare ids as one sequence
(logits_all), and prints the perplexity of PERPLEXITY_IDS by llama.cpp's perplexity rule
(windows of CONTEXT ids, remainder dropped, each window's first id replaced by BOS, evaluated
alone, the logits at CONTEXT/2 .. CONTEXT-2 scored against the next id), computed in float64
from the same kind of logits.
"""
import json
import sys

import llama_cpp
import numpy as np


def log_softmax(rows):
    shifted = rows.astype(np.float64) - rows.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def main():
    path, compare_path, perplexity_path, context, bos, out = sys.argv[1:7]
    context, bos = int(context), int(bos)
    compare_ids, perplexity_ids = json.load(open(compare_path)), json.load(open(perplexity_path))
    silence = llama_cpp.llama_log_callback(lambda level, text, data: None)  # kept alive: C holds the pointer
    llama_cpp.llama_log_set(silence, None)
    model = llama_cpp.Llama(model_path=path, logits_all=True, n_ctx=max(len(compare_ids), context),
                            n_batch=512, n_threads=2, verbose=False)
    model.eval(compare_ids)
    np.save(out, np.array(model.scores[: len(compare_ids)], dtype=np.float32))

    total, scored = 0.0, 0
    for start in range(0, len(perplexity_ids) // context * context, context):
        window = list(perplexity_ids[start:start + context])
        window[0] = bos
        model.reset()
        model.eval(window)
        probabilities = log_softmax(np.array(model.scores[:context], dtype=np.float32))
        for position in range(context // 2, context - 1):
            total -= probabilities[position, window[position + 1]]
            scored += 1
    print(repr(float(np.exp(total / scored))))


if __name__ == "__main__":
    main()
