@testable import BPETokenizer
import Foundation
import FuzzSupport
import ModelIO

/// Tokenizer encode on any bytes, with the Llama 3 vocabulary ($LLAMA3_FUZZ_VOCAB, else the
/// installed default, else the small fixture tokenizer.json). Bytes that are not UTF-8 are
/// refused with a FileError; on valid UTF-8, for ordinary text, special-token parsing and Meta's
/// chunking: decode(encode(x)) == x, count(x) == encode(x).count, and the ids are the same on 1
/// thread and on 2 and 4 threads with tasks small enough that the text is cut at restart points.
let tokenizer: Tokenizer = {
    let environment = ProcessInfo.processInfo.environment
    let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "../../../Fixtures/tokenizer/small-tokenizer.json").standardizedFileURL.path
    let candidates = [environment["LLAMA3_FUZZ_VOCAB"], VocabularyLocation.defaultPath(environment: environment), fixture]
    for case let path? in candidates where FileManager.default.fileExists(atPath: path) {
        do {
            let vocabulary = try VocabularyFile.parse(try ByteSource(mapping: path))
            print("fuzz-tokenizer: vocabulary \(path) (\(vocabulary.rankCount) pieces)")
            return Tokenizer(vocabulary: vocabulary)
        } catch {
            fatalError("cannot load the vocabulary \(path): \(error)")
        }
    }
    fatalError("no vocabulary found (set LLAMA3_FUZZ_VOCAB)")
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTokenizer(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    let text: UTF8Text
    do {
        text = try UTF8Text(validating: bytes, source: "<fuzz>")
    } catch let error as FileError {
        if String(validating: bytes, as: UTF8.self) != nil { fuzzFinding("valid UTF-8 refused: \(error)") }
        _ = UTF8Text(lossy: bytes)
        return 0
    } catch {
        fuzzFinding("UTF8Text threw \(type(of: error)): \(error)")
    }
    if String(validating: bytes, as: UTF8.self) == nil { fuzzFinding("invalid UTF-8 accepted") }
    let variants: [Tokenizer.Options] = [.init(), .init(parseSpecial: true), .init(metaChunking: true)]
    for options in variants {
        let ids = tokenizer.encode(text, options: options)
        let decoded: [UInt8]
        do { decoded = try tokenizer.decode(ids) } catch { fuzzFinding("own ids do not decode (\(options)): \(error)") }
        if decoded != bytes { fuzzFinding("decode(encode(x)) != x with \(options): \(ids)") }
        if tokenizer.count(text, options: options) != ids.count { fuzzFinding("count != encode().count with \(options)") }
        for (threads, taskSize) in [(2, 16), (4, 7), (4, 64)] {
            let parallel = tokenizer.encode(text, threads: threads, options: options, taskSize: taskSize)
            if parallel != ids { fuzzFinding("\(threads) threads (tasks of \(taskSize) bytes) give other ids with \(options)") }
            let counted = tokenizer.count(text, threads: threads, options: options, taskSize: taskSize)
            if counted != ids.count { fuzzFinding("\(threads)-thread count \(counted) != \(ids.count) with \(options)") }
        }
    }
    return 0
}
