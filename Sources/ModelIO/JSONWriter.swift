/// Serialises `JSONValue`s: compact (one line, for JSON Lines and `--json` output of lists) or
/// pretty (two-space indent). Non-finite doubles, which JSON cannot hold, are written as null.
extension JSONValue {
    public func serialized(pretty: Bool = false) -> String {
        var out = ""
        write(to: &out, pretty: pretty, depth: 0)
        return out
    }

    private func write(to out: inout String, pretty: Bool, depth: Int) {
        switch self {
        case .null: out += "null"
        case .bool(let flag): out += flag ? "true" : "false"
        case .int(let value): out += String(value)
        case .uint(let value): out += String(value)
        case .double(let value): out += Self.number(value)
        case .string(let text): Self.writeString(text, to: &out)
        case .array(let items):
            writeContainer(open: "[", close: "]", count: items.count, to: &out, pretty: pretty, depth: depth) { index, out in
                items[index].write(to: &out, pretty: pretty, depth: depth + 1)
            }
        case .object(let members):
            writeContainer(open: "{", close: "}", count: members.count, to: &out, pretty: pretty, depth: depth) { index, out in
                Self.writeString(members[index].key, to: &out)
                out += pretty ? ": " : ":"
                members[index].value.write(to: &out, pretty: pretty, depth: depth + 1)
            }
        }
    }

    private func writeContainer(
        open: String, close: String, count: Int, to out: inout String, pretty: Bool, depth: Int,
        element: (Int, inout String) -> Void
    ) {
        out += open
        guard count > 0 else { out += close; return }
        let inner = pretty ? "\n" + String(repeating: "  ", count: depth + 1) : ""
        for index in 0..<count {
            if index > 0 { out += "," }
            out += inner
            element(index, &out)
        }
        if pretty { out += "\n" + String(repeating: "  ", count: depth) }
        out += close
    }

    /// Shortest round-trip decimal; integral values keep a ".0" so they read back as floats.
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        return "\(value)"
    }

    static func writeString(_ text: String, to out: inout String) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
