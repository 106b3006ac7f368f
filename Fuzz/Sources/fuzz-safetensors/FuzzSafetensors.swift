import FuzzSupport
import ModelIO
import Safetensors

/// A single .safetensors file: header JSON, dtypes, shapes, offsets, and every tensor's data view.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSafetensors(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let source = fuzzSource(data, size, name: "fuzz.safetensors")
    expectCleanRefusal {
        let file = try SafetensorsFile(source: source)
        for tensor in file.tensors {
            if tensor.data.offset < file.dataOffset || tensor.data.offset + tensor.data.count > source.count {
                fuzzFinding("tensor \(tensor.name) outside the file")
            }
            tensor.data.withUnsafeBytes { bytes in
                if let last = bytes.last { _ = last &+ bytes[0] }
            }
            _ = file.tensor(named: tensor.name)
        }
    }
    return 0
}
