import FuzzSupport
import ModelIO

/// ModelIO's zip reader, which `vocab install` opens a llama-models wheel with: the end record
/// (searched back over a comment), the central directory, local headers, stored and deflated
/// (zlib) members and their CRC-32. Every member is read, as the wheel's tokenizer.model is.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzZip(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let source = fuzzSource(data, size, name: "fuzz.whl")
    expectCleanRefusal {
        let archive = try ZipArchive(source)
        for entry in archive.entries.prefix(64) {
            guard let bytes = try archive.contents(of: entry.name) else { fuzzFinding("entry \(entry.name) listed but not found") }
            _ = bytes.count
        }
    }
    return 0
}
