import Foundation

/// A folder of its own under the system's temporary directory, for one test.
public enum TemporaryFolder {
    /// Creates a fresh folder named `consultd-PREFIX-UUID` and returns its path.
    public static func make(_ prefix: String) throws -> String {
        let path = NSTemporaryDirectory() + "consultd-\(prefix)-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// A fresh name under the temporary directory, not created (for a file or a socket).
    public static func name(_ prefix: String, suffix: String = "") -> String {
        NSTemporaryDirectory() + "consultd-\(prefix)-" + UUID().uuidString.prefix(8) + suffix
    }
}
