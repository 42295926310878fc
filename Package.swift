// swift-tools-version:6.0
import PackageDescription

// The pipeline shows in the targets: AQSyntax (text → AST) ← AQEngine (bind, plan,
// optimize, execute, store, ingest) ← AQShell (terminal, scripts, output) ← aq.
let optimize: [SwiftSetting] = [
    .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release)),
]

let package = Package(
    name: "aq",
    products: [
        .library(name: "AQEngine", targets: ["AQEngine"]),
        .executable(name: "aq", targets: ["aq"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .systemLibrary(name: "CEditLine", pkgConfig: "libedit",
                       providers: [.apt(["libedit-dev"])]),
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CZstd", providers: [.apt(["libzstd-dev"])]),
        .target(name: "AQSyntax", swiftSettings: optimize),
        .target(name: "AQEngine", dependencies: ["AQSyntax", "CZlib", "CZstd"], swiftSettings: optimize),
        .target(name: "AQShell", dependencies: [
            "AQEngine", "AQSyntax", "CEditLine",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: optimize),
        .executableTarget(name: "aq", dependencies: ["AQShell"], swiftSettings: optimize),
        .executableTarget(name: "aq-bench", dependencies: ["AQEngine", "AQSyntax"], swiftSettings: optimize),
        .executableTarget(name: "aq-loadbench", dependencies: ["AQEngine"], swiftSettings: optimize),
        .testTarget(name: "AQSyntaxTests", dependencies: ["AQSyntax"]),
        .testTarget(name: "AQEngineTests", dependencies: ["AQEngine", "AQSyntax"]),
        .testTarget(name: "AQShellTests", dependencies: ["AQShell", "AQEngine"]),
    ],
    swiftLanguageModes: [.v5]
)
