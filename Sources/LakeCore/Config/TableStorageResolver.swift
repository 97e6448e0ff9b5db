import Synchronization

/// Turns a ``TableLocation`` into the ``TableStorage`` that serves it: a local directory into a
/// ``LocalStorage``; an object-storage location (`s3://bucket/prefix`) through the factory the
/// layer that knows both LakeCore and an object-store client registered.
///
/// LakeCore knows no AWS client, so object storage is plugged in from above: the `Lake` library
/// module registers S3 with `S3StorageFactory.register()` (the `lake` CLI does so at start), after
/// which every path-taking entry point — ``Table/create(at:config:schema:)``, ``Table/open(_:)``,
/// the ingest sink — accepts `s3://…`.
public enum TableStorageResolver {
    /// Makes the storage of an object-storage location (called for ``TableLocation/s3(bucket:prefix:)``).
    public typealias ObjectStoreFactory = @Sendable (TableLocation) throws(LakeError) -> any TableStorage

    private static let factory = Mutex<ObjectStoreFactory?>(nil)

    /// Registers (or replaces) the factory for object-storage locations, for the whole process.
    public static func registerObjectStorage(_ make: @escaping ObjectStoreFactory) {
        factory.withLock { $0 = make }
    }

    /// Whether a factory for object-storage locations is registered.
    public static var hasObjectStorage: Bool { factory.withLock { $0 != nil } }

    /// The storage serving `location`.
    /// - Throws: `.unsupported` for an object-storage location when no factory is registered (the
    ///   message says how to register one); what the factory throws (bad credentials, a bad
    ///   configuration).
    public static func storage(for location: TableLocation) throws(LakeError) -> any TableStorage {
        try storage(for: location, factory: factory.withLock { $0 })
    }

    /// ``storage(for:)`` with the object-storage factory given (`nil`: none registered) — the
    /// registration is process-wide, so tests of the unregistered case call this.
    static func storage(
        for location: TableLocation,
        factory make: ObjectStoreFactory?
    ) throws(LakeError) -> any TableStorage {
        switch location {
        case .local(let path):
            return LocalStorage(root: path)
        case .s3:
            guard let make else {
                throw LakeError(
                    .unsupported,
                    "table location '\(location)': object storage is not enabled in this program; "
                        + "import Lake and call S3StorageFactory.register() once at start "
                        + "(or open the table with Table.open(storage: S3Storage(…)))")
            }
            return try make(location)
        }
    }
}
