import Foundation
import LakeCore
import LakeTestSupport
import Testing
@testable import LakeIngest

/// Fuzz over attribute names and key values (random unicode, separators `,` `:` `/` `=`, empty
/// strings, NULLs, Hudi's placeholder strings, reserved names), streamed into a real table in
/// windows: every record is either in the table exactly as ``HostileStreamModel`` says or in the
/// quarantine with a reason — never merged, dropped or reordered, and no window fails.
@Suite struct HostileStreamFuzzTests {
    enum Layout: String, CaseIterable {
        /// No mapping; a two-field key discovered from `Keys`.
        case inferredComplexKey
        /// No mapping; one key field.
        case inferredSimpleKey
        /// A mapping for the keys and a partition field, a derived column, the rest inferred.
        case mappedPartitioned
    }

    static let mappingJSON = """
        {"table": {"recordKey": ["pk", "sk"], "partitionFields": ["part"]},
         "columns": [{"source": "dynamodb.NewImage.pk.S", "target": "pk", "targetType": "string"},
                     {"source": "dynamodb.NewImage.sk.S", "target": "sk", "targetType": "string"},
                     {"source": "dynamodb.NewImage.part.S", "target": "part", "targetType": "string"}],
         "derived": [{"target": "tag", "expression": "upper(pk)"}],
         "unmappedAttributes": "infer"}
        """

    /// Streams per layout (`LAKE_FUZZ_ROUNDS=200` runs more by hand).
    static let rounds = UInt64(ProcessInfo.processInfo.environment["LAKE_FUZZ_ROUNDS"].flatMap(Int.init) ?? 5)

    @Test(arguments: Layout.allCases)
    func everyRecordIsInTheTableOrQuarantined(_ layout: Layout) throws {
        for seed in UInt64(1)...Self.rounds {
            try run(layout, seed: seed * 7919 + UInt64(layout.rawValue.count), records: 150)
        }
    }

    func run(_ layout: Layout, seed: UInt64, records count: Int) throws {
        let dir = TemporaryDirectory()
        let keyFields = layout == .inferredSimpleKey ? ["id"] : ["pk", "sk"]
        var mapping = IngestMapping.inferred
        var model = HostileStreamModel(keyFields: keyFields)
        var fixed: [String] = []
        if layout == .mappedPartitioned {
            mapping = try IngestMapping(json: Array(Self.mappingJSON.utf8))
            model = HostileStreamModel(
                keyFields: keyFields, mappingColumns: ["pk", "sk", "part", "tag"],
                mappedAttributes: ["pk", "sk", "part"], ignoredColumns: ["tag"])
            fixed = ["part"]
        }
        var generator = HostileStreamGenerator(rng: SplitMix(seed: seed), keyFields: keyFields, fixedAttributes: fixed)
        let records = generator.records(count)
        let lines = records.map(HostileStreamGenerator.line)
        try dir.write("in.jsonl", lines.joined(separator: "\n") + "\n")
        for (i, r) in records.enumerated() { model.apply(r, line: i + 1) }

        let where_ = "\(layout) seed \(seed)"
        var options = PipelineOptions()
        var rng = SplitMix(seed: seed ^ 0xABCD)
        options.maxRecords = Int.random(in: 15...70, using: &rng)
        let table = dir.path + "/t"
        let summary: PipelineSummary
        do {
            let sink = try TableSink(path: table, settings: mapping.table)
            summary = try MicroBatchPipeline(
                source: .file(dir.path + "/in.jsonl", follow: false), sink: sink, mapping: mapping,
                options: options
            ).run()
        } catch {
            Issue.record("\(where_): the stream stopped: \(error)")
            return
        }
        #expect(summary.recordsIn == count, "\(where_)")

        // The quarantine: exactly the records the model refuses, each with a reason.
        var quarantined: Set<Int> = []
        let errors = table + "/" + ErrorLog.folder
        for name in (try? FileManager.default.contentsOfDirectory(atPath: errors)) ?? [] {
            for l in try String(contentsOfFile: errors + "/" + name, encoding: .utf8).split(separator: "\n") {
                let v = try JSONParser().parse(String(l))
                let line = try #require(v["line"]?.numberValue?.int64)
                let reason = v["reason"]?.stringValue ?? ""
                #expect(reason.isEmpty == false, "\(where_): line \(line) has no reason")
                #expect(quarantined.insert(Int(line)).inserted, "\(where_): line \(line) quarantined twice")
            }
        }
        let wronglyRefused = quarantined.subtracting(model.refused).sorted()
        let wronglyAccepted = model.refused.subtracting(quarantined).sorted()
        #expect(
            wronglyRefused.isEmpty,
            "\(where_): quarantined but valid: \(wronglyRefused.prefix(5).map { lines[$0 - 1] })")
        #expect(
            wronglyAccepted.isEmpty,
            "\(where_): accepted but should be quarantined: \(wronglyAccepted.prefix(5).map { lines[$0 - 1] })")
        #expect(summary.errors == model.refused.count, "\(where_)")

        // The table: exactly the model's live rows, one per key tuple.
        var got: [[String?]: [String: HostileStreamModel.Value]] = [:]
        for batch in try Table.open(table).read() {
            for line in try jsonRows(batch) {
                guard case .object(let members) = try JSONParser().parse(line) else { continue }
                var row: [String: HostileStreamModel.Value] = [:]
                for m in members
                where m.key != "_event_order" && m.key != "_event_time" && !model.ignoredColumns.contains(m.key) {
                    switch m.value {
                    case .string(let s): row[m.key] = .text(s)
                    case .object(let inner):
                        var mm: [String: String] = [:]
                        for x in inner { if let s = x.value.stringValue { mm[x.key] = s } }
                        if !mm.isEmpty { row[m.key] = .members(mm) }
                    default: break
                    }
                }
                let key: [String?] = keyFields.map { k in
                    if case .text(let s)? = row[k] { return s }
                    return nil
                }
                #expect(got[key] == nil, "\(where_): two rows for key \(key)")
                got[key] = row
            }
        }
        let want = model.live
        for (k, row) in want where got[k] != row {
            Issue.record("\(where_): key \(k): table has \(got[k].map { "\($0)" } ?? "no row"), the model \(row)")
        }
        for k in got.keys where want[k] == nil {
            Issue.record("\(where_): key \(k) is in the table but not in the model: \(got[k]!)")
        }
    }
}
