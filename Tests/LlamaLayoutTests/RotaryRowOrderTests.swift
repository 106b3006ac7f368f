import Foundation
import LlamaLayout
import ModelIO
import Testing
import TestSupport

/// The Q/K row reordering between HF and GGUF, against llama.cpp's numpy permute
/// (Fixtures/llama-layout/make_qk_permutation.py).
@Suite struct RotaryRowOrderTests {
    struct Case: Sendable, CustomStringConvertible {
        var heads: Int
        var headDim: Int
        var huggingFaceRowOfGGUFRow: [Int]
        var description: String { "\(heads) heads x \(headDim)" }
    }

    static var cases: [Case] {
        let url = TestSupport.fixture("llama-layout/qk-permutation.json")
        guard let data = try? Data(contentsOf: url), let json = try? JSONParser.parse(Array(data)),
            let items = json.arrayValue
        else { return [] }
        return items.compactMap { item in
            guard let heads = item["heads"]?.int64Value, let headDim = item["head_dim"]?.int64Value,
                let rows = item["hf_row_of_gguf_row"]?.arrayValue
            else { return nil }
            return Case(heads: Int(heads), headDim: Int(headDim), huggingFaceRowOfGGUFRow: rows.compactMap { $0.int64Value.map(Int.init) })
        }
    }

    @Test func goldenCasesAreThere() { #expect(Self.cases.count == 5) }

    @Test(arguments: cases)
    func rowOrderMatchesLlamaCppPermute(_ golden: Case) {
        let rows = golden.heads * golden.headDim
        let ours = (0..<rows).map { RotaryRowOrder.huggingFaceRow(forGGUFRow: $0, heads: golden.heads, headDim: golden.headDim) }
        #expect(ours == golden.huggingFaceRowOfGGUFRow.map { Optional($0) })
        for gguf in 0..<rows {
            let hf = golden.huggingFaceRowOfGGUFRow[gguf]
            #expect(RotaryRowOrder.ggufRow(forHuggingFaceRow: hf, heads: golden.heads, headDim: golden.headDim) == gguf)
        }
    }

    @Test func rowsOutsideTheProjectionOrOddHeadDimsHaveNoPlace() {
        #expect(RotaryRowOrder.huggingFaceRow(forGGUFRow: 8, heads: 2, headDim: 4) == nil)
        #expect(RotaryRowOrder.huggingFaceRow(forGGUFRow: -1, heads: 2, headDim: 4) == nil)
        #expect(RotaryRowOrder.ggufRow(forHuggingFaceRow: 0, heads: 2, headDim: 3) == nil)
        #expect(RotaryRowOrder.ggufRow(forHuggingFaceRow: 0, heads: 0, headDim: 4) == nil)
        #expect(RotaryRowOrder.ggufRow(forHuggingFaceRow: 5, heads: Int.max, headDim: 4) == nil)
    }
}
