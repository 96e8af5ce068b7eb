// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "sipterm",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "sipterm", targets: ["sipterm"]),
        .library(name: "SIPMessage", targets: ["SIPMessage"]),
        .library(name: "SIPTransport", targets: ["SIPTransport"]),
        .library(name: "SIPMedia", targets: ["SIPMedia"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    ],
    targets: [
        .target(
            name: "SIPMessage",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")]
        ),
        .target(
            name: "SIPTransport",
            dependencies: [
                "SIPMessage", "CCares",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .executableTarget(
            name: "sipterm",
            dependencies: [
                "SIPMessage", "SIPUserAgent", "SIPMedia", "SoftphoneApp", "TerminalUI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "Fuzz",
            dependencies: ["SIPMessage", "SIPMedia", "SIPUserAgent", "TerminalUI"],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        ),
        .target(
            name: "SIPUserAgent",
            dependencies: ["SIPMessage", "SIPTransport", "TOMLText", .product(name: "TOMLKit", package: "TOMLKit")],
            path: "Sources/SIPUserAgent"
        ),
        .systemLibrary(name: "CALSA", pkgConfig: "alsa", providers: [.apt(["libasound2-dev"])]),
        .systemLibrary(name: "COpus", pkgConfig: "opus", providers: [.apt(["libopus-dev"])]),
        .systemLibrary(name: "CSRTP", pkgConfig: "libsrtp2", providers: [.apt(["libsrtp2-dev"])]),
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CCares", pkgConfig: "libcares", providers: [.apt(["libc-ares-dev"])]),
        .target(
            name: "SIPMedia",
            dependencies: [
                .target(name: "CALSA", condition: .when(platforms: [.linux])), "COpus", "CSRTP", "COpenSSL",
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]),
        .target(
            name: "SoftphoneApp",
            dependencies: [
                "SIPMessage", "SIPTransport", "SIPUserAgent", "SIPMedia", "TerminalUI",
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
            ]),
        .systemLibrary(name: "CNcurses", pkgConfig: "ncursesw", providers: [.apt(["libncurses-dev"])]),
        .target(
            name: "TerminalUI", dependencies: ["CNcurses", "TOMLText", .product(name: "TOMLKit", package: "TOMLKit")]),
        .target(name: "TOMLText", dependencies: [.product(name: "TOMLKit", package: "TOMLKit")]),
        .target(
            name: "TestSupport", dependencies: ["SIPTransport", "SIPUserAgent", "SIPMedia"], path: "Tests/TestSupport"),
        .testTarget(
            name: "SIPMessageTests", dependencies: ["SIPMessage", "sipterm", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "TerminalUITests", dependencies: ["TerminalUI", "CNcurses"]),
        .testTarget(
            name: "SIPMediaTests",
            dependencies: [
                "SIPMedia", "TestSupport", .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]),
        .testTarget(
            name: "SoftphoneAppTests",
            dependencies: ["SoftphoneApp", "SIPMedia", "TerminalUI", "sipterm", "TestSupport"]),
        .testTarget(
            name: "SIPUserAgentTests", dependencies: ["SIPUserAgent", "SIPMessage", "SIPTransport", "TestSupport"]),
        .testTarget(
            name: "SIPTransportTests",
            dependencies: [
                "SIPTransport", "TestSupport", .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]),
    ]
)
