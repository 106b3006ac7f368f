import ModelIO

/// A torch.save checkpoint (PyTorch >= 1.6's zip format) holding a state dict of tensors, read
/// without executing its pickle (`PickleSubset`): every tensor a view of a storage entry of the
/// archive, mapped from the file, never copied.
///
/// Layout (one folder NAME inside the archive): NAME/data.pkl, the pickled dict; NAME/data/KEY,
/// one stored entry per storage, its elements little-endian; NAME/byteorder ("little", written
/// by torch >= 1.12); NAME/version and others that are not read. A tensor is a contiguous
/// row-major view of its storage (offset and strides in elements); several tensors may share a
/// storage. Non-contiguous views are refused (saved transposed, they would need a copy).
public struct PyTorchFile: Sendable {
    public struct Tensor: Sendable {
        public let name: String
        public let dtype: PyTorchDType
        /// Row-major, outermost first.
        public let shape: [Int]
        /// The view's bytes in the storage's entry.
        public let data: ByteSlice
    }

    public let source: ByteSource
    /// The tensors in the dict's order.
    public let tensors: [Tensor]

    public init(path: String) throws {
        try self.init(source: try ByteSource(mapping: path))
    }

    public init(source: ByteSource) throws {
        self.source = source
        let archive = try ZipArchive(source)
        // Entries are used as views of the file: torch.save stores every one uncompressed.
        if let packed = archive.entries.first(where: { !$0.isStored }) {
            throw FileError(
                file: source.name, offset: packed.directoryOffset,
                "entry \(packed.name): expected a stored entry (method 0, as torch.save writes), found method \(packed.method)")
        }
        let pickles = archive.entries.filter { $0.name == "data.pkl" || $0.name.hasSuffix("/data.pkl") }
        guard pickles.count == 1, let pickle = pickles.first else {
            throw FileError(file: source.name, "expected one NAME/data.pkl entry in the torch.save archive, found \(pickles.count)")
        }
        let folder = String(pickle.name.dropLast("data.pkl".count))
        if let order = archive.entry(named: folder + "byteorder"), order.data.bytes != Array("little".utf8) {
            throw FileError(
                file: source.name, offset: order.data.offset,
                "expected byteorder \"little\", found \"\(String(decoding: order.data.bytes, as: UTF8.self))\"")
        }
        let root = try PickleSubset.load(pickle.data)
        guard case .dictionary(let keys, let values) = root else {
            throw FileError(file: source.name, offset: pickle.data.offset, "expected data.pkl to hold a dict of tensors, found \(root.kind)")
        }
        var seen = Set<String>()
        var tensors: [Tensor] = []
        for (key, value) in zip(keys, values) {
            guard case .string(let name) = key, case .tensor(let record) = value else {
                throw FileError(file: source.name, offset: pickle.data.offset, "expected data.pkl to hold a dict of tensors, found \(value.kind) under \(key)")
            }
            guard seen.insert(name).inserted else {
                throw FileError(file: source.name, offset: pickle.data.offset, "tensor \(name) appears twice in the state dict")
            }
            tensors.append(try Self.tensor(name, record, archive: archive, folder: folder))
        }
        self.tensors = tensors
    }

    /// The contiguous bytes of `record` in its storage's entry.
    static func tensor(_ name: String, _ record: TensorRecord, archive: ZipArchive, folder: String) throws -> Tensor {
        let file = archive.source.name
        let storage = record.storage
        guard let entry = archive.entry(named: folder + "data/" + storage.key) else {
            throw FileError(file: file, "tensor \(name): expected the entry \(folder)data/\(storage.key) holding its storage")
        }
        let elementSize = storage.dtype.byteCount
        guard let storageBytes = checkedElementCount([storage.elementCount, elementSize]), storageBytes == entry.data.count else {
            throw FileError(
                file: file, offset: entry.data.offset,
                "tensor \(name): expected storage \(storage.key) to be \(storage.elementCount) \(storage.dtype.rawValue) values, found \(entry.data.count) bytes")
        }
        guard isContiguous(shape: record.shape, strides: record.strides) else {
            throw FileError(
                file: file, offset: entry.data.offset,
                "tensor \(name): a non-contiguous view (shape \(record.shape), strides \(record.strides)); expected row-major tensors (save them with .contiguous())")
        }
        guard let elements = checkedElementCount(record.shape), record.storageOffset <= storage.elementCount,
            elements <= storage.elementCount - record.storageOffset
        else {
            throw FileError(
                file: file, offset: entry.data.offset,
                "tensor \(name): shape \(record.shape) at element \(record.storageOffset) does not fit in its storage of \(storage.elementCount) elements")
        }
        let data = try entry.data.slice(offset: record.storageOffset * elementSize, length: elements * elementSize)
        return Tensor(name: name, dtype: storage.dtype, shape: record.shape, data: data)
    }

    /// Row-major strides; a dimension of size 1 may have any stride (torch leaves them so).
    static func isContiguous(shape: [Int], strides: [Int]) -> Bool {
        var expected = 1
        for (size, stride) in zip(shape, strides).reversed() {
            if size != 1 && stride != expected { return false }
            guard let next = checkedElementCount([expected, size]) else { return false }
            expected = next
        }
        return true
    }
}
