import Synchronization
import Glibc

/// Named temporary files currently being written, removed if SIGINT or SIGTERM arrives.
/// (Nameless O_TMPFILE files need none of this: the kernel drops them with the descriptor.)
///
/// The handler is a plain C signal handler over a fixed table of C strings, because only
/// async-signal-safe calls (unlink, signal, raise) may run there. It is a real handler, not
/// SIG_IGN, so child processes do not inherit an ignored SIGTERM.
final class TemporaryFiles: Sendable {
    static let shared = TemporaryFiles()

    private let lock = Mutex<Void>(())
    private let counter = Atomic<Int>(0)
    private let installed = Atomic<Bool>(false)

    func makeName(for destination: String, in folder: String) -> String {
        let base = destination.split(separator: "/").last.map(String.init) ?? "output"
        let serial = counter.wrappingAdd(1, ordering: .relaxed).oldValue
        return "\(folder)/.\(base).llama3-tmp-\(getpid())-\(serial)"
    }

    func register(_ path: String) {
        lock.withLock { _ in
            for slot in 0..<cleanupSlotCount where cleanupSlots[slot] == nil {
                cleanupSlots[slot] = strdup(path)
                break
            }
        }
        // After the table exists, so the handler never initialises a global.
        installHandlersOnce()
    }

    func unregister(_ path: String) {
        lock.withLock { _ in
            for slot in 0..<cleanupSlotCount {
                guard let entry = cleanupSlots[slot], String(cString: entry) == path else { continue }
                cleanupSlots[slot] = nil
                free(entry)
            }
        }
    }

    private func installHandlersOnce() {
        guard installed.compareExchange(expected: false, desired: true, ordering: .relaxed).exchanged else { return }
        signal(SIGINT, removeTemporaryFilesAndDie)
        signal(SIGTERM, removeTemporaryFilesAndDie)
    }
}

/// Enough for every output one process writes at a time (one per shard being written).
private let cleanupSlotCount = 256
nonisolated(unsafe) private let cleanupSlots: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> = {
    let slots = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: cleanupSlotCount)
    slots.initialize(repeating: nil, count: cleanupSlotCount)
    return slots
}()

private func removeTemporaryFilesAndDie(_ signalNumber: Int32) {
    for slot in 0..<cleanupSlotCount {
        if let path = cleanupSlots[slot] { unlink(path) }
    }
    // Die of the same signal, so the caller sees the usual status.
    signal(signalNumber, SIG_DFL)
    raise(signalNumber)
}
