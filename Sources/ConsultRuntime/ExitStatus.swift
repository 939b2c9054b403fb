/// Exit statuses of consultd, consultctl and consultd-mail (sysexits(3), contract §10).
public enum ExitStatus {
    public static let usage: Int32 = 64
    /// A document is invalid.
    public static let badDocument: Int32 = 65
    /// A file or the state store is missing.
    public static let noInput: Int32 = 66
    /// What the command needs is busy or gone: the daemon runs (for `consultctl restore`), or a
    /// restore holds the state store (for `consultd`).
    public static let unavailable: Int32 = 69
    public static let ioError: Int32 = 74
    /// Something failed that may pass (consultd-mail --once: notices left for a later try).
    public static let tempFail: Int32 = 75
    /// Permission denied (`EX_NOPERM`): a file or folder this account may not read.
    public static let permission: Int32 = 77
    /// The configuration or a calendar is invalid.
    public static let config: Int32 = 78
}
