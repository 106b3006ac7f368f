// One path's kernels. ProductKernels.c includes this file once per path, with:
//   PK_TARGET       the function attribute that compiles for the path (empty for the baseline)
//   PK_NAME(name)   the path's name for a function
//   PK_MADD(a,b,c)  a * b + c on f32x8 lanes (fused on the FMA path)
//   PK_MADD1(a,b,c) the same on one float
//   PK_HALF(p)      f16 bits at p -> f32 for a fused product (F16C's conversion on the AVX2 path)
//
// Decoding gives, value for value, what Sources/Quantization's dequantize functions give:
// the same f32 operations in the same order, none contracted (ProductKernels.c turns
// contraction off). Only the multiply-add of the products depends on the path.

#define PK_INLINE static inline __attribute__((always_inline)) PK_TARGET
// The small fixed loops (rows of a block, tokens, 8-value groups) are unrolled so their
// accumulators live in registers: left as loops, the accumulators of the 4-row kernel went
// through the stack, a store and a load inside every multiply-add chain.
#define PK_UNROLL _Pragma("clang loop unroll(full)")

// ---------------------------------------------------------------- loads and conversions

PK_INLINE f32x8 PK_NAME(load8)(const void *p) {
    f32x8 v;
    memcpy(&v, p, sizeof v);  // an unaligned load: safetensors data need not be aligned
    return v;
}

/// f16 bits -> f32, exactly, as HalfFloat.float(fromBits:): normal, subnormal, infinity/NaN.
PK_INLINE u32x8 PK_NAME(half_bits)(u32x8 h) {
    u32x8 sign = (h & 0x8000) << 16;
    u32x8 exponent = (h >> 10) & 0x1F;
    u32x8 mantissa = h & 0x3FF;
    u32x8 normal = ((exponent + 112) << 23) | (mantissa << 13);
    u32x8 special = 0x7F800000u | (mantissa << 13);
    f32x8 small = __builtin_convertvector((i32x8)mantissa, f32x8) * 0x1p-24f;  // exact
    u32x8 subnormal = (u32x8)small;
    u32x8 is_special = (u32x8)(exponent == 0x1F), is_subnormal = (u32x8)(exponent == 0);
    u32x8 magnitude = (special & is_special) | (subnormal & is_subnormal & ~is_special)
                      | (normal & ~is_special & ~is_subnormal);
    return sign | magnitude;
}

PK_INLINE f32x8 PK_NAME(halves8)(const uint8_t *p) {
    u16x8 h;
    memcpy(&h, p, sizeof h);
    return (f32x8)PK_NAME(half_bits)(__builtin_convertvector(h, u32x8));
}

PK_INLINE f32x8 PK_NAME(brains8)(const uint8_t *p) {
    u16x8 h;
    memcpy(&h, p, sizeof h);
    return (f32x8)(__builtin_convertvector(h, u32x8) << 16);
}

/// Eight bytes as 32-bit lanes (unsigned).
PK_INLINE i32x8 PK_NAME(bytes8)(const uint8_t *p) {
    u8x8 b;
    memcpy(&b, p, sizeof b);
    return __builtin_convertvector(b, i32x8);
}

PK_INLINE f32x8 PK_NAME(floats)(i32x8 v) { return __builtin_convertvector(v, f32x8); }

// ---------------------------------------------------------------- decoding 32 values

/// Values 32k ..< 32k + 32 of a row of `format` at `row` into v[0..3] (8 each, in order).
/// `fused` (a constant) is set when the values only go into a product: then a block's scales
/// may be converted with PK_HALF, which gives the same bits except that a signalling NaN comes
/// out quiet; its products are the same quiet NaN either way (tested), while decoded values
/// must be the Quantization module's bit for bit. Bounds: the row holds at least 32k + 32 values.
PK_INLINE void PK_NAME(decode32)(pk_format format, const uint8_t *row, size_t k, f32x8 v[4], int fused) {
    switch (format) {
    case PK_F32:
        PK_UNROLL for (int g = 0; g < 4; g++) v[g] = PK_NAME(load8)(row + 4 * (32 * k + 8 * g));
        break;
    case PK_F16:
        PK_UNROLL for (int g = 0; g < 4; g++) v[g] = PK_NAME(halves8)(row + 2 * (32 * k + 8 * g));
        break;
    case PK_BF16:
        PK_UNROLL for (int g = 0; g < 4; g++) v[g] = PK_NAME(brains8)(row + 2 * (32 * k + 8 * g));
        break;
    case PK_Q8_0: {  // 34 bytes: f16 d, 32 Int8 q; value = q * d
        const uint8_t *block = row + 34 * k;
        float d = half_float(block);
        PK_UNROLL for (int g = 0; g < 4; g++) {
            i8x8 q;
            memcpy(&q, block + 2 + 8 * g, sizeof q);
            v[g] = __builtin_convertvector(q, f32x8) * d;
        }
        break;
    }
    case PK_Q4_0: {  // 18 bytes: f16 d, 16 bytes (value j low nibble of byte j, j + 16 high); d * (q - 8)
        const uint8_t *block = row + 18 * k;
        float d = half_float(block);
        i32x8 first = PK_NAME(bytes8)(block + 2), second = PK_NAME(bytes8)(block + 10);
        v[0] = d * (PK_NAME(floats)(first & 0xF) - 8.0f);
        v[1] = d * (PK_NAME(floats)(second & 0xF) - 8.0f);
        v[2] = d * (PK_NAME(floats)(first >> 4) - 8.0f);
        v[3] = d * (PK_NAME(floats)(second >> 4) - 8.0f);
        break;
    }
    case PK_Q4_1: {  // 20 bytes: f16 d, f16 m, 16 bytes as Q4_0; d * q + m (two roundings)
        const uint8_t *block = row + 20 * k;
        // The fused Q4_1 product went from 6.6 to 9.5 G values/s (576 wide, in cache, one thread)
        // with F16C's conversion of its two scales instead of half_float's branches.
        float d = fused ? PK_HALF(block) : half_float(block), m = fused ? PK_HALF(block + 2) : half_float(block + 2);
        i32x8 first = PK_NAME(bytes8)(block + 4), second = PK_NAME(bytes8)(block + 12);
        v[0] = d * PK_NAME(floats)(first & 0xF) + m;
        v[1] = d * PK_NAME(floats)(second & 0xF) + m;
        v[2] = d * PK_NAME(floats)(first >> 4) + m;
        v[3] = d * PK_NAME(floats)(second >> 4) + m;
        break;
    }
    case PK_Q5_0:  // 22 bytes: f16 d, u32 qh (bit i = bit 4 of value i), 16 bytes as Q4_0; (q - 16) * d
    case PK_Q5_1: {  // 24 bytes: f16 d, f16 m, qh and 16 bytes as Q5_0; d * q + m (two roundings)
        int affine = format == PK_Q5_1;
        const uint8_t *block = row + (affine ? 24 : 22) * k;
        const uint8_t *high = block + (affine ? 4 : 2);
        float d = half_float(block), m = affine ? half_float(block + 2) : 0;
        uint32_t qh = (uint32_t)high[0] | (uint32_t)high[1] << 8 | (uint32_t)high[2] << 16 | (uint32_t)high[3] << 24;
        i32x8 first = PK_NAME(bytes8)(high + 4), second = PK_NAME(bytes8)(high + 12);
        i32x8 nibbles[4] = {first & 0xF, second & 0xF, first >> 4, second >> 4};
        const i32x8 bits = {1, 2, 4, 8, 16, 32, 64, 128};
        PK_UNROLL for (int g = 0; g < 4; g++) {
            // Bit 8g + l of qh for lane l, without a per-lane shift (SSE2 has none): a mask and a compare.
            i32x8 top = ((i32x8){0} + (int32_t)((qh >> (8 * g)) & 0xFF)) & bits;
            i32x8 q = nibbles[g] | ((top != 0) & 16);
            v[g] = affine ? d * PK_NAME(floats)(q) + m : PK_NAME(floats)(q - 16) * d;
        }
        break;
    }
    case PK_Q4_K: {  // 144 bytes per 256: f16 d, f16 dmin, 12 scale/min bytes, 128 nibble bytes
        const uint8_t *block = row + 144 * (k / 8);
        size_t j = k % 8;  // the 32-value sub-block
        float d = half_float(block), dmin = half_float(block + 2);
        uint8_t scale, minimum;
        scale_and_min(j, block + 4, &scale, &minimum);
        float dj = d * (float)scale, mj = dmin * (float)minimum;
        const uint8_t *bytes = block + 16 + 32 * (j / 2);  // low nibbles for even j, high for odd
        PK_UNROLL for (int g = 0; g < 4; g++) {
            i32x8 b = PK_NAME(bytes8)(bytes + 8 * g);
            i32x8 q = j % 2 == 0 ? (b & 0xF) : (b >> 4);
            v[g] = dj * PK_NAME(floats)(q) - mj;
        }
        break;
    }
    case PK_Q6_K: {  // 210 bytes per 256: ql 128, qh 64, 16 Int8 scales, f16 d
        const uint8_t *block = row + 210 * (k / 8);
        size_t half = k % 8 / 4, quarter = k % 4;  // value e = 128 half + 32 quarter + l
        float d = half_float(block + 208);
        const uint8_t *low = block + 64 * half + 32 * (quarter % 2);
        const uint8_t *high = block + 128 + 32 * half;
        PK_UNROLL for (int g = 0; g < 4; g++) {
            i32x8 l = PK_NAME(bytes8)(low + 8 * g);
            i32x8 nibble = quarter < 2 ? (l & 0xF) : (l >> 4);
            i32x8 top = (PK_NAME(bytes8)(high + 8 * g) >> (int)(2 * quarter)) & 3;
            i32x8 q = (nibble | top << 4) - 32;
            int8_t scale = (int8_t)block[192 + (32 * quarter + 128 * half + 8 * g) / 16];
            v[g] = (d * (float)scale) * PK_NAME(floats)(q);
        }
        break;
    }
    }
}

/// Values 8g ..< 8g + 8 of a row of a float format (the columns past the last whole 32).
PK_INLINE f32x8 PK_NAME(decode8)(pk_format format, const uint8_t *row, size_t g) {
    switch (format) {
    case PK_F16: return PK_NAME(halves8)(row + 16 * g);
    case PK_BF16: return PK_NAME(brains8)(row + 16 * g);
    default: return PK_NAME(load8)(row + 32 * g);  // F32; quantized rows have no such columns
    }
}

/// One value of a float format (the last columns % 8).
PK_INLINE float PK_NAME(decode1)(pk_format format, const uint8_t *row, size_t j) {
    switch (format) {
    case PK_F16: return half_float(row + 2 * j);
    case PK_BF16: {
        uint16_t h;
        memcpy(&h, row + 2 * j, 2);
        uint32_t bits = (uint32_t)h << 16;
        float value;
        memcpy(&value, &bits, 4);
        return value;
    }
    default: {
        float value;
        memcpy(&value, row + 4 * j, 4);
        return value;
    }
    }
}

// ---------------------------------------------------------------- the canonical sum

/// The eight lanes as ((l0+l4) + (l2+l6)) + ((l1+l5) + (l3+l7)).
PK_INLINE float PK_NAME(lanes)(f32x8 a) {
    f32x4 low = __builtin_shufflevector(a, a, 0, 1, 2, 3);
    f32x4 high = __builtin_shufflevector(a, a, 4, 5, 6, 7);
    f32x4 s = low + high;
    float even = s[0] + s[2], odd = s[1] + s[3];
    return even + odd;
}

/// Finishes one dot product whose accumulator holds the first 32 * (columns / 32) values:
/// the remaining groups of 8, the lanes, then the scalar tail (float formats only).
PK_INLINE float PK_NAME(finish)(pk_format format, const uint8_t *row, size_t columns, const float *x, f32x8 acc) {
    for (size_t g = columns / 32 * 4; g < columns / 8; g++)
        acc = PK_MADD(PK_NAME(decode8)(format, row, g), PK_NAME(load8)(x + 8 * g), acc);
    float total = PK_NAME(lanes)(acc);
    for (size_t j = columns / 8 * 8; j < columns; j++) total = PK_MADD1(PK_NAME(decode1)(format, row, j), x[j], total);
    return total;
}

// ---------------------------------------------------------------- one token: fused decode and dot

/// Four rows at a time: four independent accumulators keep the multiply-add unit busy
/// (one chain waits on its own latency), and each 32 activations are loaded once for four rows.
PK_INLINE void PK_NAME(matvec_format)(pk_format format, const uint8_t *weights, size_t row_bytes, size_t rows,
                                     size_t columns, const float *x, float *out) {
    size_t chunks = columns / 32, r = 0;
    for (; r + 4 <= rows; r += 4) {
        const uint8_t *row = weights + r * row_bytes;
        f32x8 acc[4] = {{0}, {0}, {0}, {0}};
        for (size_t k = 0; k < chunks; k++) {
            f32x8 xs[4];
            PK_UNROLL for (int g = 0; g < 4; g++) xs[g] = PK_NAME(load8)(x + 32 * k + 8 * g);
            PK_UNROLL for (int i = 0; i < 4; i++) {
                // The same place in the next group's rows, ahead of the hardware prefetcher:
                // Q8_0 rows of 576 values out of cache, one thread, went from 3.7 to 7.3 G
                // values/s with it (Tests/Benchmarks figures are for the whole model).
                __builtin_prefetch(row + (i + 4) * row_bytes + k * (row_bytes / chunks));
                f32x8 v[4];
                PK_NAME(decode32)(format, row + i * row_bytes, k, v, 1);
                PK_UNROLL for (int g = 0; g < 4; g++) acc[i] = PK_MADD(v[g], xs[g], acc[i]);
            }
        }
        PK_UNROLL for (int i = 0; i < 4; i++) out[r + i] = PK_NAME(finish)(format, row + i * row_bytes, columns, x, acc[i]);
    }
    for (; r < rows; r++) {
        const uint8_t *row = weights + r * row_bytes;
        f32x8 acc = {0};
        for (size_t k = 0; k < chunks; k++) {
            f32x8 v[4];
            PK_NAME(decode32)(format, row, k, v, 1);
            PK_UNROLL for (int g = 0; g < 4; g++) acc = PK_MADD(v[g], PK_NAME(load8)(x + 32 * k + 8 * g), acc);
        }
        out[r] = PK_NAME(finish)(format, row, columns, x, acc);
    }
}

PK_TARGET static void PK_NAME(matvec)(pk_format format, const void *weights, size_t row_bytes, size_t rows,
                                      size_t columns, const float *x, float *out) {
    const uint8_t *w = weights;
    // One instance per format, so the decoding's switch is resolved outside the loops.
    switch (format) {
    case PK_F32: PK_NAME(matvec_format)(PK_F32, w, row_bytes, rows, columns, x, out); break;
    case PK_F16: PK_NAME(matvec_format)(PK_F16, w, row_bytes, rows, columns, x, out); break;
    case PK_BF16: PK_NAME(matvec_format)(PK_BF16, w, row_bytes, rows, columns, x, out); break;
    case PK_Q8_0: PK_NAME(matvec_format)(PK_Q8_0, w, row_bytes, rows, columns, x, out); break;
    case PK_Q4_0: PK_NAME(matvec_format)(PK_Q4_0, w, row_bytes, rows, columns, x, out); break;
    case PK_Q4_1: PK_NAME(matvec_format)(PK_Q4_1, w, row_bytes, rows, columns, x, out); break;
    case PK_Q4_K: PK_NAME(matvec_format)(PK_Q4_K, w, row_bytes, rows, columns, x, out); break;
    case PK_Q6_K: PK_NAME(matvec_format)(PK_Q6_K, w, row_bytes, rows, columns, x, out); break;
    case PK_Q5_0: PK_NAME(matvec_format)(PK_Q5_0, w, row_bytes, rows, columns, x, out); break;
    case PK_Q5_1: PK_NAME(matvec_format)(PK_Q5_1, w, row_bytes, rows, columns, x, out); break;
    }
}

// ---------------------------------------------------------------- a batch: decoded f32 rows

/// R rows (R <= 4) against T tokens (T <= 3): R x T accumulators, so each weight vector is
/// loaded once for T tokens and each activation vector once for R rows (7 loads per 12
/// multiply-adds for 4 x 3, which fills 12 of the 16 ymm registers).
PK_INLINE void PK_NAME(block_f32)(int R, int T, const float *w, const float *x, size_t columns, float *out,
                                 size_t out_stride) {
    f32x8 acc[4][3];
    PK_UNROLL for (int i = 0; i < R; i++)
        PK_UNROLL for (int t = 0; t < T; t++) acc[i][t] = (f32x8){0};
    for (size_t j = 0; j + 8 <= columns; j += 8) {
        f32x8 xs[3];
        PK_UNROLL for (int t = 0; t < T; t++) xs[t] = PK_NAME(load8)(x + t * columns + j);
        PK_UNROLL for (int i = 0; i < R; i++) {
            f32x8 v = PK_NAME(load8)(w + i * columns + j);
            PK_UNROLL for (int t = 0; t < T; t++) acc[i][t] = PK_MADD(v, xs[t], acc[i][t]);
        }
    }
    PK_UNROLL for (int i = 0; i < R; i++) {
        PK_UNROLL for (int t = 0; t < T; t++) {
            float total = PK_NAME(lanes)(acc[i][t]);
            for (size_t j = columns / 8 * 8; j < columns; j++)
                total = PK_MADD1(w[i * columns + j], x[t * columns + j], total);
            out[t * out_stride + i] = total;
        }
    }
}

PK_INLINE void PK_NAME(rows_f32)(int T, const float *w, size_t rows, const float *x, size_t columns, float *out,
                                size_t out_stride) {
    size_t r = 0;
    for (; r + 4 <= rows; r += 4) PK_NAME(block_f32)(4, T, w + r * columns, x, columns, out + r, out_stride);
    for (; r < rows; r++) PK_NAME(block_f32)(1, T, w + r * columns, x, columns, out + r, out_stride);
}

PK_TARGET static void PK_NAME(matmul_f32)(const float *w, size_t rows, const float *x, size_t tokens, size_t columns,
                                          float *out, size_t out_stride) {
    // Tokens outer: the rows (a tile decoded to fit in L2) are read again for each 3 tokens.
    size_t t = 0;
    for (; t + 3 <= tokens; t += 3) PK_NAME(rows_f32)(3, w, rows, x + t * columns, columns, out + t * out_stride, out_stride);
    if (tokens - t == 2) PK_NAME(rows_f32)(2, w, rows, x + t * columns, columns, out + t * out_stride, out_stride);
    if (tokens - t == 1) PK_NAME(rows_f32)(1, w, rows, x + t * columns, columns, out + t * out_stride, out_stride);
}

// ---------------------------------------------------------------- decoding rows for a batch

PK_INLINE void PK_NAME(decode_format)(pk_format format, const uint8_t *source, size_t elements, float *destination) {
    size_t chunks = elements / 32;
    for (size_t k = 0; k < chunks; k++) {
        f32x8 v[4];
        PK_NAME(decode32)(format, source, k, v, 0);
        memcpy(destination + 32 * k, v, sizeof v);
    }
    for (size_t g = chunks * 4; g < elements / 8; g++) {
        f32x8 v = PK_NAME(decode8)(format, source, g);
        memcpy(destination + 8 * g, &v, sizeof v);
    }
    for (size_t j = elements / 8 * 8; j < elements; j++) destination[j] = PK_NAME(decode1)(format, source, j);
}

PK_TARGET static void PK_NAME(decode)(pk_format format, const void *source, size_t elements, float *destination) {
    const uint8_t *s = source;
    switch (format) {
    case PK_F32: PK_NAME(decode_format)(PK_F32, s, elements, destination); break;
    case PK_F16: PK_NAME(decode_format)(PK_F16, s, elements, destination); break;
    case PK_BF16: PK_NAME(decode_format)(PK_BF16, s, elements, destination); break;
    case PK_Q8_0: PK_NAME(decode_format)(PK_Q8_0, s, elements, destination); break;
    case PK_Q4_0: PK_NAME(decode_format)(PK_Q4_0, s, elements, destination); break;
    case PK_Q4_1: PK_NAME(decode_format)(PK_Q4_1, s, elements, destination); break;
    case PK_Q4_K: PK_NAME(decode_format)(PK_Q4_K, s, elements, destination); break;
    case PK_Q6_K: PK_NAME(decode_format)(PK_Q6_K, s, elements, destination); break;
    case PK_Q5_0: PK_NAME(decode_format)(PK_Q5_0, s, elements, destination); break;
    case PK_Q5_1: PK_NAME(decode_format)(PK_Q5_1, s, elements, destination); break;
    }
}

// ---------------------------------------------------------------- attention

/// Eight positions at a time: eight independent multiply-add chains, one query load for eight
/// keys. The loops cover the whole 32s; `finish` adds the rest, as in every product.
PK_TARGET static void PK_NAME(attention_scores)(const float *query, const float *keys, size_t stride, size_t count,
                                                size_t dim, float scale, float *scores) {
    size_t p = 0;
    for (; p + 8 <= count; p += 8) {
        f32x8 acc[8];
        PK_UNROLL for (int i = 0; i < 8; i++) acc[i] = (f32x8){0};
        for (size_t j = 0; j < dim / 32 * 32; j += 8) {
            f32x8 q = PK_NAME(load8)(query + j);
            PK_UNROLL for (int i = 0; i < 8; i++) acc[i] = PK_MADD(PK_NAME(load8)(keys + (p + i) * stride + j), q, acc[i]);
        }
        PK_UNROLL for (int i = 0; i < 8; i++)
            scores[p + i] = PK_NAME(finish)(PK_F32, (const uint8_t *)(keys + (p + i) * stride), dim, query, acc[i]) * scale;
    }
    for (; p < count; p++) {
        f32x8 acc = {0};
        for (size_t j = 0; j < dim / 32 * 32; j += 8) acc = PK_MADD(PK_NAME(load8)(keys + p * stride + j), PK_NAME(load8)(query + j), acc);
        scores[p] = PK_NAME(finish)(PK_F32, (const uint8_t *)(keys + p * stride), dim, query, acc) * scale;
    }
}

/// 64 outputs at a time in eight registers, so eight multiply-add chains run side by side.
PK_TARGET static void PK_NAME(weighted_sum)(const float *weights, const float *values, size_t stride, size_t count,
                                            size_t dim, float *out) {
    size_t d = 0;
    for (; d + 64 <= dim; d += 64) {
        f32x8 acc[8];
        PK_UNROLL for (int g = 0; g < 8; g++) acc[g] = PK_NAME(load8)(out + d + 8 * g);
        for (size_t p = 0; p < count; p++) {
            f32x8 w = (f32x8){0} + weights[p];
            PK_UNROLL for (int g = 0; g < 8; g++) acc[g] = PK_MADD(w, PK_NAME(load8)(values + p * stride + d + 8 * g), acc[g]);
        }
        memcpy(out + d, acc, sizeof acc);
    }
    for (; d + 8 <= dim; d += 8) {
        f32x8 acc = PK_NAME(load8)(out + d);
        for (size_t p = 0; p < count; p++) acc = PK_MADD((f32x8){0} + weights[p], PK_NAME(load8)(values + p * stride + d), acc);
        memcpy(out + d, &acc, sizeof acc);
    }
    for (; d < dim; d++) {
        float total = out[d];
        for (size_t p = 0; p < count; p++) total = PK_MADD1(weights[p], values[p * stride + d], total);
        out[d] = total;
    }
}

#undef PK_INLINE
