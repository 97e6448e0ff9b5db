/// What a Kinesis record's `Data` holds.
public enum StreamPayloadFormat: String, Sendable, Hashable, CaseIterable {
    /// A DynamoDB change record as DynamoDB's Kinesis streaming destination writes it
    /// (`eventName`, `dynamodb.NewImage`… with the time in milliseconds).
    case dynamodb
    /// A plain JSON object, one row (`{"dish": "pizza", "cost": 42}`): upserted as an INSERT whose
    /// `NewImage` holds the members (strings as `S`, numbers as `N` with their exact digits,
    /// Booleans, nulls, arrays as `L`, objects as `M`) and whose time is the record's arrival.
    case rows
}
