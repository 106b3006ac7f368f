import Quantization
import Testing
import TestSupport

@testable import ReferenceModel

/// The C product kernels (Sources/CProductKernels) against the Quantization module's decoding
/// and against sums in double, on random rows of every format they read, on every path this
/// CPU runs (the baseline always, AVX2/FMA where present).
struct ProductKernelTests {
    static let formats: [ElementFormat] = [.f32, .f16, .bf16, .q8_0, .q4_0, .q4_1, .q5_0, .q5_1, .q4_K, .q6_K]
    static let paths: [KernelPath] = KernelPath.allCases.filter { $0 == .baseline || KernelPath.best == .avx2FMA }

    /// Rows x columns of `format` made from random values; float formats get a width that
    /// leaves a group of 8 and a tail of 3 past the last whole 32 (the kernels' three stages).
    struct Weights {
        let format: ElementFormat
        let rows: Int
        let columns: Int
        let bytes: [UInt8]

        init(_ format: ElementFormat, rows: Int = 9, seed: UInt64) throws {
            var random = SplitMix64(seed: seed)
            self.format = format
            self.rows = rows
            columns = format.isQuantized ? 2 * max(32, format.elementsPerBlock) : 75
            bytes = try Transcoder.encode((0..<(rows * columns)).map { _ in random.nextFloat() }, as: format)
        }

        init(_ format: ElementFormat, rows: Int, columns: Int, bytes: [UInt8]) {
            (self.format, self.rows, self.columns, self.bytes) = (format, rows, columns, bytes)
        }

        var rowBytes: Int { bytes.count / rows }
        var kernelFormat: KernelFormat { KernelFormat(format)! }

        /// Every value as the Quantization module decodes it.
        func decoded() throws -> [Float] { try Transcoder.decode(bytes, from: format) }
    }

    static func randomInput(_ count: Int, seed: UInt64) -> [Float] {
        var random = SplitMix64(seed: seed)
        return (0..<count).map { _ in random.nextFloat() }
    }

    static func kernelDecode(_ format: ElementFormat, _ bytes: [UInt8], count: Int, path: KernelPath) -> [Float] {
        [Float](unsafeUninitializedCapacity: count) { values, initialized in
            bytes.withUnsafeBytes { ProductKernel.decode(format: KernelFormat(format)!, $0, into: values, path: path) }
            initialized = count
        }
    }

    static func oneToken(_ weights: Weights, _ x: [Float], path: KernelPath) -> [Float] {
        [Float](unsafeUninitializedCapacity: weights.rows) { output, initialized in
            weights.bytes.withUnsafeBytes { w in
                x.withUnsafeBufferPointer { x in
                    ProductKernel.multiplyOne(
                        format: weights.kernelFormat, weights: w.baseAddress!, rowBytes: weights.rowBytes, rows: weights.rows,
                        columns: weights.columns, x: x.baseAddress!, output: output.baseAddress!, path: path)
                }
            }
            initialized = weights.rows
        }
    }

    static func batch(_ decoded: [Float], rows: Int, _ x: [Float], columns: Int, path: KernelPath) -> [Float] {
        let tokens = x.count / columns
        return [Float](unsafeUninitializedCapacity: tokens * rows) { output, initialized in
            decoded.withUnsafeBufferPointer { w in
                x.withUnsafeBufferPointer { x in
                    ProductKernel.multiply(
                        weights: w.baseAddress!, rows: rows, input: x.baseAddress!, tokens: tokens, columns: columns,
                        output: output.baseAddress!, outputStride: rows, path: path)
                }
            }
            initialized = tokens * rows
        }
    }

    @Test(arguments: formats, paths)
    func kernelDecodingIsTheQuantizationModulesBitForBit(_ format: ElementFormat, _ path: KernelPath) throws {
        let weights = try Weights(format, seed: 1)
        let expected = try weights.decoded()
        let found = Self.kernelDecode(format, weights.bytes, count: expected.count, path: path)
        let differing = found.indices.first { found[$0].bitPattern != expected[$0].bitPattern }
        #expect(differing == nil, "\(format) on \(path): value \(differing ?? 0) is \(found[differing ?? 0]), Quantization gives \(expected[differing ?? 0])")
    }

    /// Every 16-bit pattern (normal, subnormal, zero, infinity, NaN) of F16 and BF16.
    @Test(arguments: [ElementFormat.f16, .bf16], paths)
    func everyHalfPatternDecodesAsTheQuantizationModuleDoes(_ format: ElementFormat, _ path: KernelPath) throws {
        let bytes = (0...UInt16.max).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let expected = try Transcoder.decode(bytes, from: format)
        let found = Self.kernelDecode(format, bytes, count: expected.count, path: path)
        let differing = found.indices.first { found[$0].bitPattern != expected[$0].bitPattern }
        #expect(differing == nil, "\(format) on \(path): pattern \(differing ?? 0) gives bits \(found[differing ?? 0].bitPattern), Quantization \(expected[differing ?? 0].bitPattern)")
    }

    /// The fused one-token kernel and the batch kernel on decoded rows sum in the same order, so
    /// they agree exactly, and a token's result does not depend on the batch it is in.
    @Test(arguments: formats, paths)
    func oneTokenEqualsEveryPositionOfABatchExactly(_ format: ElementFormat, _ path: KernelPath) throws {
        let weights = try Weights(format, seed: 2)
        let decoded = try weights.decoded()
        for tokens in 1...7 {
            let x = Self.randomInput(tokens * weights.columns, seed: UInt64(10 + tokens))
            let all = Self.batch(decoded, rows: weights.rows, x, columns: weights.columns, path: path)
            for token in 0..<tokens {
                let one = Self.oneToken(weights, Array(x[(token * weights.columns)..<((token + 1) * weights.columns)]), path: path)
                let row = Array(all[(token * weights.rows)..<((token + 1) * weights.rows)])
                #expect(one == row, "\(format) on \(path): token \(token) of \(tokens): fused \(one), batch \(row)")
            }
        }
    }

    /// Q4_1's fused product converts its scales with F16C on the AVX2 path, which quiets a
    /// signalling NaN that the decoding keeps: the products must still be the batch's bit for bit
    /// with every special scale (zeros, subnormals, infinities, signalling and quiet NaNs) as d
    /// or as m of one block of a row.
    @Test(arguments: paths)
    func q4_1SpecialScalesGiveTheBatchProductsBitForBit(_ path: KernelPath) throws {
        let specials: [UInt16] = [0x0000, 0x8000, 0x0001, 0x03FF, 0x8001, 0x7C00, 0xFC00, 0x7C01, 0x7DFF, 0xFC01, 0x7E00, 0x7BFF]
        var random = SplitMix64(seed: 8)
        var bytes: [UInt8] = []
        for special in specials {
            for scaleIsD in [true, false] {
                // Block 0 holds the special scale, block 1 ordinary ones (d 0.01, m -0.05).
                let (d, m): (UInt16, UInt16) = scaleIsD ? (special, 0xAA66) : (0x211F, special)
                for (blockD, blockM) in [(d, m), (0x211F, 0xAA66)] {
                    bytes += [UInt8(blockD & 0xFF), UInt8(blockD >> 8), UInt8(blockM & 0xFF), UInt8(blockM >> 8)]
                    bytes += (0..<16).map { _ in UInt8(truncatingIfNeeded: random.next()) }
                }
            }
        }
        let rows = 2 * specials.count, columns = 64
        let weights = Weights(.q4_1, rows: rows, columns: columns, bytes: bytes)
        let x = Self.randomInput(columns, seed: 9)
        let one = Self.oneToken(weights, x, path: path)
        let batch = Self.batch(try weights.decoded(), rows: rows, x, columns: columns, path: path)
        for row in 0..<rows {
            #expect(one[row].bitPattern == batch[row].bitPattern, "row \(row) (scale \(specials[row / 2]) as \(row % 2 == 0 ? "d" : "m")) on \(path): fused bits \(one[row].bitPattern), batch \(batch[row].bitPattern)")
        }
    }

    /// Each path's products against a double-precision sum of the same decoded values: apart from
    /// the rounding of the sums, they are the same numbers (so the paths agree with each other
    /// within twice that).
    @Test(arguments: formats, paths)
    func productsEqualADoubleSumWithinRounding(_ format: ElementFormat, _ path: KernelPath) throws {
        let weights = try Weights(format, seed: 3)
        let decoded = try weights.decoded()
        let x = Self.randomInput(weights.columns, seed: 4)
        let found = Self.oneToken(weights, x, path: path)
        for row in 0..<weights.rows {
            let products = (0..<weights.columns).map { Double(decoded[row * weights.columns + $0]) * Double(x[$0]) }
            let exact = products.reduce(0, +), magnitude = products.reduce(0) { $0 + abs($1) }
            let error = abs(Double(found[row]) - exact)
            // The classic bound for k float roundings in a chain: k u |w| |x|, k = the adds per
            // lane, the three lane adds, the tail and one rounding per product.
            let roundings = Double(weights.columns / 8 + weights.columns % 8 + 5)
            #expect(error <= roundings * Double(Float.ulpOfOne / 2) * magnitude, "\(format) on \(path): row \(row) is \(found[row]), the double sum \(exact)")
        }
    }

    /// Attention's two kernels against double-precision sums, for head sizes with and without a
    /// tail past the last 32 (and past the last 8), over counts that leave a remainder of positions.
    @Test(arguments: [64, 45], paths)
    func attentionKernelsEqualDoubleSumsWithinRounding(_ dim: Int, _ path: KernelPath) {
        let (count, stride) = (13, dim + 5)
        let keys = Self.randomInput(count * stride, seed: 5), query = Self.randomInput(dim, seed: 6)
        var scores = [Float](repeating: 0, count: count)
        ProductKernel.attentionScores(query: query, keys: keys, stride: stride, count: count, dim: dim, scale: 0.125, into: &scores, path: path)
        let roundings = Double(dim / 8 + dim % 8 + 6)
        for p in 0..<count {
            let products = (0..<dim).map { Double(keys[p * stride + $0]) * Double(query[$0]) }
            let exact = products.reduce(0, +) * 0.125, magnitude = products.reduce(0) { $0 + abs($1) } * 0.125
            #expect(abs(Double(scores[p]) - exact) <= roundings * Double(Float.ulpOfOne / 2) * magnitude, "score \(p): \(scores[p]), double \(exact)")
        }
        let start = Self.randomInput(dim, seed: 7)
        var output = start
        ProductKernel.weightedSum(weights: scores, values: keys, stride: stride, count: count, dim: dim, into: &output, path: path)
        for d in 0..<dim {
            let terms = [Double(start[d])] + (0..<count).map { Double(scores[$0]) * Double(keys[$0 * stride + d]) }
            let exact = terms.reduce(0, +), magnitude = terms.reduce(0) { $0 + abs($1) }
            #expect(abs(Double(output[d]) - exact) <= Double(2 * count) * Double(Float.ulpOfOne / 2) * magnitude, "output \(d): \(output[d]), double \(exact)")
        }
    }
}
