import FuzzSupport
import ModelIO
import PyTorchCheckpoint

/// A torch.save checkpoint: the zip archive (local headers, central directory, zip64), the
/// pickle subset of data.pkl, and every tensor's view of its storage.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPyTorch(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let source = fuzzSource(data, size, name: "fuzz.pth")
    expectCleanRefusal {
        let file = try PyTorchFile(source: source)
        for tensor in file.tensors {
            if tensor.data.offset < 0 || tensor.data.offset + tensor.data.count > source.count {
                fuzzFinding("tensor \(tensor.name) outside the file")
            }
            tensor.data.withUnsafeBytes { bytes in
                if let last = bytes.last { _ = last &+ bytes[0] }
            }
        }
    }
    return 0
}
