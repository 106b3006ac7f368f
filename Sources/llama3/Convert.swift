import ArgumentParser
import Conversion
import Foundation
import LlamaLayout
import ModelIO

struct Convert: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Convert between GGUF and safetensors, bits unchanged.",
        discussion: """
            The format comes from DST: .gguf, .safetensors, or otherwise a checkpoint folder
            (sharded by --shard-size). Every tensor keeps its name, dtype and bytes; metadata that has
            a place in the other format is carried (GGUF scalars become safetensors strings; arrays
            have none). The output records XXH3-64 checksums and appears only when complete.
            """)

    @Argument(help: "A .gguf file, a .safetensors file, or a checkpoint folder.")
    var source: String

    @Argument(help: "Output: NAME.gguf, NAME.safetensors, or a folder.")
    var destination: String

    @Option(help: "Largest shard, in bytes, when DST is a folder.")
    var shardSize: Int = ContainerConversion.defaultMaximumShardBytes

    @OptionGroup var common: CommonOptions

    func validate() throws {
        if shardSize < 1 { throw ValidationError("--shard-size must be at least 1") }
    }

    func run() throws {
        try reportingFailures {
            let file = try ModelFile(path: source)
            let summary = try ContainerConversion.convert(
                file, to: ContainerConversion.Destination(path: destination), maximumShardBytes: shardSize)
            if common.json {
                print(summary.json.serialized())
            } else if !common.quiet {
                FileHandle.standardError.write(Data((summary.text(destination: destination) + "\n").utf8))
            }
        }
    }
}
