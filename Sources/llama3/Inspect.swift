import ArgumentParser
import Conversion
import Glibc
import LlamaLayout
import ModelFiles

struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show a model file's format, metadata and tensors.",
        discussion: """
            Exit status 1 for an invalid file or problems found (listed on stdout, summary on stderr); \
            the JSON report is printed either way. Schema: Docs/INSPECT.md.
            """)

    @Argument(help: "A .gguf file (any part of a split GGUF), a .safetensors file, or a checkpoint folder.")
    var path: String

    @Flag(help: "List every tensor in the text output (the JSON always has them).")
    var tensors = false

    @Flag(help: "Print metadata arrays whole instead of their first 16 elements.")
    var full = false

    @OptionGroup var output: OutputOptions

    func run() throws {
        try reportingFailures {
            let report = InspectReport.make(path: path, analyses: [LlamaInspectAnalysis(), FileTypeInspectAnalysis()])
            if output.json {
                try printLine(report.json(full: full).serialized(pretty: true))
            } else {
                try printText(report.text(full: full, listTensors: tensors))
            }
            if let summary = report.failureSummary {
                try sayOnStderr("llama3: " + summary)
                throw ExitCode(report.exitStatus)
            }
        }
    }
}
