import BPETokenizer
import Foundation
import ModelIO

/// Prints ids as they come, block by block: space-separated on one line, or a compact JSON
/// array of integers (`[1,2,3]`, as the shared JSON serializer prints one), then a newline.
final class IDPrinter: IDSink {
    private let json: Bool
    private var first = true
    private var buffer: [UInt8] = []

    init(json: Bool) {
        self.json = json
        if json { buffer.append(UInt8(ascii: "[")) }
    }

    func print(_ ids: [Int]) throws {
        for id in ids {
            if !first { buffer.append(json ? UInt8(ascii: ",") : UInt8(ascii: " ")) }
            first = false
            buffer.append(contentsOf: String(id).utf8)
        }
        if buffer.count > 1 << 16 { try flush() }
    }

    func finish() throws {
        if json { buffer.append(UInt8(ascii: "]")) }
        buffer.append(UInt8(ascii: "\n"))
        try flush()
    }

    private func flush() throws {
        try StandardStream.output.write(buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}

/// Where tokenize sends ids as they come: the plain or JSON list, or the pieces.
protocol IDSink {
    func print(_ ids: [Int]) throws
    func finish() throws
}

extension PiecePrinter: IDSink {}
