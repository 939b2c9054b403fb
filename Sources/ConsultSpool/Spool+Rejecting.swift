#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import ConsultCore

/// A refused entry of `new/`, to be moved to `rejected/` with its sidecar.
public struct Rejection: Sendable {
    public let entry: SpoolEntry
    public let refusal: Refusal
    /// Who owns it, when known (for the journal's `CONSULT_ACCOUNT`).
    public let owner: uid_t?
    /// Its device and inode, when known: an entry that cannot be moved is remembered by them.
    public let status: EntryStatus?
    /// The consultation and agencies the document names, as far as it could be read (none when
    /// it was refused unread).
    public let parties: NamedParties

    public init(_ entry: SpoolEntry, _ refusal: Refusal, owner: uid_t?, status: EntryStatus? = nil,
                parties: NamedParties = NamedParties()) {
        self.entry = entry
        self.refusal = refusal
        self.owner = owner
        self.status = status
        self.parties = parties
    }
}

/// What became of a refused entry.
public enum RejectionResult: Sendable {
    /// Moved to `rejected/` under this name, its sidecar `NAME.error.json` beside it.
    case moved(String)
    /// It cannot be moved (a folder the daemon may not rename, a name the file system refuses):
    /// its sidecar is in `rejected/` under this name, and the entry stays in `new/`.
    case unmovable(sidecar: String, FileSystemError)
    /// It vanished before it was moved: nothing is left behind.
    case gone
    /// An I/O failure: nothing is left behind, and the entry stays in `new/` to be refused again.
    case failed(FileSystemError)
}

extension Spool {
    /// Fewer new files than this are fsync'd one by one; more, with one syncfs of the file system.
    static let syncEachBelow = 8

    static let sidecarSuffix = ".error.json"

    /// Moves refused entries to `rejected/`, each with `NAME.error.json` beside it (contract §2),
    /// as one batch: the sidecars are written and made durable together (one syncfs), then
    /// put in place before their entries move, then `rejected/` and `new/` are fsync'd once. A
    /// crash before an entry moves leaves it in `new/` to be judged again.
    ///
    /// Names stay within NAME_MAX: a name too long for its sidecar, or for a `.1` suffix, is
    /// shortened (``SpoolNames/fitted(_:reserve:)``); the sidecar's `file` keeps the entry's name.
    public func reject(_ batch: [Rejection], at: String) -> [RejectionResult] {
        guard !batch.isEmpty else { return [] }
        let folders: (new: FileSystem.Folder, rejected: FileSystem.Folder, staging: FileSystem.Folder)
        do {
            folders = (try FileSystem.Folder(new), try FileSystem.Folder(rejected), try FileSystem.Folder(rejectedStaging))
        } catch {
            return batch.map { _ in .failed(error) }
        }
        var results = [RejectionResult](repeating: .gone, count: batch.count)
        let each = batch.count < Self.syncEachBelow
        var staged: [(index: Int, name: String, staging: String)] = []
        var reserved: Set<String> = []
        for (i, rejection) in batch.enumerated() {
            let name = folders.rejected.freeName(rejection.entry.name, suffix: Self.sidecarSuffix, reserved: reserved)
            reserved.insert(name)
            let sidecar = JSONValue.object([("file", .string(rejection.entry.name)), ("code", .string(rejection.refusal.code.rawValue)),
                                            ("reason", .string(rejection.refusal.reason)), ("at", .string(at))])
            let staging = "\(getpid()).\(i)"
            do {
                try folders.staging.create(staging, bytes: JSONWriter.bytes(sidecar), sync: each)
                staged.append((i, name, staging))
            } catch {
                results[i] = .failed(error)
            }
        }
        if !each && !staged.isEmpty {
            do {
                try folders.staging.syncFileSystem()
            } catch {
                for s in staged {
                    folders.staging.remove(s.staging)
                    results[s.index] = .failed(error)
                }
                return results
            }
        }
        for s in staged { results[s.index] = place(batch[s.index].entry, as: s.name, sidecar: s.staging, folders) }
        do {
            try folders.rejected.sync()
            try folders.new.sync()
        } catch {
            // The moves are made; only their durability is in doubt. A move lost in a crash
            // brings the entry back to new/, where it is refused again.
            for (i, result) in results.enumerated() { if case .moved = result { results[i] = .failed(error) } }
        }
        return results
    }

    /// The sidecar into `rejected/NAME.error.json`, then the entry to `rejected/NAME`.
    private func place(_ entry: SpoolEntry, as name: String, sidecar staging: String,
                       _ folders: (new: FileSystem.Folder, rejected: FileSystem.Folder, staging: FileSystem.Folder)) -> RejectionResult {
        let sidecar = name + Self.sidecarSuffix
        guard renameat(folders.staging.fd, staging, folders.rejected.fd, sidecar) == 0 else {
            let error = FileSystemError("rename", "\(rejected)/\(sidecar)")
            folders.staging.remove(staging)
            return .failed(error)
        }
        if FileSystem.renameNoReplace(folders.new.fd, entry.cName, folders.rejected.fd, name) == 0 { return .moved(name) }
        let error = FileSystemError("rename", "\(new)/\(entry.name)")
        switch error.errno {
        case ENOENT:
            folders.rejected.remove(sidecar)
            return .gone
        case EACCES, EPERM, EBUSY, EINVAL, ENOTDIR, EISDIR, ELOOP, ENAMETOOLONG:
            return .unmovable(sidecar: sidecar, error)
        default:
            folders.rejected.remove(sidecar)
            return .failed(error)
        }
    }

    /// Moves one refused document (see ``reject(_:at:)``); returns its name in `rejected/`.
    @discardableResult
    public func reject(_ name: String, refusal: Refusal, at: String) throws(FileSystemError) -> String {
        switch reject([Rejection(SpoolEntry(bytes: Array(name.utf8)), refusal, owner: nil)], at: at)[0] {
        case let .moved(final): return final
        case let .unmovable(_, error), let .failed(error): throw error
        case .gone: throw FileSystemError("rename", "\(new)/\(name)", errno: ENOENT)
        }
    }
}
