// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "sipterm",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "sipterm", targets: ["sipterm"]),
        .library(name: "SIPMessage", targets: ["SIPMessage"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        .target(
            name: "SIPMessage",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")]
        ),
        .executableTarget(
            name: "sipterm",
            dependencies: [
                "SIPMessage",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "FuzzSIP",
            dependencies: ["SIPMessage"],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        ),
        .testTarget(name: "SIPMessageTests", dependencies: ["SIPMessage", "sipterm"], exclude: ["Fixtures"]),
    ]
)
