/// Parquet physical (storage) types, with their Thrift numbers.
public enum PhysicalType: Int32, Sendable, Hashable, CaseIterable {
    case boolean = 0
    case int32 = 1
    case int64 = 2
    /// Deprecated 12-byte timestamps (nanoseconds of day + Julian day), read only.
    case int96 = 3
    case float = 4
    case double = 5
    case byteArray = 6
    case fixedLenByteArray = 7

    /// The spec's name (`INT64`, `BYTE_ARRAY`, …).
    public var name: String {
        switch self {
        case .boolean: "BOOLEAN"
        case .int32: "INT32"
        case .int64: "INT64"
        case .int96: "INT96"
        case .float: "FLOAT"
        case .double: "DOUBLE"
        case .byteArray: "BYTE_ARRAY"
        case .fixedLenByteArray: "FIXED_LEN_BYTE_ARRAY"
        }
    }
}

/// How often a field occurs in its parent.
public enum Repetition: Int32, Sendable, Hashable, CaseIterable {
    case required = 0
    case optional = 1
    case repeated = 2

    public var name: String {
        switch self {
        case .required: "required"
        case .optional: "optional"
        case .repeated: "repeated"
        }
    }
}

/// Value and level encodings, with their Thrift numbers.
public enum Encoding: Int32, Sendable, Hashable, CaseIterable {
    case plain = 0
    /// Deprecated alias of dictionary encoding used by Parquet 1.0 writers (parquet-mr).
    case plainDictionary = 2
    case rle = 3
    case bitPacked = 4
    case deltaBinaryPacked = 5
    case deltaLengthByteArray = 6
    case deltaByteArray = 7
    case rleDictionary = 8
    case byteStreamSplit = 9

    public var name: String {
        switch self {
        case .plain: "PLAIN"
        case .plainDictionary: "PLAIN_DICTIONARY"
        case .rle: "RLE"
        case .bitPacked: "BIT_PACKED"
        case .deltaBinaryPacked: "DELTA_BINARY_PACKED"
        case .deltaLengthByteArray: "DELTA_LENGTH_BYTE_ARRAY"
        case .deltaByteArray: "DELTA_BYTE_ARRAY"
        case .rleDictionary: "RLE_DICTIONARY"
        case .byteStreamSplit: "BYTE_STREAM_SPLIT"
        }
    }
}

/// Page compression codecs, with their Thrift numbers.
public enum CompressionCodec: Int32, Sendable, Hashable, CaseIterable {
    case uncompressed = 0
    case snappy = 1
    case gzip = 2
    case lzo = 3
    case brotli = 4
    case lz4 = 5
    case zstd = 6
    case lz4Raw = 7

    public var name: String {
        switch self {
        case .uncompressed: "UNCOMPRESSED"
        case .snappy: "SNAPPY"
        case .gzip: "GZIP"
        case .lzo: "LZO"
        case .brotli: "BROTLI"
        case .lz4: "LZ4"
        case .zstd: "ZSTD"
        case .lz4Raw: "LZ4_RAW"
        }
    }

    /// Parses a codec name case-insensitively (`zstd`, `GZIP`, `none`, `uncompressed`).
    public init?(name: String) {
        switch name.lowercased() {
        case "none", "uncompressed": self = .uncompressed
        case "snappy": self = .snappy
        case "gzip": self = .gzip
        case "zstd": self = .zstd
        case "lz4": self = .lz4
        case "lz4_raw": self = .lz4Raw
        case "brotli": self = .brotli
        case "lzo": self = .lzo
        default: return nil
        }
    }
}

/// Page kinds, with their Thrift numbers.
public enum PageType: Int32, Sendable, Hashable {
    case dataPage = 0
    case indexPage = 1
    case dictionaryPage = 2
    case dataPageV2 = 3
}

/// Deprecated converted types, still written for older readers.
public enum ConvertedType: Int32, Sendable, Hashable, CaseIterable {
    case utf8 = 0
    case map = 1
    case mapKeyValue = 2
    case list = 3
    case `enum` = 4
    case decimal = 5
    case date = 6
    case timeMillis = 7
    case timeMicros = 8
    case timestampMillis = 9
    case timestampMicros = 10
    case uint8 = 11
    case uint16 = 12
    case uint32 = 13
    case uint64 = 14
    case int8 = 15
    case int16 = 16
    case int32 = 17
    case int64 = 18
    case json = 19
    case bson = 20
    case interval = 21

    public var name: String {
        switch self {
        case .utf8: "UTF8"
        case .map: "MAP"
        case .mapKeyValue: "MAP_KEY_VALUE"
        case .list: "LIST"
        case .enum: "ENUM"
        case .decimal: "DECIMAL"
        case .date: "DATE"
        case .timeMillis: "TIME_MILLIS"
        case .timeMicros: "TIME_MICROS"
        case .timestampMillis: "TIMESTAMP_MILLIS"
        case .timestampMicros: "TIMESTAMP_MICROS"
        case .uint8: "UINT_8"
        case .uint16: "UINT_16"
        case .uint32: "UINT_32"
        case .uint64: "UINT_64"
        case .int8: "INT_8"
        case .int16: "INT_16"
        case .int32: "INT_32"
        case .int64: "INT_64"
        case .json: "JSON"
        case .bson: "BSON"
        case .interval: "INTERVAL"
        }
    }
}
