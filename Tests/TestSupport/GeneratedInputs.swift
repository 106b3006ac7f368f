import Foundation
import Synchronization

/// The files a Fixtures/ script writes when run as `SCRIPT ARGUMENTS... FOLDER`, and what it
/// printed, made once per test process by `once(script:arguments:)`, whichever test target asks
/// first. Each test takes its own `freshCopy()`, since tests write their outputs beside the
/// inputs and some damage an input on purpose. Unlike `TestSupport.generatedFolder` nothing is
/// reused across runs, so the inputs always come from the venv's current packages. The folders
/// are removed when the process exits.
public struct GeneratedInputs: Sendable {
    /// How the script exited and what it printed (some print a manifest of what they wrote).
    public let result: ProcessResult
    private let folder: URL

    /// The script's inputs, made on the first call for these arguments; a failure to run the
    /// script at all is remembered and thrown to every caller alike.
    public static func once(script: String, arguments: [String] = []) throws -> GeneratedInputs {
        let key = ([script] + arguments).joined(separator: "\u{0}")
        // The lock is held while the script runs: a second caller waits for the same inputs
        // rather than making its own.
        return try made.withLock { cache in
            if let inputs = cache[key] { return inputs }
            let inputs = Result { try GeneratedInputs(script: script, arguments: arguments) }
            cache[key] = inputs
            return inputs
        }.get()
    }

    /// A copy of the script's files in a new folder of the caller's, to remove when done.
    public func freshCopy(_ label: String = "llama3-tests") throws -> URL {
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: folder, to: copy)
        return copy
    }

    private init(script: String, arguments: [String]) throws {
        let folder = try TestSupport.temporaryFolder("llama3-inputs")
        GeneratedInputs.removeAtExit(folder)
        result = try runPython([TestSupport.fixture(script).path] + arguments + [folder.path])
        self.folder = folder
    }

    private static let made = Mutex<[String: Result<GeneratedInputs, any Error>]>([:])
    private static let foldersToRemove = Mutex<[URL]>([])

    /// atexit takes a C function, which cannot capture: the folders wait in a static list.
    private static let registerRemoval: Void = {
        atexit {
            for folder in GeneratedInputs.foldersToRemove.withLock({ $0 }) {
                try? FileManager.default.removeItem(at: folder)
            }
        }
    }()

    private static func removeAtExit(_ folder: URL) {
        _ = registerRemoval
        foldersToRemove.withLock { $0.append(folder) }
    }
}
