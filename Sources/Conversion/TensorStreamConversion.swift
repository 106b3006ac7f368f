import ModelIO
import Quantization

/// Converts one tensor's data chunk by chunk into a writer's sink, so a tensor larger than
/// memory (a 70B embedding) streams through a buffer of `chunkElements` values.
enum TensorStreamConversion {
    /// 4 Mi values (16 MiB of f32) per chunk: 64 of the Transcoder's work items, so the workers
    /// stay busy between two writes, and a buffer that stays the same size whatever the model.
    static let chunkElements = 1 << 22

    /// Writes `data` (elements of `source`) to `sink` as `target`. A NaN or infinity met by a
    /// quantizer becomes a FileError naming the tensor, the element and its byte offset in `file`.
    static func write(
        _ data: ByteSlice, tensor: String, rowLength: Int, file: String, from source: ElementFormat,
        to target: ElementFormat, threads: Int, sink: ([UInt8]) throws -> Void, progress: (Int) -> Void
    ) throws {
        let chunkBytes = source.byteCount(elements: chunkElements) ?? data.count
        var output: [UInt8] = []
        var start = 0
        while start < data.count {
            let length = min(chunkBytes, data.count - start)
            let chunk = try data.slice(offset: start, length: length)
            do {
                try Transcoder.transcode(chunk, from: source, to: target, threads: threads, into: &output)
            } catch QuantizationError.nonFinite(let index, let value) {
                let element = (source.elementCount(bytes: start) ?? 0) + index
                // Quantizers read float sources only, whose elements are one "block" each.
                let offset = data.offset + start + index * source.bytesPerBlock
                throw FileError(
                    file: file, offset: offset,
                    "tensor \(tensor): element \(element) (row \(element / max(1, rowLength)), column \(element % max(1, rowLength))) is \(value); "
                        + "expected finite values to quantize to \(target.description.uppercased())")
            } catch let error as QuantizationError {
                throw FileError(file: file, offset: data.offset + start, "tensor \(tensor): \(error)")
            }
            try sink(output)
            chunk.releaseMappedPages()
            start += length
            progress(length)
        }
    }
}
