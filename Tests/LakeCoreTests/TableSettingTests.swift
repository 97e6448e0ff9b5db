import Foundation
import Testing
@testable import LakeCore
import LakeTestSupport

/// The typed table settings: one definition per setting, used by `--set` (by name or Hudi
/// alias), the library and the documentation.
@Suite struct TableSettingTests {
    @Test func everyNameBelongsToOneSetting() {
        var owner: [String: String] = [:]
        for s in AnyTableSetting.all {
            for n in s.names {
                #expect(owner[n.lowercased()] == nil, "\(n) names both \(owner[n.lowercased()] ?? "") and \(s.key)")
                owner[n.lowercased()] = s.key
            }
            #expect(!s.summary.isEmpty && !s.defaultText.isEmpty && !s.valuesText.isEmpty, "\(s.key) is undocumented")
        }
    }

    /// The Hudi names Hudi users type, each for the setting lake has for it.
    @Test(arguments: [
        ("hoodie.cleaner.commits.retained", "lake.cleaner.commits.retained"),
        ("hoodie.clean.commits.retained", "lake.cleaner.commits.retained"),
        ("hoodie.cleaner.policy", "lake.cleaner.policy"),
        ("hoodie.cleaner.fileversions.retained", "lake.cleaner.file.versions.retained"),
        ("hoodie.clean.automatic", "lake.cleaner.automatic"),
        ("hoodie.keep.min.commits", "lake.archive.min.commits"),
        ("hoodie.keep.max.commits", "lake.archive.max.commits"),
        ("hoodie.archive.automatic", "lake.archive.automatic"),
        ("hoodie.parquet.max.file.size", "lake.target.file.size"),
        ("hoodie.parquet.compression.codec", "lake.parquet.codec"),
        ("hoodie.datasource.write.recordkey.field", "hoodie.table.recordkey.fields"),
        ("hoodie.datasource.write.precombine.field", "hoodie.table.precombine.field"),
        ("hoodie.table.ordering.fields", "hoodie.table.precombine.field"),
        ("hoodie.datasource.write.keygenerator.type", "hoodie.table.keygenerator.class"),
        ("hoodie.datasource.write.partitionpath.field", "hoodie.table.partition.fields"),
        ("hoodie.datasource.write.table.type", "hoodie.table.type"),
        ("hoodie.datasource.write.keygenerator.class", "hoodie.table.keygenerator.class"),
        ("HOODIE.TABLE.TYPE", "hoodie.table.type"),
    ])
    func hudiNamesAreAliases(alias: String, property: String) {
        #expect(AnyTableSetting.named(alias)?.property == property)
    }

    @Test func setByAnyNameStoresUnderTheProperty() throws {
        var c = TableConfig(name: "t", recordKeyFields: ["id"])
        try c.set("hoodie.cleaner.commits.retained", to: "4")
        try c.set("lake.cleaner.automatic", to: "FALSE")
        try c.set("archive.max.commits", to: "40")
        try c.set("hoodie.parquet.max.file.size", to: "64MiB")
        try c.set("hoodie.parquet.compression.codec", to: "SNAPPY")
        try c.set("hoodie.datasource.write.precombine.field", to: "ts")
        #expect(
            c.lake == [
                "cleaner.commits.retained": "4", "cleaner.automatic": "false", "archive.max.commits": "40",
                "target.file.size": String(64 << 20), "parquet.codec": "snappy",
            ])
        #expect(c.precombineField == "ts")
        let p = c.properties.values
        #expect(p["lake.cleaner.commits.retained"] == "4")
        #expect(!p.keys.contains { $0.hasPrefix("lake.hoodie") }, "\(p.keys.sorted())")
        #expect(try c.value(.cleanerCommitsRetained) == 4)
        #expect(try c.value(.cleanerAutomatic) == false)
        #expect(try c.value(.targetFileSize) == 64 << 20)
        #expect(try c.value(.parquetCodec) == .snappy)
        #expect(try c.value(.archiveMinCommits) == nil)
        #expect(try CleanerSettings(config: c).policy == .keepLatestCommits(4))
    }

    @Test func defaults() throws {
        let c = TableConfig(name: "t", recordKeyFields: ["id"])
        #expect(try c.value(.targetFileSize) == 120 << 20)
        #expect(try c.value(.parquetCodec) == .zstd)
        #expect(try c.value(.cleanerPolicy) == .keepLatestCommits)
        #expect(try c.value(.cleanerCommitsRetained) == 10)
        #expect(try c.value(.cleanerFileVersionsRetained) == 3)
        #expect(try c.value(.cleanerAutomatic) && c.value(.archiveAutomatic))
        #expect(try c.value(.tableType) == .copyOnWrite)
        #expect(try c.value(.recordKeyFields) == ["id"])
    }

    @Test func typedSetChecksTheValue() throws {
        var c = TableConfig(name: "t", recordKeyFields: ["id"])
        try c.set(.cleanerCommitsRetained, to: 2)
        #expect(c.lake["cleaner.commits.retained"] == "2")
        let e = #expect(throws: LakeError.self) { try c.set(.cleanerCommitsRetained, to: 0) }
        #expect(e?.code == .invalidArgument && e?.message.contains("cleaner.commits.retained") == true)
        #expect(c.lake["cleaner.commits.retained"] == "2")
        #expect((#expect(throws: LakeError.self) { try c.set(.tableType, to: .mergeOnRead) })?.code == .unsupported)
        #expect(c.tableType == .copyOnWrite)
    }

    @Test(arguments: [
        ("cleaner.commits.retained", "0", "at least 1"),
        ("hoodie.cleaner.commits.retained", "-3", "at least 1"),
        ("cleaner.commits.retained", "two", "not an integer"),
        ("cleaner.automatic", "yes", "not true or false"),
        ("cleaner.policy", "KEEP_LATEST_BY_HOURS", "KEEP_LATEST_COMMITS"),
        ("parquet.codec", "lzo", "zstd"),
        ("target.file.size", "12", "1 KiB"),
        ("target.file.size", "big", "not a size"),
        ("archive.min.commits", "0", "at least 1"),
        ("hoodie.table.type", "MERGE_ON_READ", "COPY_ON_WRITE tables only"),
        ("hoodie.table.type", "BOTH", "not a table type"),
        ("hoodie.datasource.write.recordkey.field", "a,,b", "empty field name"),
        ("hoodie.datasource.write.precombine.field", "a,b", "one field"),
        ("hoodie.table.keygenerator.class", "org.apache.hudi.keygen.TimestampBasedKeyGenerator", "SimpleKeyGenerator"),
        ("hoodie.table.timeline.timezone", "CET", "UTC or LOCAL"),
    ])
    func badValuesAreRefusedWhenSet(name: String, value: String, reason: String) {
        var c = TableConfig(name: "t", recordKeyFields: ["id"])
        let before = c
        let e = #expect(throws: LakeError.self) { try c.set(name, to: value) }
        #expect(e?.message.contains(name) == true && e?.message.contains(reason) == true, "\(e?.message ?? "")")
        #expect(c == before)
    }

    @Test(arguments: [
        ("cleaner.commit.retained", "cleaner.commits.retained"),
        ("lake.cleaner.comits.retained", "lake.cleaner.commits.retained"),
        ("hoodie.cleaner.commit.retained", "hoodie.cleaner.commits.retained"),
        ("hoodie.keep.min.commit", "hoodie.keep.min.commits"),
        ("target.filesize", "target.file.size"),
        ("hoodie.parquet.compression", "hoodie.parquet.compression.codec"),
    ])
    func unknownNamesSuggestTheNearest(typo: String, suggestion: String) {
        var c = TableConfig(name: "t", recordKeyFields: ["id"])
        let e = #expect(throws: LakeError.self) { try c.set(typo, to: "1") }
        #expect(e?.code == .invalidArgument)
        #expect(e?.message.contains("did you mean '\(suggestion)'") == true, "\(e?.message ?? "")")
    }

    @Test func farNamesGetNoSuggestion() {
        var c = TableConfig(name: "t", recordKeyFields: ["id"])
        let e = #expect(throws: LakeError.self) { try c.set("hoodie.upsert.shuffle.parallelism", to: "4") }
        #expect(e?.message.contains("did you mean") == false && e?.message.contains("no such setting") == true)
    }

    @Test func editDistance() {
        #expect(AnyTableSetting.editDistance("", "abc") == 3)
        #expect(AnyTableSetting.editDistance("kitten", "sitting") == 3)
        #expect(AnyTableSetting.editDistance("same", "same") == 0)
    }

    // MARK: - A new table's configuration from named settings

    @Test func configFromNamedSettings() throws {
        let c = try TableConfig(
            name: "events",
            settings: [
                ("hoodie.datasource.write.recordkey.field", "id", "--set"),
                ("hoodie.datasource.write.partitionpath.field", "region,day", "--set"),
                ("hoodie.datasource.write.precombine.field", "ts", "--set"),
                ("hoodie.keep.min.commits", "15", "--set"),
                ("hoodie.table.name", "renamed", "--set"),
            ])
        #expect(c.name == "renamed" && c.recordKeyFields == ["id"] && c.partitionFields == ["region", "day"])
        #expect(c.precombineField == "ts" && c.keyGenerator == .complex)
        #expect(try c.value(.archiveMinCommits) == 15)
        let simple = try TableConfig(
            name: "t",
            settings: [
                ("hoodie.table.recordkey.fields", "id", "--key"),
                ("hoodie.table.partition.fields", "p", "--partition-by"),
            ])
        #expect(simple.keyGenerator == .simple)
    }

    @Test func aSettingGivenTwiceMustAgree() throws {
        _ = try TableConfig(
            name: "t",
            settings: [
                ("hoodie.table.recordkey.fields", "id", "--key"),
                ("hoodie.datasource.write.recordkey.field", " id ", "--set"),
            ])
        let e = #expect(throws: LakeError.self) {
            try TableConfig(
                name: "t",
                settings: [
                    ("hoodie.table.recordkey.fields", "id", "--key"),
                    ("hoodie.datasource.write.recordkey.field", "other", "--set x"),
                ])
        }
        #expect(
            e?.message.contains("given twice") == true && e?.message.contains("--set x") == true, "\(e?.message ?? "")")
    }

    @Test func contradictingSettingsAreRefused() {
        for settings in [
            [("hoodie.table.recordkey.fields", "id", "--key"), ("archive.min.commits", "5", "--set")],
            [
                ("hoodie.table.recordkey.fields", "id", "--key"), ("cleaner.commits.retained", "8", "--set"),
                ("archive.min.commits", "8", "--set"),
            ],
            [
                ("hoodie.table.recordkey.fields", "id", "--key"), ("archive.min.commits", "25", "--set"),
                ("archive.max.commits", "21", "--set"),
            ],
            [
                ("hoodie.table.recordkey.fields", "a,b", "--key"),
                ("hoodie.table.keygenerator.class", "simple", "--set"),
            ],
            [
                ("hoodie.table.recordkey.fields", "a", "--key"), ("hoodie.table.partition.fields", "p", "--set"),
                ("hoodie.table.keygenerator.class", "non-partitioned", "--set"),
            ],
            [("hoodie.table.precombine.field", "ts", "--set")],
        ] as [[(String, String, String)]] {
            #expect(throws: LakeError.self, "\(settings)") {
                try TableConfig(name: "t", settings: settings.map { (name: $0.0, value: $0.1, origin: $0.2) })
            }
        }
    }

    /// A library user who writes `config.lake` directly gets the same checks at `Table.create`.
    @Test func createChecksRawSettings() throws {
        let dir = TemporaryDirectory()
        var c = TableConfig(name: "t", recordKeyFields: ["id"])
        c.lake["cleaner.commits.retaind"] = "2"
        let e = #expect(throws: LakeError.self) { try Table.create(at: dir.sub("a"), config: c) }
        #expect(e?.message.contains("did you mean 'lake.cleaner.commits.retained'") == true, "\(e?.message ?? "")")
        c.lake = ["cleaner.commits.retained": "0"]
        #expect(
            (#expect(throws: LakeError.self) { try Table.create(at: dir.sub("b"), config: c) })?.code
                == .invalidArgument)
        #expect(!FileManager.default.fileExists(atPath: dir.sub("b") + "/.hoodie/hoodie.properties"))
    }

    /// `cleaner.commits.retained=0` written into `hoodie.properties` by hand used to let every
    /// write commit and then fail in the cleaner; now the write fails before it begins.
    @Test func aBadStoredValueStopsTheWriteBeforeItCommits() throws {
        let dir = TemporaryDirectory()
        let t = try Table.create(at: dir.path, config: TableConfig(name: "t", recordKeyFields: ["id"]))
        let batch = try TableInput.jsonLines(Array(#"{"id":"a","n":1}"#.utf8), name: "rows", tableSchema: nil)
        try t.write(batch, operation: .upsert)
        var c = t.config
        c.lake["cleaner.commits.retained"] = "0"
        try c.save(to: t.storage)
        let reopened = try Table.open(dir.path)
        let e = #expect(throws: LakeError.self) { try reopened.write(batch, operation: .upsert) }
        #expect(
            e?.code == .invalidArgument && e?.message.contains("lake.cleaner.commits.retained=0") == true,
            "\(e?.message ?? "")")
        #expect(try Table.open(dir.path).timeline.completedCommits.count == 1)
    }

    /// Earlier `lake stream` versions stored `lake.lake.cleaner.commits.retained`.
    @Test func legacyDoublePrefixIsReadAsTheSetting() throws {
        var p = TableConfig(name: "t", recordKeyFields: ["id"]).properties
        p["lake.lake.cleaner.commits.retained"] = "3"
        let c = try TableConfig(properties: p)
        #expect(c.lake == ["cleaner.commits.retained": "3"])
        #expect(try c.value(.cleanerCommitsRetained) == 3)
    }

    // MARK: - Table type

    @Test func tableTypeIsAField() throws {
        for (text, type) in [
            ("COPY_ON_WRITE", TableType.copyOnWrite), ("cow", .copyOnWrite), ("copy-on-write", .copyOnWrite),
            ("MERGE_ON_READ", .mergeOnRead), ("mor", .mergeOnRead),
        ] {
            var p = TableConfig(name: "t", recordKeyFields: ["id"]).properties
            p["hoodie.table.type"] = text
            let c = try TableConfig(properties: p)
            #expect(c.tableType == type)
            #expect(c.properties["hoodie.table.type"] == type.rawValue)
        }
        var mor = TableConfig(name: "t", recordKeyFields: ["id"])
        mor.tableType = .mergeOnRead
        let dir = TemporaryDirectory()
        let e = #expect(throws: LakeError.self) { try Table.create(at: dir.path, config: mor) }
        #expect(e?.code == .unsupported && e?.message.contains("MERGE_ON_READ") == true)
    }

    /// A merge-on-read table written by Java Hudi opens and reads (its base file merged with its
    /// Parquet log block); writing to it is refused.
    @Test func aMergeOnReadTableReadsButRefusesWrites() throws {
        let dir = TemporaryDirectory()
        let zip = HudiFixtures.packageRoot.appendingPathComponent(
            "../shared/fixtures/hudi-java-v6-mor/v6_nonpartitioned.zip"
        )
        .standardizedFileURL
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/unzip")
        p.arguments = ["-q", "-o", zip.path, "-d", dir.path]
        try p.run()
        p.waitUntilExit()
        let path = dir.sub("v6_nonpartitioned")
        let config = try TableConfig.load(from: LocalStorage(root: path))
        #expect(config.tableType == .mergeOnRead)
        let table = try Table.open(path)
        let rows = try table.read(ReadOptions(columns: ["id", "isActive"])).reduce(0) { $0 + $1.rowCount }
        #expect(rows == 4)
        let readOptimized = try table.read(ReadOptions(columns: ["id"], readOptimized: true))
        #expect(readOptimized.reduce(0) { $0 + $1.rowCount } == 4)
        let before = try table.read(ReadOptions(columns: ["id"]))
        let e = #expect(throws: LakeError.self) {
            try table.write(before[0], operation: .upsert)
        }
        #expect(
            e?.code == .unsupported && e?.message.contains("does not write them yet") == true, "\(e?.message ?? "")")
        for refused in [{ () throws(LakeError) in _ = try table.cleaner() }, { _ = try table.rollback() }] {
            #expect(throws: LakeError.self) { try refused() }
        }
    }

    // MARK: - Documentation

    /// docs/tables.md shows exactly the settings defined here (regenerate the table from
    /// `AnyTableSetting.markdownTable` when a definition changes).
    @Test func theDocumentationListsExactlyTheDefinedSettings() throws {
        let doc = try String(
            contentsOf: HudiFixtures.packageRoot.appendingPathComponent("docs/tables.md"), encoding: .utf8)
        let table = AnyTableSetting.markdownTable
        #expect(doc.contains(table), "docs/tables.md must contain, verbatim:\n\(table)")
    }
}
