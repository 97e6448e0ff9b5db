/// An AWS service as lake talks to it: the name it signs with, the host prefix of its AWS endpoint,
/// and the suffix of its `AWS_ENDPOINT_URL_<SERVICE>` variable.
public struct AWSService: Sendable, Hashable, CustomStringConvertible {
    /// The SigV4 signing name (the credential scope's service: `s3`, `kinesis`, `dynamodb`, `glue`).
    public var signingName: String
    /// The first label(s) of the AWS endpoint host (`s3`, `kinesis`, `streams.dynamodb`, `glue`).
    public var endpointPrefix: String
    /// The service id in upper snake case, as in `AWS_ENDPOINT_URL_<ID>` (`S3`, `DYNAMODB_STREAMS`).
    public var environmentID: String
    /// Whether the service follows S3's signing rules: the canonical URI is the path as sent (no
    /// second encoding, no normalisation) and `x-amz-content-sha256` is a signed header.
    public var usesS3SigningRules: Bool

    public init(signingName: String, endpointPrefix: String, environmentID: String, usesS3SigningRules: Bool = false) {
        self.signingName = signingName
        self.endpointPrefix = endpointPrefix
        self.environmentID = environmentID
        self.usesS3SigningRules = usesS3SigningRules
    }

    /// Amazon S3 (and S3-compatible stores).
    public static let s3 = AWSService(
        signingName: "s3", endpointPrefix: "s3", environmentID: "S3", usesS3SigningRules: true)
    /// Amazon Kinesis Data Streams (JSON 1.1, target prefix `Kinesis_20131202`).
    public static let kinesis = AWSService(signingName: "kinesis", endpointPrefix: "kinesis", environmentID: "KINESIS")
    /// Amazon DynamoDB (JSON 1.0, target prefix `DynamoDB_20120810`).
    public static let dynamoDB = AWSService(
        signingName: "dynamodb", endpointPrefix: "dynamodb", environmentID: "DYNAMODB")
    /// DynamoDB Streams (JSON 1.0, target prefix `DynamoDBStreams_20120810`); signs as `dynamodb`.
    public static let dynamoDBStreams = AWSService(
        signingName: "dynamodb", endpointPrefix: "streams.dynamodb", environmentID: "DYNAMODB_STREAMS")
    /// The AWS Glue Data Catalog (JSON 1.1, target prefix `AWSGlue`).
    public static let glue = AWSService(signingName: "glue", endpointPrefix: "glue", environmentID: "GLUE")

    public var description: String { endpointPrefix }
}
