import Foundation
import Testing
import TestSupport
import Conversion
import GGUF
import ModelIO
import ModelFiles
import Quantization

/// `quantize` against llama.cpp's own quantizer: for every whole-file type, pure and default mix,
/// each tensor's type and bytes (XXH3-128) equal what llama-cpp-python 0.3.36's
/// llama_model_quantize wrote from the same F32 GGUF (Fixtures/quantization/make_kquant_fixtures.py,
/// which recorded kquant-mixes.json; make_kquant_model.py remakes the inputs here).
@Suite(.requiresFixtureVenv) struct LlamaQuantizationMixTests {
    struct Expected {
        let fileType: UInt32
        let tensors: [String: (type: String, digest: String)]
    }

    /// kquant-mixes.json's entry for `model` (read per call: JSON objects are not Sendable).
    static func entries(_ model: String) -> [String: Any] {
        let data = (try? Data(contentsOf: TestSupport.fixture("quantization/kquant-mixes.json"))) ?? Data()
        let models = ((try? JSONSerialization.jsonObject(with: data)) as? [String: Any])?["models"] as? [String: Any]
        return models?[model] as? [String: Any] ?? [:]
    }

    static func tensors(_ lines: [String]) -> [String: (type: String, digest: String)] {
        var result: [String: (type: String, digest: String)] = [:]
        for line in lines {
            let parts = line.split(separator: " ").map(String.init)
            if parts.count == 3 { result[parts[0]] = (parts[1], parts[2]) }
        }
        return result
    }

    static func expected(_ model: String, _ key: String) -> Expected? {
        guard let outputs = entries(model)["outputs"] as? [String: Any], let entry = outputs[key] as? [String: Any],
            let fileType = entry["file_type"] as? Int, let lines = entry["tensors"] as? [String]
        else { return nil }
        return Expected(fileType: UInt32(fileType), tensors: tensors(lines))
    }

    static func makeInputs() throws -> URL {
        let inputs = try GeneratedInputs.once(script: "quantization/make_kquant_model.py")
        guard inputs.result.status == 0 else { throw ToolError("make_kquant_model.py failed: \(inputs.result)") }
        return try inputs.freshCopy("kquant-mix")
    }

    /// "TYPE DIGEST" of each tensor of the GGUF at `path`.
    static func digests(_ path: String) throws -> [String: (type: String, digest: String)] {
        var result: [String: (type: String, digest: String)] = [:]
        for tensor in try GGUFFile(path: path).tensors {
            result[tensor.name] = (tensor.type.name, "\(tensor.data.withUnsafeBytes { XXH3.hash128($0) })")
        }
        return result
    }

    static func differences(_ found: [String: (type: String, digest: String)], _ expected: [String: (type: String, digest: String)]) -> [String] {
        var problems: [String] = []
        if Set(found.keys) != Set(expected.keys) { problems.append("tensors \(found.keys.sorted()) vs \(expected.keys.sorted())") }
        for (name, want) in expected.sorted(by: { $0.key < $1.key }) {
            guard let got = found[name] else { continue }
            if got.type != want.type { problems.append("\(name): type \(got.type), llama.cpp \(want.type)") }
            else if got.digest != want.digest { problems.append("\(name) (\(got.type)): bytes differ") }
        }
        return problems
    }

    static let llamaCases: [String] = WholeFileType.allCases.flatMap { ["\($0)", "\($0) pure"] }
    static let narrowCases = ["q2_k", "q3_k_s", "q3_k_m", "q3_k_l", "q4_k_s", "q4_k_m", "q5_k_s", "q5_k_m", "q6_k"]

    @Test(arguments: ["llama.gguf", "narrow.gguf"])
    func inputsAreTheOnesLlamaCppQuantized(model: String) throws {
        let folder = try Self.makeInputs()
        defer { try? FileManager.default.removeItem(at: folder) }
        let expected = Self.tensors(Self.entries(model)["input"] as? [String] ?? [])
        #expect(!expected.isEmpty)
        #expect(Self.differences(try Self.digests(folder.appendingPathComponent(model).path), expected) == [])
    }

    @Test(arguments: llamaCases)
    func llamaShapedModelMatchesLlamaCpp(key: String) throws {
        try check(model: "llama.gguf", key: key)
    }

    @Test(arguments: narrowCases)
    func narrowRowsFallBackAsLlamaCpp(key: String) throws {
        try check(model: "narrow.gguf", key: key)
    }

    func check(model: String, key: String) throws {
        let expected = try #require(Self.expected(model, key), "kquant-mixes.json has no \(model) \(key)")
        let folder = try Self.makeInputs()
        defer { try? FileManager.default.removeItem(at: folder) }
        let parts = key.split(separator: " ")
        let type = try #require(WholeFileType(name: String(parts[0])))
        let output = folder.appendingPathComponent("out.gguf").path
        let options = ConversionOptions(type: type, pure: parts.count > 1, threads: 2)
        if type.isQuantized {
            try Converter.quantize(source: folder.appendingPathComponent(model).path, destination: output, options: options)
        } else {
            try Converter.convert(
                try ModelFile(path: folder.appendingPathComponent(model).path), to: .gguf(output),
                options: ConversionOptions(type: type, pure: parts.count > 1, keepNames: true, threads: 2))
        }
        #expect(Self.differences(try Self.digests(output), expected.tensors) == [])
        let fileType = try GGUFFile(path: output).metadata["general.file_type"]
        #expect(fileType == .uint32(expected.fileType))
    }
}
