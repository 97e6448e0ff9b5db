extension Timeline {
    /// Completes an instant: creates its completed file (`<ts>.commit`, `<ts>.replacecommit`,
    /// `<ts>.clean`, `<ts>.rollback`, `<ts>.restore`, `<ts>.savepoint`) with put-if-absent
    /// (``TableStorage/createExclusive(_:_:)``), so exactly one writer can complete an instant.
    /// Readers see the instant completed, with its whole metadata, from this moment on.
    /// - Parameter instant: the instant; its state is taken as completed.
    /// - Throws: `.conflict` whose ``LakeError/cause`` is an ``InstantConflict`` naming the
    ///   instant if its completed file already exists (another writer completed it);
    ///   storage errors as they come.
    public static func complete(_ instant: Instant, _ bytes: [UInt8], in storage: some TableStorage) throws(LakeError) {
        let done = instant.with(state: .completed)
        do throws(LakeError) {
            try storage.createExclusive(path(of: done), bytes)
        } catch  where error.code == .alreadyExists {
            let conflict = InstantConflict(instant: done)
            throw LakeError(.conflict, "cannot complete \(done.fileName): \(conflict)", cause: conflict)
        }
    }
}
