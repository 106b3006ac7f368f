import Dispatch
import Glibc
import Synchronization

/// Runs `body` for every index of `range` on `threads` workers.
///
/// Workers take indices in order from a shared counter, so the split adapts to uneven work;
/// callers write each index's result to its own place, so results never depend on `threads`.
/// The first error thrown stops the handing out of new indices and is rethrown.
public func parallelFor(
    _ range: Range<Int>, threads: Int, _ body: @Sendable (Int) throws -> Void
) throws {
    let workers = max(1, min(threads, range.count))
    if workers == 1 {
        for index in range { try body(index) }
        return
    }
    let next = Atomic<Int>(range.lowerBound)
    let failure = Mutex<(any Error)?>(nil)
    DispatchQueue.concurrentPerform(iterations: workers) { _ in
        while true {
            let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
            guard index < range.upperBound else { return }
            do {
                try body(index)
            } catch {
                failure.withLock { if $0 == nil { $0 = error } }
                next.store(range.upperBound, ordering: .relaxed)
                return
            }
        }
    }
    if let error = failure.withLock({ $0 }) { throw error }
}

/// The number of workers used when `--threads` is not given: every online core.
public var defaultThreadCount: Int {
    max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
}

/// `body` of every index of `range` on `threads` workers, results in index order.
///
/// Each worker writes only its own index's slot of one fixed allocation, so no lock is taken;
/// the slots are read after every worker has finished. (A shared Array must not be used for
/// this: its mutating accessors move the storage out while they run, so concurrent writers race.)
public func parallelMap<T: Sendable>(
    _ range: Range<Int>, threads: Int, _ body: @Sendable (Int) throws -> T
) throws -> [T] {
    let slots = ResultSlots<T>(count: range.count)
    try parallelFor(range, threads: threads) { index in
        slots.set(index - range.lowerBound, try body(index))
    }
    return try slots.collect()
}

private final class ResultSlots<T>: @unchecked Sendable {
    // @unchecked: slot i is written by the one worker that ran index i, and read after the join.
    private let slots: UnsafeMutableBufferPointer<T?>

    init(count: Int) {
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil)
    }

    deinit {
        slots.baseAddress.map { _ = $0.deinitialize(count: slots.count) }
        slots.deallocate()
    }

    func set(_ index: Int, _ value: T) { slots[index] = value }

    func collect() throws -> [T] {
        try slots.map { slot in
            guard let value = slot else { throw ToolError("parallelMap: a worker produced no result") }
            return value
        }
    }
}
