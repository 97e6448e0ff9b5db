// CDC parsing: LakeIngest's change-record decoder (`ChangeBatchBuilder`) turning 100,000
// DynamoDB Streams records (70% MODIFY with old and new images, 20% INSERT, 10% REMOVE) into
// columns with the benchmark's customer mapping (cdc/customer-mapping.json). One iteration
// parses the whole buffer: records/s = 100,000 × throughput; MB/s = buffer size / wall time.

import Benchmark
import Lake

func ingestBenchmarks() {
    let text = HotPathData.changeRecords(count: 100_000)
    let mapping = try! IngestMapping(json: Array(HotPathData.customerMapping.utf8))
    Benchmark("CDC parse 100k change records (\(text.count / 1_000_000) MB)") { benchmark in
        for _ in benchmark.scaledIterations {
            let builder = try ChangeBatchBuilder(mapping: mapping, tableSchema: nil, keyFields: ["id"], onError: .fail)
            try builder.append(SourceChunk(bytes: text, file: "bench"))
            blackHole(try builder.finish())
        }
    }
}

extension HotPathData {
    static let customerMapping = """
        {"table": {"recordKey": "id", "partitionFields": ["partitionkey", "partitionkey2"]},
         "columns": [["dynamodb.NewImage.id.S", "S", "id", "string"],
                     ["dynamodb.NewImage.custName.S", "S", "custName", "string"],
                     ["dynamodb.NewImage.email.S", "S", "email", "string"],
                     ["dynamodb.NewImage.registrationDate.S", "S", "registrationDate", "string"],
                     ["dynamodb.NewImage.amount.N", "N", "amount", "double"],
                     ["dynamodb.NewImage.active.BOOL", "BOOL", "active", "boolean"]],
         "derived": [{"target": "partitionkey", "expression": "substr(id, -1, 1)"},
                     {"target": "partitionkey2", "expression": "substr(id, -2, 1)"}]}
        """

    /// `count` change records in the DynamoDB Streams API shape, as one JSON-lines buffer.
    static func changeRecords(count: Int, seed: UInt64 = 17) -> [UInt8] {
        var rng = Random(seed: seed)
        var out: [UInt8] = []
        out.reserveCapacity(count * 700)
        func image(_ id: String) -> String {
            let f = first[rng.next(below: first.count)], l = last[rng.next(below: last.count)]
            let cents = rng.next(below: 1_000_000)
            let frac = cents % 100 < 10 ? "0\(cents % 100)" : "\(cents % 100)"
            return
                #"{"id": {"S": "\#(id)"}, "custName": {"S": "\#(f) \#(l)"}, "email": {"S": "\#(f.lowercased()).\#(id)@example.com"}, "registrationDate": {"S": "2019-0\#(1 + rng.next(below: 9))-1\#(rng.next(below: 10))"}, "amount": {"N": "\#(cents / 100).\#(frac)"}, "active": {"BOOL": \#(rng.next(below: 10) < 8)}}"#
        }
        for i in 0..<count {
            let r = rng.next(below: 10)
            let id = String(1_000_000 + (r < 2 ? 1_000_000 + i : rng.next(below: 1_000_000)))
            let event = r < 2 ? "INSERT" : r < 9 ? "MODIFY" : "REMOVE"
            var body =
                #""ApproximateCreationDateTime": \#(1_750_000_000 + i / 1000).\#(100 + i % 900), "Keys": {"id": {"S": "\#(id)"}}"#
            if event != "REMOVE" { body += #", "NewImage": "# + image(id) }
            if event != "INSERT" { body += #", "OldImage": "# + image(id) }
            body +=
                #", "SequenceNumber": "\#(10_000_000_000_000_000 + i)", "SizeBytes": 250, "StreamViewType": "NEW_AND_OLD_IMAGES""#
            let line =
                #"{"eventID": "\#(String(rng.next(), radix: 16))", "eventName": "\#(event)", "eventVersion": "1.1", "eventSource": "aws:dynamodb", "awsRegion": "us-east-1", "dynamodb": {\#(body)}}"#
                + "\n"
            out.append(contentsOf: line.utf8)
        }
        return out
    }
}
