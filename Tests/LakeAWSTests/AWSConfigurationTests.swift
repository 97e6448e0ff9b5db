import Testing

@testable import LakeAWS

@Suite struct AWSConfigurationTests {
    /// A file reader over an in-memory map of paths to contents.
    static func files(_ map: [String: String]) -> AWSConfiguration.FileReader {
        { path in map[path] }
    }

    static let credentialsFile = """
        # shared credentials
        [default]
        aws_access_key_id = AKIDDEFAULT
        aws_secret_access_key = secretDefault

        [work]
        aws_access_key_id=AKIDWORK
        aws_secret_access_key=secret/Work+1   ; inline comment
        aws_session_token = tokenWork

        [half]
        aws_access_key_id = AKIDHALF
        """

    static let configFile = """
        [default]
        region = eu-west-1

        [profile work]
        region = ap-southeast-2
        s3 =
          addressing_style = path
        endpoint_url = http://127.0.0.1:9000

        [profile onlyconfig]
        aws_access_key_id = AKIDCONFIG
        aws_secret_access_key = secretConfig
        region = us-west-2

        [profile sso]
        sso_session = my-sso
        sso_account_id = 1

        [work]
        region = should-be-ignored
        """

    static let home = ["HOME": "/home/u"]
    static let reader = files(["/home/u/.aws/credentials": credentialsFile, "/home/u/.aws/config": configFile])

    @Test func environmentKeysWinOverTheDefaultProfile() throws {
        var env = Self.home
        env["AWS_ACCESS_KEY_ID"] = "AKIDENV"
        env["AWS_SECRET_ACCESS_KEY"] = "secretEnv"
        env["AWS_SESSION_TOKEN"] = "tokenEnv"
        let c = try AWSConfiguration.resolve(environment: env, readFile: Self.reader)
        #expect(
            c.credentials
                == AWSCredentials(accessKeyID: "AKIDENV", secretAccessKey: "secretEnv", sessionToken: "tokenEnv"))
        #expect(c.credentialSource == .environment("AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN"))
        #expect(c.region == "eu-west-1")  // from the default profile's config
        #expect(c.regionSource == .profile(name: "default", file: "/home/u/.aws/config"))
    }

    @Test func environmentKeysWinOverAWSProfileButAnExplicitProfileWins() throws {
        var env = Self.home
        env["AWS_ACCESS_KEY_ID"] = "AKIDENV"
        env["AWS_SECRET_ACCESS_KEY"] = "secretEnv"
        env["AWS_PROFILE"] = "work"
        let fromEnv = try AWSConfiguration.resolve(environment: env, readFile: Self.reader)
        #expect(fromEnv.credentials?.accessKeyID == "AKIDENV")
        #expect(fromEnv.region == "ap-southeast-2")
        let explicit = try AWSConfiguration.resolve(environment: env, profile: "work", readFile: Self.reader)
        #expect(explicit.credentials?.accessKeyID == "AKIDWORK")
        #expect(explicit.credentials?.secretAccessKey == "secret/Work+1")
        #expect(explicit.credentials?.sessionToken == "tokenWork")
        #expect(explicit.credentialSource == .profile(name: "work", file: "/home/u/.aws/credentials"))
    }

    @Test func profileFromAWSProfileWithRegionAndEndpointFromConfig() throws {
        var env = Self.home
        env["AWS_PROFILE"] = "work"
        let c = try AWSConfiguration.resolve(environment: env, readFile: Self.reader)
        #expect(c.credentials?.accessKeyID == "AKIDWORK")
        #expect(c.region == "ap-southeast-2")
        let s3 = try c.endpoint(for: .s3)
        #expect(s3 == AWSEndpoint(scheme: "http", host: "127.0.0.1", port: 9000, isCustom: true))
        #expect(c.endpointSource(for: .s3) == .profile(name: "work", file: "/home/u/.aws/config"))
    }

    @Test func credentialsMayLiveInTheConfigFile() throws {
        var env = Self.home
        env["AWS_PROFILE"] = "onlyconfig"
        let c = try AWSConfiguration.resolve(environment: env, readFile: Self.reader)
        #expect(c.credentials?.accessKeyID == "AKIDCONFIG")
        #expect(c.credentialSource == .profile(name: "onlyconfig", file: "/home/u/.aws/config"))
        #expect(c.region == "us-west-2")
    }

    @Test func regionPrecedence() throws {
        var env = Self.home
        env["AWS_DEFAULT_REGION"] = "sa-east-1"
        #expect(try AWSConfiguration.resolve(environment: env, readFile: Self.reader).region == "sa-east-1")
        env["AWS_REGION"] = "ca-central-1"
        let c = try AWSConfiguration.resolve(environment: env, readFile: Self.reader)
        #expect(c.region == "ca-central-1")
        #expect(c.regionSource == .environment("AWS_REGION"))
        let none = try AWSConfiguration.resolve(environment: [:], readFile: Self.files([:]))
        #expect(none.region == "us-east-1")
        #expect(none.regionSource == .defaultValue)
        #expect(none.credentials == nil)
    }

    @Test func fileLocationsFromTheEnvironment() throws {
        let env = ["AWS_SHARED_CREDENTIALS_FILE": "/etc/lake/creds", "AWS_CONFIG_FILE": "/etc/lake/conf", "HOME": "/h"]
        let reader = Self.files([
            "/etc/lake/creds": "[default]\naws_access_key_id=A\naws_secret_access_key=B\n",
            "/etc/lake/conf": "[default]\nregion=eu-north-1\n",
        ])
        let c = try AWSConfiguration.resolve(environment: env, readFile: reader)
        #expect(c.credentials?.accessKeyID == "A")
        #expect(c.credentialSource == .profile(name: "default", file: "/etc/lake/creds"))
        #expect(c.region == "eu-north-1")
    }

    @Test func serviceSpecificEndpointsWinOverTheGlobalOne() throws {
        var env = Self.home
        env["AWS_ENDPOINT_URL"] = "http://localhost:5055"
        env["AWS_ENDPOINT_URL_S3"] = "http://127.0.0.1:8333/"
        let c = try AWSConfiguration.resolve(environment: env, readFile: Self.reader)
        #expect(try c.endpoint(for: .s3).description == "http://127.0.0.1:8333")
        #expect(try c.endpoint(for: .kinesis).description == "http://localhost:5055")
        #expect(try c.endpoint(for: .dynamoDBStreams).description == "http://localhost:5055")
        env["AWS_ENDPOINT_URL_DYNAMODB_STREAMS"] = "https://streams.example:443"
        let d = try AWSConfiguration.resolve(environment: env, readFile: Self.reader)
        #expect(try d.endpoint(for: .dynamoDBStreams).description == "https://streams.example")
        #expect(d.endpointSource(for: .dynamoDBStreams) == .environment("AWS_ENDPOINT_URL_DYNAMODB_STREAMS"))
        env["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"] = "true"
        let ignored = try AWSConfiguration.resolve(environment: env, readFile: Self.reader)
        #expect(try ignored.endpoint(for: .s3).description == "https://s3.eu-west-1.amazonaws.com")
    }

    @Test func awsEndpointsByServiceAndRegion() {
        #expect(AWSEndpoint.aws(.kinesis, region: "us-west-2").description == "https://kinesis.us-west-2.amazonaws.com")
        #expect(
            AWSEndpoint.aws(.dynamoDBStreams, region: "eu-west-1").description
                == "https://streams.dynamodb.eu-west-1.amazonaws.com")
        #expect(AWSEndpoint.aws(.glue, region: "cn-north-1").description == "https://glue.cn-north-1.amazonaws.com.cn")
    }

    @Test func describeNamesSourcesButNeverTheSecret() throws {
        var env = Self.home
        env["AWS_PROFILE"] = "work"
        let c = try AWSConfiguration.resolve(environment: env, readFile: Self.reader)
        let text = c.describe(services: [.s3, .kinesis]).joined(separator: "\n")
        #expect(text.contains("profile work in /home/u/.aws/credentials"))
        #expect(text.contains("AKIDWORK"))
        #expect(!text.contains("secret/Work+1"))
        #expect(!text.contains("tokenWork"))
        #expect(text.contains("s3 endpoint: http://127.0.0.1:9000"))
        #expect(!"\(c.credentials!)".contains("secret"))
    }

    @Test func errorsNameTheProblem() throws {
        var env = Self.home
        env["AWS_PROFILE"] = "nosuch"
        let missing = #expect(throws: AWSError.self) {
            try AWSConfiguration.resolve(environment: env, readFile: Self.reader)
        }
        #expect(missing?.code == .configuration)
        #expect(missing?.message.contains("'nosuch'") == true)
        #expect(missing?.message.contains("/home/u/.aws/credentials") == true)

        env["AWS_PROFILE"] = "half"
        let half = #expect(throws: AWSError.self) {
            try AWSConfiguration.resolve(environment: env, readFile: Self.reader)
        }
        #expect(half?.code == .missingCredentials)
        #expect(half?.message.contains("aws_secret_access_key") == true)

        env["AWS_PROFILE"] = "sso"
        let sso = #expect(throws: AWSError.self) {
            try AWSConfiguration.resolve(environment: env, readFile: Self.reader)
        }
        #expect(sso?.code == .configuration)
        #expect(sso?.message.contains("sso_session") == true)

        let onlyKey = #expect(throws: AWSError.self) {
            try AWSConfiguration.resolve(environment: ["AWS_ACCESS_KEY_ID": "A"], readFile: Self.files([:]))
        }
        #expect(onlyKey?.message.contains("AWS_SECRET_ACCESS_KEY is not") == true)

        let badURL = AWSConfiguration(
            region: "us-east-1", credentials: nil,
            endpointOverrides: ["S3": ("ftp://x", .environment("AWS_ENDPOINT_URL_S3"))])
        let bad = #expect(throws: AWSError.self) { try badURL.endpoint(for: .s3) }
        #expect(bad?.message.contains("ftp://x") == true)
        #expect(bad?.message.contains("AWS_ENDPOINT_URL_S3") == true)

        let noCredentials = #expect(throws: AWSError.self) { try badURL.requireCredentials() }
        #expect(noCredentials?.code == .missingCredentials)
    }

    @Test func malformedFileNamesFileAndLine() {
        let reader = Self.files(["/h/.aws/credentials": "[default]\naws_access_key_id A\n"])
        let error = #expect(throws: AWSError.self) {
            try AWSConfiguration.resolve(environment: ["HOME": "/h"], readFile: reader)
        }
        #expect(error?.message.contains("/h/.aws/credentials line 2") == true)
    }

    @Test func endpointURLParsing() throws {
        #expect(try AWSEndpoint(url: "http://[::1]:9000", origin: "t").authority == "[::1]:9000")
        #expect(try AWSEndpoint(url: "HTTP://Example.COM:80", origin: "t").description == "http://example.com")
        #expect(throws: AWSError.self) { try AWSEndpoint(url: "http://h:99999", origin: "t") }
        #expect(throws: AWSError.self) { try AWSEndpoint(url: "http://h/base/path", origin: "t") }
        #expect(throws: AWSError.self) { try AWSEndpoint(url: "127.0.0.1:8333", origin: "t") }
    }
}
