import ArgumentParser
import ModelIO

/// `--threads`, for the commands whose work runs in parallel.
struct ThreadOptions: ParsableArguments {
    @Option(help: "Worker threads (default: all cores); results never depend on it.")
    var threads: Int?

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    var count: Int { threads ?? defaultThreadCount }
}
