import LakeCore

/// Turns a plain JSON row (`{"dish": "pizza", "cost": 42}`) into the change record lake's decoder
/// reads: an INSERT whose `NewImage` holds the members as DynamoDB attribute values, timed by the
/// record's arrival. Strings keep their text (escapes included), numbers their exact digits.
enum RowPayload {
    /// Appends the change record for `row` to `out`. A payload that is not a JSON object is
    /// appended unchanged, so the decoder refuses it (with its position) like any bad record.
    static func wrap(_ row: [UInt8], arrivalMillis: Int64, into out: inout [UInt8]) {
        let start = out.count
        let ok = row.withUnsafeBytes { p -> Bool in
            var s = JSONScanner(p)
            s.skipWhitespace()
            guard s.current == UInt8(ascii: "{") else { return false }
            out += Array(#"{"eventName":"INSERT","dynamodb":{"ApproximateCreationDateTime":"#.utf8)
            JSONWriter.appendInteger(arrivalMillis, to: &out)
            out += Array(#","NewImage":"#.utf8)
            do throws(LakeError) {
                try members(&s, into: &out, depth: 1)
                try s.expectEnd()
            } catch {
                return false
            }
            out += Array("}}".utf8)
            return true
        }
        if !ok {
            out.removeSubrange(start...)
            out += row
        }
    }

    /// An object's members as a map of attribute values.
    private static func members(_ s: inout JSONScanner, into out: inout [UInt8], depth: Int) throws(LakeError) {
        out.append(UInt8(ascii: "{"))
        var first = true
        try s.forEachMember { (s, key) throws(LakeError) in
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            out += s.slice((key.range.lowerBound - 1)..<(key.range.upperBound + 1))
            out.append(UInt8(ascii: ":"))
            try value(&s, into: &out, depth: depth + 1)
        }
        out.append(UInt8(ascii: "}"))
    }

    private static func value(_ s: inout JSONScanner, into out: inout [UInt8], depth: Int) throws(LakeError) {
        try s.enterContainer(depth: depth)
        switch s.current {
        case UInt8(ascii: "\""):
            let span = try s.scanString()
            out += Array(#"{"S":"#.utf8)
            out += s.slice((span.range.lowerBound - 1)..<(span.range.upperBound + 1))
            out.append(UInt8(ascii: "}"))
        case UInt8(ascii: "{"):
            out += Array(#"{"M":"#.utf8)
            try members(&s, into: &out, depth: depth)
            out.append(UInt8(ascii: "}"))
        case UInt8(ascii: "["):
            out += Array(#"{"L":["#.utf8)
            var first = true
            try s.forEachElement { (s, _) throws(LakeError) in
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                try value(&s, into: &out, depth: depth + 1)
            }
            out += Array("]}".utf8)
        case UInt8(ascii: "t"), UInt8(ascii: "f"):
            out += Array(try s.parseBool() ? #"{"BOOL":true}"#.utf8 : #"{"BOOL":false}"#.utf8)
        case UInt8(ascii: "n"):
            try s.parseNull()
            out += Array(#"{"NULL":true}"#.utf8)
        default:
            let n = try s.scanNumber()
            out += Array(#"{"N":""#.utf8)
            out += s.slice(n.range)
            out += Array(#""}"#.utf8)
        }
    }
}
