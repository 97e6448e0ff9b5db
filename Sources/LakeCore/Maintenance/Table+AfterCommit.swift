extension Table {
    /// Table services that run after every completed write, with the writer lock still held:
    /// the automatic cleaner and timeline archival, when the table's configuration enables them.
    func afterCommit(_ result: CommitResult) throws(LakeError) {
        // Filled in by the cleaner and archival (issue 4).
    }
}
