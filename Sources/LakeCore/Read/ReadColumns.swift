import LakeParquet

/// The data columns a read returns and the ones it must read (those plus what its predicate
/// needs), checked against the table schema.
struct ReadColumns: Sendable {
    /// Data columns to return, in order.
    let output: [String]
    /// Fields to read: `output`, then predicate-only columns.
    let targetFields: [ParquetField]
    /// The table's data schema (for the predicate's Parquet form).
    let fileSchema: ParquetSchema

    /// - Throws: `.invalidArgument` naming an unknown column (in `columns` or the predicate).
    init(_ options: ReadOptions, schema: TableSchema) throws(LakeError) {
        let names = schema.fields.map(\.name)
        let wanted = options.columns ?? names
        for c in wanted where schema.field(named: c) == nil {
            throw LakeError(.invalidArgument, "no column '\(c)' (columns: \(names.joined(separator: ", ")))")
        }
        var readFields = wanted
        if let p = options.predicate {
            for c in p.columns.map({ String($0.split(separator: ".")[0]) }).sorted() where !readFields.contains(c) {
                guard schema.field(named: c) != nil else {
                    throw LakeError(
                        .invalidArgument, "where: no column '\(c)' (columns: \(names.joined(separator: ", ")))")
                }
                readFields.append(c)
            }
        }
        output = wanted
        targetFields = readFields.map { schema.field(named: $0)! }
        fileSchema = schema.dataSchema
    }

    private init() {
        output = []
        targetFields = []
        fileSchema = ParquetSchema([])
    }

    /// No columns (the plan of a table without a schema).
    static let none = ReadColumns()
}
