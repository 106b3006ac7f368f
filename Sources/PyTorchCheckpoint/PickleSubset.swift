import ModelIO

/// Reads a torch.save `data.pkl` without executing anything: a pickle machine that knows only the
/// opcodes a state dict of tensors is written with (torch.save uses protocol 2; the few opcodes
/// of protocols 3-5 for the same values are read too) and calls only the callables of
/// `PickleGlobal`, itself, with the arguments those take. Any other opcode or global stops the
/// reading with an error naming it and its byte offset, before anything of it is used.
///
/// What torch.save writes, per tensor: GLOBAL torch._utils._rebuild_tensor_v2, then a tuple of
/// (BINPERSID of ('storage', GLOBAL torch.XStorage, key, 'cpu', numel), storage offset, shape,
/// strides, requires_grad, an empty OrderedDict of backward hooks), then REDUCE.
struct PickleSubset {
    private var cursor: ByteCursor
    private let end: Int
    private var stack: [PickleValue] = []
    private var marks: [Int] = []
    private var memo: [Int: PickleValue] = [:]

    /// The value `data` unpickles to.
    static func load(_ data: ByteSlice) throws -> PickleValue {
        var machine = PickleSubset(cursor: ByteCursor(data.source, offset: data.offset), end: data.offset + data.count)
        return try machine.run()
    }

    private init(cursor: ByteCursor, end: Int) {
        self.cursor = cursor
        self.end = end
    }

    private mutating func run() throws -> PickleValue {
        while cursor.offset < end {
            let at = cursor.offset
            let code = try cursor.u8("pickle opcode")
            if code == Opcode.stop {
                guard stack.count == 1, marks.isEmpty else { throw refusal("STOP with \(stack.count) values on the stack", at) }
                return stack[0]
            }
            try execute(code, at: at)
        }
        throw cursor.error("expected the pickle's STOP opcode before the end of data.pkl")
    }

    // MARK: - Opcodes

    /// The opcode bytes of the subset (pickletools' names).
    enum Opcode {
        static let proto: UInt8 = 0x80, frame: UInt8 = 0x95, stop: UInt8 = 0x2e
        static let mark: UInt8 = 0x28, emptyTuple: UInt8 = 0x29, tuple: UInt8 = 0x74
        static let tuple1: UInt8 = 0x85, tuple2: UInt8 = 0x86, tuple3: UInt8 = 0x87
        static let emptyDict: UInt8 = 0x7d, setItem: UInt8 = 0x73, setItems: UInt8 = 0x75
        static let none: UInt8 = 0x4e, newTrue: UInt8 = 0x88, newFalse: UInt8 = 0x89
        static let binInt: UInt8 = 0x4a, binInt1: UInt8 = 0x4b, binInt2: UInt8 = 0x4d, long1: UInt8 = 0x8a
        static let binUnicode: UInt8 = 0x58, shortBinUnicode: UInt8 = 0x8c
        static let binPut: UInt8 = 0x71, longBinPut: UInt8 = 0x72, memoize: UInt8 = 0x94
        static let binGet: UInt8 = 0x68, longBinGet: UInt8 = 0x6a
        static let global: UInt8 = 0x63, stackGlobal: UInt8 = 0x93
        static let reduce: UInt8 = 0x52, binPersID: UInt8 = 0x51
    }

    private mutating func execute(_ code: UInt8, at: Int) throws {
        switch code {
        case Opcode.proto:
            let version = try cursor.u8("protocol version")
            guard version <= 5 else { throw refusal("pickle protocol \(version)", at) }
        case Opcode.frame: try cursor.skip(8, "frame length")
        case Opcode.mark: marks.append(stack.count)
        case Opcode.emptyTuple: stack.append(.tuple([]))
        case Opcode.tuple: stack.append(.tuple(try popToMark(at)))
        case Opcode.tuple1, Opcode.tuple2, Opcode.tuple3:
            let count = Int(code - Opcode.tuple1) + 1
            stack.append(.tuple(try pop(count, at)))
        case Opcode.emptyDict: stack.append(.dictionary([], []))
        case Opcode.setItem: try setItems(try pop(2, at), at)
        case Opcode.setItems: try setItems(try popToMark(at), at)
        case Opcode.none: stack.append(.none)
        case Opcode.newTrue: stack.append(.bool(true))
        case Opcode.newFalse: stack.append(.bool(false))
        case Opcode.binInt: stack.append(.integer(Int(try cursor.i32("BININT value"))))
        case Opcode.binInt1: stack.append(.integer(Int(try cursor.u8("BININT1 value"))))
        case Opcode.binInt2: stack.append(.integer(Int(try cursor.u16("BININT2 value"))))
        case Opcode.long1: stack.append(.integer(try long1(at)))
        case Opcode.binUnicode: stack.append(.string(try cursor.string(Int(try cursor.u32("BINUNICODE length")), "BINUNICODE text")))
        case Opcode.shortBinUnicode: stack.append(.string(try cursor.string(Int(try cursor.u8("SHORT_BINUNICODE length")), "SHORT_BINUNICODE text")))
        case Opcode.binPut: memo[Int(try cursor.u8("BINPUT index"))] = try top(at)
        case Opcode.longBinPut: memo[Int(try cursor.u32("LONG_BINPUT index"))] = try top(at)
        case Opcode.memoize: memo[memo.count] = try top(at)
        case Opcode.binGet: stack.append(try recall(Int(try cursor.u8("BINGET index")), at))
        case Opcode.longBinGet: stack.append(try recall(Int(try cursor.u32("LONG_BINGET index")), at))
        case Opcode.global: stack.append(.global(try global(module: try line("GLOBAL module"), name: try line("GLOBAL name"), at)))
        case Opcode.stackGlobal:
            let names = try pop(2, at)
            guard case .string(let module) = names[0], case .string(let name) = names[1] else {
                throw refusal("STACK_GLOBAL of \(names[0].kind) and \(names[1].kind)", at)
            }
            stack.append(.global(try global(module: module, name: name, at)))
        case Opcode.reduce:
            let pair = try pop(2, at)
            stack.append(try call(pair[0], arguments: pair[1], at))
        case Opcode.binPersID:
            stack.append(.storage(try storage(try pop(1, at)[0], at)))
        default:
            throw refusal("opcode 0x\(String(code, radix: 16)) (\(Self.opcodeName(code)))", at)
        }
    }

    // MARK: - Stack and memo

    private mutating func pop(_ count: Int, _ at: Int) throws -> [PickleValue] {
        guard stack.count - (marks.last ?? 0) >= count else { throw refusal("an opcode that needs \(count) values on the stack", at) }
        let values = Array(stack.suffix(count))
        stack.removeLast(count)
        return values
    }

    private mutating func popToMark(_ at: Int) throws -> [PickleValue] {
        guard let mark = marks.popLast() else { throw refusal("an opcode that needs a MARK, with none set", at) }
        let values = Array(stack[mark...])
        stack.removeSubrange(mark...)
        return values
    }

    private func top(_ at: Int) throws -> PickleValue {
        guard let value = stack.last, stack.count > (marks.last ?? 0) else { throw refusal("a memo store with nothing to store", at) }
        return value
    }

    private func recall(_ index: Int, _ at: Int) throws -> PickleValue {
        guard let value = memo[index] else { throw refusal("a memo load of index \(index), which was never stored", at) }
        return value
    }

    /// SETITEM and SETITEMS: key/value pairs into the dict below them on the stack.
    private mutating func setItems(_ items: [PickleValue], _ at: Int) throws {
        guard items.count % 2 == 0, case .dictionary(var keys, var values)? = stack.last, stack.count > (marks.last ?? 0) else {
            throw refusal("SETITEMS without a dict and key/value pairs", at)
        }
        for pair in stride(from: 0, to: items.count, by: 2) {
            guard case .string = items[pair] else { throw refusal("a dict key that is \(items[pair].kind), not a string", at) }
            keys.append(items[pair])
            values.append(items[pair + 1])
        }
        stack[stack.count - 1] = .dictionary(keys, values)
    }

    /// LONG1: a little-endian two's-complement integer of up to 8 bytes here (offsets, sizes).
    private mutating func long1(_ at: Int) throws -> Int {
        let length = Int(try cursor.u8("LONG1 length"))
        guard length <= 8 else { throw refusal("an integer of \(length) bytes", at) }
        let bytes = try cursor.bytes(length, "LONG1 bytes")
        var value: UInt64 = 0
        for (index, byte) in bytes.enumerated() { value |= UInt64(byte) << (8 * UInt64(index)) }
        if length < 8, let last = bytes.last, last & 0x80 != 0 { value |= UInt64.max << (8 * UInt64(length)) }
        return Int(Int64(bitPattern: value))
    }

    private mutating func line(_ what: String) throws -> String {
        let start = cursor.offset
        var bytes: [UInt8] = []
        while true {
            let byte = try cursor.u8(what)
            if byte == 0x0a { break }
            bytes.append(byte)
            guard bytes.count <= 256 else { throw cursor.error("expected \(what) to end within 256 bytes", at: start) }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    // MARK: - The allowed globals

    private func global(module: String, name: String, _ at: Int) throws -> PickleGlobal {
        guard let global = PickleGlobal(module: module, name: name) else {
            throw refusal("the global \(module).\(name)", at, hint: "; allowed: " + PickleGlobal.allCases.map(\.qualifiedName).joined(separator: ", "))
        }
        return global
    }

    private func call(_ callable: PickleValue, arguments: PickleValue, _ at: Int) throws -> PickleValue {
        guard case .global(let global) = callable, case .tuple(let args) = arguments else {
            throw refusal("a call of \(callable.kind)", at)
        }
        switch global {
        case .orderedDict:
            guard args.isEmpty else { throw refusal("collections.OrderedDict with arguments", at) }
            return .dictionary([], [])
        case .rebuildTensor:
            return .tensor(try tensor(args, at))
        case .bfloat16Storage, .halfStorage, .floatStorage:
            throw refusal("a call of \(global.qualifiedName)", at)
        }
    }

    /// _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata]).
    private func tensor(_ args: [PickleValue], _ at: Int) throws -> TensorRecord {
        guard args.count == 6 || args.count == 7,
            case .storage(let storage) = args[0], case .integer(let offset) = args[1],
            case .tuple(let sizes) = args[2], case .tuple(let strides) = args[3], case .bool = args[4],
            case .dictionary(let hooks, _) = args[5], hooks.isEmpty
        else {
            throw refusal("_rebuild_tensor_v2 with arguments other than (storage, offset, size, stride, requires_grad, no hooks)", at)
        }
        if args.count == 7, args[6] != .none, args[6] != .dictionary([], []) {
            throw refusal("_rebuild_tensor_v2 with tensor metadata", at)
        }
        let shape = try integers(sizes, "size", at)
        let stride = try integers(strides, "stride", at)
        guard offset >= 0, shape.count == stride.count, shape.allSatisfy({ $0 >= 0 }) else {
            throw refusal("a tensor with offset \(offset), size \(shape) and stride \(stride)", at)
        }
        return TensorRecord(storage: storage, storageOffset: offset, shape: shape, strides: stride)
    }

    private func integers(_ values: [PickleValue], _ what: String, _ at: Int) throws -> [Int] {
        try values.map { value in
            guard case .integer(let number) = value else { throw refusal("a tensor \(what) holding \(value.kind)", at) }
            return number
        }
    }

    /// torch's persistent id of a storage: ('storage', torch.XStorage, key, location, numel).
    private func storage(_ id: PickleValue, _ at: Int) throws -> StorageReference {
        guard case .tuple(let fields) = id, fields.count == 5, fields[0] == .string("storage"),
            case .global(let type) = fields[1], let dtype = type.storageType,
            case .string(let key) = fields[2], case .string = fields[3], case .integer(let count) = fields[4], count >= 0
        else {
            throw refusal("a persistent id other than ('storage', torch.BFloat16Storage/HalfStorage/FloatStorage, key, location, size)", at)
        }
        return StorageReference(key: key, dtype: dtype, elementCount: count)
    }

    // MARK: - Errors

    private func refusal(_ what: String, _ at: Int, hint: String = "") -> FileError {
        FileError(
            file: cursor.source.name, offset: at,
            "data.pkl asks for \(what), which a state dict of tensors does not need; refused without running it\(hint)")
    }

    static func opcodeName(_ code: UInt8) -> String {
        switch code {
        case 0x69: "INST"
        case 0x6f: "OBJ"
        case 0x81: "NEWOBJ"
        case 0x92: "NEWOBJ_EX"
        case 0x62: "BUILD"
        case 0x5d: "EMPTY_LIST"
        case 0x61: "APPEND"
        case 0x65: "APPENDS"
        case 0x50: "PERSID"
        case 0x47: "BINFLOAT"
        case 0x8f: "EMPTY_SET"
        case 0x82, 0x83, 0x84: "EXT"
        default: code >= 0x20 && code < 0x7f ? "'\(Character(Unicode.Scalar(code)))'" : "unknown"
        }
    }
}
