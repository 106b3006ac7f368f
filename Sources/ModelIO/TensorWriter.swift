/// A writer of tensors: whatever the format (a GGUF, a safetensors file, a checkpoint folder),
/// its header is settled when it is made, then it takes each declared tensor's bytes in order,
/// and `finish` puts the complete output in place. Conversion is a loop over this interface.
public protocol TensorWriter: AnyObject {
    /// Writes the next declared tensor in pieces: `body` gets a sink, counted and hashed, and must
    /// write exactly the tensor's declared byte count.
    func writeTensor(_ body: (ChecksummingSink) throws -> Void) throws
    /// Records the checksums and commits the output; throws if tensors are missing.
    func finish() throws
    /// Abandons the output: nothing that was not already complete appears at the destination.
    func discard()
}

extension TensorWriter {
    /// Writes the next tensor's data in one piece.
    public func writeTensor(_ data: ByteSlice) throws { try writeTensor { try $0.write(data) } }

    public func writeTensor(_ data: [UInt8]) throws { try writeTensor { try $0.write(data) } }
}
