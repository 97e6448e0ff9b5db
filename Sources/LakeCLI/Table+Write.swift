import ArgumentParser
import Lake

#if canImport(Glibc)
import Glibc
#endif

extension LakeCommand {
    /// `lake upsert --table PATH --input FILE.jsonl|FILE.parquet|-`
    struct Upsert: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "upsert",
            abstract: "Insert new keys and update existing ones, in one commit.",
            discussion: """
                Of several rows with one key, the largest precombine value wins (ties: the later \
                row); against the table, a row replaces the stored one only if its precombine \
                value is not older. A boolean column _hoodie_is_deleted marks rows that are \
                deletes. A row whose partition value changed moves partitions in the same commit.

                Examples:
                  lake upsert --table /data/customers --input changes.jsonl
                  cat changes.jsonl | lake upsert --table /data/customers --input - --json
                """ + "\n\n" + CDCUpsertCommand.discussion
        )
        @OptionGroup var table: TableOptions
        @OptionGroup var input: WriteInputOptions
        @OptionGroup var retry: WriteRetryOptions
        @OptionGroup var cdc: CDCInputOptions
        @OptionGroup var catalog: CatalogSyncOptions
        func validate() throws { try TableWrite.validate(input, cdc) }
        func run() throws {
            try TableWrite.run(table, input, retry, cdc, .upsert)
            try catalog.afterCommit(path: table.table)
        }
    }

    /// `lake insert --table PATH --input …`
    struct Insert: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "insert",
            abstract: "Insert rows (existing keys are updated as by upsert: lake never writes duplicate keys).",
            discussion: """
                Example:
                  lake insert --table /data/customers --input new-customers.parquet
                """
        )
        @OptionGroup var table: TableOptions
        @OptionGroup var input: WriteInputOptions
        @OptionGroup var retry: WriteRetryOptions
        @OptionGroup var catalog: CatalogSyncOptions
        func run() throws {
            try TableWrite.run(table, input, retry, .insert)
            try catalog.afterCommit(path: table.table)
        }
    }

    /// `lake bulk-insert --table PATH --input …`
    struct BulkInsert: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "bulk-insert",
            abstract: "Load rows with new keys into new file groups, without looking keys up.",
            discussion: """
                The fastest way to load a table; the input must not hold keys the table already has.

                Example:
                  lake bulk-insert --table /data/customers --input initial-load.parquet
                """
        )
        @OptionGroup var table: TableOptions
        @OptionGroup var input: WriteInputOptions
        @OptionGroup var retry: WriteRetryOptions
        @OptionGroup var cdc: CDCInputOptions
        @OptionGroup var catalog: CatalogSyncOptions
        func validate() throws { try TableWrite.validate(input, cdc) }
        func run() throws {
            try TableWrite.run(table, input, retry, cdc, .bulkInsert)
            try catalog.afterCommit(path: table.table)
        }
    }

    /// `lake delete --table PATH --input …`
    struct Delete: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "delete",
            abstract: "Delete rows by record key.",
            discussion: """
                Each input row needs the key field(s). A row that also carries the precombine \
                field deletes only if it is not older than the stored row, and is remembered, so \
                an older insert arriving later does not bring the row back.

                Example:
                  echo '{"id": "42"}' | lake delete --table /data/customers --input -
                """
        )
        @OptionGroup var table: TableOptions
        @OptionGroup var input: WriteInputOptions
        @OptionGroup var retry: WriteRetryOptions
        @OptionGroup var catalog: CatalogSyncOptions
        func run() throws {
            try TableWrite.run(table, input, retry, .delete)
            try catalog.afterCommit(path: table.table)
        }
    }

    /// `lake insert-overwrite --table PATH --input …`
    struct InsertOverwrite: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "insert-overwrite",
            abstract: "Replace every partition present in the input with exactly the input's rows.",
            discussion: """
                Written as a replacecommit; partitions the input does not touch are kept.

                Example:
                  lake insert-overwrite --table /data/customers --input day-2024-01-02.parquet
                """
        )
        @OptionGroup var table: TableOptions
        @OptionGroup var input: WriteInputOptions
        @OptionGroup var retry: WriteRetryOptions
        @OptionGroup var catalog: CatalogSyncOptions
        func run() throws {
            try TableWrite.run(table, input, retry, .insertOverwrite)
            try catalog.afterCommit(path: table.table)
        }
    }

    /// `lake delete-partition --table PATH --partition P …`
    struct DeletePartition: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "delete-partition",
            abstract: "Remove whole partitions (a replacecommit).",
            discussion: """
                Partitions are given as their paths relative to the table (as 'lake describe' lists them).

                Example:
                  lake delete-partition --table /data/customers --partition partitionkey=7/partitionkey2=3
                """
        )
        @OptionGroup var table: TableOptions
        @Option(help: ArgumentHelp("A partition path; repeat for several.", valueName: "path"))
        var partition: [String] = []
        @Flag(name: .long, help: "Print the commit summary as one JSON object.")
        var json = false
        @OptionGroup var retry: WriteRetryOptions
        @OptionGroup var catalog: CatalogSyncOptions

        func validate() throws {
            if partition.isEmpty { throw ValidationError("give at least one --partition") }
        }

        func run() throws {
            let t = try table.open()
            guard let schema = t.schema else { throw CLIFailure(.dataError, "the table has no data yet") }
            let empty = RecordBatch(
                schema: schema.dataSchema, columns: schema.fields.map { BatchConformer.nulls(for: $0, count: 0) },
                rowCount: 0)
            var options = WriteOptions()
            options.retries = retry.retries
            let result = try t.write(empty, operation: .deletePartitions(partition), options: options)
            try CommitReport.print(result, json: json)
            try catalog.afterCommit(path: table.table)
        }
    }
}

/// The shared body of the row-writing commands.
enum TableWrite {
    /// Exactly one of `--input` (rows) and `--cdc` (change records).
    static func validate(_ input: WriteInputOptions, _ cdc: CDCInputOptions) throws {
        guard (input.input == nil) != (cdc.cdc == nil) else {
            throw ValidationError("give either --input (rows) or --cdc (DynamoDB change records)")
        }
    }

    /// Writes rows from `--input`, or change records from `--cdc`.
    static func run(
        _ options: TableOptions, _ input: WriteInputOptions, _ retry: WriteRetryOptions,
        _ cdc: CDCInputOptions, _ operation: WriteOperation
    ) throws {
        guard cdc.cdc != nil else { return try run(options, input, retry, operation) }
        CLILog.setVerbose(options.verbose)
        try CDCUpsertCommand.run(
            table: options.table, cdc, json: input.json, operation: operation,
            lockWaitMillis: options.wait?.millis ?? 0, retries: retry.retries)
    }

    static func run(
        _ options: TableOptions, _ input: WriteInputOptions, _ retry: WriteRetryOptions,
        _ operation: WriteOperation
    ) throws {
        let table = try options.open()
        let progress = ProgressLine(label: operation.name)
        defer { progress.finish() }
        let started = PhaseClock.now()
        let batch = try input.read(for: table, progress: progress)
        let elapsed = PhaseClock.now() - started
        let bytes = Int64(batch.estimatedByteSize)
        let rate = elapsed > 0 ? " (\(WholeInput.formatBytes(bytes * 1000 / elapsed))/s)" : ""
        CLILog.logger.debug(
            "read \(batch.rowCount) records, \(WholeInput.formatBytes(bytes)) in memory, from \(input.input ?? "-") in \(elapsed) ms\(rate)"
        )
        progress.update(phase: ProgressLine.writePhases[0], count: Int64(batch.rowCount))
        var writeOptions = WriteOptions()
        writeOptions.progress = progress.writePhases(label: operation.name)
        writeOptions.retries = retry.retries
        let result = try table.write(batch, operation: operation, options: writeOptions)
        progress.finish()
        CLILog.logger.debug("phases: \(result.phases.map(\.description).joined(separator: ", "))")
        try CommitReport.print(result, json: input.json)
    }
}

/// Milliseconds on a monotonic clock, for CLI timings.
enum PhaseClock {
    static func now() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }
}
