/// The inner loops of the matrix products and of attention: dot products on decoded f32 rows.
///
/// Hot path. Every output element is one dot product summed in the same order (SIMD4 partial
/// sums over the columns, then the four lanes, then a scalar tail), whichever block it is
/// computed in, so a token's result does not depend on how many tokens share the batch or on
/// the thread count. The 4-row x 2-token block loads each weight vector once for two tokens and
/// each activation vector once for four rows: 6 loads per 8 multiply-adds instead of 2 per 1,
/// keeping 8 independent accumulators in flight (SSE2 baseline: 8 of the 16 xmm registers).
enum ProductKernel {
    /// `output[t * outputStride + r] = dot(input row t, weight row r)` for r < rows, t < tokens.
    /// Bounds: `weights` holds rows x columns values, `input` tokens x columns, and `output`
    /// (tokens - 1) x outputStride + rows; callers size all three from the same shapes.
    static func multiply(
        weights: UnsafePointer<Float>, rows: Int, input: UnsafePointer<Float>, tokens: Int, columns: Int,
        output: UnsafeMutablePointer<Float>, outputStride: Int
    ) {
        var token = 0
        while token + 2 <= tokens {
            let x0 = input + token * columns, x1 = x0 + columns
            var row = 0
            while row + 4 <= rows {
                let sums = dot4x2(weights + row * columns, x0, x1, columns)
                for r in 0..<4 {
                    output[token * outputStride + row + r] = sums.0[r]
                    output[(token + 1) * outputStride + row + r] = sums.1[r]
                }
                row += 4
            }
            while row < rows {
                output[token * outputStride + row] = dot(weights + row * columns, x0, columns)
                output[(token + 1) * outputStride + row] = dot(weights + row * columns, x1, columns)
                row += 1
            }
            token += 2
        }
        if token < tokens {
            // The last (or only, in generation) token: four rows at a time, for four independent sums.
            let x = input + token * columns
            var row = 0
            while row + 4 <= rows {
                let sums = dot4x1(weights + row * columns, x, columns)
                for r in 0..<4 { output[token * outputStride + row + r] = sums[r] }
                row += 4
            }
            while row < rows {
                output[token * outputStride + row] = dot(weights + row * columns, x, columns)
                row += 1
            }
        }
    }

    /// One dot product, in the order every block uses.
    @inline(__always)
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ count: Int) -> Float {
        var sum = SIMD4<Float>()
        var index = 0
        while index + 4 <= count {
            sum += load(a + index) * load(b + index)
            index += 4
        }
        var total = sum.sum()
        while index < count {
            total += a[index] * b[index]
            index += 1
        }
        return total
    }

    /// Rows w..w+3 against x0 and x1: the same per-element arithmetic as `dot`, interleaved.
    @inline(__always)
    static func dot4x2(
        _ w: UnsafePointer<Float>, _ x0: UnsafePointer<Float>, _ x1: UnsafePointer<Float>, _ count: Int
    ) -> (SIMD4<Float>, SIMD4<Float>) {
        let w1 = w + count, w2 = w1 + count, w3 = w2 + count
        var a0 = SIMD4<Float>(), a1 = a0, a2 = a0, a3 = a0
        var b0 = SIMD4<Float>(), b1 = b0, b2 = b0, b3 = b0
        var index = 0
        while index + 4 <= count {
            let u = load(x0 + index), v = load(x1 + index)
            let r0 = load(w + index), r1 = load(w1 + index), r2 = load(w2 + index), r3 = load(w3 + index)
            a0 += r0 * u; a1 += r1 * u; a2 += r2 * u; a3 += r3 * u
            b0 += r0 * v; b1 += r1 * v; b2 += r2 * v; b3 += r3 * v
            index += 4
        }
        var first = SIMD4<Float>(a0.sum(), a1.sum(), a2.sum(), a3.sum())
        var second = SIMD4<Float>(b0.sum(), b1.sum(), b2.sum(), b3.sum())
        while index < count {
            for r in 0..<4 {
                first[r] += w[r * count + index] * x0[index]
                second[r] += w[r * count + index] * x1[index]
            }
            index += 1
        }
        return (first, second)
    }

    /// Rows w..w+3 against x: the same per-element arithmetic as `dot`.
    @inline(__always)
    static func dot4x1(_ w: UnsafePointer<Float>, _ x: UnsafePointer<Float>, _ count: Int) -> SIMD4<Float> {
        let w1 = w + count, w2 = w1 + count, w3 = w2 + count
        var a0 = SIMD4<Float>(), a1 = a0, a2 = a0, a3 = a0
        var index = 0
        while index + 4 <= count {
            let u = load(x + index)
            a0 += load(w + index) * u; a1 += load(w1 + index) * u
            a2 += load(w2 + index) * u; a3 += load(w3 + index) * u
            index += 4
        }
        var sums = SIMD4<Float>(a0.sum(), a1.sum(), a2.sum(), a3.sum())
        while index < count {
            for r in 0..<4 { sums[r] += w[r * count + index] * x[index] }
            index += 1
        }
        return sums
    }

    /// `output += scale * vector` (attention's weighted sum of values).
    @inline(__always)
    static func addScaled(_ vector: UnsafePointer<Float>, _ scale: Float, into output: UnsafeMutablePointer<Float>, _ count: Int) {
        var index = 0
        let s = SIMD4<Float>(repeating: scale)
        while index + 4 <= count {
            let sum = load(UnsafePointer(output + index)) + s * load(vector + index)
            UnsafeMutableRawPointer(output + index).storeBytes(of: sum, as: SIMD4<Float>.self)
            index += 4
        }
        while index < count {
            output[index] += scale * vector[index]
            index += 1
        }
    }

    @inline(__always)
    private static func load(_ pointer: UnsafePointer<Float>) -> SIMD4<Float> {
        UnsafeRawPointer(pointer).loadUnaligned(as: SIMD4<Float>.self)
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
