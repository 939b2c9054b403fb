#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import ConsultCore

/// The accounts that own a pass's files, looked up once each, so that whether an owner may speak
/// for an agency (`authorization = "owner"`) is then decided without a system call. Under LDAP or
/// SSSD every lookup may be a network call, which must not happen under the store's write lock.
public struct Accounts: Sendable {
    /// An account: its name (nil when the uid has none) and every group it belongs to.
    struct Account: Sendable {
        var name: String?
        var groups: Set<gid_t>
    }

    private var accounts: [uid_t: Account]
    private let groupIDs: [String: gid_t]

    /// Looks up each of `uids`, and each group a submitter list of `agencies` names.
    public static func lookUp(_ uids: some Sequence<uid_t>, agencies: some Sequence<Agency>) -> Accounts {
        var accounts: [uid_t: Account] = [:]
        for uid in uids where accounts[uid] == nil { accounts[uid] = account(uid) }
        var groupIDs: [String: gid_t] = [:]
        for agency in agencies {
            for case let .group(name) in agency.submitters where groupIDs[name] == nil {
                if let gid = groupID(name) { groupIDs[name] = gid }
            }
        }
        return Accounts(accounts: accounts, groupIDs: groupIDs)
    }

    /// Looks `uid` up too, unless it was already.
    public mutating func include(_ uid: uid_t) {
        if accounts[uid] == nil { accounts[uid] = Self.account(uid) }
    }

    /// Whether `uid` may speak for at least one of `agencies` (it must have been looked up).
    public func isSubmitter(_ uid: uid_t, ofAnyOf agencies: some Sequence<Agency>) -> Bool {
        agencies.contains { isSubmitter(uid, of: $0) }
    }

    /// The user name of a uid, or `uid N` when it has none (or was not looked up).
    public func userName(_ uid: uid_t) -> String { accounts[uid]?.name ?? "uid \(uid)" }

    /// Whether `uid` is one of the agency's submitters: a listed user, or a member (primary or
    /// supplementary) of a listed group. A uid that was not looked up is no submitter.
    public func isSubmitter(_ uid: uid_t, of agency: Agency) -> Bool {
        guard let account = accounts[uid], let name = account.name else { return false }
        return agency.submitters.contains { submitter in
            switch submitter {
            case let .user(user): user == name
            case let .group(group): groupIDs[group].map(account.groups.contains) ?? false
            }
        }
    }

    private static func account(_ uid: uid_t) -> Account {
        var pwd = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 16_384)
        guard getpwuid_r(uid, &pwd, &buffer, buffer.count, &result) == 0, result != nil else { return Account(name: nil, groups: []) }
        let name = String(cString: pwd.pw_name)
        return Account(name: name, groups: memberships(name, primary: pwd.pw_gid))
    }

    private static func groupID(_ name: String) -> gid_t? {
        var grp = group()
        var result: UnsafeMutablePointer<group>?
        var buffer = [CChar](repeating: 0, count: 65_536)
        guard getgrnam_r(name, &grp, &buffer, buffer.count, &result) == 0, result != nil else { return nil }
        return grp.gr_gid
    }

    private static func memberships(_ user: String, primary: gid_t) -> Set<gid_t> {
        var count: Int32 = 64
        while true {
            var list = [gid_t](repeating: 0, count: Int(count))
            let previous = count
            if getgrouplist(user, primary, &list, &count) >= 0 { return Set(list.prefix(Int(count))) }
            if count <= previous { count = previous * 2 }
        }
    }
}
