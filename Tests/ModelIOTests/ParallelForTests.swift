import Testing
@testable import ModelIO

@Suite struct ParallelForTests {
    @Test(arguments: [1, 2, 3, 8, 64])
    func everyIndexRunsOnceWhateverTheThreadCount(_ threads: Int) throws {
        let results = ResultBox(count: 1000)
        try parallelFor(0..<1000, threads: threads) { index in results.set(index, index * index) }
        #expect(results.values == (0..<1000).map { $0 * $0 })
    }

    @Test func firstErrorIsRethrown() {
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try parallelFor(0..<10_000, threads: 4) { index in if index == 77 { throw Boom() } }
        }
    }
}

/// Distinct indices write distinct slots of one fixed allocation, so no lock is needed (an
/// Array would not do: its mutating accessors move the storage while they run); read after the join.
private final class ResultBox: @unchecked Sendable {
    private let storage: UnsafeMutableBufferPointer<Int>
    init(count: Int) { storage = .allocate(capacity: count); storage.initialize(repeating: -1) }
    deinit { storage.deallocate() }
    func set(_ index: Int, _ value: Int) { storage[index] = value }
    var values: [Int] { Array(storage) }
}
