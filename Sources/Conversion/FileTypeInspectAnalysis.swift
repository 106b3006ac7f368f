import GGUF
import ModelFiles
import ModelIO
import Quantization

/// The `file_type` part of `llama3 inspect`, for a GGUF: `general.file_type` named as llama.cpp
/// names it (`LlamaFileTypeName`; without the key, the loader's guess), and for a llama model
/// whose key names a type `--type` knows, whether every tensor has the type llama-quantize's
/// default mix gives it on that shape (`MixCheck`). A file that does not is still valid: the
/// difference is a warning, which never changes the exit status.
public struct FileTypeInspectAnalysis: InspectAnalysis {
    public init() {}

    public func analyse(_ file: ModelFile, into report: inout InspectReport) {
        guard file.container.ggufHeader != nil else { return }
        let tensors = file.tensors.compactMap { tensor -> MixCheck.Tensor? in
            guard case .ggml(let type) = tensor.dtype else { return nil }
            return MixCheck.Tensor(name: tensor.name, shape: tensor.shape, type: type)
        }
        let declared = file.metadata("general.file_type")?.integer.flatMap { UInt32(exactly: $0) }
        let value = declared ?? LlamaFileTypeName.guess(from: tensors.map { ($0.name, $0.type) })
        var check: MixCheck?
        if let declared, let claimed = WholeFileType(llamaFileType: declared), file.metadata("general.architecture")?.string == "llama" {
            check = MixCheck(claimed: claimed, model: TypePlan.ModelShape(file), tensors: tensors)
        }
        report.fileType = Self.section(value: value, declared: declared != nil, check: check)
        if let warning = check?.warning(fileTypeName: LlamaFileTypeName.name(of: value)) { report.warnings.append(warning) }
    }

    static func section(value: UInt32, declared: Bool, check: MixCheck?) -> InspectSection {
        let name = LlamaFileTypeName.name(of: value)
        let json = JSONValue.object([
            JSONMember("name", .string(name)),
            JSONMember("value", declared ? .integer(value) : .null),
            JSONMember("mix", check.map { .string($0.claimed.description) } ?? .null),
            JSONMember("matches_mix", check.map { .bool($0.mismatches.isEmpty) } ?? .null),
            JSONMember("mismatched_tensors", check.map { .integer($0.mismatches.count) } ?? .null),
            JSONMember("first_mismatch", check?.mismatches.first?.json ?? .null),
        ])
        var line = "file type:   \(name)"
        if !declared {
            line += " (no general.file_type; llama.cpp's guess from the most common tensor type)"
        } else if let check {
            line += check.mismatches.isEmpty
                ? " (general.file_type \(value); tensor types match llama-quantize's \(check.claimed.displayName) mix)"
                : " (general.file_type \(value); \(check.mismatches.count) tensor types differ from llama-quantize's \(check.claimed.displayName) mix)"
        } else {
            line += " (general.file_type \(value))"
        }
        return InspectSection(json: json, textLines: [line])
    }
}

/// Whether a llama GGUF's tensors have the types its `general.file_type` claims: the types
/// llama-quantize (llama.cpp as in llama-cpp-python 0.3.36) gives a Llama model of that shape
/// for that type, computed by the same `LlamaQuantizationMix` that `quantize` writes with. A
/// tensor the mix quantizes must have the mix's type; one it leaves alone (norms, and 2-D
/// tensors it never quantizes) must not be a block type.
struct MixCheck {
    struct Tensor {
        let name: String
        /// Row-major, outermost first.
        let shape: [Int]
        let type: GGMLType
    }

    struct Mismatch {
        let tensor: String
        let found: GGMLType
        /// The mix's type; nil where the mix leaves the tensor unquantized (F32, F16 or BF16).
        let expected: GGMLType?

        var expectedText: String { expected?.name ?? "an unquantized type (F32, F16 or BF16)" }

        var json: JSONValue {
            .object([
                JSONMember("tensor", .string(tensor)), JSONMember("type", .string(found.name)),
                JSONMember("expected", .string(expected?.name ?? "unquantized")),
            ])
        }
    }

    let claimed: WholeFileType
    /// Every tensor that differs, in file order.
    let mismatches: [Mismatch]

    init(claimed: WholeFileType, model: TypePlan.ModelShape, tensors: [Tensor]) {
        self.claimed = claimed
        let mix = LlamaQuantizationMix(fileType: claimed, model: model)
        let targets = mix.targets(tensors.map {
            LlamaQuantizationMix.Tensor(
                name: $0.name, rowLength: $0.shape.last ?? 0, dimensions: TypePlan.significantDimensions($0.shape))
        })
        mismatches = zip(tensors, targets).compactMap { tensor, target in
            if let target {
                return tensor.type == target.ggmlType ? nil : Mismatch(tensor: tensor.name, found: tensor.type, expected: target.ggmlType)
            }
            return Self.isUnquantized(tensor.type) ? nil : Mismatch(tensor: tensor.name, found: tensor.type, expected: nil)
        }
    }

    static func isUnquantized(_ type: GGMLType) -> Bool {
        [.f32, .f16, .bf16, .f64].contains(type) || type.isInteger
    }

    /// One line naming the first tensor that differs and what the mix gives it; nil when none does.
    func warning(fileTypeName: String) -> String? {
        guard let first = mismatches.first else { return nil }
        let others = mismatches.count > 1 ? " (\(mismatches.count - 1) more tensors differ)" : ""
        return "general.file_type says \(fileTypeName), but tensor \(first.tensor) is \(first.found.name) where "
            + "llama-quantize's \(claimed.displayName) mix (llama.cpp as in llama-cpp-python 0.3.36) puts \(first.expectedText)\(others)"
    }
}
