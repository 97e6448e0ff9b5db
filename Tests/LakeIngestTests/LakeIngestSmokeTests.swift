import Testing
@testable import LakeIngest
@Test func LakeIngestModuleLoads() { #expect(Bool(true)) }
