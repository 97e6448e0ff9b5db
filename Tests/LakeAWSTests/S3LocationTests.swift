import Testing

@testable import LakeAWS

@Suite struct S3LocationTests {
    @Test(arguments: ["s3://lake", "s3://lake/cust_hudi", "s3://my.bucket-1/a/b/", "s3://lake/with space/é"])
    func parsesAndPrintsBack(_ url: String) throws {
        #expect(try S3Location(url: url).description == url)
    }

    @Test func partsAndAppending() throws {
        let table = try S3Location(url: "s3://lake/warehouse/cust_hudi")
        #expect(table.bucket == "lake")
        #expect(table.key == "warehouse/cust_hudi")
        #expect(
            table.appending(".hoodie/hoodie.properties").description
                == "s3://lake/warehouse/cust_hudi/.hoodie/hoodie.properties")
        #expect(try S3Location(url: "s3://lake/").appending("x").key == "x")
        #expect(try S3Location(url: "s3://lake").appending("x").key == "x")
        #expect(S3Location.isS3URL("S3://lake/t"))
        #expect(!S3Location.isS3URL("/tmp/s3:/t"))
    }

    @Test func refusesWhatIsNotALocation() {
        let notS3 = #expect(throws: AWSError.self) { try S3Location(url: "/local/table") }
        #expect(notS3?.message.contains("'/local/table'") == true)
        let badBucket = #expect(throws: AWSError.self) { try S3Location(url: "s3://Bad_Bucket!/t") }
        #expect(badBucket?.message.contains("'Bad_Bucket!'") == true)
        #expect(throws: AWSError.self) { try S3Location(url: "s3:///t") }
    }
}
