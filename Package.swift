// swift-tools-version:6.0
import PackageDescription

// The pipeline shows in the targets: AQSyntax (text → AST) ← AQEngine (bind, plan,
// optimize, execute, store, ingest) ← AQShell (terminal, scripts, output) ← aq.
// AQC is the C API (include/aq.h) over AQEngine, built as the shared library libaqc.so.
// No target uses unsafe flags, so other packages can depend on aq by version.

let package = Package(
    name: "aq",
    products: [
        .library(name: "AQEngine", targets: ["AQEngine"]),
        .library(name: "aqc", type: .dynamic, targets: ["AQC"]),
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
        .target(name: "CScan"),
        .target(name: "AQSyntax"),
        .target(name: "AQEngine", dependencies: ["AQSyntax", "CZlib", "CZstd", "CScan"]),
        .target(name: "AQShell", dependencies: [
            "AQEngine", "AQSyntax", "CEditLine",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .target(name: "AQC", dependencies: ["AQEngine", "AQSyntax"]),
        .executableTarget(name: "aq", dependencies: ["AQShell"]),
        .target(name: "BenchClock"),
        .executableTarget(name: "aq-bench", dependencies: ["AQEngine", "AQSyntax", "BenchClock"]),
        .executableTarget(name: "aq-loadbench", dependencies: ["AQEngine", "BenchClock"]),
        .executableTarget(name: "aq-embedbench", dependencies: ["AQEngine", "BenchClock"]),
        .testTarget(name: "AQSyntaxTests", dependencies: ["AQSyntax"]),
        .testTarget(name: "AQEngineTests", dependencies: ["AQEngine", "AQSyntax"]),
        .testTarget(name: "AQShellTests", dependencies: ["AQShell", "AQEngine"]),
        .testTarget(name: "AQCTests", dependencies: ["AQC", "AQEngine"]),
    ],
    swiftLanguageModes: [.v5]
)
