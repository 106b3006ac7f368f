/// One thing the analysis found wrong (a problem) or worth knowing (a warning), about one
/// tensor or metadata key, in a sentence a person can act on.
public struct LayoutFinding: Sendable, Equatable, CustomStringConvertible {
    /// The tensor name, metadata key or layer the finding is about ("blk.3.attn_k.weight",
    /// "llama.attention.head_count_kv", "layer 17").
    public var subject: String
    public var message: String

    public init(_ subject: String, _ message: String) {
        self.subject = subject
        self.message = message
    }

    public var description: String { "\(subject): \(message)" }
}
