import ArgumentParser
import Conversion
import GGUF
import ModelIO

/// A byte count on the command line: `--shard-size` and `--split-max-size` read it the same way
/// (plain bytes, or M / G for 10^6 / 10^9, as gguf-split reads its sizes).
struct ByteSize: ExpressibleByArgument {
    let bytes: Int

    init(bytes: Int) { self.bytes = bytes }

    init?(argument: String) {
        guard let bytes = parseByteSize(argument) else { return nil }
        self.bytes = bytes
    }

    var defaultValueDescription: String { String(bytes) }
}

/// `--split-max-size` and `--split-max-tensors`: write a .gguf destination in parts, as gguf-split does.
struct SplitOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Write a .gguf in parts (NAME-00001-of-0000N.gguf) of at most SIZE bytes of tensor data each; M and G mean 10^6 and 10^9.",
        valueName: "size"))
    var splitMaxSize: ByteSize?

    @Option(help: ArgumentHelp("Write a .gguf in parts of at most N tensors each.", valueName: "n"))
    var splitMaxTensors: Int?

    func validate() throws {
        if let splitMaxTensors, splitMaxTensors < 1 { throw ValidationError("--split-max-tensors must be at least 1") }
    }

    var limits: GGUFSplitLimits? {
        guard splitMaxSize != nil || splitMaxTensors != nil else { return nil }
        return GGUFSplitLimits(maximumBytes: splitMaxSize?.bytes, maximumTensors: splitMaxTensors)
    }
}
