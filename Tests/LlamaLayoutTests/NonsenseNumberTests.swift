import LlamaLayout
import ModelIO
import Testing

/// Values of the right type that make no sense (issue 14): each is a problem naming its key, so
/// `inspect` reports it and `convert` refuses the model, instead of writing rope frequencies of
/// 0, negative or NaN.
@Suite struct NonsenseNumberTests {
    /// The published Llama 3.1 8B config.json with one value replaced.
    static func config(replacing original: String, with replacement: String) throws -> JSONValue {
        let text = DeclaredHyperParametersTests.llama31Config
        #expect(text.contains(original))
        return try JSONParser.parse(text.replacingOccurrences(of: original, with: replacement))
    }

    @Test(arguments: [
        ("\"factor\": 8.0", "\"factor\": 0", "config.json rope_scaling.factor", "a positive finite number, found 0.0"),
        ("\"factor\": 8.0", "\"factor\": -8", "config.json rope_scaling.factor", "a positive finite number, found -8.0"),
        ("\"rope_theta\": 500000.0", "\"rope_theta\": 0", "config.json rope_theta", "a positive finite number, found 0.0"),
        ("\"rope_theta\": 500000.0", "\"rope_theta\": -1e4", "config.json rope_theta", "a positive finite number, found -10000.0"),
        ("\"high_freq_factor\": 4.0", "\"high_freq_factor\": 1.0", "config.json rope_scaling.high_freq_factor",
         "a finite number above low_freq_factor 1.0, found 1.0"),
        ("\"bos_token_id\": 128000", "\"bos_token_id\": 9223372036854775808", "config.json bos_token_id",
         "a token id (or a list of them) from 0 to 2^31, found 9223372036854775808"),
    ])
    func nonsenseConfigValueIsAProblemNamingItsKey(original: String, replacement: String, key: String, expected: String) throws {
        let declared = DeclaredHyperParameters.fromConfigJSON(try Self.config(replacing: original, with: replacement))
        #expect(declared.typeProblems.map(\.key) == [key] && declared.typeProblems.map(\.expected) == [expected], "\(declared.typeProblems)")
        var input = SyntheticLayout.llama3_8B.input(naming: .huggingFace)
        input.declared = declared
        let analysis = LlamaAnalysis.analyze(input)
        #expect(analysis.problems.contains { "\($0)".contains(key) }, "\(analysis.problems)")
    }

    @Test func nanRopeThetaInAGGUFIsAProblemNamingTheKey() {
        let metadata: [String: MetadataScalar] = [
            "general.architecture": .string("llama"),
            "llama.rope.freq_base": .float(.nan),
            "tokenizer.ggml.bos_token_id": .unsigned(1 << 63),
        ]
        let declared = DeclaredHyperParameters.fromGGUF { metadata[$0] }
        #expect(declared.typeProblems.map(\.key) == ["llama.rope.freq_base", "tokenizer.ggml.bos_token_id"])
        #expect(declared.ropeTheta == nil)
    }
}
