import ArgumentParser
import Conversion
import Foundation
import ModelFiles

struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
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

    func run() throws {
        try reportingFailures {
            let verification = try ChecksumVerification.verify(try ModelFile(path: path), threads: threads.count)
            if output.json {
                print(verification.json.serialized(pretty: true))
            } else {
                print(verification.text, terminator: "")
            }
            if let summary = verification.failureSummary {
                FileHandle.standardError.write(Data(("llama3: " + summary + "\n").utf8))
                throw ExitCode.failure
            }
        }
    }
}
