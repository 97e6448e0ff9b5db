/// One leaf column's data in Parquet's shredded form: levels plus the dense non-null values.
///
/// This is the pivot between the nested in-memory ``Column`` and pages on disk: the shredder
/// turns columns into `LeafData`, the chunk writer encodes it; the chunk reader decodes pages into
/// it and the assembler rebuilds columns. `definitionLevels` is `nil` when the leaf's maximum
/// definition level is 0 (every entry defined); `repetitionLevels` is `nil` when its maximum
/// repetition level is 0 (one entry per row). `values` holds exactly one value per entry whose
/// definition level equals the maximum, in entry order.
public struct LeafData: Sendable {
    public var definitionLevels: [UInt32]?
    public var repetitionLevels: [UInt32]?
    public var values: ColumnData
    /// Number of level entries (= rows when there is no repetition).
    public var entryCount: Int
    /// Number of rows (entries whose repetition level is 0).
    public var rowCount: Int

    public init(
        definitionLevels: [UInt32]?, repetitionLevels: [UInt32]?, values: ColumnData, entryCount: Int, rowCount: Int
    ) {
        self.definitionLevels = definitionLevels
        self.repetitionLevels = repetitionLevels
        self.values = values
        self.entryCount = entryCount
        self.rowCount = rowCount
    }

    /// Number of entries that are null at some level (entries minus values).
    public var nullCount: Int { entryCount - values.count }
}

extension ColumnData {
    /// An empty value array of the storage kind used for a leaf of this physical type.
    static func emptyLeaf(for type: PhysicalType, typeLength: Int) -> ColumnData {
        switch type {
        case .boolean: .boolean([])
        case .int32: .int32([])
        case .int64, .int96: .int64([])
        case .float: .float([])
        case .double: .double([])
        case .byteArray: .byteArray(ByteArrayValues())
        case .fixedLenByteArray: .fixedByteArray(FixedByteArrayValues(width: max(typeLength, 1)))
        }
    }

    /// Whether the storage kind matches a leaf of this physical type.
    func matchesLeaf(_ type: PhysicalType) -> Bool {
        switch (self, type) {
        case (.boolean, .boolean), (.int32, .int32), (.int64, .int64), (.int64, .int96), (.float, .float),
            (.double, .double), (.byteArray, .byteArray), (.fixedByteArray, .fixedLenByteArray):
            true
        default: false
        }
    }

    /// The storage kind without its payload (for switching without copying arrays).
    enum KindTag { case boolean, int32, int64, float, double, byteArray, fixedByteArray, list, map, structure }

    var kindTag: KindTag {
        switch self {
        case .boolean: .boolean
        case .int32: .int32
        case .int64: .int64
        case .float: .float
        case .double: .double
        case .byteArray: .byteArray
        case .fixedByteArray: .fixedByteArray
        case .list: .list
        case .map: .map
        case .structure: .structure
        }
    }

    var kindName: String {
        switch self {
        case .boolean: "boolean"
        case .int32: "int32"
        case .int64: "int64"
        case .float: "float"
        case .double: "double"
        case .byteArray: "byteArray"
        case .fixedByteArray: "fixedByteArray"
        case .list: "list"
        case .map: "map"
        case .structure: "structure"
        }
    }
}
