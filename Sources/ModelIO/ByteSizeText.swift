/// A size in bytes as the command line gives it: plain digits, or digits followed by M or G
/// meaning 10^6 and 10^9 bytes, as llama.cpp's gguf-split reads `--split-max-size` (lower case
/// is accepted too). Nil for anything else, zero, or a size that does not fit in an Int.
public func parseByteSize(_ text: String) -> Int? {
    var digits = Substring(text)
    var multiplier = 1
    switch digits.last {
    case "M"?, "m"?: multiplier = 1_000_000
    case "G"?, "g"?: multiplier = 1_000_000_000
    default: break
    }
    if multiplier != 1 { digits = digits.dropLast() }
    guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
        let count = Int(digits), count > 0
    else { return nil }
    let (bytes, overflow) = count.multipliedReportingOverflow(by: multiplier)
    return overflow ? nil : bytes
}
