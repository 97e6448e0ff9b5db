import Foundation
import LakeTestSupport
import Testing

@testable import LakeAWS

/// lake's SigV4 signer against botocore's (an independent implementation, pinned in
/// scripts/requirements-test.txt): thousands of seeded random requests must get byte-identical
/// URLs and `Authorization` headers.
@Suite struct SigV4BotocoreTests {
    struct Case {
        var id: Int
        var service: AWSService
        var region: String
        var request: AWSRequest
        var rawPath: String
        var credentials: AWSCredentials
        var time: AWSTimestamp
    }

    static let caseCount = 3000

    @Test func randomRequestsSignLikeBotocore() throws {
        var rng = SplitMix(seed: 0x5167_4E34)
        let cases = (0..<Self.caseCount).map { Self.randomCase(id: $0, &rng) }
        let directory = ServerProcess.temporaryDirectory("lake-sigv4")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let input = directory + "/cases.jsonl"
        var lines = ""
        for c in cases { lines += try Self.json(c) + "\n" }
        try lines.write(toFile: input, atomically: true, encoding: .utf8)

        let output = try Self.runOracle(input: input)
        let answers = output.split(separator: "\n").map { Data($0.utf8) }
        try #require(answers.count == cases.count, "botocore answered \(answers.count) of \(cases.count) cases")

        var mismatches = 0
        var coverage: [String: Int] = [:]
        for (c, line) in zip(cases, answers) {
            let answer = try #require(try JSONSerialization.jsonObject(with: line) as? [String: Any])
            let signed = SigV4Signer(credentials: c.credentials, region: c.region, service: c.service).sign(
                c.request, at: c.time)
            let url = answer["url"] as? String
            let authorization = answer["authorization"] as? String
            if url != c.request.urlString || authorization != signed.authorization {
                mismatches += 1
                if mismatches <= 3 {
                    Issue.record(
                        """
                        case \(c.id) (\(c.service.signingName) \(c.request.method) \(c.rawPath.debugDescription)) \
                        differs:
                        lake URL      \(c.request.urlString)
                        botocore URL  \(url ?? "nil")
                        lake          \(signed.authorization)
                        botocore      \(authorization ?? "nil")
                        lake canonical request:
                        \(signed.canonicalRequest)
                        botocore canonical request:
                        \(answer["canonical_request"] as? String ?? "nil")
                        """)
                }
            }
            coverage[c.service.usesS3SigningRules ? "s3" : "json/rest"] =
                (coverage[c.service.usesS3SigningRules ? "s3" : "json/rest"] ?? 0) + 1
            if c.credentials.sessionToken != nil { coverage["session token", default: 0] += 1 }
            if !c.request.signsPayload { coverage["unsigned payload", default: 0] += 1 }
            if c.request.body.count > 100_000 { coverage["large body", default: 0] += 1 }
            if c.rawPath.unicodeScalars.contains(where: { $0.value > 127 }) {
                coverage["unicode path", default: 0] += 1
            }
            if c.rawPath.contains("//") { coverage["empty segment", default: 0] += 1 }
            if !c.request.query.isEmpty { coverage["query", default: 0] += 1 }
        }
        #expect(mismatches == 0, "\(mismatches) of \(cases.count) requests signed differently")
        // The generator must reach what it claims to test.
        for (what, minimum) in [
            ("s3", 1000), ("json/rest", 1000), ("session token", 500), ("unsigned payload", 100), ("large body", 5),
            ("unicode path", 300), ("empty segment", 100), ("query", 1000),
        ] {
            #expect((coverage[what] ?? 0) >= minimum, "only \(coverage[what] ?? 0) cases with \(what)")
        }
    }

    /// Runs the botocore helper and returns its standard output.
    static func runOracle(input: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: RepositoryPaths.venv("python"))
        process.arguments = [RepositoryPaths.root + "/Tests/LakeAWSTests/botocore_sigv4.py", input]
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ServerProcessError("botocore helper failed: \(String(decoding: errors, as: UTF8.self).suffix(2000))")
        }
        return String(decoding: data, as: UTF8.self)
    }

    static func json(_ c: Case) throws -> String {
        let object: [String: Any] = [
            "id": c.id, "service": c.service.signingName, "s3": c.service.usesS3SigningRules, "region": c.region,
            "method": c.request.method, "scheme": c.request.endpoint.scheme, "host": c.request.endpoint.authority,
            "path": c.rawPath,
            "query": c.request.query.map { [$0.name, $0.value as Any? ?? NSNull()] },
            "headers": c.request.headers.map { [$0.name, $0.value] },
            "body": Data(c.request.body).base64EncodedString(), "unsigned": !c.request.signsPayload,
            "access": c.credentials.accessKeyID, "secret": c.credentials.secretAccessKey,
            "token": c.credentials.sessionToken as Any? ?? NSNull(), "amzdate": c.time.amzDate,
        ]
        return String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    // MARK: Generator

    static let pieces: [String] = [
        "a", "B", "z9", "data", "part-0001", " ", "  ", "+", "~", "%", "%20", "%2F", "!", "*", "'", "(", ")", "&", "$",
        "@",
        "=", ";", ":", ",", "?", "#", "[", "]", "\"", "<", ">", "{", "}", "|", "\\", "^", "`", "-", "_", ".", "..",
        "é",
        "ß", "日本", "😀", "e\u{301}", "\u{1234}", "\t", "\u{7F}", "ü/ö", "year=2024", "dt=2024-01-01 00:00:00",
    ]

    static func randomString(_ rng: inout SplitMix, maxPieces: Int, allowSlash: Bool) -> String {
        var s = ""
        for _ in 0..<Int.random(in: 0...maxPieces, using: &rng) {
            if allowSlash, Int.random(in: 0..<5, using: &rng) == 0 { s += Bool.random(using: &rng) ? "/" : "//" }
            s += pieces.randomElement(using: &rng)!
        }
        return s
    }

    static let services: [AWSService] = [
        .s3, .s3, .kinesis, .dynamoDBStreams, .glue,
        AWSService(signingName: "execute-api", endpointPrefix: "execute-api", environmentID: "EXECUTE_API"),
    ]
    static let regions = ["us-east-1", "eu-west-1", "ap-southeast-2", "cn-north-1", "us-gov-west-1"]
    static let hosts =
        [
            ("https", "s3.us-east-1.amazonaws.com", nil), ("https", "lake-bucket.s3.eu-west-1.amazonaws.com", nil),
            ("http", "127.0.0.1", 8333), ("http", "localhost", 4566), ("https", "kinesis.us-west-2.amazonaws.com", 443),
            ("http", "[::1]", 9000), ("http", "Example.COM", 80),
        ] as [(String, String, Int?)]
    static let headerNames = [
        "Content-Type", "x-amz-meta-name", "X-Amz-Meta-Odd_Name", "Range", "If-None-Match", "My-Header",
        "x-amz-target", "Content-MD5", "User-Agent", "X-Amz-Date", "Expect", "x-amz-storage-class",
    ]
    static let headerValues = [
        "application/octet-stream", "  padded  ", "a   b\tc", "bytes=0-9", "*", "\"quoted,  value\"", "x,y", "",
        "Kinesis_20131202.GetRecords", "text/plain; charset=utf-8", "100-continue", "lake/1.0 (linux)",
    ]
    static let secretAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+")

    static func randomCase(id: Int, _ rng: inout SplitMix) -> Case {
        let service = services.randomElement(using: &rng)!
        let (scheme, host, port) = hosts.randomElement(using: &rng)!
        let endpoint = AWSEndpoint(scheme: scheme, host: host, port: port, isCustom: true)
        var rawPath = "/" + randomString(&rng, maxPieces: 6, allowSlash: true)
        if Int.random(in: 0..<8, using: &rng) == 0 { rawPath += "/" }
        var query: [(name: String, value: String?)] = []
        if Int.random(in: 0..<3, using: &rng) > 0 {
            for _ in 0..<Int.random(in: 1...5, using: &rng) {
                let repeatName = !query.isEmpty && Int.random(in: 0..<4, using: &rng) == 0
                let name =
                    repeatName
                    ? query.randomElement(using: &rng)!.name : randomString(&rng, maxPieces: 2, allowSlash: true)
                let value: String? =
                    Int.random(in: 0..<6, using: &rng) == 0 ? nil : randomString(&rng, maxPieces: 3, allowSlash: true)
                if name.isEmpty && value == nil { continue }  // a bare empty key is not a parameter
                query.append((name, value))
            }
        }
        var headers: [(name: String, value: String)] = []
        for _ in 0..<Int.random(in: 0...4, using: &rng) {
            headers.append((headerNames.randomElement(using: &rng)!, headerValues.randomElement(using: &rng)!))
        }
        var body: [UInt8] = []
        switch Int.random(in: 0..<100, using: &rng) {
        case 0..<40: break
        case 40..<98:
            body = (0..<Int.random(in: 1...4096, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
        default: body = [UInt8](repeating: UInt8(id & 0xFF), count: Int.random(in: 200_000...2_000_000, using: &rng))
        }
        let request = AWSRequest(
            method: ["GET", "PUT", "POST", "DELETE", "HEAD", "PATCH"].randomElement(using: &rng)!, endpoint: endpoint,
            encodedPath: AWSURIEncoding.encode(rawPath, keepingSlash: true), query: query, headers: headers, body: body,
            signsPayload: !(service.usesS3SigningRules && Int.random(in: 0..<6, using: &rng) == 0))
        var finalRequest = request
        if !request.signsPayload { finalRequest.endpoint.scheme = "https" }  // botocore honours unsigned over TLS
        let secret = String((0..<40).map { _ in secretAlphabet.randomElement(using: &rng)! })
        let token =
            Bool.random(using: &rng)
            ? nil
            : String(
                (0..<Int.random(in: 20...300, using: &rng)).map { _ in secretAlphabet.randomElement(using: &rng)! })
                + "=="
        let credentials = AWSCredentials(accessKeyID: "AKID" + String(id), secretAccessKey: secret, sessionToken: token)
        let time = AWSTimestamp(secondsSince1970: Int64.random(in: 946_684_800...4_102_444_799, using: &rng))
        return Case(
            id: id, service: service, region: regions.randomElement(using: &rng)!, request: finalRequest,
            rawPath: rawPath,
            credentials: credentials, time: time)
    }
}
