/// The Llama half of `inspect`: what model a file holds and whether its shapes are right.
public struct LlamaAnalysis: Sendable, Equatable {
    /// What the file is; nil when it has no Llama layer tensors or not even the model dim can be found.
    public var model: LlamaModelReport?
    /// Inconsistencies of the Llama layout: each one makes inspect exit 1.
    public var problems: [LayoutFinding]
    /// Missing optional parts and oddities that do not stop a loader.
    public var warnings: [LayoutFinding]

    /// Analyses `input`. Files without Llama layer tensors (`blk.N.*`, `model.layers.N.*`) are
    /// containers, not models: nothing is checked and nothing reported.
    public static func analyze(_ input: LayoutInput) -> LlamaAnalysis {
        guard input.hasLlamaLayers else { return LlamaAnalysis(model: nil, problems: [], warnings: []) }
        let census = TensorCensus(input.tensors)
        var problems = input.declared.typeProblems.map { LayoutFinding($0.key, "expected \($0.expected)") } + census.problems
        var warnings = census.warnings

        var resolution = HyperParameterResolution(
            census: census, declared: input.declared, ropeFrequencyValues: input.ropeFrequencyValues)
        let settled = resolution.resolve()
        problems += resolution.problems
        warnings += resolution.warnings
        if input.tokenizer == nil {
            warnings.append(LayoutFinding("tokenizer", "the file carries no vocabulary"))
        }
        if input.chatTemplate == nil {
            warnings.append(LayoutFinding("chat template", "none in the file (base models have none)"))
        }
        guard let hyper = settled else { return LlamaAnalysis(model: nil, problems: problems, warnings: warnings) }

        var validation = ShapeValidation(census: census, model: hyper)
        validation.run()
        problems += validation.problems

        let report = LlamaModelReport(
            variant: VariantMatch.identify(hyper), naming: census.naming, hyperParameters: hyper,
            hyperParametersOrigin: input.declared.origin,
            figures: ModelFigures.compute(tensors: input.tensors, census: census, model: hyper))
        return LlamaAnalysis(model: report, problems: problems, warnings: warnings)
    }
}

/// The `model` part of inspect's report.
public struct LlamaModelReport: Sendable, Equatable {
    public var variant: VariantMatch
    public var naming: TensorNaming
    public var hyperParameters: LlamaHyperParameters
    /// "GGUF metadata", "config.json", or nil when only the shapes spoke.
    public var hyperParametersOrigin: String?
    public var figures: ModelFigures
}
