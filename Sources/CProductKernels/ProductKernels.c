// The kernels twice, for the baseline and for AVX2/FMA, and the choice between them.
// What each kernel computes and in which order: include/ProductKernels.h.

#include "ProductKernels.h"

#include <stdint.h>
#include <string.h>

// No a * b + c becomes one fused operation unless written so (PK_MADD): decoding must round
// like Sources/Quantization's Swift, which never contracts, and the baseline must not
// differ from the FMA path anywhere but in the products.
#pragma clang fp contract(off)

// The baseline path passes 8-lane vectors only between always-inline functions, so no call
// ever uses the vector ABI this warning is about.
#pragma clang diagnostic ignored "-Wpsabi"

typedef float f32x8 __attribute__((vector_size(32)));
typedef float f32x4 __attribute__((vector_size(16)));
typedef int32_t i32x8 __attribute__((vector_size(32)));
typedef uint32_t u32x8 __attribute__((vector_size(32)));
typedef uint16_t u16x8 __attribute__((vector_size(16)));
typedef int8_t i8x8 __attribute__((vector_size(8)));
typedef uint8_t u8x8 __attribute__((vector_size(8)));

/// f16 bits at p (little-endian) -> f32, exactly: HalfFloat.float(fromBits:) on one value.
static inline float half_float(const uint8_t *p) {
    uint32_t h = (uint32_t)p[0] | (uint32_t)p[1] << 8;
    uint32_t sign = (h & 0x8000) << 16, exponent = (h >> 10) & 0x1F, mantissa = h & 0x3FF;
    uint32_t magnitude;
    if (exponent == 0x1F) {
        magnitude = 0x7F800000u | mantissa << 13;
    } else if (exponent == 0) {
        float small = (float)mantissa * 0x1p-24f;  // exact
        memcpy(&magnitude, &small, 4);
    } else {
        magnitude = (exponent + 112) << 23 | mantissa << 13;
    }
    uint32_t bits = sign | magnitude;
    float value;
    memcpy(&value, &bits, 4);
    return value;
}

/// Q4_K's 6-bit scale and minimum of sub-block j (0..<8) from its 12 packed bytes (KQuantBlock.scaleAndMin).
static inline void scale_and_min(size_t j, const uint8_t *q, uint8_t *scale, uint8_t *minimum) {
    if (j < 4) {
        *scale = q[j] & 63;
        *minimum = q[j + 4] & 63;
    } else {
        *scale = (q[j + 4] & 0x0F) | (uint8_t)((q[j - 4] >> 6) << 4);
        *minimum = (q[j + 4] >> 4) | (uint8_t)((q[j] >> 6) << 4);
    }
}

// ---------------------------------------------------------------- the baseline path

#define PK_TARGET
#define PK_NAME(name) name##_baseline
#define PK_MADD(a, b, c) ((a) * (b) + (c))
#define PK_MADD1(a, b, c) ((a) * (b) + (c))
#define PK_HALF(p) half_float(p)
#include "KernelBody.h"
#undef PK_HALF
#undef PK_TARGET
#undef PK_NAME
#undef PK_MADD
#undef PK_MADD1

// ---------------------------------------------------------------- the AVX2/FMA path

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>

/// f16 bits at p -> f32 with F16C: half_float's value, but a signalling NaN comes out quiet.
__attribute__((target("f16c"))) static inline float half_f16c(const uint8_t *p) {
    uint16_t h;
    memcpy(&h, p, 2);
    return _cvtsh_ss(h);
}

#define PK_TARGET __attribute__((target("avx2,fma,f16c")))
#define PK_NAME(name) name##_avx2
#define PK_MADD(a, b, c) __builtin_elementwise_fma((a), (b), (c))
#define PK_MADD1(a, b, c) __builtin_fmaf((a), (b), (c))
#define PK_HALF(p) half_f16c(p)
#include "KernelBody.h"
#undef PK_HALF
#undef PK_TARGET
#undef PK_NAME
#undef PK_MADD
#undef PK_MADD1

/// Whether the OS saves the ymm registers across context switches (XCR0 bits 1 and 2);
/// a CPU with AVX under an OS that does not must not use it.
static int os_saves_ymm(void) {
    uint32_t low, high;
    __asm__ volatile("xgetbv" : "=a"(low), "=d"(high) : "c"(0));
    (void)high;
    return (low & 6) == 6;
}

pk_path pk_best_path(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return PK_PATH_BASELINE;
    int fma = (c >> 12) & 1, osxsave = (c >> 27) & 1, avx = (c >> 28) & 1, f16c = (c >> 29) & 1;
    if (!fma || !osxsave || !avx || !f16c || !os_saves_ymm()) return PK_PATH_BASELINE;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return PK_PATH_BASELINE;
    return ((b >> 5) & 1) ? PK_PATH_AVX2_FMA : PK_PATH_BASELINE;
}

#define PK_HAS_AVX2 1
#else
pk_path pk_best_path(void) { return PK_PATH_BASELINE; }
#define PK_HAS_AVX2 0
#endif

// ---------------------------------------------------------------- dispatch

void pk_matvec(pk_path path, pk_format format, const void *weights, size_t row_bytes, size_t rows, size_t columns,
               const float *x, float *out) {
#if PK_HAS_AVX2
    if (path == PK_PATH_AVX2_FMA) {
        matvec_avx2(format, weights, row_bytes, rows, columns, x, out);
        return;
    }
#endif
    (void)path;
    matvec_baseline(format, weights, row_bytes, rows, columns, x, out);
}

void pk_matmul_f32(pk_path path, const float *weights, size_t rows, const float *x, size_t tokens, size_t columns,
                   float *out, size_t out_stride) {
#if PK_HAS_AVX2
    if (path == PK_PATH_AVX2_FMA) {
        matmul_f32_avx2(weights, rows, x, tokens, columns, out, out_stride);
        return;
    }
#endif
    (void)path;
    matmul_f32_baseline(weights, rows, x, tokens, columns, out, out_stride);
}

void pk_decode(pk_path path, pk_format format, const void *source, size_t elements, float *destination) {
#if PK_HAS_AVX2
    if (path == PK_PATH_AVX2_FMA) {
        decode_avx2(format, source, elements, destination);
        return;
    }
#endif
    (void)path;
    decode_baseline(format, source, elements, destination);
}

void pk_attention_scores(pk_path path, const float *query, const float *keys, size_t stride, size_t count, size_t dim,
                         float scale, float *scores) {
#if PK_HAS_AVX2
    if (path == PK_PATH_AVX2_FMA) {
        attention_scores_avx2(query, keys, stride, count, dim, scale, scores);
        return;
    }
#endif
    (void)path;
    attention_scores_baseline(query, keys, stride, count, dim, scale, scores);
}

void pk_weighted_sum(pk_path path, const float *weights, const float *values, size_t stride, size_t count, size_t dim,
                     float *out) {
#if PK_HAS_AVX2
    if (path == PK_PATH_AVX2_FMA) {
        weighted_sum_avx2(weights, values, stride, count, dim, out);
        return;
    }
#endif
    (void)path;
    weighted_sum_baseline(weights, values, stride, count, dim, out);
}
