#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import ConsultCore

extension Spool {
    /// `outbox/sent/`: the mail consumer (group `consultd-outbox`) moves each notice it delivered
    /// into `sent/YYYY-MM-DD/` (contract §2); the daemon never writes those folders but removes
    /// them under `sent_days`.
    public var sent: String { outbox + "/sent" }

    /// The dated folders of `outbox/sent/` (named `YYYY-MM-DD`), oldest first; none while the
    /// consumer has made none.
    public func sentDays() -> [(date: LocalDate, path: String)] {
        Self.datedFolders(sent)
    }

    /// The folders of `dir` named as dates (`YYYY-MM-DD`, not links), oldest first.
    static func datedFolders(_ dir: String) -> [(date: LocalDate, path: String)] {
        ((try? FileSystem.list(dir)) ?? []).compactMap { name in
            guard name.utf8.count == 10, let date = LocalDate(iso: name), date.description == name,
                  let status = FileSystem.status(of: SpoolEntry(bytes: Array(name.utf8)), in: dir),
                  status.mode & S_IFMT == S_IFDIR else { return nil }
            return (date, "\(dir)/\(name)")
        }
    }

    /// Where notice `noticeID` was written already, as a regular file owned by `owner` (the
    /// daemon's account: a file of another owner, which a member of the consumer's group may
    /// have put there, is not the daemon's notice): `outbox/NOTICE_ID.json`, or
    /// `NOTICE_ID.json` in one of the `sentFolders`. Nil when it is nowhere.
    public func writtenNotice(_ noticeID: String, owner: uid_t, sentFolders: [String]) -> String? {
        let name = "\(noticeID).json"
        for dir in [outbox] + sentFolders {
            var st = stat()
            let path = "\(dir)/\(name)"
            if lstat(path, &st) == 0, st.st_mode & S_IFMT == S_IFREG, st.st_uid == owner { return path }
        }
        return nil
    }

    /// The notices the outbox and `sent/` hold, as regular files owned by `owner`: each notice
    /// id with its file, `outbox/` first (a notice in both is named where the consumer has not
    /// yet taken it).
    public func writtenNotices(owner: uid_t) -> [String: String] {
        var found: [String: String] = [:]
        for dir in sentDays().map(\.path).reversed() + [outbox] {
            for name in (try? FileSystem.list(dir)) ?? [] where name.hasSuffix(".json") {
                var st = stat()
                let path = "\(dir)/\(name)"
                guard lstat(path, &st) == 0, st.st_mode & S_IFMT == S_IFREG, st.st_uid == owner else { continue }
                found[String(name.dropLast(5))] = path
            }
        }
        return found
    }

    /// The bytes of a regular file (never through a link, never blocking on a FIFO) of at most
    /// `maxBytes`, or nil.
    public static func contents(_ path: String, maxBytes: Int) -> [UInt8]? {
        FileSystem.contents(Array(path.utf8CString), maxBytes: maxBytes).0
    }
}
