/// `00001-of-00003`: how both sharded formats number their files (transformers' safetensors
/// shards and gguf-split's parts), five digits each, 1-based.
public func partNumbering(_ number: Int, of count: Int) -> String {
    func fiveDigits(_ value: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, 5 - digits.count)) + digits
    }
    return fiveDigits(number) + "-of-" + fiveDigits(count)
}
