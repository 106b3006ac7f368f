import Foundation
import Testing
import TestSupport

/// The command-line contract of Docs/CLI.md, pinned: each subcommand's `--help` must equal the
/// reviewed text in Tests/CLITests/Help/. After an intended change, review the diff and rerun
/// with LLAMA3_UPDATE_HELP=1 to rewrite the files.
@Suite struct HelpGoldenTests {
    static let helpFolder = TestSupport.repositoryRoot.appendingPathComponent("Tests/CLITests/Help")

    static var commands: [[String]] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: helpFolder.path)) ?? []
        let subcommands = names.filter { $0.hasSuffix(".txt") && $0 != "llama3.txt" }.sorted().map { name in
            String(name.dropLast(4)).split(separator: "-").map(String.init)
        }
        return [[]] + subcommands
    }

    @Test func everySubcommandHasAGolden() throws {
        let result = try runLlama3(["--help"])
        let listed = Self.subcommandNames(in: result.stdoutText)
        let pinned = Set(Self.commands.compactMap(\.first))
        #expect(Set(listed) == pinned, "subcommands listed by --help vs goldens in Tests/CLITests/Help")
    }

    @Test(arguments: commands)
    func helpMatchesGolden(_ command: [String]) throws {
        let result = try runLlama3(command + ["--help"], environment: ["COLUMNS": "100", "PATH": "/usr/bin:/bin"])
        #expect(result.status == 0, "\(result)")
        let file = Self.helpFolder.appendingPathComponent((command.isEmpty ? "llama3" : command.joined(separator: "-")) + ".txt")
        if ProcessInfo.processInfo.environment["LLAMA3_UPDATE_HELP"] == "1" {
            try result.stdout.write(to: file)
        }
        let golden = try String(contentsOf: file, encoding: .utf8)
        #expect(result.stdoutText == golden, "llama3 \(command.joined(separator: " ")) --help drifted from \(file.lastPathComponent)")
    }

    /// Names under "SUBCOMMANDS:" in the top-level help.
    static func subcommandNames(in help: String) -> [String] {
        guard let range = help.range(of: "SUBCOMMANDS:\n") else { return [] }
        return help[range.upperBound...].split(separator: "\n", omittingEmptySubsequences: false)
            .prefix { !$0.isEmpty }
            .compactMap { $0.split(separator: " ").first.map(String.init) }
    }
}
