/// The analyses `llama3 inspect` runs after opening a file, in order. The container report needs
/// none; the Llama layout analysis is added here.
extension InspectReport {
    public static var analyses: [any InspectAnalysis] { [LlamaInspectAnalysis()] }
}
