import Foundation
import GGUF
import ModelFiles
import ModelIO
import Testing
import TestSupport

@testable import Conversion

/// llama.cpp's names for general.file_type, as its loader printed them for a file of every
/// whole-file type (Fixtures/llamacpp-quantized/names.json, make_llamacpp_quantized.py).
@Suite struct FileTypeNameTests {
    static func names() throws -> JSONValue {
        let bytes = try Data(contentsOf: TestSupport.fixture("llamacpp-quantized/names.json"))
        return try JSONParser.parse(Array(bytes), file: "names.json")
    }

    @Test(arguments: WholeFileType.allCases)
    func everyWholeFileTypeIsNamedAsLlamaCppNamesIt(type: WholeFileType) throws {
        let expected = try #require(try Self.names()["file_types"]?[type.description]?.stringValue)
        #expect(LlamaFileTypeName.name(of: type.llamaFileType) == expected)
        #expect(type.llamaName == expected)
    }

    @Test func aGuessedTypeSaysSoAndAnUnknownOneIsLlamaCppsUnknown() {
        #expect(LlamaFileTypeName.name(of: 15 | LlamaFileTypeName.guessedFlag) == "(guessed) Q4_K - Medium")
        #expect(LlamaFileTypeName.name(of: 4) == "unknown, may not work")
        #expect(LlamaFileTypeName.guess(from: []) == LlamaFileTypeName.guessedFlag)
        // A tie goes to the type that reached the count first in llama.cpp's order (layer, then
        // name): blk.0.a Q4_K, blk.0.b Q8_0, blk.1.a Q8_0 (2: leads), blk.1.b Q4_K (2: no more).
        // In file order Q4_K would reach 2 first.
        let tie: [(name: String, type: GGMLType)] = [("blk.1.a.weight", .q8_0), ("blk.0.a.weight", .q4_K), ("blk.1.b.weight", .q4_K), ("blk.0.b.weight", .q8_0)]
        #expect(LlamaFileTypeName.guess(from: tie) == 7 | LlamaFileTypeName.guessedFlag)
    }
}

/// The mix check of `inspect` against llama.cpp's own choices (Fixtures/quantization/kquant-mixes.json,
/// every tensor's type in llama_model_quantize's files from make_kquant_model.py's models): its
/// default mixes pass, and a --pure file passes exactly when llama.cpp's pure and mixed files
/// have the same types.
@Suite(.requiresFixtureVenv) struct MixCheckTests {
    static func outputs(_ model: String) throws -> JSONValue {
        let bytes = try Data(contentsOf: TestSupport.fixture("quantization/kquant-mixes.json"))
        return try #require(try JSONParser.parse(Array(bytes), file: "kquant-mixes.json")["models"]?[model]?["outputs"])
    }

    /// llama.cpp's type for each tensor of one output ("NAME TYPE DIGEST" lines).
    static func types(_ outputs: JSONValue, _ key: String) -> [String: String] {
        var types: [String: String] = [:]
        for line in outputs[key]?["tensors"]?.arrayValue?.compactMap(\.stringValue) ?? [] {
            let parts = line.split(separator: " ")
            types[String(parts[0])] = String(parts[1])
        }
        return types
    }

    static func check(_ model: String, claimed: WholeFileType, types: [String: String]) throws -> MixCheck {
        let inputs = try GeneratedInputs.once(script: "quantization/make_kquant_model.py")
        try #require(inputs.result.status == 0, "\(inputs.result)")
        let folder = try inputs.freshCopy("mix-check")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try ModelFile(path: folder.appendingPathComponent(model).path)
        let tensors = try file.tensors.map { tensor in
            let name = try #require(types[tensor.name], "llama.cpp wrote no \(tensor.name)")
            let type = try #require(GGMLType.allCases.first { $0.name == name })
            return MixCheck.Tensor(name: tensor.name, shape: tensor.shape, type: type)
        }
        return MixCheck(claimed: claimed, model: TypePlan.ModelShape(file), tensors: tensors)
    }

    @Test(arguments: WholeFileType.allCases)
    func llamaCppsMixesAndPureFilesOnTheLlamaShapedModel(type: WholeFileType) throws {
        let outputs = try Self.outputs("llama.gguf")
        let mixed = Self.types(outputs, type.description), pure = Self.types(outputs, "\(type) pure")
        try #require(!mixed.isEmpty && !pure.isEmpty)
        #expect(try Self.check("llama.gguf", claimed: type, types: mixed).mismatches.map(\.tensor) == [])
        let pureCheck = try Self.check("llama.gguf", claimed: type, types: pure)
        let differing = Set(pure.filter { mixed[$0.key] != $0.value }.map(\.key))
        #expect(Set(pureCheck.mismatches.map(\.tensor)) == differing)
    }

    @Test(arguments: ["q2_k", "q3_k_s", "q3_k_m", "q3_k_l", "q4_k_s", "q4_k_m", "q5_k_s", "q5_k_m", "q6_k"])
    func llamaCppsFallbacksOnNarrowRows(type: String) throws {
        let claimed = try #require(WholeFileType(name: type))
        let check = try Self.check("narrow.gguf", claimed: claimed, types: Self.types(try Self.outputs("narrow.gguf"), type))
        #expect(check.mismatches.map(\.tensor) == [])
    }
}
