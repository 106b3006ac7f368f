extension String {
    /// The text with every control character (Unicode general category Cc) written as an
    /// escape: `\n`, `\r`, `\t`, `\xNN` for the other ASCII ones (ESC is `\x1B`), `\u{NNNN}` for
    /// C1 controls. Names read from a file (metadata keys, tensor names, paths) go through this
    /// before they reach a terminal, so an ESC sequence cannot recolour it and a newline cannot
    /// forge a second output line. Everything else, backslashes included, is left as it is.
    public func escapingControlCharacters() -> String {
        guard unicodeScalars.contains(where: \.isControlCharacter) else { return self }
        var out = ""
        out.reserveCapacity(utf8.count + 8)
        for scalar in unicodeScalars {
            guard scalar.isControlCharacter else {
                out.unicodeScalars.append(scalar)
                continue
            }
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                let hex = String(scalar.value, radix: 16, uppercase: true)
                out += scalar.isASCII ? "\\x" + (hex.count == 1 ? "0" + hex : hex) : "\\u{" + hex + "}"
            }
        }
        return out
    }
}

extension Unicode.Scalar {
    /// C0 controls, DEL and C1 controls: the scalars of general category Cc.
    var isControlCharacter: Bool { value < 0x20 || (0x7F...0x9F).contains(value) }
}
