// swift-tools-version: 6.1
import PackageDescription

// Benchmarks live in their own package so their build settings and dependencies stay out of the
// library. They depend on the root package by path; run them in release (see README.md).
let package = Package(
    name: "lake-benchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "lake", path: ".."),
    ],
    targets: [
        // Times LakeParquet writing (GZIP, UNCOMPRESSED) and reading the table that
        // parquet/bench_parquet.py generates, and prints one JSON line per measurement.
        .executableTarget(
            name: "ParquetThroughput",
            dependencies: [.product(name: "LakeParquet", package: "lake")],
            path: "parquet/ParquetThroughput"
        ),
    ]
)
