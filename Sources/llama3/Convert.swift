import ArgumentParser
import Conversion
import Glibc
import LlamaLayout
import ModelFiles
import ModelIO
import Quantization

struct Convert: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert GGUF <-> safetensors, optionally to --type.",
        discussion: """
            The format comes from DST: .gguf, .safetensors, or otherwise a checkpoint folder \
            (sharded by --shard-size). A Hugging Face Llama folder (config.json says llama) converted \
            to .gguf becomes a llama.cpp-ready GGUF: GGUF names, Q/K rows permuted, llama.* keys, \
            rope_freqs, and the vocabulary (the folder's tokenizer.json, else --vocab); a llama GGUF \
            converted to safetensors gets the inverse (and a config.json in a folder). Meta's original \
            folder (params.json, consolidated.NN.pth) becomes either, its ranks merged, eos \
            <|end_of_text|> unless --eos says otherwise. --keep-names \
            asks for a plain container copy instead (Docs/FORMATS.md).

            Without --type every tensor keeps its dtype and bytes; with it, tensors are converted \
            as `llama3 quantize` does (Docs/QUANTIZATION.md). Metadata that has a place in the other \
            format is carried (GGUF scalars become safetensors strings; arrays have none). The output \
            records XXH3-64 checksums and appears only when complete.
            """)

    @Argument(help: "A .gguf file (any part of a split GGUF), a .safetensors or .pth file, or a checkpoint folder (Hugging Face's or Meta's).")
    var source: String

    @Argument(help: "Output: NAME.gguf, NAME.safetensors, or a folder.")
    var destination: String

    @Option(help: "Store 2+-dim float tensors as this type (1-D ones as f32), as `llama3 quantize` does: f32, f16, bf16, or for a .gguf one of quantize's types (q4_k_m, q8_0, ...).")
    var type: WholeFileType?

    @Flag(help: "With a quantized --type: every 2+-dim tensor gets the type itself, not llama-quantize's mix.")
    var pure = false

    @Option(help: ArgumentHelp("Largest shard when DST is a folder, in bytes; M and G mean 10^6 and 10^9 (default: 5000000000).", valueName: "size"))
    var shardSize: ByteSize?

    @OptionGroup var split: SplitOptions

    @Flag(help: "Copy the container only: keep tensor names and rows even for a Llama model.")
    var keepNames = false

    @Option(help: ArgumentHelp("For Meta's original folder: the special token written as eos (default <|end_of_text|>; an Instruct model's is <|eot_id|>).", valueName: "token"))
    var eos: String?

    @Flag(help: "Log every tensor on stderr as llama-quantize does (shape, type and MiB before -> after), and which vocabulary is used.")
    var verbose = false

    @OptionGroup var vocabulary: VocabularyOptions
    @OptionGroup var threads: ThreadOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var quiet: QuietOption

    func validate() throws {
        if verbose && quiet.isOn { throw ValidationError("--verbose and --quiet contradict each other; pass one") }
        try DestinationName.check(destination)
        if shardSize != nil, ConversionDestination(path: destination) != .checkpoint(folder: destination) {
            throw ValidationError("--shard-size applies only when DST is a checkpoint folder, not to \(destination)")
        }
    }

    func run() throws {
        try reportingFailures {
            let progress = ProgressLine(label: "converting", enabled: !quiet.isOn)
            let options = ConversionOptions(
                type: type, pure: pure, keepNames: keepNames, maximumShardBytes: shardSize?.bytes ?? ContainerConversion.defaultMaximumShardBytes,
                split: split.limits, threads: threads.count,
                fallbackVocabulary: { try loadVocabulary(vocabulary, verbose: verbose) }, progress: progress.update,
                tensorWritten: progress.tensorLog(verbose), endOfSequence: eos)
            let summary = try Converter.convert(
                try ModelFile(path: source), to: ConversionDestination(path: destination), options: options)
            try progress.finish()
            if output.json {
                try printLine(summary.json.serialized())
            } else if !quiet.isOn {
                try sayOnStderr(summary.text)
            }
        }
    }
}

/// `--type` is parsed once, case-insensitively, into the whole-file type the type plan expands.
extension WholeFileType: ExpressibleByArgument {
    public init?(argument: String) { self.init(name: argument) }
}
