#if canImport(Glibc)
import Glibc
#endif
import ConsultCore
import ConsultSpool
import ConsultStore
import ConsultSystemd
import Logging

/// Delivery: writes committed notices to the outbox (when they have recipients) and to the
/// journal, and records them as delivered. A notice is committed before it is delivered, so a
/// crash can make one be written twice, never lost.
public final class NoticeDelivery {
    let store: Store
    let spool: Spool
    let journal: Journal
    let logger: Logger
    let control: PassControl

    /// Notices recorded as delivered per store transaction: a crash between writing a notice and
    /// recording it makes that notice be written again (never lost), so keep the window short.
    static let chunk = 32

    /// Whether the outbox is failing, as last recorded (`nil` until read from the store).
    private var outboxFailing: Bool?

    /// Pending notices that cannot be read back, already told to the journal by this process.
    private var unreadableTold: Set<String> = []

    init(store: Store, spool: Spool, journal: Journal, logger: Logger, control: PassControl) {
        self.store = store
        self.spool = spool
        self.journal = journal
        self.logger = logger
        self.control = control
    }

    /// Delivers notices committed earlier but not confirmed delivered (after a crash or a full
    /// disk). One that cannot be read back stays pending and is told to the journal, once per
    /// start of the daemon.
    public func deliverPending() throws -> PassSummary {
        var summary = PassSummary()
        var after: Int64 = 0
        while !control.shouldStop() {
            let pending = try store.read { tx in try tx.undeliveredNotices(after: after, limit: 1024) }
            guard let last = pending.last else { break }
            control.betweenBatches()
            var notices: [Notice] = []
            for entry in pending {
                switch entry.notice {
                case let .success(notice): notices.append(notice)
                case let .failure(error): tellUnreadable(error)
                }
            }
            summary += deliver(notices)
            after = last.row
        }
        return summary
    }

    /// At start: removes the staged notices a crash left in `outbox/.tmp/` (they are still pending,
    /// and written again), telling the journal once, with their names.
    public func removeStagingLeftovers() {
        do {
            let removed = try spool.removeStagingLeftovers(now: .now)
            guard !removed.isEmpty else { return }
            let shown = removed.prefix(10).joined(separator: ", ") + (removed.count > 10 ? ", …" : "")
            journal.send(.daemon, message: "Removed \(removed.count) unfinished notice file\(removed.count == 1 ? "" : "s") left in \(spool.outboxStaging) by a crash (\(shown)); their notices are still pending and are written again.",
                         fields: [("CONSULT_FILE", removed.count == 1 ? removed[0] : "")])
        } catch {
            logger.warning("Cannot clear \(spool.outboxStaging): \(error)")
        }
    }

    private func tellUnreadable(_ error: UnreadableNotice) {
        guard unreadableTold.insert(error.noticeID).inserted else { return }
        logger.error("Cannot deliver notice \(error.noticeID): \(error.reason). It stays pending in \(store.path); said once until consultd restarts.",
                     metadata: ["CONSULT_NOTICE_ID": "\(error.noticeID)", "CONSULT_ID": "\(error.consultation)"])
    }

    /// Delivers notices, recording each chunk as delivered as soon as it is written.
    func deliver(_ notices: [Notice]) -> PassSummary {
        var summary = PassSummary()
        var start = 0
        let sentFolders = self.sentFolders(for: notices)
        while start < notices.count {
            let chunk = notices[start..<min(start + Self.chunk, notices.count)]
            start += chunk.count
            var delivered: [String] = []
            for (notice, failure) in zip(chunk, deliver(Array(chunk), sentFolders: sentFolders)) {
                if let failure {
                    summary.failed(failure)
                } else {
                    delivered.append(notice.noticeID)
                    summary.tally.notices[notice.event, default: 0] += 1
                }
            }
            summary.notices += delivered.count
            if let failure = markDelivered(delivered) { summary.failed(failure) }
        }
        return summary
    }

    /// The folders of `outbox/sent/` a notice among `notices` may have been moved to already
    /// (a notice delivered again after a crash, or after a restore): those dated from the day
    /// before the earliest notice's creation on, as the consumer files a notice under the day
    /// it delivered it. None when no notice has recipients (nothing is written to the outbox).
    private func sentFolders(for notices: [Notice]) -> [String] {
        let days = notices.lazy.filter(\.hasRecipients).compactMap { LocalDate(iso: String($0.created.prefix(10))) }
        guard let earliest = days.min() else { return [] }
        return spool.sentDays().filter { $0.date >= earliest.adding(days: -1) }.map(\.path)
    }

    /// Writes notices to the outbox, together (when they have recipients and were not written
    /// before: a file of the daemon's own of its name in `outbox/` or `outbox/sent/DATE/` is never
    /// written again), and each written to the journal; for each, what failed when its outbox
    /// write did (the notice stays pending and is retried).
    private func deliver(_ notices: [Notice], sentFolders: [String]) -> [String?] {
        let owner = geteuid()
        let writing = notices.indices.filter {
            notices[$0].hasRecipients && spool.writtenNotice(notices[$0].noticeID, owner: owner, sentFolders: sentFolders) == nil
        }
        var failures = [String?](repeating: nil, count: notices.count)
        let written = spool.writeOutbox(writing.map { (notices[$0].noticeID, JSONWriter.bytes(notices[$0].outboxJSON)) })
        for (i, failure) in zip(writing, written) {
            outboxEpisode(failure: failure, notice: notices[i])
            if let failure { failures[i] = "cannot write notices to \(spool.outbox) (\(failure))" }
        }
        for (notice, failure) in zip(notices, failures) where failure == nil { journal.send(notice) }
        return failures
    }

    /// Tells the journal when outbox writes start failing and when they work again — once per
    /// episode, not once per retry. The episode is remembered in the store, so that repeated
    /// `--once` runs do not repeat it either.
    private func outboxEpisode(failure: (any Error)?, notice: Notice) {
        if outboxFailing == nil { outboxFailing = ((try? store.read { tx in try tx.isOutboxFailing() }) ?? false) }
        let failing = failure != nil
        guard failing != outboxFailing else { return }
        outboxFailing = failing
        _ = try? store.write { tx in try tx.setOutboxFailing(failing) }
        if let failure {
            journal.send(.outboxFailed,
                         message: "Cannot write notices to \(spool.outbox) (\(failure)); they stay pending and are retried. Said once until writing works again.",
                         fields: [("CONSULT_NOTICE_ID", notice.noticeID)])
        } else {
            journal.send(.outboxRecovered,
                         message: "Notices are written to \(spool.outbox) again; the pending ones are being delivered.",
                         fields: [("CONSULT_NOTICE_ID", notice.noticeID)])
        }
    }

    /// Records notices as delivered; what failed when that did (they will be written again).
    private func markDelivered(_ ids: [String]) -> String? {
        guard !ids.isEmpty else { return nil }
        do {
            try store.write { tx in try tx.markDelivered(ids) }
            return nil
        } catch {
            return "cannot record delivered notices in \(store.path) (\(error))"
        }
    }
}
