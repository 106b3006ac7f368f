/// The classes of Unicode scalars that the Llama 3 pre-split regex tells apart, from the
/// generated Unicode 16.0 tables (UnicodeTables.swift), never from the toolchain's own.
enum ScalarClass: UInt8 {
    case other = 0
    /// \p{L}
    case letter = 1
    /// \p{N}
    case number = 2
    /// \s other than CR and LF
    case space = 3
    /// CR or LF: white space that the regex also names on its own as [\r\n]
    case newline = 4

    /// The class of any scalar value (a value that is not a scalar is `other`).
    static func of(_ value: UInt32) -> ScalarClass {
        if value < 0x1_0000 { return ScalarClass(rawValue: basicPlaneClasses[Int(value)]) ?? .other }
        return supplementaryClass(of: value)
    }

    /// Binary search of the generated ranges: only scalars beyond the Basic Multilingual Plane
    /// come here, which is rare in text.
    static func supplementaryClass(of value: UInt32) -> ScalarClass {
        let table = unicode16ClassRanges
        var low = 0, high = table.count / 3
        while low < high {
            let middle = (low + high) / 2
            if table[middle * 3 + 1] < value {
                low = middle + 1
            } else {
                high = middle
            }
        }
        guard low < table.count / 3, table[low * 3] <= value else { return .other }
        return ScalarClass(rawValue: UInt8(table[low * 3 + 2])) ?? .other
    }
}

/// One byte per scalar of the Basic Multilingual Plane (64 KiB), expanded once from the generated
/// ranges: where nearly all text lives, the class is one array read.
let basicPlaneClasses: [UInt8] = {
    var classes = [UInt8](repeating: ScalarClass.other.rawValue, count: 0x1_0000)
    let table = unicode16ClassRanges
    for range in stride(from: 0, to: table.count, by: 3) where table[range] < 0x1_0000 {
        let first = Int(table[range]), last = min(Int(table[range + 1]), 0xFFFF)
        for value in first...last { classes[value] = UInt8(table[range + 2]) }
    }
    classes[0x0A] = ScalarClass.newline.rawValue
    classes[0x0D] = ScalarClass.newline.rawValue
    return classes
}()

/// The class tables held by value, so the scanner's loop reads arrays it already has instead of
/// checking a lazily made global on every scalar (that check cost 5% of encoding time).
struct ScalarClassifier: Sendable {
    let ascii: [ScalarClass] = asciiClasses
    let basicPlane: [UInt8] = basicPlaneClasses

    @inline(__always)
    func classOf(_ value: UInt32) -> ScalarClass {
        if value < 0x1_0000 { return ScalarClass(rawValue: basicPlane[Int(value)]) ?? .other }
        return ScalarClass.supplementaryClass(of: value)
    }
}

/// Classes of the 128 ASCII bytes, the common case, without going through the Unicode tables.
let asciiClasses: [ScalarClass] = (0..<128).map { ScalarClass.of(UInt32($0)) }
