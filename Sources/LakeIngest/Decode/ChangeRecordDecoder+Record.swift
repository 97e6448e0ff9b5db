import LakeCore

/// What one record carried besides its images.
private struct RecordFacts {
    var eventName: ChangeEventName?
    var eventNameText: String?
    var hasEventName = false
    var hasNewImage = false
    var oldImageStart: Int?
    var keysStart: Int?
    var timeRange: Range<Int>?
    var timeIsString = false
    var sequenceRange: Range<Int>?
    var viewTypeRange: Range<Int>?
}

extension ChangeRecordDecoder {
    /// Decodes one record (one line of JSON) into a new row.
    ///
    /// - Returns: `nil` when the row was added; otherwise why the record was refused (it added
    ///   nothing).
    /// - Throws: ``LakeError`` `.unsupported` when the stream cannot serve upserts at all
    ///   (`KEYS_ONLY` / `OLD_IMAGE` view types).
    func decode(_ line: UnsafeRawBufferPointer, source: RowSource) throws(LakeError) -> String? {
        let row = rowCount
        serial += 1
        ctx.refusal = nil
        var s = JSONScanner(line)
        var facts = RecordFacts()
        do throws(LakeError) {
            try s.forEachMember { (s, key) throws(LakeError) in
                try topLevelMember(&s, key, row, &facts)
            }
            try s.expectEnd()
        } catch {
            rollback(to: row)
            return error.message
        }
        let reason: String?
        do throws(LakeError) {
            reason = try completeRecord(line, row, &facts)
        } catch {
            rollback(to: row)
            throw error
        }
        if let r = ctx.refusal ?? reason {
            rollback(to: row)
            return r
        }
        noteRow(source, deleted: facts.eventName == .remove)
        return nil
    }

    @inline(__always)
    private func equals(_ k: UnsafeRawBufferPointer, _ literal: StaticString) -> Bool {
        guard k.count == literal.utf8CodeUnitCount else { return false }
        return memcmpEqual(k, literal)
    }

    private func topLevelMember(
        _ s: inout JSONScanner, _ keySpan: JSONStringSpan, _ row: Int, _ facts: inout RecordFacts
    ) throws(LakeError) {
        try ctx.withContents(of: keySpan, in: s) { (k) throws(LakeError) in
            if let i = recordFields.find(k) {
                let start = s.position
                for col in recordColumns[i] {
                    s.position = start
                    try appendJSONValue(col, &s, row, field: String(decoding: k, as: UTF8.self))
                }
                s.position = start
            }
            if equals(k, "dynamodb") {
                try s.forEachMember { (s, key) throws(LakeError) in
                    try dynamodbMember(&s, key, row, &facts)
                }
            } else if equals(k, "eventName") {
                facts.hasEventName = true
                guard s.current == UInt8(ascii: "\"") else { throw valueError("eventName is not a string") }
                let span = try s.scanString()
                let v = s.slice(span.range)
                if equals(v, "MODIFY") {
                    facts.eventName = .modify
                } else if equals(v, "INSERT") {
                    facts.eventName = .insert
                } else if equals(v, "REMOVE") {
                    facts.eventName = .remove
                } else {
                    facts.eventNameText = s.text(span.range)
                }
            } else {
                try s.skipValue(depth: 1)
            }
        }
    }

    private func dynamodbMember(
        _ s: inout JSONScanner, _ keySpan: JSONStringSpan, _ row: Int, _ facts: inout RecordFacts
    ) throws(LakeError) {
        try ctx.withContents(of: keySpan, in: s) { (k) throws(LakeError) in
            if let i = dynamodbFields.find(k) {
                let start = s.position
                for col in dynamodbColumns[i] {
                    s.position = start
                    try appendJSONValue(col, &s, row, field: "dynamodb." + String(decoding: k, as: UTF8.self))
                }
                s.position = start
            }
            switch k.count {
            case 8 where equals(k, "NewImage"):
                facts.hasNewImage = true
                if inferNewImage || !newImage.isEmpty {
                    try decodeImage(newImage, &s, row, infer: inferNewImage, depth: 0)
                } else {
                    try s.skipValue(depth: 2)
                }
            case 8 where equals(k, "OldImage"):
                facts.oldImageStart = s.position
                if oldImage.isEmpty {
                    try s.skipValue(depth: 2)
                } else {
                    try decodeImage(oldImage, &s, row, infer: false, depth: 0)
                }
            case 4 where equals(k, "Keys"):
                facts.keysStart = s.position
                if keysImage.isEmpty {
                    try s.skipValue(depth: 2)
                } else {
                    try decodeImage(keysImage, &s, row, infer: false, depth: 0)
                }
            case 27 where equals(k, "ApproximateCreationDateTime"):
                if s.current == UInt8(ascii: "\"") {
                    let span = try s.scanString()
                    guard !span.hasEscapes else { throw valueError("ApproximateCreationDateTime has escapes") }
                    facts.timeRange = span.range
                    facts.timeIsString = true
                } else {
                    let span = try s.scanNumber()
                    facts.timeRange = span.range
                }
            case 14 where equals(k, "SequenceNumber"):
                guard s.current == UInt8(ascii: "\"") else {
                    let span = try s.scanNumber()
                    facts.sequenceRange = span.range
                    return
                }
                let span = try s.scanString()
                facts.sequenceRange = span.range
            case 14 where equals(k, "StreamViewType"):
                if s.current == UInt8(ascii: "\"") {
                    facts.viewTypeRange = try s.scanString().range
                } else {
                    try s.skipValue(depth: 2)
                }
            default:
                try s.skipValue(depth: 2)
            }
        }
    }

    /// Decodes the attributes of an image object at the cursor into the columns `node` binds.
    func decodeImage(
        _ node: AttributeNode, _ s: inout JSONScanner, _ row: Int, infer: Bool, depth: Int
    ) throws(LakeError) {
        guard depth < maxAttributeDepth else { throw valueError("maps nested deeper than \(maxAttributeDepth) levels") }
        // Local copies: one retain per image instead of one per attribute.
        var index = node.index
        var fastColumn = node.fastColumn
        var fastType = node.fastType
        try s.forEachMember { (s, keySpan) throws(LakeError) in
            var found: Int?
            if !keySpan.hasEscapes {
                found = index.find(s.slice(keySpan.range))
            } else {
                found = try ctx.withContents(of: keySpan, in: s) { (k) throws(LakeError) -> Int? in index.find(k) }
            }
            if found == nil && infer {
                let name = try ctx.withContents(of: keySpan, in: s) { (k) throws(LakeError) -> String in
                    String(decoding: k, as: UTF8.self)
                }
                found = inferAttribute(name, row: row)
                index = node.index
                fastColumn = node.fastColumn
                fastType = node.fastType
            }
            guard let e = found else {
                try s.skipValue(depth: 3 + depth)
                return
            }
            let t: AttributeType
            do throws(LakeError) {
                t = try s.openAttribute()
            } catch {
                throw LakeError(error.code, "attribute '\(node.entries[e].name)': \(error.message)")
            }
            let fast = fastColumn[e]
            if fast >= 0 {
                try appendTerminal(AttributeNode.Terminal(column: fast, requiredType: fastType[e]), t, &s, row, node, e)
            } else if fast == AttributeNode.refused {
                // Read on, so that every name of the record is seen; refused when complete.
                ctx.refuse(node.entries[e].refusal!)
                try s.skipValue(depth: 3 + depth)
            } else {
                let entry = node.entries[e]
                let start = s.position
                for term in entry.terminals {
                    s.position = start
                    try appendTerminal(term, t, &s, row, node, e)
                }
                if let child = entry.child {
                    s.position = start
                    switch t {
                    case .m: try decodeImage(child, &s, row, infer: false, depth: depth + 1)
                    case .null: _ = try s.parseBool()
                    default:
                        throw valueError(
                            "attribute '\(entry.name)' is \(t.longDescription), but the mapping reads members of it as a map (M)"
                        )
                    }
                }
            }
            do throws(LakeError) {
                try s.closeAttribute()
            } catch {
                throw LakeError(error.code, "attribute '\(node.entries[e].name)': \(error.message)")
            }
        }
    }

    @inline(__always)
    private func appendTerminal(
        _ term: AttributeNode.Terminal, _ t: AttributeType, _ s: inout JSONScanner, _ row: Int,
        _ node: AttributeNode, _ entry: Int
    ) throws(LakeError) {
        if let req = term.requiredType, req != t, t != .null {
            throw valueError(
                "attribute '\(node.entries[entry].name)' is \(t.longDescription), but the mapping reads it as \(req)")
        }
        let col = term.column
        guard lastSet[col] != serial else {
            throw valueError("attribute '\(node.entries[entry].name)' appears twice")
        }
        lastSet[col] = serial
        do throws(LakeError) {
            let b = builders[col]
            if b.isPending && t != .null {
                let path = unsafeDowncast(b, to: PendingBuilder.self).path
                let typed = ValueBuilder.inferred(for: t, nulls: b.count, path: path)
                builders[col] = typed
                try typed.append(t, &s, ctx)
            } else {
                try b.append(t, &s, ctx)
            }
        } catch {
            throw LakeError(error.code, "attribute '\(node.entries[entry].name)': \(error.message)")
        }
    }

    /// Appends a plain JSON value (a record field such as `eventID`, `dynamodb.SizeBytes`).
    private func appendJSONValue(_ col: Int, _ s: inout JSONScanner, _ row: Int, field: String) throws(LakeError) {
        let b = builders[col]
        guard lastSet[col] != serial else { throw valueError("field '\(field)' appears twice") }
        lastSet[col] = serial
        do throws(LakeError) {
            switch s.peekKind() {
            case .string:
                let span = try s.scanString()
                if b.isPending { builders[col] = ValueBuilder.inferred(for: .s, nulls: row, path: nil) }
                try ctx.withContents(of: span, in: s) { (v) throws(LakeError) in
                    try builders[col].appendText(.s, v, ctx)
                }
            case .number:
                let span = try s.scanNumber()
                if b.isPending { builders[col] = ValueBuilder.inferred(for: .n, nulls: row, path: nil) }
                try builders[col].appendText(.n, s.slice(span.range), ctx)
            case .bool:
                let v = try s.parseBool()
                if b.isPending { builders[col] = ValueBuilder.inferred(for: .bool, nulls: row, path: nil) }
                try builders[col].appendBoolean(v)
            case .null:
                try s.parseNull()
                b.appendNull()
            case .object, .array:
                let start = s.position
                try s.skipValue(depth: 1)
                if b.isPending {
                    builders[col] = StringBuilder(json: true, strict: false); builders[col].appendNulls(row)
                }
                guard let sb = builders[col] as? StringBuilder, sb.json else {
                    throw valueError(
                        "is \(s.peekKind() == .array ? "an array" : "an object"); only a json column can hold it")
                }
                sb.values.append(s.slice(start..<s.position))
                sb.slots.appendValue()
            case nil:
                throw s.error(expected: "a value")
            }
        } catch {
            throw LakeError(error.code, "field '\(field)': \(error.message)")
        }
    }

    /// Checks and completes a parsed record. Returns the reason when the record is refused.
    private func completeRecord(
        _ line: UnsafeRawBufferPointer, _ row: Int, _ facts: inout RecordFacts
    ) throws(LakeError) -> String? {
        guard let event = facts.eventName else {
            if let t = facts.eventNameText { return "eventName '\(t)' is not INSERT, MODIFY or REMOVE" }
            return facts.hasEventName ? "eventName is not a string" : "the record has no eventName"
        }
        if event == .remove && !facts.hasNewImage {
            // Deletes carry the old image's values (or just the key) in the NewImage columns.
            guard let start = facts.oldImageStart ?? facts.keysStart else {
                return "the REMOVE record has neither Keys nor OldImage"
            }
            var s = JSONScanner(line)
            s.position = start
            do throws(LakeError) {
                try decodeImage(newImage, &s, row, infer: inferNewImage, depth: 0)
            } catch {
                return error.message
            }
        } else if !facts.hasNewImage {
            let view = facts.viewTypeRange.map {
                String(decoding: UnsafeRawBufferPointer(rebasing: line[$0]), as: UTF8.self)
            }
            if view == "KEYS_ONLY" || view == "OLD_IMAGE" {
                throw LakeError(
                    .unsupported,
                    "\(event.rawValue) record without a NewImage: the stream's view type is \(view!), which carries no new item images; configure the stream with NEW_IMAGE or NEW_AND_OLD_IMAGES to upsert from it"
                )
            }
            return "the \(event.rawValue) record has no NewImage"
        }
        if let col = eventOrderColumn {
            guard let tr = facts.timeRange else {
                return "the record has no dynamodb.ApproximateCreationDateTime (needed to order changes)"
            }
            let timeText = UnsafeRawBufferPointer(rebasing: line[tr])
            let millis: Int64
            do throws(TextValueError) {
                if facts.timeIsString && !(timeText.first.map { $0 &- UInt8(ascii: "0") < 10 } ?? false) {
                    millis = try TemporalText.parseTimestamp(timeText, unit: .millis, utc: true)
                } else {
                    millis = try EpochTime.millis(timeText)
                }
            } catch {
                return "ApproximateCreationDateTime \(quoted(timeText)) is not a time: \(error.reason)"
            }
            guard millis >= 0 && millis < 1_000_000_000_000_000 else {
                return "ApproximateCreationDateTime \(quoted(timeText)) is out of range"
            }
            var sequence = UnsafeRawBufferPointer(start: nil, count: 0)
            if let sr = facts.sequenceRange {
                switch EventOrder.normalizedSequence(UnsafeRawBufferPointer(rebasing: line[sr])) {
                case .success(let d): sequence = d
                case .failure(let e):
                    return "SequenceNumber \(quoted(UnsafeRawBufferPointer(rebasing: line[sr]))): \(e.reason)"
                }
            }
            if lastSet[col] != serial {
                lastSet[col] = serial
                let b = unsafeDowncast(builders[col], to: StringBuilder.self)
                EventOrder.append(millis: millis, sequence: sequence, to: &b.values.bytes)
                b.values.offsets.append(b.values.bytes.count)
                b.slots.appendValue()
            }
        }
        lastSet[deleteColumn] = serial
        try builders[deleteColumn].appendBoolean(event == .remove)
        for i in 0..<names.count where lastSet[i] != serial { builders[i].appendNull() }
        for k in keyColumns where builders[k].slots.validity?[row] == false {
            return "the record has no value for the key column '\(names[k])'"
        }
        return nil
    }
}

/// Byte equality of a buffer and a static string of the same length.
@inline(__always)
func memcmpEqual(_ a: UnsafeRawBufferPointer, _ literal: StaticString) -> Bool {
    let p = literal.utf8Start
    for i in 0..<a.count where a[i] != p[i] { return false }
    return true
}
