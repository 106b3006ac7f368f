import ArgumentParser
import Conversion
import Glibc

struct Quantize: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quantize",
        abstract: "Quantize a GGUF as llama-quantize does.",
        discussion: """
            Each type is llama-quantize's default mix (llama.cpp as in llama-cpp-python 0.3.36): \
            the output matrix in Q6_K, more bits for attn_v and ffn_down in some layers, fallback \
            types for rows that do not fill a 256-value block. With --pure every tensor of two or \
            more dimensions gets the type itself. 1-D tensors are stored as F32. Blocks are \
            bit-identical to ggml's reference quantizers (no importance matrix). A NaN or infinity \
            in a tensor is an error naming the tensor. The output is written atomically and records \
            per-tensor checksums. See Docs/QUANTIZATION.md.
            """)

    @Argument(help: "The GGUF to read (F32, F16 or BF16 tensors; any part of a split GGUF).")
    var source: String

    @Argument(help: "The GGUF to write.")
    var destination: String

    @Option(help: "The file type, in llama-quantize's names, any case (Q4_K_M works).")
    var type: BlockFileType

    @Flag(help: "Give every tensor of two or more dimensions the type itself, not llama-quantize's mix; a row that does not fill its blocks is an error.")
    var pure = false

    @Flag(help: "Requantize tensors that are already quantized (through f32) instead of refusing them.")
    var allowRequantize = false

    @Flag(help: "Log every tensor on stderr as llama-quantize does: shape, type and MiB before -> after.")
    var verbose = false

    @OptionGroup var split: SplitOptions
    @OptionGroup var threads: ThreadOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var quiet: QuietOption

    func validate() throws {
        if verbose && quiet.isOn { throw ValidationError("--verbose and --quiet contradict each other; pass one") }
        if source.hasSuffix(".safetensors") || DestinationName.isFolder(source) {
            throw ValidationError(
                "quantize reads a GGUF; for a .safetensors file or a checkpoint folder use `llama3 convert SRC DST.gguf --type \(type.fileType)`")
        }
        try DestinationName.check(destination)
        if !destination.hasSuffix(".gguf") {
            throw ValidationError("quantize writes GGUF only: DST must be NAME.gguf, not \(destination)")
        }
    }

    func run() throws {
        try reportingFailures {
            let progress = ProgressLine(label: "quantizing", enabled: !quiet.isOn)
            let summary = try Converter.quantize(
                source: source, destination: destination,
                options: ConversionOptions(
                    type: type.fileType, pure: pure, allowRequantize: allowRequantize, split: split.limits, threads: threads.count,
                    progress: progress.update, tensorWritten: progress.tensorLog(verbose)))
            try progress.finish()
            if output.json {
                try printLine(summary.json.serialized(pretty: true))
            } else {
                try printLine(summary.quantizeText)
            }
        }
    }
}

/// quantize's `--type`: the whole-file types whose big tensors are blocks, in any case.
struct BlockFileType: ExpressibleByArgument {
    let fileType: WholeFileType

    init?(argument: String) {
        guard let fileType = WholeFileType(name: argument), fileType.isQuantized else { return nil }
        self.fileType = fileType
    }

    static var allValueStrings: [String] { WholeFileType.allCases.filter(\.isQuantized).map(\.description) }
}
