extension Table {
    /// The writer lock's lease for this table: renewed every heartbeat interval, expired after
    /// interval × tolerable misses (`hoodie.client.heartbeat.interval_in_ms`,
    /// `hoodie.client.heartbeat.tolerable.misses`), as Hudi expires a writer's heartbeat.
    func writerLockLease() throws(LakeError) -> WriterLock.Lease {
        let beat = try HeartbeatSettings(config: config)
        return WriterLock.Lease(renewMillis: beat.intervalMillis, expiryMillis: beat.expiryMillis)
    }

    /// Takes the writer lock (``WriterLock/acquire(_:timeoutMillis:unreadableStaleMillis:lease:)``),
    /// waiting up to ``lockWaitMillis``, with this table's lease.
    func acquireWriterLock() throws(LakeError) -> WriterLock {
        try WriterLock.acquire(storage, timeoutMillis: lockWaitMillis, lease: writerLockLease())
    }
}
