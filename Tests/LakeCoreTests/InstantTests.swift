import Testing
@testable import LakeCore

@Suite struct InstantTests {
    @Test func javaLayoutOneNames() throws {
        let cases: [(String, Instant.Action, Instant.State)] = [
            ("20240418173213674.commit", .commit, .completed),
            ("20240418173213674.commit.requested", .commit, .requested),
            ("20240418173213674.inflight", .commit, .inflight),
            ("20240707001303088.replacecommit", .replacecommit, .completed),
            ("20240707001303088.replacecommit.requested", .replacecommit, .requested),
            ("20240707001303088.replacecommit.inflight", .replacecommit, .inflight),
            ("20240101000000000.deltacommit.inflight", .deltacommit, .inflight),
            ("20240101000000000.clean.requested", .clean, .requested),
            ("20240101000000000.clean.inflight", .clean, .inflight),
            ("20240101000000000.clean", .clean, .completed),
            ("20240101000000000.rollback", .rollback, .completed),
            ("20240101000000000.compaction.requested", .compaction, .requested),
            ("20240101000000.commit", .commit, .completed),
        ]
        for (name, action, state) in cases {
            let i = try #require(Instant(fileName: name), "\(name)")
            #expect(i.action == action && i.state == state, "\(name)")
            #expect(i.timestamp == String(name.prefix { $0 != "." }))
            #expect(i.fileName == name)
        }
    }

    @Test func everyActionAndStateRoundTrips() throws {
        for action in Instant.Action.allCases {
            for state in Instant.State.allCases {
                let i = Instant(timestamp: "20250101120000000", action: action, state: state)
                #expect(Instant(fileName: i.fileName) == i, "\(i.fileName)")
            }
        }
    }

    @Test(arguments: [
        "hoodie.properties", "archived", ".temp", "20240418173213674", "20240418173213674.",
        "20240418173213674.commit.inflight", "20240418173213674.foo", "20240418173213674.commit.done",
        "2024041817321367.commit", "202404181732136740.commit", "2024041817321367x.commit",
        "abc.commit", ".commit", "20240418173213674.commit.requested.x", "20240418173213674.inflight.requested",
    ])
    func nonInstantNamesDoNotParse(name: String) {
        #expect(Instant(fileName: name) == nil)
    }

    @Test func ordering() {
        let names = [
            "20240101000000000.commit", "20240101000000000.inflight", "20240101000000000.commit.requested",
            "20231231235959999.commit", "20240101000001.commit",
        ]
        let sorted = names.compactMap { Instant(fileName: $0) }.sorted().map(\.fileName)
        #expect(
            sorted == [
                "20231231235959999.commit", "20240101000000000.commit.requested",
                "20240101000000000.inflight", "20240101000000000.commit", "20240101000001.commit",
            ])
        #expect(Instant.normalize("20240101000001") == "20240101000001000")
        #expect(Instant.normalize("20240101000001123") == "20240101000001123")
    }

    @Test func actionKinds() {
        #expect(
            Instant.Action.commit.isWrite && Instant.Action.deltacommit.isWrite && Instant.Action.replacecommit.isWrite)
        #expect(!Instant.Action.clean.isWrite && !Instant.Action.rollback.isWrite)
        let i = Instant(timestamp: "20250101000000000", action: .commit, state: .requested)
        #expect(i.with(state: .completed).fileName == "20250101000000000.commit")
        #expect(!i.isCompleted)
    }
}
