import Foundation
import ModelIO

/// The bytes libFuzzer hands a target, as the in-memory `ByteSource` every parser reads.
public func fuzzSource(_ data: UnsafePointer<UInt8>?, _ size: Int, name: String = "<fuzz>") -> ByteSource {
    ByteSource(bytes: fuzzBytes(data, size), name: name)
}

public func fuzzBytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
    guard let data, size > 0 else { return [] }
    return Array(UnsafeBufferPointer(start: data, count: size))
}

/// Runs one parse. Refusing the input is fine, but only as the error a user sees: a `FileError`
/// with a message, printed on one line. Any other error escaping a parser is a finding, reported
/// as a crash so that libFuzzer keeps the input.
public func expectCleanRefusal(_ body: () throws -> Void) {
    do {
        try body()
    } catch let error as FileError {
        MessageLog.shared?.record(error.message)
        if error.message.isEmpty { fuzzFinding("a FileError with an empty message: \(error)") }
        if error.description.contains("\n") || error.description.contains("\r") {
            fuzzFinding("an error message on more than one line: \(error)")
        }
    } catch {
        fuzzFinding("a parser threw \(type(of: error)) instead of a FileError: \(error)")
    }
}

/// A broken property: printed, then a trap, which libFuzzer reports with the input.
public func fuzzFinding(_ message: String) -> Never {
    print("FUZZ FINDING: \(message)")
    fatalError(message)
}

/// Splits `bytes` at each occurrence of `separator` (for targets whose input is several files).
public func splitParts(_ bytes: [UInt8], separator: [UInt8], limit: Int) -> [[UInt8]] {
    var parts: [[UInt8]] = []
    var start = 0, index = 0
    while index + separator.count <= bytes.count, parts.count < limit - 1 {
        if bytes[index..<(index + separator.count)].elementsEqual(separator) {
            parts.append(Array(bytes[start..<index]))
            index += separator.count
            start = index
        } else {
            index += 1
        }
    }
    parts.append(Array(bytes[start...]))
    return parts
}

/// With $FUZZ_MESSAGE_LOG set, each new kind of refusal message (digits folded to N, quoted
/// text to "…", at most 2,000 kinds) is appended to that file as it is first met in this process
/// (`sort -u` merges runs): the list of what a user sees for the bad inputs tried (Docs/FUZZING.md).
final class MessageLog: @unchecked Sendable {
    static let shared: MessageLog? = ProcessInfo.processInfo.environment["FUZZ_MESSAGE_LOG"].flatMap(MessageLog.init)
    private let handle: FileHandle
    private var seen = Set<String>()

    init?(path: String) {
        if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
        guard let handle = FileHandle(forWritingAtPath: path) else { return nil }
        handle.seekToEndOfFile()
        self.handle = handle
    }

    func record(_ message: String) {
        guard seen.count < 2_000 else { return }
        let kind = Self.fold(message)
        guard seen.insert(kind).inserted else { return }
        handle.write(Data((kind + "\n").utf8))
    }

    static func fold(_ message: String) -> String {
        var out = ""
        var inQuote = false, lastDigit = false
        for character in message.replacingOccurrences(of: "\n", with: " ") {
            if character == "\"" {
                out.append(inQuote ? "…\"" : "\"")
                inQuote.toggle()
                continue
            }
            if inQuote { continue }
            if character.isASCII, character.isNumber {
                if !lastDigit { out.append("N") }
                lastDigit = true
                continue
            }
            lastDigit = false
            out.append(character)
        }
        return String(out.prefix(300))
    }
}
