import ConsultRuntime
import Foundation

/// Why a file or folder consultctl needs cannot be read, said as its cause: missing (exit 66, or
/// 78 for the configuration) or permission denied (exit 77), naming the file or folder in the way,
/// its mode and owners, and who may read it.
struct Access {
    let message: String
    let status: Int32

    /// The problem with reading `path` (`directory`: listing it), or nil when there is none;
    /// `what` names it ("the state store").
    static func problem(reading path: String, what: String, directory: Bool = false,
                        missingStatus: Int32 = ExitStatus.noInput) -> Access? {
        var st = stat()
        if stat(path, &st) == 0 {
            let needed = directory ? R_OK | X_OK : R_OK
            guard access(path, needed) != 0 else { return nil }
            if errno != EACCES { return Access(message: "cannot read the \(what) \(path): \(String(cString: strerror(errno)))", status: ExitStatus.ioError) }
            return Access(message: "permission denied: cannot read the \(what) \(path) (\(describe(st))); \(whoMay(st, needed: needed))",
                          status: ExitStatus.permission)
        }
        let error = errno
        switch error {
        case EACCES:
            // A folder on the way that this account may not search.
            let blocked = ancestors(of: path).first { access($0, X_OK) != 0 } ?? (path as NSString).deletingLastPathComponent
            var folder = stat()
            let about = stat(blocked, &folder) == 0 ? " (\(describe(folder)))" : ""
            let who = stat(blocked, &folder) == 0 ? whoMay(folder, needed: X_OK) : "run consultctl as root"
            return Access(message: "permission denied: cannot reach the \(what) \(path): folder \(blocked)\(about) may not be searched; \(who)",
                          status: ExitStatus.permission)
        case ENOENT:
            if let missing = ancestors(of: path).first(where: { !exists($0) }) {
                return Access(message: "no \(what) at \(path): there is no folder \(missing)", status: missingStatus)
            }
            return Access(message: "no \(what) at \(path)", status: missingStatus)
        default:
            return Access(message: "cannot read the \(what) \(path): \(String(cString: strerror(error)))", status: ExitStatus.ioError)
        }
    }

    /// The folders leading to `path`, outermost first (`/a/b/c` → `/a`, `/a/b`; relative paths
    /// from the working directory).
    static func ancestors(of path: String) -> [String] {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).dropLast()
        var prefix = path.hasPrefix("/") ? "" : "."
        return parts.map { part in
            prefix += "/" + part
            return prefix.hasPrefix("./") ? String(prefix.dropFirst(2)) : prefix
        }
    }

    static func exists(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0
    }

    /// `drwxr-x--- consultd:consultd`.
    static func describe(_ st: stat) -> String {
        let mode = Int(st.st_mode)
        let type = mode & Int(S_IFMT) == Int(S_IFDIR) ? "d" : "-"
        let bits = "rwxrwxrwx".enumerated().map { i, c in mode & (0o400 >> i) != 0 ? String(c) : "-" }.joined()
        return "\(type)\(bits) \(userName(st.st_uid)):\(groupName(st.st_gid))"
    }

    /// Who may do what `needed` asks of a file of this mode: its group's members (when the group
    /// may), else its owner, and root.
    static func whoMay(_ st: stat, needed: Int32) -> String {
        let me = userName(getuid())
        let groupBits = (Int(st.st_mode) >> 3) & 0o7
        let group = groupName(st.st_gid)
        guard groupBits & Int(needed) == Int(needed) else {
            return st.st_uid == 0 ? "run consultctl as root" : "run consultctl as root or as \(userName(st.st_uid))"
        }
        if listedMember(of: st.st_gid) {
            // usermod -aG takes effect at the next login, not in sessions already open.
            return "you (\(me)) were added to group \(group) after this session began: log in again (or run `newgrp \(group)`)"
        }
        return "you (\(me)) are not in group \(group): run consultctl as root or as a member of group \(group)"
    }

    /// Whether the account is a member of `gid` by the group database, whatever this process has.
    static func listedMember(of gid: gid_t) -> Bool {
        guard let pw = getpwuid(getuid()) else { return false }
        var count: Int32 = 64
        var groups = [gid_t](repeating: 0, count: Int(count))
        if getgrouplist(pw.pointee.pw_name, pw.pointee.pw_gid, &groups, &count) == -1 {
            groups = [gid_t](repeating: 0, count: Int(count))
            guard getgrouplist(pw.pointee.pw_name, pw.pointee.pw_gid, &groups, &count) != -1 else { return false }
        }
        return groups.prefix(Int(count)).contains(gid)
    }

    static func userName(_ uid: uid_t) -> String {
        getpwuid(uid).map { String(cString: $0.pointee.pw_name) } ?? String(uid)
    }

    static func groupName(_ gid: gid_t) -> String {
        getgrgid(gid).map { String(cString: $0.pointee.gr_name) } ?? String(gid)
    }
}
