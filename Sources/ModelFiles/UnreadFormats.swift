import Glibc
import ModelIO

/// Files people hand to the tool that it does not read, named for what they are (instead of
/// "not a valid safetensors header"): PyTorch checkpoints in the legacy pickle format.
enum UnreadFormats {
    /// zip's local file header: torch.save's format since PyTorch 1.6.
    static let zipMagic: [UInt8] = [0x50, 0x4b, 0x03, 0x04]
    /// The legacy torch.save format: pickle PROTO 2, then LONG1 of 10 bytes holding torch's
    /// magic number 0x1950a86a20f9469cfc6c (little-endian).
    static let legacyTorchMagic: [UInt8] = [0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19]

    /// Files starting with a zip local header are read as torch.save checkpoints.
    static func isZipArchive(_ source: ByteSource) -> Bool {
        (try? source.bytes(offset: 0, length: min(zipMagic.count, source.count))) == zipMagic
    }

    /// What the file is when its first bytes say it is a legacy PyTorch checkpoint; nil otherwise.
    static func describe(_ source: ByteSource) -> String? {
        guard let head = try? source.bytes(offset: 0, length: min(legacyTorchMagic.count, source.count)) else { return nil }
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
}
