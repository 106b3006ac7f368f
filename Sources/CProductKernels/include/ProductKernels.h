#ifndef LLAMA3_PRODUCT_KERNELS_H
#define LLAMA3_PRODUCT_KERNELS_H

// The reference model's matrix-product kernels, in C so that one binary can carry an
// AVX2/FMA version beside the baseline x86-64 (SSE2) one and pick it at run time: Swift
// compiles a whole module for one target, C can compile one function for another.
//
// Every dot product, on every path and in every kernel, is summed in one order (the
// "canonical order", Docs/REFERENCE_MODEL.md): element j goes to lane j % 8 of an
// 8-lane accumulator (a multiply-add per element, fused on the AVX2/FMA path), the
// lanes are added as ((l0+l4) + (l2+l6)) + ((l1+l5) + (l3+l7)), then the last
// columns % 8 elements are added one by one. So a product does not depend on the
// kernel (one token fused with the decoding, or a batch on decoded rows), the
// number of tokens or the threads; only the path (fused or separate multiply-add)
// changes the rounding.
//
// Callers guarantee the bounds written beside each function; the Swift side
// (Sources/ReferenceModel/ProductKernel.swift) checks them once per tensor.

#include <stddef.h>

typedef enum {
    PK_PATH_BASELINE = 0,  // x86-64 baseline (SSE2), or plain C elsewhere
    PK_PATH_AVX2_FMA = 1,  // AVX2, FMA and F16C, when the CPU and the OS have them
} pk_path;

// The stored formats the kernels read directly (ggml's block layouts: Sources/Quantization).
typedef enum {
    PK_F32 = 0,
    PK_F16 = 1,
    PK_BF16 = 2,
    PK_Q8_0 = 3,
    PK_Q4_0 = 4,
    PK_Q4_1 = 5,
    PK_Q4_K = 6,
    PK_Q6_K = 7,
    PK_Q5_0 = 8,
    PK_Q5_1 = 9,
} pk_format;

/// The fastest path this CPU and OS can run (AVX2, FMA, F16C and the OS saving ymm registers).
pk_path pk_best_path(void);

/// out[r] = dot(row r, x) for r < rows: row r is `columns` values of `format` at
/// weights + r * row_bytes (row_bytes = the format's bytes for `columns`); x has `columns`
/// floats, out `rows`. Quantized formats need `columns` a multiple of their block
/// (32, or 256 for Q4_K and Q6_K). Rows are decoded in registers, never stored.
void pk_matvec(pk_path path, pk_format format, const void *weights, size_t row_bytes, size_t rows,
               size_t columns, const float *x, float *out);

/// out[t * out_stride + r] = dot(weights row r, x row t) for r < rows, t < tokens, on f32
/// rows of `columns` values (weights rows x columns, x tokens x columns; out holds
/// (tokens - 1) * out_stride + rows floats).
void pk_matmul_f32(pk_path path, const float *weights, size_t rows, const float *x, size_t tokens,
                   size_t columns, float *out, size_t out_stride);

/// `elements` values of `format` at `source` (whole blocks for the quantized formats) as
/// f32 at `destination`: bit for bit the values Sources/Quantization decodes.
void pk_decode(pk_path path, pk_format format, const void *source, size_t elements, float *destination);

/// Attention's scores: scores[p] = dot(query, keys + p * stride) * scale for p < count, each
/// dot of `dim` values in the canonical order. Bounds: query holds dim floats, keys
/// (count - 1) * stride + dim, scores count.
void pk_attention_scores(pk_path path, const float *query, const float *keys, size_t stride, size_t count, size_t dim,
                         float scale, float *scores);

/// Attention's weighted sum: out[d] += weights[p] * values[p * stride + d] for p = 0, 1, ...,
/// count - 1 in that order, one multiply-add per term. Bounds: weights holds count floats,
/// values (count - 1) * stride + dim, out dim.
void pk_weighted_sum(pk_path path, const float *weights, const float *values, size_t stride, size_t count, size_t dim,
                     float *out);

#endif
