#if canImport(Glibc)
import Glibc
#endif
import ConsultCore
import ConsultSpool
import ConsultStore
import ConsultSystemd

/// What intake remembers across passes (kept in the store, so that `--once` runs remember it
/// too): the entries refused once that cannot be moved, and the files of held replies.
struct Memory {
    var unmovable: Set<UnmovableEntry>
    var held: [String: HeldFile]
}

/// What a pass has learnt so far.
struct PassState {
    /// The owners met (under `authorization = "owner"`) and the submitters' groups.
    var accounts: Accounts
    /// The consultations opened by the requests this pass applied.
    var opened: Set<String> = []
    /// The replies this pass counted as held.
    var countedHeld: Set<String> = []
    /// The remembered unmovable entries this pass found still there.
    var seenUnmovable: Set<UnmovableEntry> = []
}

/// What examining an entry of `new/` (its `lstat`, nothing read) decided.
enum Examined {
    /// It vanished.
    case gone
    /// Refused once already and impossible to move: left alone while it stays.
    case ignored
    /// A reply held for its request, unchanged since it was read: not read again.
    case held
    /// Refused without being read.
    case refuse(Rejection)
    /// To be read and applied.
    case read(SpoolEntry, EntryStatus)
}

extension Intake {
    /// Decides what to do with an entry from its `lstat` alone. What is refused here is never
    /// opened, in this order: a name that is not UTF-8; not a regular file; under
    /// `authorization = "owner"`, owned by an account that may speak for no agency at all
    /// (contract §2: such a file costs nothing beyond a stat); hard-linked; too large.
    func examine(_ entry: SpoolEntry, now: Instant) -> Examined {
        guard let status = spool.status(of: entry) else { return .gone }
        let key = UnmovableEntry(name: entry.name, device: status.device, inode: status.inode)
        if memory?.unmovable.contains(key) == true {
            pass.seenUnmovable.insert(key)
            return .ignored
        }
        func refuse(_ code: Refusal.Code, _ reason: String) -> Examined {
            .refuse(Rejection(entry, Refusal(code, reason), owner: status.owner, status: status))
        }
        if entry.undecodable != nil { return refuse(.invalidUTF8, "the file name is not valid UTF-8 (shown here escaped: \(entry.name))") }
        if status.isSymbolicLink { return refuse(.notRegularFile, "the file is a symbolic link; links are never followed") }
        guard status.isRegularFile else { return refuse(.notRegularFile, "not a regular file (\(status.typeName))") }
        if configuration.authorization == .owner {
            pass.accounts.include(status.owner)
            guard pass.accounts.isSubmitter(status.owner, ofAnyOf: configuration.directory.agencies.values) else {
                return refuse(.unauthorized, "account \(pass.accounts.userName(status.owner)) may submit documents for no agency; its files are refused unread")
            }
        }
        guard status.links <= 1 else {
            return refuse(.notRegularFile, "the file has \(status.links) hard links; hand documents off with rename(2) from tmp/")
        }
        let limit = configuration.maxDocumentBytes
        guard status.size <= limit else { return refuse(.tooLarge, "the file is \(status.size) bytes; the limit is \(limit)") }
        if let held = memory?.held[entry.name], !pass.opened.contains(held.consultation),
           held.identity == FileIdentity(device: status.device, inode: status.inode, size: status.size, modified: status.modified),
           now < held.firstSeen.adding(seconds: Int64(rules.policy.orphanDays) * 86_400) {
            return .held
        }
        return .read(entry, status)
    }

    /// Loads what the store remembers, once; and first finishes an archiving a crash interrupted.
    func loadMemory() throws {
        guard memory == nil else { return }
        let store = self.store
        let control = self.control
        let found = try spool.recoverArchive(maxBytes: configuration.maxDocumentBytes,
                                             progress: { control.betweenBatches() }) { hashes in
            try store.read { tx in try tx.appliedInstants(among: hashes) }
        }
        for problem in found.problems { logger.error("Archive recovery: \(problem).") }
        for held in found.synced { Self.reaper.submit { FileSystem.removeFolder(held) } }
        if let first = found.cached.first {
            // Whole copies in this boot's page cache: a syncfs is all they are owed (no strays:
            // those went back before the folder was marked).
            let spool = self.spool, logger = self.logger, cached = found.cached.map { (path: $0, lock: Int32(-1), strays: [String]()) }
            Self.reaper.submit { Self.settle(cached, first: first, spool: spool, logger: logger) }
        }
        let done = earlierRemovals
        Self.reaper.submit { done.signal() }
        let (unmovable, held) = try store.read { tx in (try tx.unmovableEntries(), try tx.heldFiles()) }
        memory = Memory(unmovable: Set(unmovable), held: Dictionary(held.map { ($0.file, $0) }, uniquingKeysWith: { a, _ in a }))
    }

    /// After a full pass: entries remembered as unmovable that are no longer there are forgotten
    /// (a new entry of that name is judged afresh).
    func forgetUnmovablesGone() -> PassSummary {
        var summary = PassSummary()
        guard let remembered = memory?.unmovable else { return summary }
        let gone = remembered.subtracting(pass.seenUnmovable)
        guard !gone.isEmpty else { return summary }
        do {
            try store.write { tx in for entry in gone { try tx.forget(entry) } }
            memory?.unmovable.subtract(gone)
        } catch {
            summary.failed("cannot forget \(gone.count) unmovable entries in \(store.path) (\(error))")
        }
        return summary
    }

    /// Moves a batch of refused entries to `rejected/` (one syncfs, one fsync of each folder),
    /// tells the journal of each once, remembers those that cannot be moved, and feeds the
    /// watchdog.
    func refuse(_ batch: [Rejection], now: Instant) -> PassSummary {
        var summary = PassSummary()
        var unmovable: [(UnmovableEntry, Refusal.Code)] = []
        // The lead of the consultation a document refused before it reached the store names,
        // when the store knows it (for the journal's CONSULT_LEAD); one read for the batch.
        let unknownLead = Set(batch.compactMap { $0.parties.lead == nil ? $0.parties.consultation : nil })
        let leads = unknownLead.isEmpty ? [:] : ((try? store.read { tx in try tx.leads(of: unknownLead) }) ?? [:])
        for (rejection, result) in zip(batch, spool.reject(batch, at: rules.clock.format(now))) {
            switch result {
            case .moved:
                summary.refused += 1
                summary.tally.refused[rejection.refusal.code.rawValue, default: 0] += 1
                memory?.held[rejection.entry.name] = nil
                tellRefused(rejection, leads: leads)
            case let .unmovable(_, error):
                summary.refused += 1
                summary.tally.refused[rejection.refusal.code.rawValue, default: 0] += 1
                tellRefused(rejection, leads: leads, unmovable: error)
                if let status = rejection.status {
                    unmovable.append((UnmovableEntry(name: rejection.entry.name, device: status.device, inode: status.inode),
                                      rejection.refusal.code))
                }
            case .gone:
                break
            case let .failed(error):
                // Told by the caller: once per episode by the service, on exit by --once.
                summary.failed("cannot move \(rejection.entry.name) to \(spool.rejected) (\(error))")
            }
        }
        if !unmovable.isEmpty {
            do {
                try store.write { tx in for (entry, code) in unmovable { try tx.remember(entry, code: code.rawValue, at: now) } }
                memory?.unmovable.formUnion(unmovable.map(\.0))
                pass.seenUnmovable.formUnion(unmovable.map(\.0))
            } catch {
                summary.failed("cannot record \(unmovable.count) unmovable entries in \(store.path) (\(error))")
            }
        }
        control.betweenBatches()
        return summary
    }

    /// One journal entry per refusal; for an entry that stays in `new/`, it says so.
    private func tellRefused(_ rejection: Rejection, leads: [String: String], unmovable: FileSystemError? = nil) {
        let name = rejection.entry.name, refusal = rejection.refusal
        var parties = rejection.parties
        if parties.lead == nil, let id = parties.consultation { parties.lead = leads[id] }
        let stays = unmovable.map { " It cannot be moved out of new/ (\(String(cString: strerror($0.errno)))): it is left there, and ignored while it stays." } ?? ""
        let about = parties.consultation.map { " for \($0)" } ?? ""
        let fields = parties.journalFields + [("CONSULT_FILE", name), ("CONSULT_REASONS", refusal.code.rawValue)]
        if refusal.code == .unauthorized {
            let account = rejection.owner.map(pass.accounts.userName) ?? "unknown"
            journal.send(.unauthorized, message: "Refused \(name)\(about): \(refusal.reason).\(stays)",
                         fields: fields + [("CONSULT_ACCOUNT", account)])
        } else {
            journal.send(.rejected, message: "Refused \(name)\(about) (\(refusal.code.rawValue)): \(refusal.reason).\(stays)",
                         fields: fields)
        }
    }
}
