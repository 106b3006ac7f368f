import FuzzSupport
import ModelIO
@testable import Safetensors

/// `model.safetensors.index.json`: its JSON, the weight map's shard names (no path may leave the
/// folder), and the completeness check of the shard numbering (`-00002-of-00006`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSafetensorsIndex(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let source = fuzzSource(data, size, name: "model.safetensors.index.json")
    expectCleanRefusal {
        let index = try SafetensorsCheckpoint.readIndex(source)
        let shardNames = Array(Set(index.weightMap.map(\.shard))).sorted()
        for shard in shardNames {
            if shard.contains("/") || shard == ".." || shard == "." || shard.isEmpty {
                fuzzFinding("a shard name outside the folder was accepted: \(shard)")
            }
            if let numbering = SafetensorsCheckpoint.shardNumbering(shard), !(1...numbering.count).contains(numbering.number) {
                fuzzFinding("shard numbering \(numbering) out of range for \(shard)")
            }
        }
        try SafetensorsCheckpoint.refuseMissingShards(shardNames, indexPath: source.name)
    }
    return 0
}
