// swift-tools-version: 6.1
import PackageDescription

// Dependencies point one way: LakeCLI → Lake → LakeIngest → LakeCore → LakeParquet → LakeBase → C codecs;
// Lake → LakeS3 → LakeCore and LakeAWS (beside LakeCore); Lake → LakeGlue → LakeCore and LakeAWS.
// LakeIngest also uses LakeAWS (the stream sources), which knows no tables.
let package = Package(
    name: "lake",
    platforms: [.macOS(.v15)],  // Synchronization.Mutex (macOS 15); CI builds and tests on Linux
    products: [
        .library(name: "Lake", targets: ["Lake"]),
        .library(name: "LakeParquet", targets: ["LakeParquet"]),
        .executable(name: "lake", targets: ["LakeCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        // SHA-256 and HMAC for SigV4 (LakeAWS). Either major version builds here; 4.x is preferred.
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
    ],
    targets: [
        // System codecs (Debian: zlib1g-dev, libzstd-dev, libsnappy-dev, liblz4-dev, libbrotli-dev;
        // scripts/setup.sh installs them).
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib"),
        .systemLibrary(name: "CZstd", path: "Sources/CZstd", pkgConfig: "libzstd"),
        .systemLibrary(name: "CSnappy", path: "Sources/CSnappy"),
        .systemLibrary(name: "CLZ4", path: "Sources/CLZ4", pkgConfig: "liblz4"),
        .systemLibrary(name: "CBrotli", path: "Sources/CBrotli"),

        // The neutral bottom: bytes, checksums, parallel map, interruptible system calls.
        .target(name: "LakeBase", dependencies: ["CZlib"]),
        .target(name: "LakeParquet", dependencies: ["LakeBase", "CZlib", "CZstd", "CSnappy", "CLZ4", "CBrotli"]),
        .target(name: "LakeCore", dependencies: ["LakeBase", "LakeParquet"]),
        .target(name: "LakeIngest", dependencies: ["LakeBase", "LakeCore", "LakeAWS"]),
        // The AWS client shared by object storage and the live-stream sources: configuration, SigV4,
        // HTTP transport with retries and metrics, S3 and the JSON-protocol services. Knows no tables.
        .target(name: "LakeAWS", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        // Tables on S3 and S3-compatible stores: TableStorage over LakeAWS's S3 client, registered
        // into LakeCore's TableStorageResolver. The one module that knows both LakeCore and LakeAWS.
        .target(name: "LakeS3", dependencies: ["LakeCore", "LakeAWS"]),
        // Catalog sync: registers tables in the AWS Glue Data Catalog through LakeAWS's JSON client.
        .target(name: "LakeGlue", dependencies: ["LakeCore", "LakeAWS"]),
        .target(
            name: "Lake",
            dependencies: ["LakeIngest", "LakeS3", "LakeGlue", "LakeCore", "LakeParquet", "LakeBase", "LakeAWS"]),
        .executableTarget(
            name: "LakeCLI",
            dependencies: [
                "Lake",
                "LakeBase",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // Test helpers shared by the test targets (not part of any product).
        .target(name: "LakeTestSupport", path: "Tests/LakeTestSupport"),
        .testTarget(
            name: "LakeBaseTests",
            dependencies: [
                "LakeBase", "LakeTestSupport", .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(
            name: "LakeParquetTests",
            dependencies: [
                "LakeParquet", "LakeTestSupport", .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(
            name: "LakeCoreTests",
            dependencies: [
                "LakeCore", "LakeTestSupport", .product(name: "PropertyBased", package: "swift-property-based"),
                // Only for the `.s3` storage kind: the table suites run on S3Storage too.
                "LakeS3",
            ]
        ),
        .testTarget(name: "LakeIngestTests", dependencies: ["LakeIngest", "LakeAWS", "LakeTestSupport"]),
        .testTarget(name: "LakeCLITests", dependencies: ["LakeCLI", "LakeTestSupport"]),
        .testTarget(name: "LakeGlueTests", dependencies: ["LakeGlue", "LakeCore", "LakeAWS", "LakeTestSupport"]),
        .testTarget(name: "LakeS3Tests", dependencies: ["LakeS3", "LakeCore", "LakeAWS", "LakeTestSupport"]),
        .testTarget(
            name: "LakeAWSTests",
            dependencies: ["LakeAWS", "LakeTestSupport"],
            exclude: ["botocore_sigv4.py", "flaky_proxy.py"]
        ),
    ]
)
