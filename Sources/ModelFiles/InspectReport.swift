import GGUF
import ModelIO
import Safetensors

/// What `llama3 inspect` says about a file: the container part (format, metadata, tensors) made
/// here, and the parts added by analyses (`model`, `problems`, `warnings`; see `InspectAnalysis`).
///
/// The exit status and the stderr summary are decided here, in one place: 0 for a valid file
/// without problems; 1 for an invalid file or any problem. Warnings never change the status.
public struct InspectReport: Sendable {
    public let path: String
    /// The opened file; nil when it could not be read (then `problems` holds the error).
    public let file: ModelFile?
    /// Filled by an analysis that recognises the model (the Llama layout), else nil.
    public var model: InspectSection?
    /// Filled for a GGUF by the file-type analysis: `general.file_type` in llama.cpp's words.
    public var fileType: InspectSection?
    public var problems: [String] = []
    public var warnings: [String] = []

    /// Opens `path` and runs `analyses` on it. An unreadable or invalid file gives a report whose
    /// only problem is the error, so `--json` still prints a report.
    public static func make(path: String, analyses: [any InspectAnalysis]) -> InspectReport {
        do {
            let file = try ModelFile(path: path)
            var report = InspectReport(path: path, file: file)
            for analysis in analyses { analysis.analyse(file, into: &report) }
            return report
        } catch {
            var report = InspectReport(path: path, file: nil)
            report.problems = [(error as? FileError)?.description ?? "\(path): \(error)"]
            return report
        }
    }

    public init(path: String, file: ModelFile?) {
        self.path = path
        self.file = file
    }

    /// 0 when the file is valid and no analysis found a problem, else 1.
    public var exitStatus: Int32 { problems.isEmpty ? 0 : 1 }

    /// The one line for stderr when the status is 1: the error itself for an invalid file,
    /// else how many problems there are and the first.
    public var failureSummary: String? {
        guard let first = problems.first else { return nil }
        if file == nil { return first }
        let more = problems.count > 1 ? " (and \(problems.count - 1) more)" : ""
        return "\(path): \(problems.count) problem\(problems.count == 1 ? "" : "s"): \(first)\(more)"
    }
}

/// A part of the report an analysis contributes: JSON for programs and lines for people.
public struct InspectSection: Sendable {
    public var json: JSONValue
    public var textLines: [String]

    public init(json: JSONValue, textLines: [String]) {
        self.json = json
        self.textLines = textLines
    }
}

/// Looks at an opened file and adds what it finds to the report (the Llama layout analysis
/// fills `model`, `problems` and `warnings`). Analyses must not throw: what they find is data.
public protocol InspectAnalysis: Sendable {
    func analyse(_ file: ModelFile, into report: inout InspectReport)
}
