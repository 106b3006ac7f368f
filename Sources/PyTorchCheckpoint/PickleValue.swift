/// The values the pickle subset can build: what a state dict of tensors is made of, and nothing
/// that could run code. There is no object of an arbitrary class: a global is only a name, and
/// only the few names of `PickleGlobal` can be called, by `PickleSubset` itself.
indirect enum PickleValue: Sendable, Equatable {
    case none
    case bool(Bool)
    case integer(Int)
    case string(String)
    case tuple([PickleValue])
    /// Keys and values in insertion order (a dict and an OrderedDict alike).
    case dictionary([PickleValue], [PickleValue])
    case global(PickleGlobal)
    /// A storage named by torch's persistent id: ('storage', torch.XStorage, key, location, numel).
    case storage(StorageReference)
    case tensor(TensorRecord)

    var kind: String {
        switch self {
        case .none: "None"
        case .bool: "a bool"
        case .integer: "an integer"
        case .string: "a string"
        case .tuple: "a tuple"
        case .dictionary: "a dict"
        case .global(let global): "the global \(global.qualifiedName)"
        case .storage: "a storage"
        case .tensor: "a tensor"
        }
    }
}

/// The globals a torch.save state dict of BF16/F16/F32 tensors names; the allow-list of
/// `torch.load(weights_only=True)` narrowed to them. Any other global is refused when it is read.
enum PickleGlobal: String, Sendable, CaseIterable {
    case orderedDict = "collections.OrderedDict"
    case rebuildTensor = "torch._utils._rebuild_tensor_v2"
    case bfloat16Storage = "torch.BFloat16Storage"
    case halfStorage = "torch.HalfStorage"
    case floatStorage = "torch.FloatStorage"

    init?(module: String, name: String) { self.init(rawValue: module + "." + name) }

    var qualifiedName: String { rawValue }

    /// The element type of a storage class.
    var storageType: PyTorchDType? {
        switch self {
        case .bfloat16Storage: .bf16
        case .halfStorage: .f16
        case .floatStorage: .f32
        case .orderedDict, .rebuildTensor: nil
        }
    }
}

/// One storage of the archive: its entry `data/KEY` holds `elementCount` values of `dtype`.
public struct StorageReference: Sendable, Equatable {
    public let key: String
    public let dtype: PyTorchDType
    public let elementCount: Int
}

/// A tensor as `_rebuild_tensor_v2` describes it: a view of a storage.
public struct TensorRecord: Sendable, Equatable {
    public let storage: StorageReference
    /// In elements, from the start of the storage.
    public let storageOffset: Int
    public let shape: [Int]
    /// In elements, one per dimension.
    public let strides: [Int]
}

/// The element types read from a checkpoint.
public enum PyTorchDType: String, Sendable, Equatable {
    case bf16 = "BF16", f16 = "F16", f32 = "F32"

    public var byteCount: Int { self == .f32 ? 4 : 2 }
}
