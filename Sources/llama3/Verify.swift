import ArgumentParser
import Conversion
import Glibc
import ModelFiles

struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check the tensor checksums a file records.",
        discussion: """
            Exit status 0 when every tensor matches its recorded XXH3-64; 1 when one does not (each is \
            named on stdout), when tensors and recorded checksums disagree, or when the file records no \
            checksums at all (nothing verified). See Docs/QUANTIZATION.md.
            """)

    @Argument(help: "A .gguf file, a .safetensors file, or a checkpoint folder.")
    var path: String

    @OptionGroup var threads: ThreadOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var quiet: QuietOption

    func run() throws {
        try reportingFailures {
            let progress = ProgressLine(label: "verifying", enabled: !quiet.isOn)
            let verification = try ChecksumVerification.verify(try ModelFile(path: path), threads: threads.count, progress: progress.update)
            try progress.finish()
            if output.json {
                try printLine(verification.json.serialized(pretty: true))
            } else {
                try printText(verification.text)
            }
            if let summary = verification.failureSummary {
                try sayOnStderr("llama3: " + summary)
                throw ExitCode.failure
            }
        }
    }
}
