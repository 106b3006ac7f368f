import Foundation
import ModelIO

/// Files people hand to the tool that it does not read, named for what they are (instead of
/// "not a valid safetensors header"): PyTorch checkpoints and Meta's original download.
enum UnreadFormats {
    /// zip's local file header: torch.save's format since PyTorch 1.6.
    static let zipMagic: [UInt8] = [0x50, 0x4b, 0x03, 0x04]
    /// The legacy torch.save format: pickle PROTO 2, then LONG1 of 10 bytes holding torch's
    /// magic number 0x1950a86a20f9469cfc6c (little-endian).
    static let legacyTorchMagic: [UInt8] = [0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19]

    /// What the file is when its first bytes say it is a PyTorch checkpoint; nil otherwise.
    static func describe(_ source: ByteSource) -> String? {
        guard let head = try? source.bytes(offset: 0, length: min(legacyTorchMagic.count, source.count)) else { return nil }
        if head.starts(with: zipMagic) {
            return "a PyTorch checkpoint (torch.save's zip archive, as .pth/.bin/.pt files are)"
        }
        if head == legacyTorchMagic {
            return "a PyTorch checkpoint in the legacy pickle format"
        }
        return nil
    }

    /// The error for a file the tool does not read, naming what it is and what to do.
    static func refusal(_ path: String, _ what: String) -> FileError {
        FileError(
            file: path,
            "this is \(what); expected a GGUF or safetensors file. transformers' save_pretrained(safe_serialization=True) "
                + "writes safetensors from it")
    }

    /// A folder without safetensors that holds Meta's original layout (params.json beside
    /// consolidated.NN.pth) gets named as that.
    static func describeFolder(_ folder: String) -> String? {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder),
            !names.contains(where: { $0.hasSuffix(".safetensors") })
        else { return nil }
        let ranks = names.filter { $0.hasPrefix("consolidated.") && $0.hasSuffix(".pth") }
        guard names.contains("params.json"), !ranks.isEmpty else { return nil }
        return "Meta's original checkpoint (params.json and \(ranks.count) consolidated.NN.pth file\(ranks.count == 1 ? "" : "s"))"
    }
}
