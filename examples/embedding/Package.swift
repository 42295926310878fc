// swift-tools-version:6.0
// A program that uses aq as a library, depending on it by version as any other package would.
// `AQ_PACKAGE_URL` names the aq repository (test.sh points it at a tagged copy of this
// checkout); by default it is the checkout this folder sits in.
import PackageDescription

let aq = Context.environment["AQ_PACKAGE_URL"] ?? "file://" + Context.packageDirectory + "/../.."

let package = Package(
    name: "pulls",
    dependencies: [
        .package(url: aq, from: "0.1.0"),
    ],
    targets: [
        .executableTarget(name: "pulls", dependencies: [.product(name: "AQEngine", package: "aq")]),
    ]
)
