// swift-tools-version:6.1
// Benchmarks for sipterm's SIPMessage and SIPMedia modules, kept out of the main build: the main package
// never sees this directory, so `swift build` / `swift test` at the root do not build the
// benchmark tooling. Run with `scripts/bench` (or `swift package --disable-sandbox benchmark`
// from this directory).
import PackageDescription

let package = Package(
    name: "sipterm-benchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "sipterm", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", exact: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "SIPMessageBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "SIPMessage", package: "sipterm"),
            ],
            path: "Benchmarks/SIPMessageBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // The parser race's sipterm side (scripts/bench parsers); not an ordo-one benchmark (its
        // folder is not under Benchmarks/), so the benchmark plugin leaves it alone.
        .executableTarget(
            name: "ParseRace",
            dependencies: [.product(name: "SIPMessage", package: "sipterm")],
            path: "Race/ParseRace"
        ),
        .executableTarget(
            name: "SIPMediaBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "SIPMedia", package: "sipterm"),
            ],
            path: "Benchmarks/SIPMediaBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
