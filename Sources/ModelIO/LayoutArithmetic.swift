// Sizes that every container format computes the same way.

/// The number of elements of a tensor of `shape`; nil when a dimension is negative or the
/// product does not fit in an Int. Shapes come from headers, which may lie: this never traps.
public func checkedElementCount(_ shape: some Sequence<Int>) -> Int? {
    var product = 1
    for dimension in shape {
        guard dimension >= 0 else { return nil }
        let (next, overflow) = product.multipliedReportingOverflow(by: dimension)
        if overflow { return nil }
        product = next
    }
    return product
}

/// The bytes that follow `count` bytes to reach the next multiple of `alignment` (0 when it is one).
public func padding(after count: Int, toMultipleOf alignment: Int) -> Int {
    (alignment - count % alignment) % alignment
}
