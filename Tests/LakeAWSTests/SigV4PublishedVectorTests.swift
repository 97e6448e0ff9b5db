import Testing

@testable import LakeAWS

/// lake's signer against signatures AWS published: the SigV4 test suite (service `service`,
/// 2015-08-30) and the worked examples of the S3 documentation (2013-05-24). The expected values
/// come from AWS, not from lake.
@Suite struct SigV4PublishedVectorTests {
    static let suiteCredentials = AWSCredentials(
        accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
    static let suiteService = AWSService(signingName: "service", endpointPrefix: "example", environmentID: "SERVICE")
    static let suiteEndpoint = AWSEndpoint(scheme: "https", host: "example.amazonaws.com", isCustom: false)
    static let suiteTime = AWSTimestamp(amzDate: "20150830T123600Z")!

    struct Vector: CustomTestStringConvertible {
        var name: String
        var method: String
        var path: String = "/"
        var query: [(name: String, value: String?)] = []
        var headers: [(name: String, value: String)] = []
        var signedHeaders: String = "host;x-amz-date"
        var signature: String
        var testDescription: String { name }
    }

    static let unreserved = "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

    static let suite: [Vector] = [
        Vector(
            name: "get-vanilla", method: "GET",
            signature: "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
        Vector(
            name: "get-vanilla-empty-query-key", method: "GET", query: [("Param1", "value1")],
            signature: "a67d582fa61cc504c4bae71f336f98b97f1ea3c7a6bfe1b6e45aec72011b9aeb"),
        Vector(
            name: "get-vanilla-query-order-key", method: "GET", query: [("Param1", "value2"), ("Param1", "Value1")],
            signature: "eedbc4e291e521cf13422ffca22be7d2eb8146eecf653089df300a15b2382bd1"),
        Vector(
            name: "get-vanilla-query-order-key-case", method: "GET",
            query: [("Param2", "value2"), ("Param1", "value1")],
            signature: "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"),
        Vector(
            name: "get-vanilla-query-order-value", method: "GET", query: [("Param1", "value2"), ("Param1", "value1")],
            signature: "5772eed61e12b33fae39ee5e7012498b51d56abc0abb7c60486157bd471c4694"),
        Vector(
            name: "get-vanilla-query-unreserved", method: "GET", query: [(unreserved, unreserved)],
            signature: "9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197"),
        Vector(
            name: "get-vanilla-utf8-query", method: "GET", query: [("\u{1234}", "bar")],
            signature: "2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04"),
        Vector(
            name: "get-unreserved", method: "GET", path: "/" + unreserved,
            signature: "07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f"),
        Vector(
            name: "get-header-key-duplicate", method: "GET",
            headers: [("My-Header1", "value2"), ("My-Header1", "value2"), ("My-Header1", "value1")],
            signedHeaders: "host;my-header1;x-amz-date",
            signature: "c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea"),
        Vector(
            name: "get-header-value-order", method: "GET",
            headers: [
                ("My-Header1", "value4"), ("My-Header1", "value1"), ("My-Header1", "value3"), ("My-Header1", "value2"),
            ],
            signedHeaders: "host;my-header1;x-amz-date",
            signature: "08c7e5a9acfcfeb3ab6b2185e75ce8b1deb5e634ec47601a50643f830c755c01"),
        Vector(
            name: "get-header-value-trim", method: "GET",
            headers: [("My-Header1", " value1"), ("My-Header2", " \"a   b   c\"")],
            signedHeaders: "host;my-header1;my-header2;x-amz-date",
            signature: "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736"),
        Vector(
            name: "post-vanilla", method: "POST",
            signature: "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"),
        Vector(
            name: "post-header-key-sort", method: "POST", headers: [("My-Header1", "value1")],
            signedHeaders: "host;my-header1;x-amz-date",
            signature: "c5410059b04c1ee005303aed430f6e6645f61f4dc9e1461ec8f8916fdf18852c"),
        Vector(
            name: "post-header-value-case", method: "POST", headers: [("My-Header1", "VALUE1")],
            signedHeaders: "host;my-header1;x-amz-date",
            signature: "cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d"),
        Vector(
            name: "post-vanilla-query", method: "POST", query: [("Param1", "value1")],
            signature: "28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11"),
    ]

    @Test(arguments: suite)
    func awsTestSuite(_ vector: Vector) {
        let signer = SigV4Signer(credentials: Self.suiteCredentials, region: "us-east-1", service: Self.suiteService)
        let request = AWSRequest(
            method: vector.method, endpoint: Self.suiteEndpoint,
            encodedPath: AWSURIEncoding.encode(vector.path, keepingSlash: true), query: vector.query,
            headers: vector.headers)
        let signed = signer.sign(request, at: Self.suiteTime)
        let expected =
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
            + "SignedHeaders=\(vector.signedHeaders), Signature=\(vector.signature)"
        #expect(signed.authorization == expected, "canonical request:\n\(signed.canonicalRequest)")
    }

    @Test func trimmedHeaderCanonicalRequest() {
        let signer = SigV4Signer(credentials: Self.suiteCredentials, region: "us-east-1", service: Self.suiteService)
        let request = AWSRequest(
            method: "GET", endpoint: Self.suiteEndpoint,
            headers: [("My-Header1", " value1"), ("My-Header2", " \"a   b   c\"")])
        #expect(
            signer.sign(request, at: Self.suiteTime).canonicalRequest
                == "GET\n/\n\nhost:example.amazonaws.com\nmy-header1:value1\nmy-header2:\"a b c\"\n"
                + "x-amz-date:20150830T123600Z\n\nhost;my-header1;my-header2;x-amz-date\n"
                + "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    // MARK: S3 documentation examples

    static let s3Credentials = AWSCredentials(
        accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    static let s3Endpoint = AWSEndpoint(scheme: "https", host: "examplebucket.s3.amazonaws.com", isCustom: false)
    static let s3Time = AWSTimestamp(amzDate: "20130524T000000Z")!

    func s3Authorization(_ request: AWSRequest) -> String {
        SigV4Signer(credentials: Self.s3Credentials, region: "us-east-1", service: .s3).sign(request, at: Self.s3Time)
            .authorization
    }

    @Test func s3GetObjectWithRange() {
        let request = AWSRequest(
            method: "GET", endpoint: Self.s3Endpoint, encodedPath: "/test.txt", headers: [("Range", "bytes=0-9")])
        #expect(
            s3Authorization(request)
                == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
                + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
                + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
    }

    @Test func s3PutObject() {
        let request = AWSRequest(
            method: "PUT", endpoint: Self.s3Endpoint,
            encodedPath: AWSURIEncoding.encode("/test$file.text", keepingSlash: true),
            headers: [("Date", "Fri, 24 May 2013 00:00:00 GMT"), ("x-amz-storage-class", "REDUCED_REDUNDANCY")],
            body: Array("Welcome to Amazon S3.".utf8))
        #expect(
            s3Authorization(request)
                == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
                + "SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class, "
                + "Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd")
    }

    @Test func s3GetBucketLifecycle() {
        let request = AWSRequest(method: "GET", endpoint: Self.s3Endpoint, query: [("lifecycle", nil)])
        #expect(
            s3Authorization(request).hasSuffix(
                "SignedHeaders=host;x-amz-content-sha256;x-amz-date, "
                    + "Signature=fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543"))
    }

    @Test func s3ListObjects() {
        let request = AWSRequest(method: "GET", endpoint: Self.s3Endpoint, query: [("max-keys", "2"), ("prefix", "J")])
        #expect(
            s3Authorization(request).hasSuffix(
                "SignedHeaders=host;x-amz-content-sha256;x-amz-date, "
                    + "Signature=34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7"))
    }

    @Test func timestampFormatting() {
        #expect(AWSTimestamp(secondsSince1970: 0).amzDate == "19700101T000000Z")
        #expect(AWSTimestamp(secondsSince1970: 1_440_938_160).amzDate == "20150830T123600Z")
        #expect(AWSTimestamp(secondsSince1970: 951_782_400).amzDate == "20000229T000000Z")
        #expect(AWSTimestamp(amzDate: "20991231T235959Z")!.amzDate == "20991231T235959Z")
    }
}
