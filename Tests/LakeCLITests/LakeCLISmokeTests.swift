import Testing
@testable import LakeCLI
@Test func LakeCLIModuleLoads() { #expect(Bool(true)) }
