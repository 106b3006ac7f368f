// Module Quantization: Element kernels: f16/bf16/f32 conversions and ggml's Q8_0, Q4_0, Q4_1 blocks.
// Its contents land with the issue that builds it (see Docs/ARCHITECTURE.md).
