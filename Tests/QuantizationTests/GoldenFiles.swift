import Foundation
import TestSupport

/// Reads the little-endian arrays written by Fixtures/quantization/make-goldens.py.
enum GoldenFiles {
    static let cases = [
        "normal", "weights", "uniform", "outliers", "zero-blocks", "tiny", "negative", "ties",
        "near-rounding", "constant",
    ]

    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: TestSupport.fixture("quantization/\(name)")))
    }

    static func words<T: FixedWidthInteger>(_ name: String, as: T.Type) throws -> [T] {
        let raw = try bytes(name)
        return stride(from: 0, to: raw.count, by: MemoryLayout<T>.size).map { start in
            raw[start..<start + MemoryLayout<T>.size].reversed().reduce(T.zero) { $0 << 8 | T($1) }
        }
    }

    static func floats(_ name: String) throws -> [Float] {
        try words(name, as: UInt32.self).map(Float.init(bitPattern:))
    }
}

/// "block 3 (bytes 54..<72): expected 12ab.., found 12ac.." for the first differing block.
func firstDifferingBlock(_ found: [UInt8], _ expected: [UInt8], blockBytes: Int) -> String? {
    guard found != expected else { return nil }
    guard found.count == expected.count else { return "expected \(expected.count) bytes, found \(found.count)" }
    let block = zip(found, expected).enumerated().first { $0.element.0 != $0.element.1 }!.offset / blockBytes
    let range = block * blockBytes..<(block + 1) * blockBytes
    func hex(_ bytes: ArraySlice<UInt8>) -> String { bytes.map { String(format: "%02x", $0) }.joined() }
    return "block \(block) (bytes \(range)): expected \(hex(expected[range])), found \(hex(found[range]))"
}

/// Same bits (any NaN matches any NaN only when `nanPayloads` is false).
func firstDifferingFloat(_ found: [Float], _ expected: [Float]) -> String? {
    guard found.count == expected.count else { return "expected \(expected.count) values, found \(found.count)" }
    for (index, (a, b)) in zip(found, expected).enumerated() where a.bitPattern != b.bitPattern {
        return "element \(index): expected \(b) (0x\(String(b.bitPattern, radix: 16))), found \(a) (0x\(String(a.bitPattern, radix: 16)))"
    }
    return nil
}
