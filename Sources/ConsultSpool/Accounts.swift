#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import ConsultCore

/// Answers whether a file's owner may speak for an agency (`authorization = "owner"`).
public struct Accounts: Sendable {
    public init() {}

    /// The user name of a uid, or the number when it has no name.
    public func userName(_ uid: uid_t) -> String {
        var pwd = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 16_384)
        guard getpwuid_r(uid, &pwd, &buffer, buffer.count, &result) == 0, result != nil else { return "uid \(uid)" }
        return String(cString: pwd.pw_name)
    }

    /// Whether `uid` is one of the submitters: a listed user, or a member (primary or
    /// supplementary) of a listed group.
    public func isSubmitter(_ uid: uid_t, of agency: Agency) -> Bool {
        var pwd = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 16_384)
        guard getpwuid_r(uid, &pwd, &buffer, buffer.count, &result) == 0, result != nil else { return false }
        let name = String(cString: pwd.pw_name)
        var groups: Set<gid_t>?
        for submitter in agency.submitters {
            switch submitter {
            case let .user(u):
                if u == name { return true }
            case let .group(g):
                guard let gid = groupID(g) else { continue }
                if groups == nil { groups = memberships(name, primary: pwd.pw_gid) }
                if groups!.contains(gid) { return true }
            }
        }
        return false
    }

    private func groupID(_ name: String) -> gid_t? {
        var grp = group()
        var result: UnsafeMutablePointer<group>?
        var buffer = [CChar](repeating: 0, count: 65_536)
        guard getgrnam_r(name, &grp, &buffer, buffer.count, &result) == 0, result != nil else { return nil }
        return grp.gr_gid
    }

    private func memberships(_ user: String, primary: gid_t) -> Set<gid_t> {
        var count: Int32 = 64
        while true {
            var list = [gid_t](repeating: 0, count: Int(count))
            let previous = count
            if getgrouplist(user, primary, &list, &count) >= 0 { return Set(list.prefix(Int(count))) }
            if count <= previous { count = previous * 2 }
        }
    }
}
