/// Settings of a ``ParquetFileWriter``. Every setting has a sensible default.
public struct ParquetWriterOptions: Sendable, Hashable {
    /// Page compression. Default ZSTD: GZIP's size at many times its speed, read by every engine.
    public var codec: CompressionCodec = .zstd
    /// Codec level; `nil` uses the codec's default (ZSTD 1, GZIP 6, BROTLI 1).
    public var compressionLevel: Int32?
    /// Whether to try RLE_DICTIONARY encoding (booleans are always PLAIN).
    public var dictionaryEnabled = true
    /// Columns (by dotted path) written PLAIN without trying a dictionary: for values known to
    /// be (nearly) all distinct, such as record keys, where building a dictionary only to give
    /// it up is wasted work.
    public var plainColumns: Set<String> = []
    /// A column chunk whose PLAIN-encoded dictionary would exceed this many bytes is written PLAIN.
    public var dictionaryPageSizeLimit = 1 << 20
    /// Target uncompressed size of a data page's values, in bytes.
    public var dataPageSize = 1 << 20
    /// A row group is closed once its estimated in-memory size reaches this many bytes.
    public var rowGroupSize = 128 << 20
    /// A row group is closed once it holds this many rows (`nil`: no row limit).
    public var maxRowsPerRowGroup: Int?
    /// Footer key-value metadata.
    public var keyValueMetadata: [KeyValue] = []
    /// The `created_by` string in the footer.
    public var createdBy = "lake version 0.1.0"
    /// Whether to write min/max/null-count statistics per column chunk.
    public var writeStatistics = true
    /// Whether to encode the column chunks of a row group on several threads.
    public var parallelEncoding = true

    public init() {}
}
