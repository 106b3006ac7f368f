"""Writes tiny checkpoints in Meta's original layout with torch.save, and transformers' logits for
the same model, for the .pth reader and the Meta-folder conversion tests
(Tests/CLITests/MetaCheckpointTests.swift, Tests/PyTorchCheckpointTests).

Run at test time (nothing it writes is committed):
    .venv/bin/python Fixtures/pytorch/make_meta_checkpoints.py VOCAB_FILE OUT_FOLDER

VOCAB_FILE is Llama 3's tokenizer.model (tiktoken format), copied into each Meta folder.
Writes into OUT_FOLDER:
  hf/              the model as transformers saves it in bfloat16 (the reference for
                   Fixtures/llama-convert/check_converted.py),
                   hidden 64, 2 layers, 4 heads, 2 KV heads, FFN 224 (Meta's rule for dim 64,
                   multiple_of 32, ffn_dim_multiplier 1.3), vocabulary 128256, Llama 3.1 rope scaling
  meta-1/          params.json, tokenizer.model, consolidated.00.pth (bfloat16, Meta's names,
                   q/k rows in Meta's interleaved-pair order)
  meta-2/          the same split over 2 model-parallel ranks as Llama 3's reference code splits it
  ids.json         12 token ids; logits.npy: transformers' float32 logits for them [12, 128256],
                   computed in float32 from the bfloat16 weights
  zip64.pth        meta-1's consolidated.00.pth rewritten with every ZIP64 field forced (checked
                   here to load in torch.load with equal tensors)
  views.pth        tensors that share one storage, at offsets (contiguous views)
  transposed.pth   a non-contiguous view
  hostile.pth      a torch.save archive whose data.pkl calls os.system (never run by the tests:
                   the marker file it would create must not appear)
"""
import json
import os
import shutil
import struct
import sys
import zipfile

import numpy
import torch
from transformers import LlamaConfig, LlamaForCausalLM

PARAMS = {"dim": 64, "n_layers": 2, "n_heads": 4, "n_kv_heads": 2, "vocab_size": 128256, "multiple_of": 32,
          "ffn_dim_multiplier": 1.3, "norm_eps": 1e-05, "rope_theta": 500000.0, "use_scaled_rope": True}
HOSTILE_MARKER = "/tmp/llama3-tests-hostile-pickle-ran"


def ffn_size(params):
    # Meta's FeedForward: 2/3 of 4*dim, times the multiplier, rounded up to multiple_of.
    hidden = int(2 * (4 * params["dim"]) / 3)
    hidden = int(params["ffn_dim_multiplier"] * hidden)
    return params["multiple_of"] * ((hidden + params["multiple_of"] - 1) // params["multiple_of"])


def hf_model():
    scaling = {"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
               "original_max_position_embeddings": 8192}
    config = LlamaConfig(
        hidden_size=PARAMS["dim"], intermediate_size=ffn_size(PARAMS), num_hidden_layers=PARAMS["n_layers"],
        num_attention_heads=PARAMS["n_heads"], num_key_value_heads=PARAMS["n_kv_heads"],
        vocab_size=PARAMS["vocab_size"], rms_norm_eps=PARAMS["norm_eps"], rope_theta=PARAMS["rope_theta"],
        rope_scaling=scaling, max_position_embeddings=131072, tie_word_embeddings=False,
        bos_token_id=128000, eos_token_id=128001)
    torch.manual_seed(20261201)
    model = LlamaForCausalLM(config)
    with torch.no_grad():
        for name, parameter in model.named_parameters():
            if name.endswith("norm.weight"):
                parameter.copy_(1 + 0.1 * torch.randn_like(parameter))
    # Values a bfloat16 checkpoint can hold exactly, kept in float32 for the reference logits.
    return model.to(torch.bfloat16).to(torch.float32)


def to_meta_rows(weight, heads):
    # HF's converter permutes Meta's interleaved pairs into halves; this is its inverse.
    rows, columns = weight.shape
    return weight.view(heads, 2, rows // heads // 2, columns).transpose(1, 2).reshape(rows, columns)


def meta_state(model):
    hf = model.state_dict()
    state = {"tok_embeddings.weight": hf["model.embed_tokens.weight"]}
    for layer in range(PARAMS["n_layers"]):
        prefix = f"model.layers.{layer}."
        state[f"layers.{layer}.attention.wq.weight"] = to_meta_rows(hf[prefix + "self_attn.q_proj.weight"], PARAMS["n_heads"])
        state[f"layers.{layer}.attention.wk.weight"] = to_meta_rows(hf[prefix + "self_attn.k_proj.weight"], PARAMS["n_kv_heads"])
        state[f"layers.{layer}.attention.wv.weight"] = hf[prefix + "self_attn.v_proj.weight"]
        state[f"layers.{layer}.attention.wo.weight"] = hf[prefix + "self_attn.o_proj.weight"]
        state[f"layers.{layer}.feed_forward.w1.weight"] = hf[prefix + "mlp.gate_proj.weight"]
        state[f"layers.{layer}.feed_forward.w2.weight"] = hf[prefix + "mlp.down_proj.weight"]
        state[f"layers.{layer}.feed_forward.w3.weight"] = hf[prefix + "mlp.up_proj.weight"]
        state[f"layers.{layer}.attention_norm.weight"] = hf[prefix + "input_layernorm.weight"]
        state[f"layers.{layer}.ffn_norm.weight"] = hf[prefix + "post_attention_layernorm.weight"]
    state["norm.weight"] = hf["model.norm.weight"]
    state["output.weight"] = hf["lm_head.weight"]
    return {name: tensor.to(torch.bfloat16) for name, tensor in state.items()}


def split_axis(name):
    # Llama 3's reference code: column-parallel (and the vocab-parallel embedding) on dim 0,
    # row-parallel wo and w2 on dim 1, norms replicated.
    if name.endswith(("attention.wo.weight", "feed_forward.w2.weight")):
        return 1
    if name.endswith("norm.weight"):
        return None
    return 0


def rank_states(state, ranks):
    states = [{} for _ in range(ranks)]
    for name, tensor in state.items():
        axis = split_axis(name)
        parts = [tensor] * ranks if axis is None else torch.chunk(tensor, ranks, dim=axis)
        for rank, part in enumerate(parts):
            states[rank][name] = part.clone().contiguous()
    return states


def write_meta_folder(folder, state, ranks, vocab):
    os.makedirs(folder)
    for rank, rank_state in enumerate(rank_states(state, ranks)):
        torch.save(rank_state, os.path.join(folder, f"consolidated.{rank:02d}.pth"))
    with open(os.path.join(folder, "params.json"), "w") as out:
        json.dump(PARAMS, out)
    shutil.copy(vocab, os.path.join(folder, "tokenizer.model"))


def write_zip64(source, destination):
    """Rewrites a stored zip with ZIP64 sizes and offsets everywhere (as an archive over 4 GiB
    would need them), the data kept 64-byte aligned as torch writes it."""
    with zipfile.ZipFile(source) as archive:
        entries = [(info.filename, archive.read(info.filename)) for info in archive.infolist()]
    out = bytearray()
    directory = bytearray()
    for name, data in entries:
        offset = len(out)
        crc = zipfile.crc32(data) & 0xFFFFFFFF
        raw_name = name.encode()
        zip64 = struct.pack("<HHQQ", 1, 16, len(data), len(data))
        header_size = 30 + len(raw_name) + len(zip64)
        pad = (-(offset + header_size + 4)) % 64
        extra = zip64 + struct.pack("<HH", 0x4246, pad) + b"\0" * pad
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 45, 0, 0, 0, 0, crc, 0xFFFFFFFF, 0xFFFFFFFF, len(raw_name), len(extra))
        out += raw_name + extra + data
        central_extra = struct.pack("<HHQQQ", 1, 24, len(data), len(data), offset)
        directory += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 45, 45, 0, 0, 0, 0, crc, 0xFFFFFFFF, 0xFFFFFFFF,
                                 len(raw_name), len(central_extra), 0, 0, 0, 0, 0xFFFFFFFF)
        directory += raw_name + central_extra
    directory_offset = len(out)
    out += directory
    record_offset = len(out)
    out += struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, len(entries), len(entries), len(directory), directory_offset)
    out += struct.pack("<IIQI", 0x07064B50, 0, record_offset, 1)
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
    with open(destination, "wb") as file:
        file.write(out)
    original, rewritten = torch.load(source), torch.load(destination)
    assert original.keys() == rewritten.keys() and all(torch.equal(original[k], rewritten[k]) for k in original)


def write_hostile(source, destination):
    """torch.save's archive with data.pkl replaced by a pickle that calls os.system."""
    command = f"touch {HOSTILE_MARKER}".encode()
    pickle = b"\x80\x02cos\nsystem\nq\x00X" + struct.pack("<I", len(command)) + command + b"\x85R."
    with zipfile.ZipFile(source) as archive, zipfile.ZipFile(destination, "w", zipfile.ZIP_STORED) as out:
        for info in archive.infolist():
            data = pickle if info.filename.endswith("/data.pkl") else archive.read(info.filename)
            out.writestr(info.filename, data)


def main():
    vocab, folder = sys.argv[1], sys.argv[2]
    os.makedirs(folder, exist_ok=True)
    model = hf_model()
    state = meta_state(model)
    write_meta_folder(os.path.join(folder, "meta-1"), state, 1, vocab)
    write_meta_folder(os.path.join(folder, "meta-2"), state, 2, vocab)

    ids = [128000, 791, 4062, 14198, 39935, 35308, 927, 279, 16053, 5679, 13, 128001]
    with open(os.path.join(folder, "ids.json"), "w") as out:
        json.dump(ids, out)
    with torch.no_grad():
        logits = model(torch.tensor([ids])).logits[0].to(torch.float32).numpy()
    numpy.save(os.path.join(folder, "logits.npy"), logits)
    # Last: .to() changes the model in place.
    model.to(torch.bfloat16).save_pretrained(os.path.join(folder, "hf"), safe_serialization=True)

    write_zip64(os.path.join(folder, "meta-1", "consolidated.00.pth"), os.path.join(folder, "zip64.pth"))
    base = torch.arange(24, dtype=torch.float32)
    torch.save({"whole": base, "rows": base[6:18].view(3, 4), "tail": base[20:]}, os.path.join(folder, "views.pth"))
    torch.save({"transposed": base.view(4, 6).t()}, os.path.join(folder, "transposed.pth"))
    write_hostile(os.path.join(folder, "views.pth"), os.path.join(folder, "hostile.pth"))


if __name__ == "__main__":
    main()
