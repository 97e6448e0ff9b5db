import Foundation

extension AWSConfiguration {
    /// Reads a file's text, or returns nil when it does not exist.
    public typealias FileReader = @Sendable (String) -> String?

    /// Reads a file from disk; nil when it does not exist or cannot be read.
    public static let diskFileReader: FileReader = { path in
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// Resolves the configuration from an environment and the shared files (see the type's
    /// documentation for the order).
    /// - Parameters:
    ///   - environment: the variables to read (pass `ProcessInfo.processInfo.environment` in a program,
    ///     a literal dictionary in a test).
    ///   - profile: a profile chosen by the caller (like the AWS CLI's `--profile`); it wins over
    ///     `AWS_PROFILE` and over the environment's keys.
    ///   - readFile: how the shared files are read (injected for tests).
    /// - Throws: `AWSError(.configuration)` when a named profile exists in neither file, a file is
    ///   malformed, or the profile uses a credential provider lake does not implement (SSO,
    ///   `credential_process`, `role_arn`); `AWSError(.missingCredentials)` when only one of
    ///   `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY` is set.
    public static func resolve(
        environment: [String: String], profile explicitProfile: String? = nil,
        readFile: FileReader = diskFileReader
    ) throws(AWSError) -> AWSConfiguration {
        func env(_ name: String) -> String? {
            guard let value = environment[name]?.trimmingSpaces(), !value.isEmpty else { return nil }
            return value
        }
        let home = env("HOME") ?? "~"
        let credentialsPath =
            env("AWS_SHARED_CREDENTIALS_FILE").map { expandHome($0, home) } ?? "\(home)/.aws/credentials"
        let configPath = env("AWS_CONFIG_FILE").map { expandHome($0, home) } ?? "\(home)/.aws/config"
        let profileNamed = explicitProfile ?? env("AWS_PROFILE") ?? env("AWS_DEFAULT_PROFILE")
        let profile = profileNamed ?? "default"

        let credentialsFile = try readFile(credentialsPath).map { text throws(AWSError) in
            try AWSConfigFile(path: credentialsPath, text: text, kind: .credentials)
        }
        let configFile = try readFile(configPath).map { text throws(AWSError) in
            try AWSConfigFile(path: configPath, text: text, kind: .config)
        }
        let fromCredentials = credentialsFile?.profiles[profile]
        let fromConfig = configFile?.profiles[profile]
        if profileNamed != nil, fromCredentials == nil, fromConfig == nil {
            throw AWSError(
                .configuration,
                "AWS profile '\(profile)' is in neither \(credentialsPath) nor \(configPath) "
                    + "(set by \(explicitProfile != nil ? "the caller" : "AWS_PROFILE"))")
        }

        var configuration = AWSConfiguration(region: "us-east-1", credentials: nil, profile: profile)
        configuration.regionSource = .defaultValue

        // Credentials.
        let keyID = env("AWS_ACCESS_KEY_ID")
        let secret = env("AWS_SECRET_ACCESS_KEY")
        if explicitProfile == nil, keyID != nil || secret != nil {
            guard let keyID, let secret else {
                let missing = keyID == nil ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY"
                let present = keyID == nil ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID"
                throw AWSError(.missingCredentials, "\(present) is set but \(missing) is not; set both")
            }
            let token = env("AWS_SESSION_TOKEN") ?? env("AWS_SECURITY_TOKEN")
            configuration.credentials = AWSCredentials(accessKeyID: keyID, secretAccessKey: secret, sessionToken: token)
            configuration.credentialSource = .environment(
                "AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY" + (token == nil ? "" : ", AWS_SESSION_TOKEN"))
        } else {
            for (settings, path) in [(fromCredentials, credentialsPath), (fromConfig, configPath)] {
                guard let settings else { continue }
                if let credentials = try profileCredentials(settings, profile: profile, path: path) {
                    configuration.credentials = credentials
                    configuration.credentialSource = .profile(name: profile, file: path)
                    break
                }
            }
        }

        // Region.
        if let region = env("AWS_REGION") {
            configuration.region = region
            configuration.regionSource = .environment("AWS_REGION")
        } else if let region = env("AWS_DEFAULT_REGION") {
            configuration.region = region
            configuration.regionSource = .environment("AWS_DEFAULT_REGION")
        } else if let region = fromConfig?["region"], !region.isEmpty {
            configuration.region = region
            configuration.regionSource = .profile(name: profile, file: configPath)
        }

        // Endpoints.
        if env("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")?.lowercased() != "true" {
            for (name, value) in environment where name.hasPrefix("AWS_ENDPOINT_URL") {
                let trimmed = value.trimmingSpaces()
                guard !trimmed.isEmpty else { continue }
                let service = name == "AWS_ENDPOINT_URL" ? "" : String(name.dropFirst("AWS_ENDPOINT_URL_".count))
                guard name == "AWS_ENDPOINT_URL" || name.hasPrefix("AWS_ENDPOINT_URL_") else { continue }
                configuration.endpointOverrides[service] = (trimmed, .environment(name))
            }
            if configuration.endpointOverrides[""] == nil, let url = fromConfig?["endpoint_url"], !url.isEmpty {
                configuration.endpointOverrides[""] = (url, .profile(name: profile, file: configPath))
            }
        }
        return configuration
    }

    /// The static credentials of a profile, nil when it has none.
    static func profileCredentials(
        _ settings: [String: String], profile: String, path: String
    ) throws(AWSError) -> AWSCredentials? {
        let keyID = settings["aws_access_key_id"].flatMap { $0.isEmpty ? nil : $0 }
        let secret = settings["aws_secret_access_key"].flatMap { $0.isEmpty ? nil : $0 }
        if let keyID, let secret {
            let token = settings["aws_session_token"].flatMap { $0.isEmpty ? nil : $0 }
            return AWSCredentials(accessKeyID: keyID, secretAccessKey: secret, sessionToken: token)
        }
        if keyID != nil || secret != nil {
            let missing = keyID == nil ? "aws_access_key_id" : "aws_secret_access_key"
            throw AWSError(.missingCredentials, "profile \(profile) in \(path) has no \(missing)")
        }
        for provider in ["role_arn", "credential_process", "sso_session", "sso_start_url", "web_identity_token_file"]
        where settings[provider] != nil {
            throw AWSError(
                .configuration,
                "profile \(profile) in \(path) uses '\(provider)', a credential provider lake does not support; "
                    + "export static credentials (for example with `aws configure export-credentials --format env`)")
        }
        return nil
    }

    static func expandHome(_ path: String, _ home: String) -> String {
        path.hasPrefix("~/") ? home + path.dropFirst() : path
    }
}
