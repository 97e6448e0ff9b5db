import ArgumentParser
import Lake

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension LakeCommand.Parquet {
    /// `lake parquet write --schema SCHEMA --input FILE.jsonl|- --output OUT.parquet [options]`.
    struct Write: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "write",
            abstract: "Write a Parquet file from JSON lines in lake's canonical row form.",
            discussion: """
                Each input line is one JSON object whose keys are the schema's top-level \
                fields (blank lines are skipped). Values take the canonical form that \
                'lake parquet cat' prints:
                  integers          JSON integers (unsigned types by their unsigned value)
                  FLOAT, DOUBLE     JSON numbers, or "NaN", "Infinity", "-Infinity"
                  STRING/ENUM/JSON  JSON strings
                  binary, FIXED     base64 strings (UUID also as 8-4-4-4-12 hex)
                  DATE              "YYYY-MM-DD" (or a day number)
                  TIME              "HH:MM:SS.fff" (or an integer in the unit)
                  TIMESTAMP         "YYYY-MM-DDTHH:MM:SS.ffffffZ" (or an integer in the unit)
                  DECIMAL(p,s)      exact strings such as "-123.40" (JSON numbers too)
                  LIST              arrays; MAP: arrays of {"key": k, "value": v} objects
                  struct group      objects
                A missing key or null is null for optional fields and an error for required ones. \
                The file is written to a temporary name next to OUT and renamed when complete, so \
                a failed write leaves no partial file.

                Examples:
                  lake parquet write --schema @schema.txt --input in.jsonl --output out.parquet
                  lake parquet write --schema 'message m { required int64 id; }' \\
                      --input - --output ids.parquet --codec snappy < ids.jsonl
                """
        )

        /// The codecs the command offers.
        enum Codec: String, CaseIterable, ExpressibleByArgument {
            case zstd, gzip, snappy, lz4_raw, brotli, none

            var compressionCodec: CompressionCodec {
                switch self {
                case .zstd: .zstd
                case .gzip: .gzip
                case .snappy: .snappy
                case .lz4_raw: .lz4Raw
                case .brotli: .brotli
                case .none: .uncompressed
                }
            }
        }

        @Option(
            help: ArgumentHelp("The schema as message-type text, or @path of a file holding it.", valueName: "schema"))
        var schema: String

        @Option(help: ArgumentHelp("JSON-lines input file, or - for standard input.", valueName: "file"))
        var input: String

        @Option(help: ArgumentHelp("The Parquet file to create (replaced if it exists).", valueName: "file"))
        var output: String

        @Option(help: "Page compression.")
        var codec: Codec = .zstd

        @Flag(name: .customLong("no-dictionary"), help: "Write values PLAIN instead of trying dictionary encoding.")
        var noDictionary = false

        @Option(
            name: .customLong("dictionary-page-size-limit"), parsing: .unconditional,
            help: ArgumentHelp(
                "Fall back to PLAIN when a column chunk's dictionary exceeds this size (e.g. 1MiB).", valueName: "bytes"
            ))
        var dictionaryPageSizeLimit: ByteSize?

        @Option(
            name: .customLong("page-size"), parsing: .unconditional,
            help: ArgumentHelp("Target data page size (e.g. 1MiB).", valueName: "bytes"))
        var pageSize: ByteSize?

        @Option(
            name: .customLong("row-group-size"), parsing: .unconditional,
            help: ArgumentHelp("Target row group size, uncompressed (e.g. 128MiB).", valueName: "bytes"))
        var rowGroupSize: ByteSize?

        @Option(
            name: .customLong("row-group-rows"), parsing: .unconditional,
            help: ArgumentHelp("At most this many rows per row group.", valueName: "n"))
        var rowGroupRows: Int?

        @Option(
            name: .customLong("meta"),
            help: ArgumentHelp("Footer key-value metadata (repeatable).", valueName: "key=value"))
        var meta: [String] = []

        func validate() throws {
            if let n = rowGroupRows, n < 1 { throw ValidationError("--row-group-rows must be at least 1, not \(n)") }
            for (name, value) in [
                ("--dictionary-page-size-limit", dictionaryPageSizeLimit), ("--page-size", pageSize),
                ("--row-group-size", rowGroupSize),
            ] {
                if let v = value, v.bytes < 1 { throw ValidationError("\(name) must be at least 1 byte") }
            }
            for m in meta where !(m.firstIndex(of: "=").map { $0 > m.startIndex } ?? false) {
                throw ValidationError("--meta expects key=value, not '\(m)'")
            }
            if output == "-" { throw ValidationError("--output must be a file path (Parquet cannot be streamed)") }
        }

        /// The writer options the flags describe.
        var writerOptions: ParquetWriterOptions {
            var o = ParquetWriterOptions()
            o.codec = codec.compressionCodec
            o.dictionaryEnabled = !noDictionary
            if let v = dictionaryPageSizeLimit { o.dictionaryPageSizeLimit = Int(v.bytes) }
            if let v = pageSize { o.dataPageSize = Int(v.bytes) }
            if let v = rowGroupSize { o.rowGroupSize = Int(v.bytes) }
            o.maxRowsPerRowGroup = rowGroupRows
            o.keyValueMetadata = meta.map { m in
                let eq = m.firstIndex(of: "=")!
                return KeyValue(key: String(m[..<eq]), value: String(m[m.index(after: eq)...]))
            }
            return o
        }

        func run() throws {
            let schemaText =
                schema.hasPrefix("@") ? try InputFile.readText(String(schema.dropFirst()), "schema file") : schema
            let parsed: ParquetSchema
            do throws(ParquetError) {
                parsed = try ParquetSchema(messageType: schemaText)
            } catch {
                throw CLIFailure(
                    .usage, "--schema: \(error.message)",
                    hint:
                        "give parquet-mr message-type text, e.g. 'message m { required int64 id; optional binary name (STRING); }', or @file"
                )
            }
            let reader = try LineChunkReader(path: input)
            let temporary = Self.temporaryPath(for: output)
            var finished = false
            defer { if !finished { unlink(temporary) } }

            let writer: ParquetFileWriter
            do throws(ParquetError) {
                writer = try ParquetFileWriter(path: temporary, schema: parsed, options: writerOptions)
            } catch {
                // Name the output the user gave, not the temporary file.
                let message = error.message.split(separator: temporary, omittingEmptySubsequences: false).joined(
                    separator: output)
                throw CLIFailure(ParquetError(error.code, message)) ?? CLIFailure(.ioError, message)
            }
            let decoder = RowJSONDecoder(schema: parsed)
            let batchRows = 65_536
            let batchBytes = 64 << 20
            let inputName = reader.name
            try reader.forEachChunk { (chunk, firstLine) throws(LakeError) in
                do throws(LakeError) {
                    for line in JSONLines(chunk, firstLineNumber: firstLine) {
                        try decoder.appendRow(
                            UnsafeRawBufferPointer(rebasing: chunk[line.range]), lineNumber: line.number)
                        if decoder.rowCount >= batchRows
                            || (decoder.rowCount & 1023 == 0 && decoder.estimatedByteCount >= batchBytes)
                        {
                            try Self.write(decoder.makeBatch(), to: writer, named: output)
                        }
                    }
                } catch {
                    throw LakeError(
                        error.code, error.code == .invalidInput ? "\(inputName): \(error.message)" : error.message,
                        cause: error.cause)
                }
            }
            try Self.write(decoder.makeBatch(), to: writer, named: output)
            do throws(ParquetError) { try writer.close() } catch { throw LakeError(error, file: output) }
            guard rename(temporary, output) == 0 else {
                throw CLIFailure(
                    .ioError, "cannot move the written file to '\(output)': \(String(cString: strerror(errno)))")
            }
            finished = true
        }

        private static func write(
            _ batch: RecordBatch, to writer: ParquetFileWriter, named output: String
        ) throws(LakeError) {
            do throws(ParquetError) {
                try writer.write(batch)
            } catch {
                throw LakeError(error, file: output)
            }
        }

        /// A hidden sibling of `path` to write before renaming.
        static func temporaryPath(for path: String) -> String {
            let slash = path.lastIndex(of: "/")
            let dir = slash.map { String(path[...$0]) } ?? ""
            let base = slash.map { String(path[path.index(after: $0)...]) } ?? path
            return "\(dir).\(base).lake-\(getpid()).tmp"
        }
    }
}
