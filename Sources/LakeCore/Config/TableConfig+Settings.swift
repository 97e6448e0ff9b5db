extension TableConfig {
    /// The value of a setting: the table's, or the setting's default when unset.
    /// - Throws: `.invalidArgument` naming the property when the stored text is not a valid
    ///   value (a hand-edited `hoodie.properties`).
    public func value<Value>(_ setting: TableSetting<Value>) throws(LakeError) -> Value {
        try setting.read(self)
    }

    /// Sets a setting to a typed value.
    /// - Throws: `.invalidArgument` (or `.unsupported`, for a table type lake cannot write)
    ///   naming the setting when the value is not allowed.
    public mutating func set<Value>(_ setting: TableSetting<Value>, to value: Value) throws(LakeError) {
        do throws(LakeError) {
            try setting.check(value)
        } catch {
            throw LakeError(error.code, "setting \(setting.key): \(error.message)")
        }
        setting.write(&self, value)
    }

    /// Sets a setting given by name — its key, its property name (`lake.…`) or a Hudi alias
    /// (`hoodie.cleaner.commits.retained`) — to the value `text` stands for: what
    /// `lake create --set name=value` does.
    /// - Throws: `.invalidArgument` for an unknown name (suggesting the nearest setting) or a
    ///   value the setting does not take; `.unsupported` for a table type lake cannot write.
    public mutating func set(_ name: String, to text: String) throws(LakeError) {
        let setting = try AnyTableSetting.resolve(name)
        do throws(LakeError) {
            try setting.assign(&self, text)
        } catch {
            throw LakeError(error.code, "setting \(name)=\(text): \(error.message)")
        }
    }

    /// A new table's configuration from settings given by name, as `lake create` and the CDC
    /// mapping's `table` section give them: every setting resolved (keys, properties, Hudi
    /// aliases), parsed and checked, the key generator inferred from the fields unless one is
    /// set, and the result checked as a whole (``validateSettings()``).
    /// - Parameters:
    ///   - name: the table name unless `hoodie.table.name` is among the settings.
    ///   - settings: `(name, value, origin)`; `origin` says where the value came from in error
    ///     messages (`--key`, `--set hoodie.datasource.write.recordkey.field`).
    /// - Throws: `.invalidArgument` for an unknown setting, a bad value, one setting given twice
    ///   with different values, no record key, or contradicting settings; `.unsupported` for a
    ///   table type lake cannot write.
    public init(name: String, settings: [(name: String, value: String, origin: String)]) throws(LakeError) {
        var chosen: [String: (value: String, origin: String, setting: AnyTableSetting)] = [:]
        var order: [String] = []
        for s in settings {
            let setting = try AnyTableSetting.resolve(s.name)
            if let earlier = chosen[setting.property] {
                var a = TableConfig(name: "t", recordKeyFields: ["k"]), b = a
                let valid = (try? setting.assign(&a, earlier.value)) != nil && (try? setting.assign(&b, s.value)) != nil
                let same =
                    valid
                    ? setting.stored(a) == setting.stored(b)
                    : earlier.value.trimmingWhitespace() == s.value.trimmingWhitespace()
                if !same {
                    throw LakeError(
                        .invalidArgument,
                        "setting \(setting.property) is given twice: '\(earlier.value)' by \(earlier.origin) "
                            + "and '\(s.value)' by \(s.origin)"
                    )
                }
                continue
            }
            chosen[setting.property] = (s.value, s.origin, setting)
            order.append(setting.property)
        }
        self.init(name: name, recordKeyFields: [])
        for property in order {
            let c = chosen[property]!
            do throws(LakeError) {
                try c.setting.assign(&self, c.value)
            } catch {
                throw LakeError(error.code, "\(c.origin)=\(c.value): \(error.message)")
            }
        }
        if chosen[Key.keyGenerator] == nil {
            keyGenerator = .inferred(recordKeyFields: recordKeyFields, partitionFields: partitionFields)
        }
        try validateSettings()
    }

    /// Checks every setting of a table about to be created: each lake setting known and valid,
    /// the Hudi table properties allowed for a new table, and the settings consistent with each
    /// other (archival above the cleaner's retained commits; the key generator fitting the key
    /// and partition fields).
    /// - Throws: `.invalidArgument` naming the offending property (for an unknown `lake.*` key,
    ///   with the nearest setting); `.unsupported` for a table type lake cannot write.
    public func validateSettings() throws(LakeError) {
        for key in lake.keys.sorted() {
            let bare = key.hasPrefix(Key.lakePrefix) ? String(key.dropFirst(Key.lakePrefix.count)) : key
            guard let s = AnyTableSetting.named(Key.lakePrefix + bare), s.family == .lake else {
                var message = "unknown setting '\(Key.lakePrefix)\(bare)'"
                if let near = AnyTableSetting.nearest(to: Key.lakePrefix + bare) ?? AnyTableSetting.nearest(to: bare) {
                    message += "; did you mean '\(near)'?"
                }
                throw LakeError(.invalidArgument, message)
            }
        }
        for s in AnyTableSetting.all where s.family == .hudi { try s.validate(self) }
        try checkLakeSettings()
        switch keyGenerator {
        case .simple where recordKeyFields.count > 1 || partitionFields.count > 1:
            throw LakeError(
                .invalidArgument,
                "the simple key generator takes one record key field and at most one partition field (use complex)")
        case .nonPartitioned where !partitionFields.isEmpty:
            throw LakeError(
                .invalidArgument, "the non-partitioned key generator cannot be combined with partition fields")
        default:
            break
        }
    }

    /// Checks the stored values of lake's settings and that they agree with each other (archival
    /// above the cleaner's retained commits), as every write does before it begins: a bad value
    /// in a hand-edited `hoodie.properties` stops the write before it commits. Unknown `lake.*`
    /// keys are left alone here (a newer lake may have written them).
    /// - Throws: `.invalidArgument` naming the property and its value.
    public func checkLakeSettings() throws(LakeError) {
        for s in AnyTableSetting.all where s.family == .lake { try s.validate(self) }
        _ = try ArchiverSettings(config: self)
    }
}
