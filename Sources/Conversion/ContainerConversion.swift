import GGUF
import ModelFiles
import ModelIO
import Safetensors

/// The plain container copy: the same tensors, names, dtypes and bits in the other container
/// (with `--type`, the type plan's types). It knows nothing of any model layout: every tensor is
/// copied from the source's memory map straight to the output, so no model is held in memory.
public enum ContainerConversion {
    /// transformers' default shard size.
    public static let defaultMaximumShardBytes = 5_000_000_000

    @discardableResult
    public static func convert(
        _ file: ModelFile, to destination: ConversionDestination, options: ConversionOptions = ConversionOptions()
    ) throws -> ConversionSummary {
        let plan = try self.plan(file, to: destination, types: options.typePlan)
        return try ConversionPipeline.run(
            plan, to: destination, inputs: inputs(of: file), fileType: options.type, settings: options.pipelineSettings)
    }

    static func plan(_ file: ModelFile, to destination: ConversionDestination, types: TypePlan) throws -> ConversionPlan {
        let conversions = try types.conversions(of: file)
        let tensors = try zip(file.tensors, conversions).map { tensor, conversion in
            PlannedTensor(
                tensor, dtype: try ContainerDTypes.output(tensor, conversion, holdsSafetensors: destination.holdsSafetensors),
                conversion: conversion)
        }
        if destination.holdsSafetensors {
            let (metadata, skipped) = ContainerMetadata.forSafetensors(file)
            return ConversionPlan(mode: .plainCopy, metadata: .safetensors(metadata), tensors: tensors, skippedMetadata: skipped)
        }
        var (metadata, skipped) = ContainerMetadata.forGGUF(file)
        types.stamp(&metadata)
        return ConversionPlan(mode: .plainCopy, metadata: .gguf(metadata), tensors: tensors, skippedMetadata: skipped)
    }

    /// The source files, which no output may replace.
    static func inputs(of file: ModelFile) -> [String] { file.container.files }
}
