import Foundation
import Testing
import TestSupport

/// Exit statuses promised by Docs/CLI.md: 0 success, 1 failure with one line on stderr, 2 usage.
@Suite struct UsageTests {
    static let usageErrors: [[String]] = [["--no-such-flag"], ["no-such-command"], ["count", "--threads", "0"]]

    @Test(arguments: usageErrors)
    func usageErrorsExitTwo(_ arguments: [String]) throws {
        let result = try runLlama3(arguments)
        #expect(result.status == 2, "\(result)")
        #expect(result.stderrText.contains("Error:"), "\(result)")
    }

    @Test func helpAndVersionExitZero() throws {
        #expect(try runLlama3(["--help"]).status == 0)
        #expect(try runLlama3(["--version"]).stdoutText == "0.1.0\n")
    }
}
