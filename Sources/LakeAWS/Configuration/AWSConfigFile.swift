/// One of the shared AWS files (`~/.aws/credentials` or `~/.aws/config`), parsed into profiles.
///
/// The format is the INI dialect every AWS SDK reads: `[name]` sections (in the config file
/// `[profile name]`, except `[default]`), `key = value` lines, comments starting with `#` or `;`.
/// Indented lines under a key with an empty value form a nested block (`s3 =` followed by
/// `  addressing_style = path`); they are kept as `parent.key`.
public struct AWSConfigFile: Sendable, Equatable {
    /// Whether section names follow the config file's `[profile name]` rule.
    public enum Kind: Sendable { case credentials, config }

    /// The path the file was read from (for messages).
    public var path: String
    /// Profile name → settings (keys lowercased).
    public var profiles: [String: [String: String]]

    /// Parses the text of a shared file.
    /// - Throws: `AWSError(.configuration)` naming the file and line of a line that is neither a
    ///   section, a setting, a comment nor blank.
    public init(path: String, text: String, kind: Kind) throws(AWSError) {
        self.path = path
        var profiles: [String: [String: String]] = [:]
        var current: String?
        var nestedParent: String?
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            let trimmed = line.trimmingSpaces()
            if trimmed.isEmpty || trimmed.hasPrefix("#") || trimmed.hasPrefix(";") { continue }
            if trimmed.hasPrefix("[") {
                guard let close = trimmed.lastIndex(of: "]") else {
                    throw AWSError(.configuration, "\(path) line \(lineNumber): section '\(trimmed)' has no ']'")
                }
                let name = trimmed[trimmed.index(after: trimmed.startIndex)..<close].trimmingSpaces()
                current = Self.profileName(section: name, kind: kind)
                nestedParent = nil
                if let current, profiles[current] == nil { profiles[current] = [:] }
                continue
            }
            guard let equals = trimmed.firstIndex(of: "=") else {
                throw AWSError(.configuration, "\(path) line \(lineNumber): expected 'key = value', found '\(trimmed)'")
            }
            guard let profile = current else { continue }  // settings before any section are ignored, as the SDKs do
            let key = trimmed[..<equals].trimmingSpaces().lowercased()
            let value = Self.stripInlineComment(trimmed[trimmed.index(after: equals)...].trimmingSpaces())
            let indented = line.first == " " || line.first == "\t"
            if indented, let parent = nestedParent {
                profiles[profile]?["\(parent).\(key)"] = value
            } else {
                profiles[profile]?[key] = value
                nestedParent = value.isEmpty ? key : nil
            }
        }
        self.profiles = profiles
    }

    /// The profile name a section header stands for, or nil for sections that are not profiles
    /// (`[sso-session x]`, `[services x]`, and in the config file a bare `[x]` other than default).
    static func profileName(section: String, kind: Kind) -> String? {
        switch kind {
        case .credentials:
            return section
        case .config:
            if section == "default" { return "default" }
            if section.hasPrefix("profile ") || section.hasPrefix("profile\t") {
                return String(section.dropFirst("profile".count)).trimmingSpaces()
            }
            return nil
        }
    }

    /// Removes a ` #` or ` ;` comment that follows a value.
    static func stripInlineComment(_ value: String) -> String {
        var previous: Character = " "
        for index in value.indices {
            let c = value[index]
            if (c == "#" || c == ";") && (previous == " " || previous == "\t") {
                return String(value[..<index]).trimmingSpaces()
            }
            previous = c
        }
        return value
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs.
    func trimmingSpaces() -> String {
        var start = startIndex
        var end = endIndex
        while start < end, self[start] == " " || self[start] == "\t" { start = index(after: start) }
        while end > start {
            let before = index(before: end)
            guard self[before] == " " || self[before] == "\t" else { break }
            end = before
        }
        return String(self[start..<end])
    }
}
