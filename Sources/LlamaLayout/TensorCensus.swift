/// The tensors of a file sorted by their job in the Llama layout: which naming the file uses,
/// which tensor plays which part, and what is left over (strays, duplicates, mixed namings).
struct TensorCensus {
    typealias Tensor = LayoutInput.Tensor

    /// The naming most of the Llama tensors use.
    var naming: TensorNaming = .gguf
    /// The first tensor found for each part.
    var byName: [LlamaTensorName: Tensor] = [:]
    /// Layer indices that have at least one tensor, ascending.
    var layerIndices: [Int] = []
    var problems: [LayoutFinding] = []
    var warnings: [LayoutFinding] = []

    init(_ tensors: [Tensor]) {
        var parsed: [(Tensor, LlamaTensorName, TensorNaming)] = []
        var buffers: [String] = []
        // output.weight is a name in both GGUF and Meta: a name goes to the naming most of the
        // file's names are in, when it is one of that naming's.
        let readings = tensors.map { tensor in
            TensorNaming.allCases.compactMap { naming in LlamaTensorName.parse(tensor.name, naming: naming).map { ($0, naming) } }
        }
        var most = -1
        for candidate in TensorNaming.allCases {
            let count = readings.count { $0.contains { $0.1 == candidate } }
            if count > most { (naming, most) = (candidate, count) }
        }
        let usual = naming
        for (tensor, reading) in zip(tensors, readings) {
            if let (name, inNaming) = reading.first(where: { $0.1 == usual }) ?? reading.first {
                parsed.append((tensor, name, inNaming))
            } else if TensorNameMap.isKnownHuggingFaceBuffer(tensor.name) {
                buffers.append(tensor.name)
            } else {
                problems.append(LayoutFinding(tensor.name, "stray tensor: not part of the Llama layout"))
            }
        }

        if let first = buffers.first {
            // One line for all layers' copies.
            let count = buffers.count == 1 ? "" : " (and \(buffers.count - 1) more like it)"
            warnings.append(LayoutFinding(
                first, "a rotary-embedding buffer saved by older transformers\(count), not a weight; ignored"))
        }

        if let odd = parsed.first(where: { $0.2 != naming }) {
            let usual = parsed.first { $0.2 == naming }.map { " (like \($0.0.name))" } ?? ""
            problems.append(LayoutFinding(
                odd.0.name,
                "\(Self.label(odd.2)) name in a file that otherwise uses \(Self.label(naming)) names\(usual); "
                    + Self.howMany(parsed.count { $0.2 != naming })))
        }

        var layers = Set<Int>()
        for (tensor, name, _) in parsed {
            if let existing = byName[name] {
                problems.append(LayoutFinding(
                    tensor.name, "duplicate of \(existing.name) (each tensor must appear once)"))
                continue
            }
            byName[name] = tensor
            if let index = name.layerIndex { layers.insert(index) }
        }
        layerIndices = layers.sorted()
    }

    subscript(_ name: LlamaTensorName) -> Tensor? { byName[name] }

    /// The name this file uses (or would use) for a part: problems name tensors the way the file does.
    func displayName(_ name: LlamaTensorName) -> String {
        if let tensor = byName[name] { return tensor.name }
        return name.name(in: naming) ?? name.description
    }

    /// Every layer tensor of one kind that is present, by layer index.
    func layerTensors(_ kind: LlamaLayerTensor) -> [(index: Int, tensor: Tensor)] {
        layerIndices.compactMap { index in byName[.layer(index, kind)].map { (index, $0) } }
    }

    static func howMany(_ count: Int) -> String {
        count == 1 ? "the only such name" : "\(count) tensors are named this way"
    }

    static func label(_ naming: TensorNaming) -> String { naming.label }
}
