/// ``MemoryStorage``'s random-access reader: the object as it was when opened; every read counts
/// as one ranged GET.
struct MemoryStorageReader: StorageReader {
    let storage: MemoryStorage
    let path: String
    let bytes: [UInt8]

    var size: Int64 { Int64(bytes.count) }

    func read(_ range: Range<Int64>) throws(LakeError) -> [UInt8] {
        guard range.lowerBound >= 0 else {
            throw LakeError(.invalidArgument, "read \(path): negative offset \(range.lowerBound)")
        }
        let piece = MemoryStorage.clip(bytes, range)
        storage.countRangedRead(piece.count)
        return piece
    }
}
