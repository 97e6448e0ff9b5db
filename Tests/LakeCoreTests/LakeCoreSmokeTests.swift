import Testing
@testable import LakeCore
@Test func LakeCoreModuleLoads() { #expect(Bool(true)) }
