/// The keys (after RoPE) and values of every position evaluated so far, per layer:
/// keys[layer] and values[layer] are [positions, kv_heads x head_dim], f32.
///
/// Generation evaluates one token at a time and attends over everything before it, so each
/// position's keys and values are computed once and kept here rather than recomputed.
struct KVCache: Sendable {
    private(set) var keys: [[Float]]
    private(set) var values: [[Float]]
    /// kv_heads x head_dim: one position's entries in one layer.
    let width: Int
    private(set) var length = 0

    init(layers: Int, width: Int) {
        keys = Array(repeating: [], count: layers)
        values = Array(repeating: [], count: layers)
        self.width = width
    }

    /// Appends a batch's keys and values [tokens, width] to `layer`; every layer receives the
    /// same batch before `advance(by:)` moves the length past it.
    mutating func append(layer: Int, keys newKeys: Matrix, values newValues: Matrix) {
        precondition(newKeys.columns == width && newValues.columns == width)
        keys[layer].append(contentsOf: newKeys.values)
        values[layer].append(contentsOf: newValues.values)
    }

    mutating func advance(by tokens: Int) { length += tokens }
}
