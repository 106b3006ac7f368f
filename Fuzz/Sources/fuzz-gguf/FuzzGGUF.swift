import FuzzSupport
import GGUF
import ModelIO

/// A single GGUF file: the header, every metadata value (arrays are read lazily, so each is read
/// here), and every tensor's data view.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGGUF(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let source = fuzzSource(data, size, name: "fuzz.gguf")
    expectCleanRefusal {
        let file = try GGUFFile(source: source)
        for (_, value) in file.metadata.entries {
            _ = value.integer
            _ = "\(value)"
            if case .array(let array) = value {
                let elements = try array.elements()
                if elements.count != array.count { fuzzFinding("array of \(array.count) read as \(elements.count)") }
                if array.elementType == .string { _ = try array.strings() }
            }
        }
        for tensor in file.tensors {
            if tensor.data.offset < file.dataOffset || tensor.data.offset + tensor.data.count > source.count {
                fuzzFinding("tensor \(tensor.name) outside the file")
            }
            tensor.data.withUnsafeBytes { bytes in
                if let last = bytes.last { _ = last &+ bytes[0] }
            }
        }
        _ = SplitGGUFFile.isPart(file)
    }
    return 0
}
