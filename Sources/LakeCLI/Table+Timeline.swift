import ArgumentParser
import Lake

extension LakeCommand {
    /// `lake timeline --table PATH [--json]`
    struct TimelineListing: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "timeline",
            abstract: "List a table's instants: commits, cleans, rollbacks, with what each write did.",
            discussion: """
                One line per instant time, oldest first: the instant, its action (commit, \
                replacecommit, clean, rollback, …), its state (completed, inflight, requested), \
                and for completed writes the operation and the counts from the commit metadata: \
                records written (inserted + updated + carried over), inserted, updated, deleted, \
                base files written, bytes, and file groups replaced. The header names the earliest \
                instant reads (--as-of, --since) may reach.

                With --json, one object: {"table", "earliest_readable_instant", "instants": [{"instant", \
                "action", "state", "operation", "records_written", "records_inserted", \
                "records_updated", "records_deleted", "files_written", "partitions_written", \
                "file_groups_replaced", "bytes_written"}]}; operation and counts are null where \
                there is no completed commit metadata.

                Examples:
                  lake timeline --table /data/customers
                  lake timeline --table /data/customers --json | jq -r '.instants[] | select(.action == "commit") | .instant'
                """
        )
        @OptionGroup var table: TableOptions
        @Flag(help: "Print one JSON object.")
        var json = false

        func run() throws {
            let t = try table.open()
            let entries = try t.timelineEntries()
            let earliest = try t.earliestReadableInstant()
            let out = StandardOutput.shared
            if json {
                func num(_ n: Int64?) -> JSONValue { n.map { .number(JSONNumber($0)) } ?? .null }
                let instants: [JSONValue] = entries.map { e in
                    let c = e.counts
                    return .object([
                        JSONMember("instant", .string(e.instant)), JSONMember("action", .string(e.action.rawValue)),
                        JSONMember("state", .string(e.state.rawValue)),
                        JSONMember("operation", e.operation.map { .string(Self.name($0)) } ?? .null),
                        JSONMember("records_written", num(c?.recordsWritten)),
                        JSONMember("records_inserted", num(c?.recordsInserted)),
                        JSONMember("records_updated", num(c?.recordsUpdated)),
                        JSONMember("records_deleted", num(c?.recordsDeleted)),
                        JSONMember("files_written", num(c.map { Int64($0.filesWritten) })),
                        JSONMember("partitions_written", num(c.map { Int64($0.partitionsWritten) })),
                        JSONMember("file_groups_replaced", num(c.map { Int64($0.fileGroupsReplaced) })),
                        JSONMember("bytes_written", num(c?.bytesWritten)),
                    ])
                }
                let doc: JSONValue = .object([
                    JSONMember("table", .string(t.path)),
                    JSONMember("earliest_readable_instant", earliest.map { .string($0) } ?? .null),
                    JSONMember("instants", .array(instants)),
                ])
                JSONWriter.appendValue(doc, to: &out.buffer)
                out.buffer.append(0x0A)
            } else {
                out.buffer.append(contentsOf: Self.text(entries, table: t.path, earliest: earliest).utf8)
            }
            try out.flush()
        }

        /// The operation as lake names it (`upsert`, `insert_overwrite`).
        static func name(_ op: WriteOperationType) -> String { op.rawValue.lowercased() }

        /// Aligned text: a header, then one line per instant.
        static func text(_ entries: [TimelineEntry], table: String, earliest: String?) -> String {
            var s =
                "timeline of \(table): \(entries.count) instants; earliest readable instant: \(earliest ?? "none (no commits)")\n"
            guard !entries.isEmpty else { return s }
            let header = [
                "instant", "action", "state", "operation", "written", "inserted", "updated", "deleted", "files",
                "bytes", "replaced",
            ]
            var rows: [[String]] = [header]
            for e in entries {
                let c = e.counts
                rows.append([
                    e.instant, e.action.rawValue, e.state.rawValue, e.operation.map(name) ?? "",
                    c.map { "\($0.recordsWritten)" } ?? "", c.map { "\($0.recordsInserted)" } ?? "",
                    c.map { "\($0.recordsUpdated)" } ?? "", c.map { "\($0.recordsDeleted)" } ?? "",
                    c.map { "\($0.filesWritten)" } ?? "", c.map { WholeInput.formatBytes($0.bytesWritten) } ?? "",
                    c.map { "\($0.fileGroupsReplaced)" } ?? "",
                ])
            }
            let widths = header.indices.map { i in rows.map { $0[i].count }.max()! }
            let rightAligned = Set(4..<header.count)
            for r in rows {
                let cells = r.indices.map { i in
                    let pad = String(repeating: " ", count: widths[i] - r[i].count)
                    return rightAligned.contains(i) ? pad + r[i] : r[i] + pad
                }
                var line = cells.joined(separator: "  ")
                while line.hasSuffix(" ") { line.removeLast() }
                s += line + "\n"
            }
            return s
        }
    }
}
