import FuzzSupport
@testable import GGUF
import ModelIO

/// A split GGUF held in memory: the input is cut into parts at each "\n--PART--\n", each part is
/// read as a GGUF named `fuzz-0000N-of-0000M.gguf`, then the parts' split keys are checked
/// against each other as opening a split does (`SplitGGUFFile.checkSplitKeys`; finding the parts
/// beside each other by name is file-system work, covered by SplitGGUFTests).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGGUFSplit(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let pieces = splitParts(fuzzBytes(data, size), separator: Array("\n--PART--\n".utf8), limit: 8)
    expectCleanRefusal {
        var parts: [GGUFFile] = []
        for (index, bytes) in pieces.enumerated() {
            let name = SplitPartName(prefix: "fuzz", number: index + 1, count: pieces.count).path(ofPart: index + 1)
            parts.append(try GGUFFile(source: ByteSource(bytes: bytes, name: name)))
        }
        for part in parts { _ = SplitGGUFFile.isPart(part); _ = SplitGGUFFile.describe(part) }
        try SplitGGUFFile.checkSplitKeys(parts, count: parts.count)
        guard let name = SplitPartName(path: parts[0].source.name), name.count == parts.count else {
            fuzzFinding("a part name that does not read back: \(parts[0].source.name)")
        }
    }
    return 0
}
