/// The ids of pieces that needed merging, remembered by the encoder: text repeats its rare words
/// (identifiers in code, names), and on a mixed 8 MB corpus 7% of pieces need merging while 78%
/// of those are repeats. Open addressing on the pieces' hashes, with their bytes and ids in two
/// pools; everything is dropped when full, so memory stays bounded (under 300 KiB; one memo per
/// worker, kept across its tasks and lines).
/// (A Swift Dictionary keyed by ArraySlice spent more on SipHash than the merges it saved.)
struct MergeMemo {
    private static let slotCount = 1 << 13
    private static let poolLimit = 1 << 16

    /// Per slot: the piece's hash, 0 when empty; then where its bytes and ids are in the pools.
    private var hashes = [UInt64](repeating: 0, count: slotCount)
    private var byteStarts = [Int32](repeating: 0, count: slotCount)
    private var idStarts = [Int32](repeating: 0, count: slotCount)
    private var byteCounts = [Int32](repeating: 0, count: slotCount)
    private var idCounts = [Int32](repeating: 0, count: slotCount)
    private var bytePool: [UInt8] = []
    private var idPool: [UInt32] = []
    private var used = 0

    /// Appends the remembered ids of `text[start ..< end]` to `sink`; false if not remembered.
    @inline(__always)
    func emit<Sink: TokenSink>(_ text: [UInt8], _ start: Int, _ end: Int, hash: UInt64, into sink: inout Sink) -> Bool {
        var slot = Int(truncatingIfNeeded: hash) & (Self.slotCount - 1)
        while hashes[slot] != 0 {
            if hashes[slot] == hash {
                let from = Int(byteStarts[slot])
                if PieceTable.equal(text, start, end, bytePool, from, from + Int(byteCounts[slot])) {
                    let first = Int(idStarts[slot])
                    for index in first..<(first + Int(idCounts[slot])) { sink.append(idPool[index]) }
                    return true
                }
            }
            slot = (slot + 1) & (Self.slotCount - 1)
        }
        return false
    }

    mutating func remember(_ text: [UInt8], _ start: Int, _ end: Int, hash: UInt64, ids: ArraySlice<UInt32>) {
        if used * 2 >= Self.slotCount || bytePool.count + (end - start) > Self.poolLimit {
            for slot in hashes.indices { hashes[slot] = 0 }
            bytePool.removeAll(keepingCapacity: true)
            idPool.removeAll(keepingCapacity: true)
            used = 0
        }
        var slot = Int(truncatingIfNeeded: hash) & (Self.slotCount - 1)
        while hashes[slot] != 0 { slot = (slot + 1) & (Self.slotCount - 1) }
        hashes[slot] = hash | 1  // never 0, which marks an empty slot
        byteStarts[slot] = Int32(bytePool.count)
        byteCounts[slot] = Int32(end - start)
        idStarts[slot] = Int32(idPool.count)
        idCounts[slot] = Int32(ids.count)
        bytePool.append(contentsOf: text[start..<end])
        idPool.append(contentsOf: ids)
        used += 1
    }
}
