import Lake

/// `lake stream --sync glue`: a catalog sync after every commit. A failure is reported on
/// standard error and the stream goes on (the commit stands; the next sync compares the whole
/// table with the catalog, so it catches up); ``finish()`` fails with exit code 69 when the last
/// sync, retried once at the end, still failed.
final class StreamCatalogSync {
    let options: CatalogSyncOptions
    let path: String
    private(set) var lastFailure: (any Error)?

    init(options: CatalogSyncOptions, path: String) {
        self.options = options
        self.path = path
    }

    /// Syncs after a commit; reports the result or the failure on standard error.
    func afterCommit() {
        guard options.isEnabled else { return }
        do {
            StandardError.write(try options.run(path: path).description + "\n")
            lastFailure = nil
        } catch {
            lastFailure = error
            StandardError.write(
                "lake stream: warning: catalog sync failed (the commit stands; the next commit's sync catches up): \((error as? LakeError)?.message ?? "\(error)")\n"
            )
        }
    }

    /// At the end of the stream: when the last sync failed, tries once more.
    /// - Throws: a ``CLIFailure`` (exit code 69) when it fails again.
    func finish() throws {
        guard options.isEnabled, lastFailure != nil else { return }
        do {
            StandardError.write(try options.run(path: path).description + "\n")
        } catch {
            throw CatalogSyncOptions.failure(error, path: path)
        }
    }
}
