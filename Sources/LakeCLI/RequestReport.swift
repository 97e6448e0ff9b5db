import Lake

/// `--verbose`'s account of the requests a command made to object storage: counts by kind (LIST,
/// GET, HEAD, PUT, DELETE) and bytes moved, in ``StorageRequestCounts``' shape, logged once when
/// the command ends (also when it fails). Local tables make no requests and log nothing.
enum RequestReport {
    nonisolated(unsafe) private static var tracked: (any TableStorage)?

    /// Remembers the storage of the table the command works on.
    static func track(_ storage: any TableStorage) {
        tracked = storage
    }

    /// Logs the requests at debug level (`--verbose`).
    static func log() {
        guard CLILog.logger.logLevel <= .debug else { return }
        let counts: StorageRequestCounts
        if let memory = tracked as? MemoryStorage {
            counts = memory.requestCounts
        } else if let client = S3StorageFactory.clientIfMade {
            counts = S3Storage.counts(client.metrics)
        } else {
            return
        }
        CLILog.logger.debug(
            "requests: LIST \(counts.list), GET \(counts.get), HEAD \(counts.head), PUT \(counts.put), DELETE \(counts.delete); \(ByteSize.format(counts.bytesRead)) read, \(ByteSize.format(counts.bytesWritten)) written"
        )
    }
}
