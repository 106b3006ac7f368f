"""Writes a tensor-less GGUF holding the llama.* keys of Llama 3.1 8B as gguf-py's GGUFWriter
writes them (key names and value types are gguf-py's), for
Tests/LlamaLayoutTests/LlamaGGUFMetadataTests.swift to compare with LlamaHyperParameters' keys.

By hand: .venv/bin/python Fixtures/llama-layout/make_llama_keys.py OUT.gguf
"""
import sys

import gguf

writer = gguf.GGUFWriter(sys.argv[1], "llama")
writer.add_vocab_size(128256)
writer.add_context_length(131072)
writer.add_embedding_length(4096)
writer.add_block_count(32)
writer.add_feed_forward_length(14336)
writer.add_rope_dimension_count(128)
writer.add_head_count(32)
writer.add_head_count_kv(8)
writer.add_rope_freq_base(500000.0)
writer.add_layer_norm_rms_eps(1e-5)
writer.write_header_to_file()
writer.write_kv_data_to_file()
writer.write_tensors_to_file()
writer.close()
