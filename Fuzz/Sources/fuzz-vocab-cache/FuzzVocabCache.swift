@testable import BPETokenizer
import FuzzSupport
@testable import ModelIO

/// The binary vocabulary cache (`vocab-v2-DIGEST.bin`). A real cache ends with the XXH3-64 of its
/// bytes and holds the digest of its source file; a mutated input would almost never match
/// either, so the target appends the right checksum and asks for the digest the input holds,
/// and the structural checks behind them are what is fuzzed. A cache that decodes must tokenize.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzVocabCache(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var bytes = fuzzBytes(data, size)
    let digest = XXH3Digest128(high: littleEndian(bytes, at: 16), low: littleEndian(bytes, at: 24))
    let checksum = XXH3.hash64(bytes)
    for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: checksum >> UInt64(shift))) }
    guard let (vocabulary, _) = VocabularyCache.decode(ByteSource(bytes: bytes, name: "vocab.bin"), digest: digest) else { return 0 }
    let tokenizer = Tokenizer(vocabulary: vocabulary)
    let ids = tokenizer.encode(sampleText)
    do {
        if try tokenizer.decode(ids) != Array(sampleText.utf8) { fuzzFinding("decode(encode(sample)) differs: \(ids)") }
    } catch {
        fuzzFinding("a cached vocabulary's own ids do not decode: \(error)")
    }
    let again = VocabularyCache.encode(vocabulary, kind: .tiktoken, digest: digest)
    if VocabularyCache.decode(ByteSource(bytes: again), digest: digest) == nil { fuzzFinding("a re-encoded cache does not decode") }
    return 0
}

private func littleEndian(_ bytes: [UInt8], at offset: Int) -> UInt64 {
    var value: UInt64 = 0
    for index in (offset..<(offset + 8)).reversed() where index < bytes.count { value = value << 8 | UInt64(bytes[index]) }
    return value
}
