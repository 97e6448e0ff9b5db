import Foundation
import LakeCore

extension StreamSource {
    /// The first read: lists the shards, checks every checkpointed shard still holds its last
    /// committed record, and starts the readers and the shard lister.
    func start() throws(LakeError) {
        let listed = try stream.shards()
        let latestFirstRun: Bool
        if !resumed, case .latest = from {
            latestFirstRun = true
            from = .atTimestamp(millis: now())
        } else {
            latestFirstRun = false
        }
        lock.lock()
        merge(listed)
        if latestFirstRun {
            for s in shards.values {
                if s.info.isClosed { s.drained = true; s.finished = true } else { s.startPosition = .latest }
            }
        }
        lock.unlock()
        for (id, seq) in resumeSequences.sorted(by: { $0.key < $1.key }) {
            let position = try checkRetained(shard: id, sequence: seq)
            lock.lock()
            shards[id]?.startPosition = position
            lock.unlock()
        }
        lock.lock()
        started = true
        startEligible()
        lock.unlock()
        let lister = Thread { [self] in listShardsLoop() }
        lister.name = "lake \(stream.displayName) shards"
        lister.start()
    }

    /// Adds newly listed shards and forgets finished ones that are no longer listed. Under the lock.
    func merge(_ listed: [StreamShard]) {
        let ids = Set(listed.map(\.id))
        for info in listed {
            if let known = shards[info.id] {
                known.info = info
                continue
            }
            let s = Shard(info)
            if resumeDrained.contains(info.id) {
                s.drained = true
                s.finished = true
            }
            shards[info.id] = s
            order.append(info.id)
        }
        order.removeAll { id in
            guard !ids.contains(id), let s = shards[id], s.finished else { return false }
            shards[id] = nil
            return true
        }
    }

    /// Starts a reader for every shard whose parents are finished (or no longer listed). Under the lock.
    func startEligible() {
        guard !closed else { return }
        for id in order {
            let s = shards[id]!
            guard !s.reading && !s.finished else { continue }
            guard s.info.parents.allSatisfy({ shards[$0]?.finished ?? true }) else { continue }
            let position = s.startPosition ?? initialPosition(for: s)
            s.reading = true
            let t = Thread { [self] in readLoop(s, from: position) }
            t.name = "lake \(stream.displayName) \(id)"
            threads.append(t)
            t.start()
        }
    }

    /// Where a shard without a checkpointed record starts: where the first run started.
    private func initialPosition(for s: Shard) -> ShardIteratorPosition {
        switch from {
        case .trimHorizon, .latest: return .trimHorizon
        case .atTimestamp(let t):
            if stream.supportsTimestampIterators { return .atTimestamp(millis: t) }
            s.minArrival = t
            return .trimHorizon
        }
    }

    /// Checks that `shard` still holds the checkpointed record `sequence`, and returns where to
    /// resume it: after that record, or — when the records after it were trimmed and data loss is
    /// accepted — at its oldest record.
    /// - Throws: ``LakeError`` `.outsideRetention` saying how many hours are missing.
    func checkRetained(shard id: String, sequence: String) throws(LakeError) -> ShardIteratorPosition {
        lock.lock()
        let listed = shards[id] != nil
        lock.unlock()
        var oldest: (sequence: String, arrival: Int64)?
        var holds = false
        if listed {
            do throws(LakeError) {
                var it: String? = try stream.iterator(shard: id, at: .atSequence(sequence))
                var calls = 0
                while let i = it, calls < 5 {
                    calls += 1
                    let r = try stream.records(iterator: i, limit: 1)
                    if r.count > 0 {
                        holds = r.sequences[0] == sequence
                        break
                    }
                    if r.millisBehindLatest == 0 { break }
                    it = r.nextIterator
                }
            } catch  where ["TrimmedDataAccessException", "InvalidArgumentException"].contains(error.awsServiceCode) {
                holds = false
            }
            if holds { return .afterSequence(sequence) }
            let horizon = try stream.records(iterator: try stream.iterator(shard: id, at: .trimHorizon), limit: 1)
            if horizon.count > 0 { oldest = (horizon.sequences[0], horizon.arrivals[0]) }
            // Nothing was ever written after the checkpoint: nothing is missing.
            if let o = oldest, !SequenceNumber.isAfter(o.sequence, sequence) { return .afterSequence(sequence) }
        }
        let message = lossMessage(shard: id, sequence: sequence, listed: listed, oldestArrival: oldest?.arrival)
        guard options.acceptDataLoss else { throw LakeError(.outsideRetention, message) }
        onWarning?("accepted data loss: " + message)
        return .trimHorizon
    }

    /// What was lost: the shard, the last applied record, and how many hours of changes are missing.
    func lossMessage(shard id: String, sequence: String, listed: Bool, oldestArrival: Int64?) -> String {
        let applied = resumeArrivals[id]
        let horizon = oldestArrival ?? (now() - Int64(stream.retentionHours) * 3_600_000)
        var s = "\(stream.displayName) shard \(id): the table's checkpoint is at sequence number \(sequence)"
        if let a = applied { s += " (a record that arrived at \(Self.iso(a)))" }
        s +=
            listed
            ? ", but the shard no longer holds that record"
            : ", but the shard no longer exists (it expired)"
        s +=
            ": the stream keeps records \(stream.retentionHours) hours and the ones after the checkpoint were trimmed unread"
        if let a = applied {
            let hours = Double(max(horizon - a, 0)) / 3_600_000
            s += ", so \(String(format: "%.1f", hours)) hours of changes are missing from the table"
            s += " (from \(Self.iso(a)) to \(Self.iso(horizon)))"
        }
        s += ". Run again with --accept-data-loss to continue from the oldest record the shard still holds"
        return s
    }

    static func iso(_ millis: Int64) -> String {
        var out: [UInt8] = []
        TemporalText.appendTimestamp(millis, unit: .millis, utc: true, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// One shard's reader: fetches into the shard's buffer until the shard is drained or the
    /// source is closed. Throttling beyond the client's retries backs off here; an expired
    /// iterator is renewed after the last record fetched.
    func readLoop(_ s: Shard, from start: ShardIteratorPosition) {
        var position = start
        var iterator: String?
        var backoff: Int64 = 100
        let id = s.id
        while true {
            lock.lock()
            while !closed && s.buffer.count >= options.bufferedRecordsPerShard { lock.wait() }
            if closed {
                lock.unlock()
                return
            }
            lock.unlock()
            var got: StreamRecords
            do throws(LakeError) {
                if iterator == nil { iterator = try stream.iterator(shard: id, at: position) }
                got = try stream.records(iterator: iterator!, limit: options.recordsPerCall)
                backoff = 100
            } catch {
                if error.awsServiceCode == "ExpiredIteratorException" {
                    iterator = nil
                    continue
                }
                if error.isThrottling {
                    pause(backoff)
                    backoff = min(backoff * 2, options.maxBackoffMillis)
                    continue
                }
                lock.lock()
                if failure == nil { failure = error }
                lock.unlock()
                return
            }
            if let min = s.minArrival, got.count > 0 {
                var kept = StreamRecords()
                for i in 0..<got.count where got.arrivals[i] >= min {
                    got.bytes[got.start(of: i)..<got.ends[i] - 1].withUnsafeBytes {
                        kept.append(line: $0, sequence: got.sequences[i], arrival: got.arrivals[i])
                    }
                }
                if let last = got.sequences.last { position = .afterSequence(last) }
                kept.nextIterator = got.nextIterator
                kept.millisBehindLatest = got.millisBehindLatest
                got = kept
            } else if let last = got.sequences.last {
                position = .afterSequence(last)
            }
            lock.lock()
            if got.count > 0 {
                let base = s.buffer.bytes.count
                s.buffer.bytes += got.bytes
                s.buffer.ends += got.ends.map { $0 + base }
                s.buffer.sequences += got.sequences
                s.buffer.arrivals += got.arrivals
            }
            s.millisBehind = got.millisBehindLatest
            // A closed shard ends where its last call returns no iterator; an empty answer that is
            // not behind the shard's newest record ends it too (moto never drops the iterator).
            if got.nextIterator == nil || (s.info.isClosed && got.count == 0 && got.millisBehindLatest == 0) {
                s.drained = true
                if s.buffer.count == 0 && !s.finished {
                    s.finished = true
                    needsListing = true
                }
                lock.broadcast()
                lock.unlock()
                return
            }
            lock.unlock()
            iterator = got.nextIterator
            if got.count == 0 || got.millisBehindLatest == 0 { pause(options.idlePollMillis ?? stream.idlePollMillis) }
        }
    }

    /// Lists shards again when one finished (and every ``StreamSourceOptions/listIntervalMillis``)
    /// and starts readers for the shards that may now be read.
    func listShardsLoop() {
        while true {
            lock.lock()
            let deadline = Date(timeIntervalSinceNow: Double(options.listIntervalMillis) / 1000)
            while !closed && !needsListing {
                if !lock.wait(until: deadline) { break }
            }
            if closed {
                lock.unlock()
                return
            }
            needsListing = false
            lock.unlock()
            do throws(LakeError) {
                let listed = try stream.shards()
                lock.lock()
                merge(listed)
                startEligible()
                lock.unlock()
            } catch {
                if error.code == .io { pause(1000); continue }
                lock.lock()
                if failure == nil { failure = error }
                lock.unlock()
                return
            }
        }
    }

    /// Sleeps unless the source is closed meanwhile.
    func pause(_ millis: Int64) {
        lock.lock()
        let deadline = Date(timeIntervalSinceNow: Double(millis) / 1000)
        while !closed { if !lock.wait(until: deadline) { break } }
        lock.unlock()
    }
}
