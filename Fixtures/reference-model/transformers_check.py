"""Independent figures for the reference model's command tests, computed with transformers in fp32.

    .venv/bin/python Fixtures/reference-model/transformers_check.py perplexity FOLDER IDS_FILE CONTEXT
        Prints the perplexity of the ids (a JSON array or white-space separated) by llama.cpp's
        rule: windows of CONTEXT ids (remainder dropped), each window's first id replaced by
        config.json's bos_token_id, each window evaluated alone, and the logits at positions
        CONTEXT/2 .. CONTEXT-2 scored against the next id; exp of the mean negative log-likelihood.
    .venv/bin/python Fixtures/reference-model/transformers_check.py generate FOLDER IDS_FILE COUNT
        Prints, space-separated, the ids transformers' greedy generate adds after the ids (at most
        COUNT, stopping at config.json's eos_token_id, which is not printed).
FOLDER is a checkpoint made by make_tiny_models.py.
"""
import json
import sys

import torch
from transformers import LlamaForCausalLM


def read_ids(path):
    text = open(path).read()
    return json.loads(text) if text.lstrip().startswith("[") else [int(word) for word in text.split()]


def perplexity(model, ids, context):
    bos = model.config.bos_token_id
    total, scored = 0.0, 0
    for start in range(0, len(ids) // context * context, context):
        window = list(ids[start:start + context])
        window[0] = bos
        with torch.no_grad():
            logits = model(torch.tensor([window])).logits[0].to(torch.float64)
        log_probabilities = torch.log_softmax(logits, dim=-1)
        for position in range(context // 2, context - 1):
            total -= float(log_probabilities[position, window[position + 1]])
            scored += 1
    return float(torch.exp(torch.tensor(total / scored, dtype=torch.float64)))


def generate(model, ids, count):
    with torch.no_grad():
        output = model.generate(torch.tensor([ids]), do_sample=False, max_new_tokens=count,
                                eos_token_id=model.config.eos_token_id, pad_token_id=model.config.eos_token_id)
    new = output[0, len(ids):].tolist()
    eos = model.config.eos_token_id
    return new[:new.index(eos)] if eos in new else new


def main():
    mode, folder, ids_file, number = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    model = LlamaForCausalLM.from_pretrained(folder, torch_dtype=torch.float32, attn_implementation="eager").eval()
    ids = read_ids(ids_file)
    if mode == "perplexity":
        print(repr(perplexity(model, ids, number)))
    elif mode == "generate":
        print(" ".join(str(i) for i in generate(model, ids, number)))
    else:
        raise SystemExit(f"unknown mode {mode}")


if __name__ == "__main__":
    main()
