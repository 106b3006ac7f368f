import GGUF
import ModelIO
import Safetensors

/// The `--json` form of the report (schema: Docs/INSPECT.md; it changes only additively).
extension InspectReport {
    /// Arrays longer than this are summarised as {"type", "count", "head"} unless `full`.
    public static let arraySummaryLimit = 16

    public func json(full: Bool = false) -> JSONValue {
        var members: [JSONMember] = [
            JSONMember("format", formatJSON),
            JSONMember("metadata", .object(metadataJSON(full: full))),
            JSONMember("tensors", .array((file?.tensors ?? []).map { tensorJSON($0) })),
        ]
        if let fileType { members.append(JSONMember("file_type", fileType.json)) }
        if let model { members.append(JSONMember("model", model.json)) }
        members.append(JSONMember("problems", .array(problems.map(JSONValue.string))))
        members.append(JSONMember("warnings", .array(warnings.map(JSONValue.string))))
        return .object(members)
    }

    var formatJSON: JSONValue {
        var members: [JSONMember] = [JSONMember("path", .string(path))]
        guard let file else {
            members.append(JSONMember("name", .null))
            return .object(members)
        }
        members.append(JSONMember("name", .string(file.format.name)))
        switch file.container {
        case .gguf(let gguf):
            members += [
                JSONMember("version", .integer(gguf.version)),
                JSONMember("alignment", .integer(gguf.alignment)),
                JSONMember("data_offset", .integer(gguf.dataOffset)),
                JSONMember("file_bytes", .integer(gguf.source.count)),
            ]
        case .splitGGUF(let split):
            members += [
                JSONMember("version", .integer(split.first.version)),
                JSONMember("parts", .array(split.parts.map { part -> JSONValue in
                    .object([
                        JSONMember("path", .string(part.source.name)),
                        JSONMember("tensor_count", .integer(part.tensors.count)),
                        JSONMember("data_offset", .integer(part.dataOffset)),
                        JSONMember("file_bytes", .integer(part.source.count)),
                    ])
                })),
            ]
        case .safetensors(let safetensors):
            members += [
                JSONMember("header_bytes", .integer(safetensors.dataOffset - 8)),
                JSONMember("data_offset", .integer(safetensors.dataOffset)),
                JSONMember("file_bytes", .integer(safetensors.source.count)),
            ]
        case .checkpoint(let checkpoint):
            members.append(JSONMember("index", checkpoint.indexPath.map(JSONValue.string) ?? .null))
            members.append(JSONMember("files", .array(checkpoint.shards.map {
                .object([JSONMember("path", .string($0.source.name)), JSONMember("file_bytes", .integer($0.source.count))])
            })))
        case .pyTorch(let pyTorch):
            members.append(JSONMember("file_bytes", .integer(pyTorch.source.count)))
        case .metaCheckpoint(let meta):
            members.append(JSONMember("params", .string(meta.folder + "/" + MetaCheckpoint.paramsName)))
            members.append(JSONMember("ranks", .array(meta.ranks.map {
                .object([JSONMember("path", .string($0.source.name)), JSONMember("file_bytes", .integer($0.source.count))])
            })))
        }
        members.append(JSONMember("tensor_count", .integer(file.tensors.count)))
        members.append(JSONMember("metadata_count", .integer(file.metadata.count)))
        return .object(members)
    }

    func metadataJSON(full: Bool) -> [JSONMember] {
        (file?.metadata ?? []).map { entry in
            JSONMember(entry.key, Self.json(entry.value, full: full))
        }
    }

    func tensorJSON(_ tensor: ModelTensor) -> JSONValue {
        var members: [JSONMember] = [
            JSONMember("name", .string(tensor.name)),
            JSONMember("dtype", .string(tensor.dtype.name)),
            JSONMember("shape", .array(tensor.shape.map { .integer($0) })),
            JSONMember("offset", .integer(tensor.offset)),
            JSONMember("bytes", .integer(tensor.byteCount)),
        ]
        switch file?.format {
        case .checkpoint(sharded: true)?, .splitGGUF?: members.append(JSONMember("file", .string(tensor.file)))
        default: break
        }
        return .object(members)
    }

    static func json(_ value: ModelMetadataValue, full: Bool) -> JSONValue {
        switch value {
        case .gguf(let gguf): json(gguf, full: full)
        case .string(let text): .string(text)
        case .json(let json): json
        }
    }

    /// A GGUF value as JSON: integers exact, FLOAT32 as its shortest decimal, arrays whole or summarised.
    static func json(_ value: GGUFValue, full: Bool) -> JSONValue {
        switch value {
        case .uint8(let v): .integer(v)
        case .int8(let v): .integer(v)
        case .uint16(let v): .integer(v)
        case .int16(let v): .integer(v)
        case .uint32(let v): .integer(v)
        case .int32(let v): .integer(v)
        case .uint64(let v): .integer(v)
        case .int64(let v): .integer(v)
        case .float32(let v): .float32(v)
        case .float64(let v): .double(v)
        case .bool(let v): .bool(v)
        case .string(let v): .string(v)
        case .array(let array): json(array, full: full)
        }
    }

    static func json(_ array: GGUFArray, full: Bool) -> JSONValue {
        let summarise = !full && array.count > arraySummaryLimit
        let elements: [GGUFValue]
        do {
            elements = try array.elements(prefix: summarise ? arraySummaryLimit : .max)
        } catch {
            return .object([JSONMember("type", .string(array.elementType.name)), JSONMember("count", .integer(array.count)),
                            JSONMember("error", .string("\(error)"))])
        }
        let items = JSONValue.array(elements.map { json($0, full: full) })
        guard summarise else { return items }
        return .object([
            JSONMember("type", .string(array.elementType.name)),
            JSONMember("count", .integer(array.count)),
            JSONMember("head", items),
        ])
    }
}
