import BPETokenizer
import Glibc
import ModelIO

/// Prints ids as they come, in chunks of any size: space-separated on one line, or a compact JSON
/// array of integers (`[1,2,3]`, as the shared JSON serializer prints one), then a newline.
final class IDPrinter: IDSink {
    private let json: Bool
    private var first = true
    private var buffer: [UInt8] = []

    init(json: Bool) {
        self.json = json
        if json { buffer.append(UInt8(ascii: "[")) }
    }

    /// Writes out every 64 KiB, so memory stays flat however many ids come in one call.
    func print(_ ids: [Int]) throws {
        let separator = json ? UInt8(ascii: ",") : UInt8(ascii: " ")
        for id in ids {
            if !first { buffer.append(separator) }
            first = false
            appendDecimal(id)
            if buffer.count >= 1 << 16 { try flush() }
        }
    }

    /// `String(id)`'s digits, without making a String per id.
    private func appendDecimal(_ id: Int) {
        guard id >= 0 else {
            buffer.append(contentsOf: String(id).utf8)
            return
        }
        var divisor = 1
        while id / divisor >= 10 { divisor *= 10 }
        while divisor > 0 {
            buffer.append(UInt8(ascii: "0") + UInt8(id / divisor % 10))
            divisor /= 10
        }
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
