import CProductKernels
import FoundationEssentials
import Quantization

/// Which compiled version of the product kernels runs (Sources/CProductKernels): the x86-64
/// baseline (SSE2), or AVX2/FMA where the CPU and the OS have them, chosen once per process.
/// The two differ only in rounding: FMA rounds each multiply-add once, the baseline twice;
/// the order of every sum is the same (Docs/REFERENCE_MODEL.md, "Product kernels").
public enum KernelPath: String, Sendable, CaseIterable {
    case baseline
    case avx2FMA = "avx2-fma"

    /// The best path this machine runs, unless `LLAMA3_KERNELS=baseline` asks for the baseline
    /// (to check that results do not depend on the path, or to time the difference).
    public static let current: KernelPath = {
        if ProcessInfo.processInfo.environment["LLAMA3_KERNELS"] == KernelPath.baseline.rawValue { return .baseline }
        return best
    }()

    /// The fastest path the CPU and OS support.
    public static let best: KernelPath = pk_best_path() == PK_PATH_AVX2_FMA ? .avx2FMA : .baseline

    var c: pk_path { self == .avx2FMA ? PK_PATH_AVX2_FMA : PK_PATH_BASELINE }
}

/// The stored formats the C kernels read directly: fused decode-and-dot for one token, and
/// SIMD decoding of row tiles for a batch. Other formats (Q2_K, Q3_K, Q5_K) are
/// decoded by the Quantization module and multiplied as f32 rows.
struct KernelFormat: Sendable, Equatable {
    let c: pk_format

    init?(_ format: ElementFormat) {
        switch format {
        case .f32: c = PK_F32
        case .f16: c = PK_F16
        case .bf16: c = PK_BF16
        case .q8_0: c = PK_Q8_0
        case .q4_0: c = PK_Q4_0
        case .q4_1: c = PK_Q4_1
        case .q4_K: c = PK_Q4_K
        case .q6_K: c = PK_Q6_K
        case .q5_0: c = PK_Q5_0
        case .q5_1: c = PK_Q5_1
        case .q2_K, .q3_K, .q5_K: return nil
        }
    }
}

/// The inner loops of the matrix products and of attention.
///
/// Hot path. Every output element of a product is one dot product summed in the kernels'
/// canonical order (Sources/CProductKernels/include/ProductKernels.h), whichever kernel
/// computes it: fused with the decoding for one token, or on decoded rows for a batch. So a
/// token's result does not depend on how many tokens share the batch, on the thread count, or
/// on the kernel; only `KernelPath` changes the rounding.
enum ProductKernel {
    /// `output[t * outputStride + r] = dot(input row t, weight row r)` for r < rows, t < tokens.
    /// Bounds: `weights` holds rows x columns values, `input` tokens x columns, and `output`
    /// (tokens - 1) x outputStride + rows; callers size all three from the same shapes.
    static func multiply(
        weights: UnsafePointer<Float>, rows: Int, input: UnsafePointer<Float>, tokens: Int, columns: Int,
        output: UnsafeMutablePointer<Float>, outputStride: Int, path: KernelPath = .current
    ) {
        pk_matmul_f32(path.c, weights, rows, input, tokens, columns, output, outputStride)
    }

    /// `output[r] = dot(row r, x)` for r < rows, each row decoded in registers from `rowBytes`
    /// bytes at `weights + r * rowBytes`. Bounds: `weights` holds rows x rowBytes bytes, rowBytes
    /// is `format`'s size of `columns` values, `x` holds columns values and `output` rows.
    static func multiplyOne(
        format: KernelFormat, weights: UnsafeRawPointer, rowBytes: Int, rows: Int, columns: Int,
        x: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, path: KernelPath = .current
    ) {
        pk_matvec(path.c, format.c, weights, rowBytes, rows, columns, x, output)
    }

    /// `values.count` values of `format` from `bytes` (exactly their size), as the Quantization
    /// module decodes them, bit for bit.
    static func decode(
        format: KernelFormat, _ bytes: UnsafeRawBufferPointer, into values: UnsafeMutableBufferPointer<Float>,
        path: KernelPath = .current
    ) {
        guard let source = bytes.baseAddress, let destination = values.baseAddress else { return }
        pk_decode(path.c, format.c, source, values.count, destination)
    }

    /// Attention's scores: `scores[p] = dot(query, keys + p * stride) * scale` for p < count.
    /// Bounds: `query` holds dim values, `keys` (count - 1) x stride + dim, `scores` count.
    static func attentionScores(
        query: UnsafePointer<Float>, keys: UnsafePointer<Float>, stride: Int, count: Int, dim: Int, scale: Float,
        into scores: UnsafeMutablePointer<Float>, path: KernelPath = .current
    ) {
        pk_attention_scores(path.c, query, keys, stride, count, dim, scale, scores)
    }

    /// Attention's weighted sum: `output[d] += weights[p] * values[p * stride + d]`, p in order.
    /// Bounds: `weights` holds count values, `values` (count - 1) x stride + dim, `output` dim.
    static func weightedSum(
        weights: UnsafePointer<Float>, values: UnsafePointer<Float>, stride: Int, count: Int, dim: Int,
        into output: UnsafeMutablePointer<Float>, path: KernelPath = .current
    ) {
        pk_weighted_sum(path.c, weights, values, stride, count, dim, output)
    }
}

/// A buffer that parallel tasks write in disjoint parts: each task owns the output elements it
/// computes (rows of a product, heads of a token), so no two tasks touch the same value.
struct DisjointWrites: @unchecked Sendable {
    // @unchecked: the pointer is written only at indices the writing task owns, and read after
    // `parallelFor` has joined every task.
    let base: UnsafeMutablePointer<Float>
}

/// Read-only f32 values shared by parallel tasks for the duration of a call.
struct SharedReads: @unchecked Sendable {
    // @unchecked: nothing writes these values while the tasks run.
    let base: UnsafePointer<Float>
}

/// Read-only bytes (a weight's mapped data) shared by parallel tasks for the duration of a call.
struct SharedBytes: @unchecked Sendable {
    // @unchecked: nothing writes these bytes while the tasks run.
    let base: UnsafeRawPointer
}
