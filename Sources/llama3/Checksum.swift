import ArgumentParser
import Conversion
import ModelFiles

struct Checksum: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checksum",
        abstract: "Print each tensor's XXH3-64 digest.",
        discussion: """
            Works on any GGUF, .safetensors file or checkpoint folder, whether or not it records \
            checksums: compare two files' tensors, or a file before and after a copy. One line per \
            tensor, `DIGEST  NAME`, in file order; --json adds sizes and files. See Docs/QUANTIZATION.md.
            """)

    @Argument(help: "A .gguf file, a .safetensors file, or a checkpoint folder.")
    var path: String

    @OptionGroup var threads: ThreadOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var quiet: QuietOption

    func run() throws {
        try reportingFailures {
            let file = try ModelFile(path: path)
            let progress = ProgressLine(label: "hashing", enabled: !quiet.isOn)
            let checksums = try TensorChecksums.compute(file, threads: threads.count, progress: progress.update)
            try progress.finish()
            if output.json {
                try printLine(TensorChecksums.json(checksums, path: path, format: file.format.name).serialized(pretty: true))
            } else {
                try printText(TensorChecksums.text(checksums))
            }
        }
    }
}
