// swift-tools-version: 6.1
import PackageDescription

// Benchmarks live in their own package so their build settings and dependencies stay out of the
// library. They depend on the root package by path; run them in release (see README.md).

let package = Package(
    name: "lake-benchmarks",
    platforms: [.macOS(.v15)],  // Synchronization.Mutex (macOS 15); CI builds and tests on Linux
    dependencies: [
        .package(name: "lake", path: ".."),
        // ordo-one/benchmark without its default "RuntimeInterposer" trait: on Linux with Swift
        // 6.3 that trait pulls in ordo-one/swift-runtime-interposer (ARC counters), which the
        // package mirror here does not have. Malloc counters come from "MallocInterposer".
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        // Times LakeParquet writing (GZIP, UNCOMPRESSED) and reading the table that
        // parquet/bench_parquet.py generates, and prints one JSON line per measurement.
        .executableTarget(
            name: "ParquetThroughput",
            dependencies: [.product(name: "LakeParquet", package: "lake")],
            path: "parquet/ParquetThroughput"
        ),
        // Times one read of a lake table through the library (cdc/bench_cdc.py's reads).
        .executableTarget(
            name: "LakeRead",
            dependencies: [.product(name: "Lake", package: "lake")],
            path: "cdc/LakeRead"
        ),
        // Hot-path micro-benchmarks: `swift package benchmark --target LakeHotPaths`.
        .executableTarget(
            name: "LakeHotPaths",
            dependencies: [
                .product(name: "Lake", package: "lake"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/LakeHotPaths",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
