import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Named temporary files currently being written, removed if SIGINT or SIGTERM arrives.
/// (Nameless O_TMPFILE files need none of this: the kernel drops them with the descriptor.)
final class TemporaryFiles: Sendable {
    static let shared = TemporaryFiles()

    private let paths = Mutex<Set<String>>([])
    private let counter = Atomic<Int>(0)
    private let handlers = Mutex<[any DispatchSourceSignal]>([])

    func makeName(for destination: String, in folder: String) -> String {
        let base = destination.split(separator: "/").last.map(String.init) ?? "output"
        let serial = counter.wrappingAdd(1, ordering: .relaxed).oldValue
        return "\(folder)/.\(base).llama3-tmp-\(getpid())-\(serial)"
    }

    func register(_ path: String) {
        installHandlersOnce()
        paths.withLock { _ = $0.insert(path) }
    }

    func unregister(_ path: String) {
        paths.withLock { _ = $0.remove(path) }
    }

    private func removeAll() {
        for path in paths.withLock({ $0 }) { unlink(path) }
    }

    private func installHandlersOnce() {
        handlers.withLock { sources in
            guard sources.isEmpty else { return }
            for signalNumber in [SIGINT, SIGTERM] {
                signal(signalNumber, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
                source.setEventHandler { [self] in
                    removeAll()
                    // Die of the same signal, so the caller sees the usual status.
                    signal(signalNumber, SIG_DFL)
                    raise(signalNumber)
                }
                source.resume()
                sources.append(source)
            }
        }
    }
}
