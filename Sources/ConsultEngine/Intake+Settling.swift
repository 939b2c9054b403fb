#if canImport(Glibc)
import Glibc
#endif
import ConsultSpool
import Dispatch
import Logging
import Synchronization

/// Settling: the archive's copies made durable and the submitters' files kept until then removed
/// (see ``Archive``), off the intake's path.
extension Intake {
    /// When the holding folders waiting are to be settled (see ``settleIfDue()``); nil when none
    /// waits. The service's loop wakes for it, so that a burst is settled soon after it ends.
    public var settleDue: ContinuousClock.Instant? {
        guard let oldest = unsettled.oldest else { return nil }
        let atMost = oldest + settleAtMost
        guard let lastRound else { return oldest }
        return min(lastRound + settleQuiet, atMost)
    }

    /// Hands the holding folders of rounds over to the reaper when the intake is quiet (no round
    /// for ``settleQuiet``: the service's loop wakes for ``settleDue``, and each pass checks)
    /// or the oldest has waited ``settleAtMost``: one syncfs settles them all, then the
    /// submitters' files kept until then are removed. Nothing waits for it. A syncfs writes back
    /// the whole disk and waits for it, holding up the store's commits meanwhile: one after
    /// every pass took the p99 from rename to journal entry at 200 documents a second from 3 ms
    /// to 450 ms, one every 10 s to 300 ms. Until then the submitters' files stay in the holding
    /// folders; one left unsettled (a stop, a crash, a failure) is finished at the next start
    /// (``Spool/recoverArchive(maxBytes:progress:applied:)``).
    public func settleIfDue() {
        guard let due = settleDue, ContinuousClock.now >= due else { return }
        let folders = unsettled.take()
        guard let first = folders.first else { return }
        let spool = self.spool, logger = self.logger
        Self.reaper.submit {
            // Unlocked once settled, or left for the next start (whose recovery takes the lock).
            defer { for folder in folders { close(folder.lock) } }
            Self.settle(folders, first: first.path, spool: spool, logger: logger)
        }
    }

    /// On the reaper: one syncfs for `folders`, then each marked synced and its submitters'
    /// files removed, once its strays are back in `new/` (a folder whose strays cannot be
    /// moved, or that cannot be marked, is left for the next start).
    static func settle(_ folders: [Unsettled.Folder], first: String, spool: Spool, logger: Logger) {
        do {
            try spool.syncArchive()
        } catch {
            logger.error("Cannot make the archive durable: \(error). The submitters' files stay in \(first) and \(folders.count - 1) other folder(s) until the next start, which finishes them.")
            return
        }
        for folder in folders where putBackStrays(folder, spool: spool, logger: logger) {
            do {
                FileSystem.removeFolder(try spool.markSynced(holding: folder.path))
            } catch {
                logger.error("Cannot mark \(folder.path) synced: \(error). The next start finishes it.")
            }
        }
    }

    /// Files a round left in its holding folder that are no document archived — a file put in
    /// new/ in place of one applied, which could not be moved back then — go back to new/ now,
    /// to be judged on their own: nothing submitted is removed with the folder. False when one
    /// cannot be moved: the folder is then left unsettled, and the next start puts it back.
    static func putBackStrays(_ folder: Unsettled.Folder, spool: Spool, logger: Logger) -> Bool {
        var all = true
        for name in folder.strays {
            do {
                let put = try FileSystem.moveWithoutReplacing(name, FileSystem.Directories(folder.path, spool.new), name: name)
                logger.notice("\(folder.path)/\(name), which took the name of a document applied, is back in new/ as \(put), to be judged on its own.")
            } catch {
                logger.error("Cannot put \(folder.path)/\(name) back in new/: \(error). It stays there until the next start, which tries again.")
                all = false
            }
        }
        return all
    }

    /// Before the process exits (`--once`, or the service stopping): waits until what earlier
    /// runs left for the reaper is settled and removed (nothing when no pass ran), and leaves
    /// what this run archived to the next start. Its copies are all made: each holding folder is
    /// marked `cached.BOOT.…` (``Spool/markCached(holding:)``), and the next start in this boot
    /// only has to syncfs it, off its path. Waiting here for the disk to write back a large round
    /// (0.35 s for 20,000 copies) would buy nothing: a crash of the process loses nothing the
    /// page cache holds, and after a reboot the folder is checked as after a crash. Where the
    /// boot id cannot be read (the unit's `ProcSubset=pid`), one syncfs and the folders are
    /// marked synced, as before.
    public func settleBeforeExit() throws(FileSystemError) {
        guard memory != nil else { return }
        earlierRemovals.wait()
        earlierRemovals.signal()
        let folders = unsettled.take()
        defer { for folder in folders { close(folder.lock) } }
        let returned = folders.filter { Self.putBackStrays($0, spool: spool, logger: logger) }
        guard Spool.bootID != nil else {
            try spool.syncArchive()
            for folder in returned { _ = try spool.markSynced(holding: folder.path) }
            return
        }
        for folder in returned { _ = try spool.markCached(holding: folder.path) }
    }

    /// The holding folders of rounds over, not yet settled, each with its lock (``Archive/lock``,
    /// to close once it is settled); shared with the reaper.
    final class Unsettled: Sendable {
        typealias Folder = (path: String, lock: Int32, strays: [String])
        private let folders = Mutex<(list: [Folder], oldest: ContinuousClock.Instant?)>(([], nil))

        func add(_ folder: Folder) {
            folders.withLock { pending in
                pending.list.append(folder)
                if pending.oldest == nil { pending.oldest = .now }
            }
        }

        /// When the oldest folder pending was added; nil when none is.
        var oldest: ContinuousClock.Instant? { folders.withLock { $0.oldest } }

        /// Every folder added so far, now no longer pending.
        func take() -> [Folder] { folders.withLock { pending in defer { pending = ([], nil) }; return pending.list } }
    }
}
