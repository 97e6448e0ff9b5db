import LakeCore

/// Where a mapped column's value comes from in a change record, parsed from a dotted path as in
/// Glue's ApplyMapping: `eventName`, `dynamodb.ApproximateCreationDateTime`,
/// `dynamodb.NewImage.id.S`, `dynamodb.NewImage.address.M.city.S`, `$event_order`.
///
/// Segments are separated by `.`; a segment holding dots is written in backquotes
/// (`` dynamodb.NewImage.`a.b`.S ``).
public enum SourcePath: Sendable, Hashable, CustomStringConvertible {
    /// A top-level field of the record (`eventName`, `eventID`, `awsRegion`, `tableName`, …).
    case record(String)
    /// A field of the record's `dynamodb` object that is not an image
    /// (`ApproximateCreationDateTime`, `SequenceNumber`, `SizeBytes`, `StreamViewType`).
    case dynamodb(String)
    /// An attribute inside an image, possibly nested in maps.
    case image(ImageSection, [AttributeStep])
    /// lake's ordering value (see ``EventOrder``).
    case eventOrder

    /// Which image of a change record an attribute path reads.
    public enum ImageSection: String, Sendable, Hashable, CaseIterable {
        /// `dynamodb.NewImage`. For a REMOVE record (no new image) lake reads the `OldImage`,
        /// or the `Keys` when there is no old image either, so deletes carry their key and
        /// whatever else the stream provides.
        case newImage = "NewImage"
        /// `dynamodb.OldImage`.
        case oldImage = "OldImage"
        /// `dynamodb.Keys`.
        case keys = "Keys"
    }

    /// One step into an image: an attribute name and, optionally, the attribute type the path
    /// requires (`id.S`). Every step but the last must be a map (`M`).
    public struct AttributeStep: Sendable, Hashable {
        /// The attribute name (map key).
        public var name: String
        /// The attribute type the path requires (`id.S`), if it names one.
        public var type: AttributeType?
        public init(_ name: String, _ type: AttributeType? = nil) {
            self.name = name
            self.type = type
        }
    }

    /// Parses a dotted path.
    ///
    /// - Throws: ``LakeError`` `.invalidArgument` naming the path and the problem.
    public init(parsing text: String) throws(LakeError) {
        func fail(_ why: String) -> LakeError { LakeError(.invalidArgument, "source path '\(text)': \(why)") }
        if text == "$event_order" {
            self = .eventOrder
            return
        }
        var segments: [String] = []
        var current = ""
        var quoted = false
        var justClosed = false
        for ch in text {
            if ch == "`" {
                quoted.toggle()
                justClosed = !quoted
                continue
            }
            if ch == "." && !quoted {
                guard !current.isEmpty || justClosed else { throw fail("empty segment") }
                segments.append(current)
                current = ""
                justClosed = false
                continue
            }
            current.append(ch)
            justClosed = false
        }
        guard !quoted else { throw fail("unclosed backquote") }
        guard !current.isEmpty || justClosed else { throw fail("empty segment") }
        segments.append(current)
        if segments[0].hasPrefix("$") { throw fail("unknown special source (only $event_order)") }
        if segments[0] != "dynamodb" {
            guard segments.count == 1 else { throw fail("only fields of the dynamodb object can be nested") }
            self = .record(segments[0])
            return
        }
        guard segments.count >= 2 else { throw fail("name a field of the dynamodb object") }
        guard let section = ImageSection(rawValue: segments[1]) else {
            guard segments.count == 2 else { throw fail("'\(segments[1])' is not an image (NewImage, OldImage, Keys)") }
            self = .dynamodb(segments[1])
            return
        }
        guard segments.count >= 3 else { throw fail("name an attribute of \(section.rawValue)") }
        var steps: [AttributeStep] = []
        var i = 2
        while i < segments.count {
            if let last = steps.last, last.type != .m {
                throw fail("'\(last.name)' must be followed by the type M to name one of its members")
            }
            var step = AttributeStep(segments[i])
            i += 1
            if i < segments.count, let t = AttributeType(descriptor: segments[i]) {
                step.type = t
                i += 1
            }
            steps.append(step)
        }
        self = .image(section, steps)
    }

    /// The path as text (parses back to the same value).
    public var description: String {
        func seg(_ s: String) -> String { s.contains(".") || s.isEmpty ? "`\(s)`" : s }
        switch self {
        case .record(let k): return seg(k)
        case .dynamodb(let k): return "dynamodb." + seg(k)
        case .eventOrder: return "$event_order"
        case .image(let section, let steps):
            var parts = ["dynamodb", section.rawValue]
            for st in steps {
                parts.append(seg(st.name))
                if let t = st.type { parts.append(t.description) }
            }
            return parts.joined(separator: ".")
        }
    }

    /// The attribute type the path itself requires of its last step, if any.
    public var requiredAttributeType: AttributeType? {
        if case .image(_, let steps) = self { return steps.last?.type }
        return nil
    }
}
