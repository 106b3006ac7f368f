import Foundation
import GGUF
import ModelIO
import Testing
import TestSupport

/// Files written by gguf-py's GGUFWriter (Fixtures/formats/make-fixtures.py) read here with the
/// values the script wrote and the offsets gguf-py's GGUFReader reports.
@Suite struct GGUFFixtureTests {
    static let files = ["all-types.gguf", "aligned-64.gguf"]

    static func expected(_ file: String) throws -> JSONValue {
        let url = TestSupport.fixture("formats/expected.json")
        let json = try JSONParser.parse(Array(try Data(contentsOf: url)), file: url.path)
        return try #require(json[file])
    }

    static func open(_ file: String) throws -> GGUFFile {
        try GGUFFile(path: TestSupport.fixture("formats/" + file).path)
    }

    @Test(arguments: files)
    func headerMatchesGGUFPy(_ file: String) throws {
        let gguf = try Self.open(file)
        let expected = try Self.expected(file)
        #expect(Int64(gguf.version) == expected["version"]?.int64Value)
        #expect(Int64(gguf.alignment) == expected["alignment"]?.int64Value)
        #expect(gguf.dataOffset % gguf.alignment == 0)
    }

    @Test(arguments: files)
    func metadataKeysTypesAndValuesMatchWhatGGUFPyWrote(_ file: String) throws {
        let gguf = try Self.open(file)
        let expected = try #require(try Self.expected(file)["metadata"]?.arrayValue)
        #expect(gguf.metadata.keys == expected.compactMap { $0["key"]?.stringValue })
        for entry in expected {
            let key = try #require(entry["key"]?.stringValue)
            let value = try #require(gguf.metadata[key], "missing \(key)")
            #expect(value.type.name == entry["type"]?.stringValue, "type of \(key)")
            let decoded = try GGUFTestJSON.json(value)
            #expect(GGUFTestJSON.same(decoded, try #require(entry["value"])), "\(key): read \(decoded.serialized()), wrote \(entry["value"]!.serialized())")
            if let array = value.array {
                #expect(array.elementType.name == entry["element_type"]?.stringValue, "element type of \(key)")
                if let inner = entry["inner_type"]?.stringValue {
                    for element in try array.elements() {
                        #expect(element.array?.elementType.name == inner, "inner type of \(key)")
                    }
                }
            }
        }
    }

    @Test(arguments: files)
    func tensorsMatchGGUFPyReader(_ file: String) throws {
        let gguf = try Self.open(file)
        let expected = try #require(try Self.expected(file)["tensors"]?.arrayValue)
        #expect(gguf.tensors.map(\.name) == expected.compactMap { $0["name"]?.stringValue })
        for (tensor, want) in zip(gguf.tensors, expected) {
            #expect(tensor.type.name == want["dtype"]?.stringValue, "dtype of \(tensor.name)")
            #expect(tensor.shape.map { Int64($0) } == want["shape"]?.arrayValue?.compactMap(\.int64Value), "shape of \(tensor.name)")
            #expect(Int64(tensor.fileOffset) == want["offset"]?.int64Value, "offset of \(tensor.name)")
            #expect(Int64(tensor.byteCount) == want["bytes"]?.int64Value, "bytes of \(tensor.name)")
            #expect(GGUFTestJSON.hex(tensor.data.bytes) == want["data_hex"]?.stringValue, "data of \(tensor.name)")
            #expect(tensor.relativeOffset % gguf.alignment == 0)
        }
    }

    @Test func summaryOfLargeArrayReadsOnlyTheHead() throws {
        let gguf = try Self.open("all-types.gguf")
        let tokens = try #require(gguf.metadata["test.array.string"]?.array)
        #expect(tokens.count == 21)
        #expect(try tokens.elements(prefix: 2) == [.string("tok0"), .string("tok1")])
        #expect(try tokens.strings().last == "\u{e9}\u{2713}")
    }

    @Test func typedAccessorsAgreeWithElementByElementDecoding() throws {
        let gguf = try Self.open("all-types.gguf")
        for entry in gguf.metadata.entries {
            guard let array = entry.value.array else { continue }
            let elements = try array.elements()
            if array.elementType == .string {
                #expect(try array.strings() == elements.map { $0.string ?? "?" }, "\(entry.key)")
            }
            if array.elementType.isInteger, array.elementType != .uint64 {
                #expect(try array.integers() == elements.map { $0.integer ?? -1 }, "\(entry.key)")
            }
        }
        #expect(throws: FileError.self) { try gguf.metadata["test.array.uint64"]?.array?.integers() }
        #expect(try gguf.metadata["test.array.uint64"]?.array?.uint64s() == [1 << 63 + 1, .max])
    }

    @Test func everyGGMLTypeHasGGUFPysBlockLayout() {
        // gguf 0.19.0's GGML_QUANT_SIZES (block size, bytes per block) for every type it knows.
        let reference: [UInt32: (Int, Int)] = [
            0: (1, 4), 1: (1, 2), 2: (32, 18), 3: (32, 20), 6: (32, 22), 7: (32, 24), 8: (32, 34),
            10: (256, 84), 11: (256, 110), 12: (256, 144), 13: (256, 176), 14: (256, 210), 15: (256, 292),
            16: (256, 66), 17: (256, 74), 18: (256, 98), 19: (256, 50), 20: (32, 18), 21: (256, 110),
            22: (256, 82), 23: (256, 136), 24: (1, 1), 25: (1, 2), 26: (1, 4), 27: (1, 8), 28: (1, 8),
            29: (256, 56), 30: (1, 2), 34: (256, 54), 35: (256, 66), 39: (32, 17), 40: (64, 36), 41: (128, 18),
        ]
        for (id, layout) in reference {
            let type = GGMLType(rawValue: id)
            #expect(type?.blockSize == layout.0 && type?.bytesPerBlock == layout.1, "type \(id)")
        }
    }
}

/// Turns read values into JSON to compare with expected.json.
enum GGUFTestJSON {
    static func json(_ value: GGUFValue) throws -> JSONValue {
        switch value {
        case .uint8(let v): .integer(v)
        case .int8(let v): .integer(v)
        case .uint16(let v): .integer(v)
        case .int16(let v): .integer(v)
        case .uint32(let v): .integer(v)
        case .int32(let v): .integer(v)
        case .uint64(let v): .integer(v)
        case .int64(let v): .integer(v)
        case .float32(let v): .double(Double(v))
        case .float64(let v): .double(v)
        case .bool(let v): .bool(v)
        case .string(let v): .string(v)
        case .array(let a): .array(try a.elements().map(json))
        }
    }

    /// Equal, with numbers compared by value (Python writes 1.0 where we may hold an integer).
    static func same(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.array(let x), .array(let y)): return x.count == y.count && zip(x, y).allSatisfy(same)
        case (.double, _), (_, .double): return a.doubleValue == b.doubleValue
        default: return a == b
        }
    }

    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String(hex16(UInt64($0)).suffix(2)) }.joined()
    }
}
