// swift-tools-version:6.2
import PackageDescription

/// Strict settings shared by every target of ours: Swift 6 language mode (strict concurrency),
/// every warning an error, and `any` spelled out for existentials.
let strict: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .treatAllWarnings(as: .error),
]

let package = Package(
    name: "consultd",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "consultd", targets: ["consultd"]),
        .executable(name: "consultctl", targets: ["consultctl"]),
        .executable(name: "consultd-mail", targets: ["consultd-mail"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        // C shim: libsystemd's journal API, found through pkg-config.
        .systemLibrary(
            name: "CSystemd",
            pkgConfig: "libsystemd",
            providers: [.apt(["libsystemd-dev"])]
        ),

        // C shim: what Swift cannot call through Glibc (renameat2, prctl) and the epoll, eventfd and
        // timerfd headers its Glibc module leaves out.
        .target(name: "CLinux"),

        // C: SHA-256, with the processor's SHA extensions where it has them (intake hashes every
        // document twice). Pure computation.
        .target(name: "CSHA256"),

        // Pure domain: documents, calendar, deadlines, assessment, duties, ladder, notices. No I/O.
        .target(name: "ConsultCore", dependencies: ["CSHA256"], swiftSettings: strict),

        // Notices as mail messages: RFC 5322/MIME headers, RFC 2047 encoded-words, quoted-printable,
        // RFC 5321 address checks, what sendmail's exit status means. No I/O.
        .target(name: "ConsultMail", dependencies: ["ConsultCore"], swiftSettings: strict),

        // Reads the TOML configuration and calendar files into domain values.
        .target(
            name: "ConsultConfig",
            dependencies: ["ConsultCore", "ConsultMail", .product(name: "TOMLKit", package: "TOMLKit")],
            swiftSettings: strict
        ),
        // What the executables take from the operating system besides files and the journal: the
        // wall clock and their exit statuses.
        .target(name: "ConsultRuntime", dependencies: ["ConsultCore"], swiftSettings: strict),
        // The SQLite state store.
        .target(
            name: "ConsultStore",
            dependencies: ["ConsultAdmin", "ConsultCore", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strict
        ),
        // The spool directory and the outbox: safe reads, durable writes and renames.
        .target(name: "ConsultSpool", dependencies: ["CLinux", "ConsultCore"], swiftSettings: strict),
        // The systemd journal (native fields) and a swift-log handler writing to it.
        .target(
            name: "ConsultSystemd",
            dependencies: ["CSystemd", "ConsultCore", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        // The engine: intake and step firing, tying store, spool and journal together.
        .target(
            name: "ConsultEngine",
            dependencies: [
                "CLinux", "ConsultCore", "ConsultConfig", "ConsultRuntime", "ConsultStore", "ConsultSpool", "ConsultSystemd",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // The administrator's views: list, show, report (table, CSV, JSON, HTML), calendar preview.
        .target(name: "ConsultAdmin", dependencies: ["ConsultCore"], swiftSettings: strict),

        // What a service's event loop is made of, shared by consultd and consultd-mail: epoll, the
        // eventfd of stop and reload requests, failure episodes with their backoff, the thread that
        // runs the tasks, thread names and signal masks, the bridge to the service lifecycle.
        .target(
            name: "ConsultLoop",
            dependencies: [
                "CLinux", "ConsultCore",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),

        // The long-running service: inotify intake, step timer, sd_notify, reload and stop.
        .target(
            name: "ConsultService",
            dependencies: [
                "CLinux", "ConsultConfig", "ConsultCore", "ConsultEngine", "ConsultLoop", "ConsultRuntime", "ConsultSpool",
                "ConsultStore", "ConsultSystemd",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),

        // consultd-mail's service: watches the outbox, hands each notice to sendmail, moves it to
        // sent/ or failed/. No state store: what it knows is in the outbox's folders.
        .target(
            name: "ConsultMailService",
            dependencies: [
                "CLinux", "ConsultConfig", "ConsultCore", "ConsultLoop", "ConsultMail", "ConsultRuntime", "ConsultSpool",
                "ConsultSystemd",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),

        .executableTarget(
            name: "consultd",
            dependencies: [
                "ConsultEngine", "ConsultConfig", "ConsultLoop", "ConsultRuntime", "ConsultService", "ConsultStore", "ConsultSystemd",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "consultctl",
            dependencies: [
                "ConsultAdmin", "ConsultCore", "ConsultConfig", "ConsultEngine", "ConsultRuntime", "ConsultSpool", "ConsultStore",
                "ConsultSystemd",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),

        .executableTarget(
            name: "consultd-mail",
            dependencies: [
                "ConsultConfig", "ConsultCore", "ConsultLoop", "ConsultMail", "ConsultMailService", "ConsultRuntime", "ConsultSystemd",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),

        // The document reader under libFuzzer (scripts/fuzz.sh); built normally, it replays inputs.
        .executableTarget(name: "consultd-fuzz", dependencies: ["ConsultCore"], swiftSettings: strict),
        // The assessor timed in process over labelled corpora (scripts/bench-assess.sh).
        .executableTarget(name: "consultd-bench", dependencies: ["ConsultConfig", "ConsultCore"], swiftSettings: strict),

        // What the test targets share: temporary folders, the agencies, `eventually`, tags.
        .target(name: "ConsultTestSupport", dependencies: ["ConsultCore"], swiftSettings: strict),

        .testTarget(name: "ConsultCoreTests", dependencies: ["ConsultCore", "ConsultTestSupport"], swiftSettings: strict),
        .testTarget(name: "ConsultConfigTests", dependencies: ["ConsultConfig", "ConsultMail", "ConsultTestSupport"], swiftSettings: strict),
        .testTarget(name: "ConsultStoreTests", dependencies: ["ConsultStore", "ConsultTestSupport"], swiftSettings: strict),
        .testTarget(name: "ConsultSpoolTests", dependencies: ["ConsultSpool", "ConsultTestSupport"], swiftSettings: strict),
        .testTarget(name: "ConsultSystemdTests", dependencies: ["ConsultSystemd", "ConsultTestSupport"], swiftSettings: strict),
        .testTarget(
            name: "ConsultEngineTests",
            dependencies: ["ConsultEngine", "ConsultTestSupport"],
            swiftSettings: strict
        ),
        .testTarget(name: "ConsultAdminTests", dependencies: ["ConsultAdmin", "ConsultTestSupport"], swiftSettings: strict),
        .testTarget(name: "ConsultServiceTests", dependencies: ["ConsultService", "ConsultTestSupport"], swiftSettings: strict),
        .testTarget(name: "ConsultLoopTests", dependencies: ["ConsultLoop", "ConsultTestSupport"], swiftSettings: strict),
        .testTarget(name: "ConsultMailTests", dependencies: ["ConsultMail", "ConsultTestSupport"], swiftSettings: strict),
        .testTarget(
            name: "ConsultMailServiceTests",
            dependencies: ["ConsultConfig", "ConsultMailService", "ConsultTestSupport"],
            swiftSettings: strict
        ),
        // Runs the built binaries against a real journald.
        .testTarget(name: "EndToEndTests", dependencies: ["ConsultCore", "ConsultTestSupport"], swiftSettings: strict),
    ]
)
