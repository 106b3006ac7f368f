import Foundation

/// Helpers shared by every test target: where the repository, fixtures, the built `llama3`
/// binary and the fixture venv's Python are, and how to run a process and capture its output.
public enum TestSupport {
    /// The repository root (this file is Tests/TestSupport/TestSupport.swift).
    public static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public static func fixture(_ relativePath: String) -> URL {
        repositoryRoot.appendingPathComponent("Fixtures").appendingPathComponent(relativePath)
    }

    /// The `llama3` binary built beside the test bundle (the test target depends on it).
    public static var llama3Binary: URL {
        let runner = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        var folder = URL(fileURLWithPath: runner).deletingLastPathComponent()
        // swift-testing may run from inside the .xctest bundle layout on some platforms.
        while folder.path != "/" {
            let candidate = folder.appendingPathComponent("llama3")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            folder.deleteLastPathComponent()
        }
        return URL(fileURLWithPath: runner).deletingLastPathComponent().appendingPathComponent("llama3")
    }

    /// The Python of the fixture venv made by Fixtures/make-venv.sh (CI makes it).
    public static var python: URL { repositoryRoot.appendingPathComponent(".venv/bin/python") }

    /// The default vocabulary installed by vocab/install.sh, or $LLAMA3_VOCAB.
    public static var officialVocabulary: URL {
        let environment = ProcessInfo.processInfo.environment
        if let path = environment["LLAMA3_VOCAB"], !path.isEmpty { return URL(fileURLWithPath: path) }
        let data = environment["XDG_DATA_HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil }
            ?? (environment["HOME"] ?? "/") + "/.local/share"
        return URL(fileURLWithPath: data + "/llama3/tokenizer.model")
    }

    /// A fresh, empty folder under the system temporary folder.
    public static func temporaryFolder(_ label: String = "llama3-tests") throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// The result of running a process to completion.
public struct ProcessResult: Sendable, CustomStringConvertible {
    public var status: Int32
    public var stdout: Data
    public var stderr: Data
    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    public var stderrText: String { String(decoding: stderr, as: UTF8.self) }
    public var description: String {
        "exit \(status)\n--- stdout ---\n\(stdoutText)\n--- stderr ---\n\(stderrText)"
    }
}

/// A child that outlived its time limit; it has been killed.
public struct ProcessTimedOut: Error, CustomStringConvertible {
    public var command: String
    public var seconds: Double
    public var description: String { "\(command) was killed after \(seconds) s" }
}

/// Runs `executable` with `arguments`, feeding `stdin`, and waits for it, at most `timeout`
/// seconds: a hung child fails its test instead of hanging the whole run.
public func runProcess(
    _ executable: URL, _ arguments: [String], stdin: Data? = nil,
    environment: [String: String]? = nil, currentDirectory: URL? = nil, timeout: Double = 300
) throws -> ProcessResult {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    if let environment { process.environment = environment }
    if let currentDirectory { process.currentDirectoryURL = currentDirectory }
    let out = Pipe(), err = Pipe(), input = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = input
    try process.run()
    // Read both pipes concurrently so a chatty child never blocks on a full pipe.
    let group = DispatchGroup()
    nonisolated(unsafe) var outData = Data(), errData = Data()
    group.enter()
    DispatchQueue.global().async { outData = out.fileHandleForReading.readDataToEndOfFile(); group.leave() }
    group.enter()
    DispatchQueue.global().async { errData = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
    if let stdin { input.fileHandleForWriting.write(stdin) }
    try? input.fileHandleForWriting.close()
    if group.wait(timeout: .now() + timeout) == .timedOut {
        process.terminate()
        kill(process.processIdentifier, SIGKILL)
        group.wait()
        process.waitUntilExit()
        throw ProcessTimedOut(command: ([executable.path] + arguments).joined(separator: " "), seconds: timeout)
    }
    process.waitUntilExit()
    return ProcessResult(status: process.terminationStatus, stdout: outData, stderr: errData)
}

/// Runs the built `llama3` binary.
public func runLlama3(
    _ arguments: [String], stdin: Data? = nil, environment: [String: String]? = nil
) throws -> ProcessResult {
    try runProcess(TestSupport.llama3Binary, arguments, stdin: stdin, environment: environment)
}

/// Runs a Python script with the fixture venv's interpreter.
public func runPython(_ arguments: [String], stdin: Data? = nil) throws -> ProcessResult {
    try runProcess(TestSupport.python, arguments, stdin: stdin)
}
