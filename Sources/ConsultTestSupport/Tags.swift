// Testing is there when tests are built; a plain `swift build` of every target (release builds,
// the package) builds this library too, without it.
#if canImport(Testing)
import Foundation
import Testing

extension Tag {
    /// Takes more than a few seconds (a real systemd, a package build, a crash run, a corpus).
    @Tag public static var slow: Self
    /// Needs root: a journald it may start, mount namespaces, systemd-nspawn, other accounts.
    @Tag public static var root: Self
}

/// Whether only the fast tests run (`scripts/test.sh --fast` sets `CONSULTD_TESTS=fast`):
/// a developer's inner loop; CI runs everything.
public let fastTestsOnly = ProcessInfo.processInfo.environment["CONSULTD_TESTS"] == "fast"

extension Trait where Self == ConditionTrait {
    /// A slow test or suite: skipped under `CONSULTD_TESTS=fast`.
    public static var skippedWhenFast: Self {
        .enabled(if: !fastTestsOnly, "slow: skipped under CONSULTD_TESTS=fast")
    }
}
#endif
