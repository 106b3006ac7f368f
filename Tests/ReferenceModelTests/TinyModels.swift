import BPETokenizer
import Conversion
import Foundation
import LlamaLayout
import ModelFiles
import ModelIO
import Quantization
import ReferenceModel
import Testing
import TestSupport

/// The tiny random Llama models of Fixtures/reference-model/make_tiny_models.py, with the ids it
/// evaluated and the logits transformers computed for them, made at test time and reused while
/// the script is unchanged.
struct TinyModel: Sendable, CustomTestStringConvertible {
    let variant: String
    var testDescription: String { variant }

    static let all = ["tied", "scaled", "llama31"].map(TinyModel.init(variant:))

    var folder: URL {
        get throws { try TestSupport.generatedFolder(script: "reference-model/make_tiny_models.py", arguments: [variant]) }
    }

    var ids: [Int] {
        get throws {
            let url = try folder.appendingPathComponent("ids.json")
            return try IDList.parse([UInt8](try Data(contentsOf: url)), source: url.path)
        }
    }

    /// transformers' logits [ids, vocab].
    var expectedLogits: NumpyFloatArray {
        get throws { try NumpyFloatArray(contentsOf: try folder.appendingPathComponent("logits.npy")) }
    }

    /// The folder converted to a llama.cpp-ready GGUF (q/k rows permuted to interleaved pairs,
    /// rope scaling as rope_freqs), optionally with every matrix stored as `type`.
    func gguf(in scratch: URL, type: ElementFormat? = nil) throws -> String {
        try gguf(in: scratch, fileType: type.map(WholeFileType.init), pure: true)
    }

    /// The same with llama-quantize's mix for `fileType` unless `pure`.
    func gguf(in scratch: URL, fileType: WholeFileType?, pure: Bool) throws -> String {
        let source = try ModelFile(path: try folder.path)
        let name = "\(variant)-\(fileType?.rawValue ?? "copy")\(pure ? "-pure" : "").gguf"
        let destination = scratch.appendingPathComponent(name).path
        let options = ConversionOptions(type: fileType, pure: pure, threads: 2, fallbackVocabulary: {
            throw FileError(file: destination, "the fixture folder's tokenizer.json should have been used")
        })
        try LlamaConversion.convertToGGUF(source, destination: destination, options: options)
        return destination
    }
}

/// The largest |a - b| over two equally long arrays, and where it is.
func largestDifference(_ a: [Float], _ b: [Float]) -> (value: Float, index: Int) {
    precondition(a.count == b.count, "\(a.count) values against \(b.count)")
    var worst: (value: Float, index: Int) = (0, 0)
    for index in a.indices {
        let difference = abs(a[index] - b[index])
        if !(difference <= worst.value) { worst = (difference, index) }  // NaN counts as worst
    }
    return worst
}
