import ArgumentParser
import Lake

extension LakeCommand {
    /// `lake changes --table PATH --since T1 [--until T2] [--columns a,b] [--where EXPR] [--meta] [--format …]`
    struct Changes: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "changes",
            abstract:
                "Print every insert, update and delete of the commits in a window, with the record before and after.",
            discussion: """
                The change feed of the window (T1, T2]: T1 excluded, T2 included (default: the \
                latest commit). Times are an instant (yyyyMMddHHmmssSSS or 14 digits), an \
                ISO-8601 / RFC 3339 time or epoch seconds/milliseconds; --since 0 covers the \
                whole history.

                One row per change, in commit order, then record key order:
                  _change_op           insert | update | delete
                  _change_commit_time  the instant of the commit that made the change
                  _change_record_key   the record key
                  before               the record before the commit (null for an insert)
                  after                the record after the commit (null for a delete)

                before and after hold the data columns (--columns chooses them; --meta adds the \
                five _hoodie_* columns first). An update that moved a record to another partition \
                is one update, not a delete and an insert. --where keeps the changes whose before \
                or after record matches.

                The changes are reconstructed from the file versions the cleaner retains: a \
                window starting before the earliest readable instant (see 'lake timeline') fails \
                with exit code 66 and names that instant.

                Examples:
                  lake changes --table /data/customers --since 20240601100000000
                  lake changes --table /data/customers --since 2024-06-01T00:00:00Z --until 2024-06-02T00:00:00Z --format table
                  lake changes --table /data/customers --since 0 --where "region = 'eu'" | jq 'select(._change_op == "delete")'
                """
        )
        @OptionGroup var table: TableOptions
        @OptionGroup var window: WindowOptions
        @OptionGroup var rows: RowSelectionOptions

        func validate() throws {
            try window.validate(required: true)
        }

        func run() throws {
            let t = try table.open()
            let options = try rows.readOptions()
            let feed: ChangeFeed
            do throws(LakeError) {
                feed = try t.changes(window.readWindow ?? ReadWindow(), options: options)
            } catch {
                if error.code == .invalidArgument { throw CLIFailure(.usage, error.message) }
                throw error
            }
            try RowsOutput.print(feed.batches, schema: feed.schema, format: rows.format, limit: rows.limit)
        }
    }
}
