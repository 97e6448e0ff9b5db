import Foundation
@testable import LakeIngest
import LakeTestSupport

/// A generated DynamoDB stream of customer changes (the seed's table: `id`, `custName`,
/// `email`, `registrationDate`, plus a few more attribute types), with inserts, updates,
/// deletes, late events (an older change delivered after a newer one) and duplicates (the same
/// record delivered twice), and the model of the table it should produce.
struct CustomerStream {
    struct Item: Equatable {
        var id: String
        var custName: String
        var email: String
        var registrationDate: String
        var visits: Int
    }

    var lines: [String] = []
    /// id → item as of the newest event (nil: deleted), applying events in (time, sequence) order.
    var model: [String: Item?] = [:]

    /// - Parameters:
    ///   - count: records to generate.
    ///   - keys: distinct customer ids.
    ///   - lateEvery: every n-th record is held back and delivered a few records later.
    ///   - duplicateEvery: every n-th record is delivered twice.
    init(count: Int, keys: Int, seed: UInt64 = 1, lateEvery: Int = 17, duplicateEvery: Int = 23, wide: Bool = false) {
        var rng = SplitMix(seed: seed)
        var live: [String: Item] = [:]
        var time: Int64 = 1_795_000_000
        var seq: UInt64 = 4_200_000_000_000_000_000
        var events: [(line: String, time: Int64, seq: UInt64, id: String, item: Item?)] = []
        for n in 0..<count {
            let id = "C\(String(format: "%06d", Int.random(in: 0..<keys, using: &rng)))"
            time += Int64.random(in: 0...1, using: &rng)
            seq += UInt64.random(in: 1...1000, using: &rng)
            let old = live[id]
            let roll = Int.random(in: 0..<100, using: &rng)
            let name: String
            var item: Item?
            if old == nil {
                name = "INSERT"
                item = Item(
                    id: id, custName: "Customer \(id.dropFirst())", email: "\(id.lowercased())@example.com",
                    registrationDate: String(
                        format: "2024-%02d-%02d", Int.random(in: 1...12, using: &rng),
                        Int.random(in: 1...28, using: &rng)),
                    visits: 0)
            } else if roll < 12 {
                name = "REMOVE"
                item = nil
            } else {
                name = "MODIFY"
                var i = old!
                i.visits += 1
                if roll % 3 == 0 { i.email = "\(id.lowercased())+\(n)@example.com" }
                if roll % 5 == 0 { i.custName = "Customer \(id.dropFirst()) \(n)" }
                item = i
            }
            live[id] = item
            let line = Self.record(name: name, id: id, new: item, old: old, time: time, seq: seq, n: n, wide: wide)
            events.append((line, time, seq, id, item))
            model[id] = item
        }
        // Delivery order: late events swap with a later one; duplicates repeat.
        var order = Array(events.indices)
        var i = lateEvery
        while i + 3 < order.count {
            order.swapAt(i, i + 3)
            i += lateEvery
        }
        for (k, e) in order.enumerated() {
            lines.append(events[e].line)
            if duplicateEvery > 0 && k % duplicateEvery == duplicateEvery - 1 { lines.append(events[e].line) }
        }
    }

    var text: String { lines.joined(separator: "\n") + "\n" }

    static func image(_ i: Item, wide: Bool) -> String {
        var s =
            #"{"id":{"S":"\#(i.id)"},"custName":{"S":"\#(i.custName)"},"email":{"S":"\#(i.email)"},"registrationDate":{"S":"\#(i.registrationDate)"},"visits":{"N":"\#(i.visits)"}"#
        if wide {
            s +=
                #","address":{"M":{"street":{"S":"\#(i.visits) Main Street"},"city":{"S":"Springfield"},"zip":{"S":"01101"}}},"tags":{"SS":["retail","newsletter"]},"balance":{"N":"\#(i.visits * 17).25"},"active":{"BOOL":true}"#
        }
        return s + "}"
    }

    static func record(
        name: String, id: String, new: Item?, old: Item?, time: Int64, seq: UInt64, n: Int, wide: Bool
    ) -> String {
        var d = #"{"ApproximateCreationDateTime":\#(time),"Keys":{"id":{"S":"\#(id)"}}"#
        if let new { d += #","NewImage":"# + image(new, wide: wide) }
        if let old { d += #","OldImage":"# + image(old, wide: wide) }
        d += #","SequenceNumber":"\#(seq)","SizeBytes":\#(200 + n % 100),"StreamViewType":"NEW_AND_OLD_IMAGES"}"#
        let eventID = String(format: "%016llx%016llx", UInt64(n) &* 0x9E37_79B9_7F4A_7C15, seq)
        return
            #"{"eventID":"\#(eventID)","eventName":"\#(name)","eventVersion":"1.1","eventSource":"aws:dynamodb","awsRegion":"us-east-1","dynamodb":\#(d)}"#
    }
}
