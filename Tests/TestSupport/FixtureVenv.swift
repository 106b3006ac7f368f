import Foundation
import Testing

/// Whether the fixture venv (Fixtures/make-venv.sh, run by scripts/setup.sh) is there, for tests
/// that run its Python: generators, reference readers and checkers under Fixtures/.
public enum FixtureVenv {
    /// Set to 1 (as .ci/run does), a missing venv fails each test that needs it instead of
    /// skipping it, so that a run which lost its venv cannot pass.
    public static let requiredVariable = "LLAMA3_REQUIRE_FIXTURE_VENV"

    /// True when the venv's Python is there; false when it is not and skipping is allowed.
    static func isAvailable() throws -> Bool {
        let python = TestSupport.python.path
        if FileManager.default.isExecutableFile(atPath: python) { return true }
        if ProcessInfo.processInfo.environment[requiredVariable] == "1" {
            throw FixtureVenvMissing(python: python)
        }
        return false
    }
}

/// The failure reported instead of a skip when the venv is required.
public struct FixtureVenvMissing: Error, CustomStringConvertible {
    public let python: String
    public var description: String {
        "\(FixtureVenv.requiredVariable)=1 but \(python) is missing: run scripts/setup.sh"
    }
}

extension Trait where Self == ConditionTrait {
    /// For a test or suite that runs the fixture venv's Python. Without `.venv/bin/python` it is
    /// skipped with the reason below; with LLAMA3_REQUIRE_FIXTURE_VENV=1 it fails instead. A
    /// condition trait reports the skip and its reason (Swift Testing's own `.enabled`), and an
    /// error thrown by its condition is recorded as an issue of each test it applies to.
    public static var requiresFixtureVenv: Self {
        .enabled("needs the fixture venv: run scripts/setup.sh") { try FixtureVenv.isAvailable() }
    }
}
