import ArgumentParser
import Lake

extension LakeCommand {
    /// `lake clean --table PATH [--dry-run] [--json] [--retain-commits N | --retain-file-versions N] [--no-archive]`
    struct Clean: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "clean",
            abstract: "Delete file slices no retained read needs, then archive old instants.",
            discussion: """
                The policy is the table's (lake.cleaner.policy, lake.cleaner.commits.retained, \
                lake.cleaner.file.versions.retained; default KEEP_LATEST_COMMITS with 10 \
                commits) unless --retain-commits or --retain-file-versions overrides it for \
                this run. The cleaner never deletes the latest slice of a file group, nor a \
                file a read as of a retained or savepointed commit needs. It records its work \
                as .clean.requested / .clean.inflight / .clean instants and first finishes a \
                clean that a crash interrupted. Reads as of instants before the earliest \
                readable instant it reports fail from then on.

                Archival (lake.archive.min.commits / lake.archive.max.commits, default 20/30) \
                then moves the oldest instants to .hoodie/archived/.

                Examples:
                  lake clean --table /data/customers --dry-run
                  lake clean --table /data/customers --retain-commits 2 --json
                """
        )

        @OptionGroup var options: TableOptions

        @Flag(name: .customLong("dry-run"), help: "Report what would be deleted and archived; change nothing.")
        var dryRun = false

        @Flag(help: "Print one JSON object.")
        var json = false

        @Option(
            name: .customLong("retain-commits"), parsing: .unconditional,
            help: ArgumentHelp("KEEP_LATEST_COMMITS with N commits, for this run.", valueName: "N"))
        var retainCommits: Int?

        @Option(
            name: .customLong("retain-file-versions"), parsing: .unconditional,
            help: ArgumentHelp("KEEP_LATEST_FILE_VERSIONS with N versions, for this run.", valueName: "N"))
        var retainFileVersions: Int?

        @Flag(name: .customLong("no-archive"), help: "Do not archive the timeline afterwards.")
        var noArchive = false

        func validate() throws {
            if retainCommits != nil && retainFileVersions != nil {
                throw ValidationError("--retain-commits and --retain-file-versions exclude each other")
            }
            if let n = retainCommits, n < 1 { throw ValidationError("--retain-commits must be at least 1, not \(n)") }
            if let n = retainFileVersions, n < 1 {
                throw ValidationError("--retain-file-versions must be at least 1, not \(n)")
            }
        }

        func run() throws {
            let table = try options.open()
            var policy: CleanerPolicy?
            if let n = retainCommits { policy = .keepLatestCommits(n) }
            if let n = retainFileVersions { policy = .keepLatestFileVersions(n) }
            let progress = ProgressLine(label: dryRun ? "clean (dry run)" : "clean")
            defer { progress.finish() }
            progress.update(phase: "planning")
            var cleaner = try table.cleaner(policy: policy, dryRun: dryRun)
            cleaner.onDelete = { files, bytes in
                progress.update(phase: "deleting", count: Int64(files), noun: "files", bytes: bytes)
            }
            let report = try cleaner.run()
            var archival: ArchiverReport?
            if !noArchive {
                progress.update(phase: "archiving")
                var archiver = try table.archiver(dryRun: dryRun)
                archiver.cleanerPolicy = report.plan.policy
                archival = try archiver.run()
            }
            progress.finish()
            let out = StandardOutput.shared
            if json {
                JSONWriter.appendValue(Self.json(report, archival), to: &out.buffer)
                out.buffer.append(0x0A)
            } else {
                out.buffer.append(contentsOf: Self.text(report, archival).utf8)
            }
            try out.flush()
        }

        static func json(_ r: CleanerReport, _ a: ArchiverReport?) -> JSONValue {
            func str(_ s: String?) -> JSONValue { s.map { .string($0) } ?? .null }
            func num(_ n: Int64) -> JSONValue { .number(JSONNumber(n)) }
            func num(_ n: Int) -> JSONValue { .number(JSONNumber(n)) }
            let deletedFiles = r.dryRun ? r.plan.dataFiles.count : r.filesDeleted
            let deletedBytes = r.dryRun ? r.plan.dataBytes : r.bytesFreed
            let indexFiles = r.dryRun ? r.plan.indexFiles.count : r.indexFilesDeleted
            let indexBytes = r.dryRun ? r.plan.indexBytes : r.indexBytesFreed
            var members = [
                JSONMember("dry_run", .bool(r.dryRun)),
                JSONMember("instant", str(r.instant)),
                JSONMember("policy", .string(r.plan.policy.name)),
                JSONMember("retained", num(r.plan.policy.retained)),
                JSONMember("earliest_commit_to_retain", str(r.plan.earliestCommitToRetain)),
                JSONMember("earliest_readable_instant", str(r.earliestReadableInstant)),
                JSONMember("savepoints", .array(r.plan.savepoints.map { .string($0) })),
                JSONMember("resumed", .array(r.resumed.map { .string($0) })),
                JSONMember("skipped", .array(r.skipped.map { .string($0) })),
                JSONMember(
                    "deleted",
                    .object([
                        JSONMember("files", num(deletedFiles)), JSONMember("bytes", num(deletedBytes)),
                        JSONMember("paths", .array(r.plan.dataFiles.map { .string($0.path) })),
                    ])),
                JSONMember(
                    "index_files_deleted",
                    .object([JSONMember("files", num(indexFiles)), JSONMember("bytes", num(indexBytes))])),
                JSONMember(
                    "kept",
                    .object([
                        JSONMember("files", num(r.plan.keptFiles + r.filesKept)),
                        JSONMember("bytes", num(r.plan.keptBytes)),
                    ])),
                JSONMember("missing", num(r.filesMissing)),
                JSONMember("partitions_removed", .array(r.partitionsRemoved.map { .string($0) })),
            ]
            if let a {
                members.append(
                    JSONMember(
                        "archival",
                        .object([
                            JSONMember("archived_commits", .array(a.archivedCommits.map { .string($0) })),
                            JSONMember("archived_files", num(a.archivedFiles.count)),
                            JSONMember("active_commits", num(a.activeCommits)),
                            JSONMember("earliest_active_instant", str(a.earliestActiveInstant)),
                            JSONMember("stopped_by", str(a.stoppedBy)),
                            JSONMember("index_rebased", .bool(a.indexRebased)),
                        ])))
            }
            return .object(members)
        }

        static func text(_ r: CleanerReport, _ a: ArchiverReport?) -> String {
            let bytes = WholeInput.formatBytes
            var s = ""
            for t in r.resumed where !r.dryRun { s += "finished interrupted clean \(t)\n" }
            for t in r.resumed where r.dryRun { s += "would finish interrupted clean \(t)\n" }
            for t in r.skipped { s += "left pending clean \(t) (not a lake clean plan)\n" }
            let verb = r.dryRun ? "would delete" : "deleted"
            if r.plan.isEmpty {
                s += "nothing to clean under \(r.plan.policy)\n"
            } else {
                s += r.dryRun ? "clean under \(r.plan.policy):\n" : "clean \(r.instant ?? "") under \(r.plan.policy):\n"
                for f in r.plan.dataFiles { s += "  \(verb) \(f.path) (\(bytes(f.bytes)))\n" }
            }
            let files = r.dryRun ? r.plan.dataFiles.count : r.filesDeleted
            let freed = r.dryRun ? r.plan.dataBytes : r.bytesFreed
            let indexFiles = r.dryRun ? r.plan.indexFiles.count : r.indexFilesDeleted
            let indexFreed = r.dryRun ? r.plan.indexBytes : r.indexBytesFreed
            s += "\(verb) \(files) files (\(bytes(freed)))"
            if indexFiles > 0 { s += " and \(indexFiles) record-index files (\(bytes(indexFreed)))" }
            s += "; kept \(r.plan.keptFiles + r.filesKept) files (\(bytes(r.plan.keptBytes)))\n"
            if r.filesMissing > 0 { s += "\(r.filesMissing) planned files were already gone\n" }
            for p in r.partitionsRemoved { s += "removed empty partition \(p)\n" }
            s += "earliest readable instant: \(r.earliestReadableInstant ?? "(none)")\n"
            if let a {
                if a.archivedCommits.isEmpty {
                    s += "archival: nothing to archive (\(a.activeCommits) active commits)"
                } else {
                    s +=
                        "\(r.dryRun ? "would archive" : "archived") \(a.archivedCommits.count) commits (\(a.archivedFiles.count) instant files) to .hoodie/archived; \(a.activeCommits) commits active"
                }
                if let why = a.stoppedBy { s += "; stopped at \(why)" }
                s += "\n"
            }
            return s
        }
    }
}
