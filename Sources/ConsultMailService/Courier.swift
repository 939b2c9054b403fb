import ConsultCore
import ConsultMail
import ConsultRuntime
import ConsultSpool
import ConsultSystemd
import Foundation
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// Delivers the outbox's notices one at a time: reads each `NOTICE_ID.json`, builds its message,
/// hands it to sendmail, and moves it to `sent/YYYY-MM-DD/` — or, when it can never go, to
/// `failed/` with its reason. Not thread-safe: one loop owns it.
///
/// Sent at most twice: before each hand-off a mark is made durable in `.sending/`, and taken
/// away when sendmail's outcome is known and nothing went. A mark left by a crash (killed
/// between sendmail and the move) counts one copy that may have gone; with two such marks the
/// notice is not sent again but moved to `failed/` (`uncertain_delivery`), for a person to check.
public final class Courier {
    public let outbox: Outbox
    public let sendmail: Sendmail
    public let identity: MailIdentity
    let clock: LocalClock
    let journal: Journal
    let logger: Logger
    /// Called between notices and about every second while sendmail runs; false asks the pass to
    /// stop (sendmail is ended, the notice stays).
    public var tick: () -> Bool = { true }

    /// Notices sendmail took whose move to `sent/` failed: moved later, never handed over again.
    private var handedOver: Set<String> = []
    /// Entries that can be moved neither on nor to `failed/`: told once, then left alone while
    /// they stay (by name, device and inode).
    private var unmovable: Set<Unmovable> = []
    /// Notices that failed for a reason that may pass, in the order they failed: tried after the
    /// others, so that one such notice never holds up the rest.
    private var deferred: [String: Int] = [:]
    private var failures = 0

    private struct Unmovable: Hashable {
        let name: String
        let device: UInt64
        let inode: UInt64
    }

    public init(outbox: Outbox, sendmail: Sendmail, identity: MailIdentity, timeZone: TimeZone, journal: Journal,
                logger: Logger) {
        self.outbox = outbox
        self.sendmail = sendmail
        self.identity = identity
        clock = LocalClock(timeZone: timeZone)
        self.journal = journal
        self.logger = logger
    }

    /// What a pass did.
    public struct Pass: Sendable {
        public var sent = 0
        /// Moved to `sent/` untouched: no recipient.
        public var unaddressed = 0
        /// Moved to `failed/` (or, when that is impossible, left alone).
        public var failed = 0
        /// Notices still waiting when the pass ended.
        public var waiting = 0
        /// The first failure that may pass (sendmail missing, EX_TEMPFAIL, a full disk…) and its
        /// notice: the pass stopped there, and it and those after it wait.
        public var temporary: (notice: String, what: String)?
        /// The pass stopped because `tick` asked it to.
        public var stopped = false
    }

    /// One pass over the outbox: every notice waiting (`names` nil), or those named. Stops at the
    /// first failure that may pass: the mail system is likely down, and each further try would
    /// cost a run of sendmail (or its timeout).
    public func pass(names: [String]? = nil) -> Pass {
        var result = Pass()
        let candidates: [Outbox.Waiting]
        do {
            if let names {
                candidates = names.map { SpoolEntry(reported: $0, in: outbox.path) }.filter(Outbox.isNoticeName)
                    .compactMap { entry in outbox.status(of: entry).map { Outbox.Waiting(entry: entry, status: $0) } }
            } else {
                let all = try outbox.waiting()
                outbox.removeStaleMarks(waiting: all)
                let present = Set(all.map(\.entry.name))
                deferred = deferred.filter { present.contains($0.key) }
                handedOver.formIntersection(present)
                unmovable = unmovable.filter { present.contains($0.name) }
                candidates = all
            }
        } catch {
            result.temporary = ("", "cannot list \(outbox.path): \(error)")
            return result
        }
        let ordered = candidates.filter { deferred[$0.entry.name] == nil }
            + candidates.filter { deferred[$0.entry.name] != nil }.sorted { deferred[$0.entry.name]! < deferred[$1.entry.name]! }
        for (index, waiting) in ordered.enumerated() {
            guard tick() else {
                result.stopped = true
                result.waiting = ordered.count - index
                return result
            }
            switch deliver(waiting) {
            case .sent: result.sent += 1
            case .unaddressed: result.unaddressed += 1
            case .failed: result.failed += 1
            case .left: break
            case let .temporary(what):
                failures += 1
                deferred[waiting.entry.name] = failures
                result.temporary = (waiting.entry.name, what)
                result.waiting = ordered.count - index
                return result
            }
        }
        return result
    }

    enum Outcome: Equatable {
        case sent, unaddressed, failed, left
        case temporary(String)
    }

    func deliver(_ waiting: Outbox.Waiting) -> Outcome {
        let entry = waiting.entry, name = entry.name
        if unmovable.contains(Unmovable(name: name, device: waiting.status.device, inode: waiting.status.inode)) { return .left }
        if handedOver.contains(name) { return moveToSent(entry) }
        // What lstat said: a link, a FIFO or a folder is refused without being opened.
        guard waiting.status.isRegularFile else {
            return refuse(waiting, Refusal(.notRegularFile, waiting.status.isSymbolicLink
                ? "it is a symbolic link; links are never followed" : "it is not a regular file (\(waiting.status.typeName))"), notice: nil)
        }
        let bytes: [UInt8]
        switch outbox.read(entry) {
        case .gone: return .left
        case let .unreadable(error): return .temporary("cannot read \(error.path): \(String(cString: strerror(error.errno)))")
        case let .refused(refusal): return refuse(waiting, refusal, notice: nil)
        case let .file(content, _): bytes = content
        }
        let notice: Notice
        do {
            notice = try NoticeFile.notice(name: name, bytes: bytes)
        } catch {
            return refuse(waiting, error, notice: nil)
        }
        guard notice.hasRecipients else {
            let outcome = moveToSent(entry)
            if outcome == .sent {
                logger.info("Notice \(notice.noticeID) has no recipient: moved to sent/ untouched.",
                            metadata: ["CONSULT_NOTICE_ID": "\(notice.noticeID)", "CONSULT_ID": "\(notice.consultation)"])
                return .unaddressed
            }
            return outcome
        }
        let message: MailMessage
        do {
            message = try NoticeMail.message(for: notice, identity: identity,
                                             fallbackDate: MailDate.format(.now, offsetSeconds: clock.offset(at: .now)))
        } catch {
            return refuse(waiting, error, notice: notice)
        }
        let unknown = outbox.unknownHandOffs(of: name)
        guard unknown < 2 else {
            return refuse(waiting, Refusal(.uncertainDelivery, "it was handed to sendmail twice and consultd-mail stopped each time before it learnt the outcome; a third try could make a third copy. Look for Message-ID \(message.messageID) in the recipients' mailboxes or the mail log, then move the file back into the outbox to send it again"), notice: notice)
        }
        do {
            try outbox.handOffBegins(unknown + 1, of: name)
        } catch {
            return .temporary("cannot mark the hand-off of \(name) in \(outbox.marks): \(error)")
        }
        let run = sendmail.run(message.bytes(lineEnding: "\n"), tick: tick)
        switch run.verdict {
        case .delivered:
            handedOver.insert(name)
            tellSent(notice, message, again: unknown > 0)
            return moveToSent(entry)
        case .permanent:
            outbox.handOffEnded(unknown + 1, of: name)
            return refuse(waiting, Refusal(.sendmailRefused, run.describe(sendmail.path)), notice: notice)
        case .temporary:
            outbox.handOffEnded(unknown + 1, of: name)
            return .temporary(run.describe(sendmail.path))
        }
    }

    /// Moves a notice (delivered, or without recipients) into today's `sent/` folder.
    private func moveToSent(_ entry: SpoolEntry) -> Outcome {
        do {
            _ = try outbox.moveToSent(entry, date: clock.date(of: .now).description)
        } catch {
            if error.errno == ENOENT {
                handedOver.remove(entry.name)
                return .left
            }
            return .temporary("cannot move \(entry.name) to \(outbox.sent): \(error)")
        }
        handedOver.remove(entry.name)
        deferred.removeValue(forKey: entry.name)
        outbox.forgetHandOffs(of: entry.name)
        return .sent
    }

    /// One journal entry per delivery: the notice, its consultation and the recipients.
    private func tellSent(_ notice: Notice, _ message: MailMessage, again: Bool) {
        let recipients = message.recipients.map(\.description)
        let shown = recipients.count > 10 ? recipients.prefix(10).joined(separator: ", ") + " and \(recipients.count - 10) more"
            : recipients.joined(separator: ", ")
        let repeated = again ? " again (an earlier hand-off's outcome was lost in a crash; same Message-ID)" : ""
        journal.send(.mailSent, message: "Notice \(notice.noticeID) [\(notice.consultation)] handed to sendmail\(repeated) for \(shown) as \(message.messageID).",
                     fields: fields(notice) + [("CONSULT_RECIPIENTS", recipients.joined(separator: ",")),
                                               ("CONSULT_MAIL_MESSAGE_ID", message.messageID)])
    }

    /// A notice that can never go: to `failed/` with its reason, and an `err` entry.
    private func refuse(_ waiting: Outbox.Waiting, _ refusal: Refusal, notice: Notice?) -> Outcome {
        let entry = waiting.entry
        let at = clock.format(.now)
        var entryFields = notice.map(fields) ?? [("CONSULT_NOTICE_ID", String(entry.name.dropLast(5)))]
        entryFields += [("CONSULT_FILE", entry.name), ("CONSULT_REASONS", refusal.code.rawValue)]
        switch outbox.moveToFailed(entry, refusal: refusal, at: at) {
        case let .moved(name):
            outbox.forgetHandOffs(of: entry.name)
            deferred.removeValue(forKey: entry.name)
            journal.send(.mailRefused, message: "Notice file \(entry.name) cannot be sent: \(refusal.reason). Moved to \(outbox.failed)/\(name), with \(name).error.json.",
                         fields: entryFields)
            return .failed
        case let .unmovable(error):
            unmovable.insert(Unmovable(name: entry.name, device: waiting.status.device, inode: waiting.status.inode))
            journal.send(.mailRefused, message: "Notice file \(entry.name) cannot be sent: \(refusal.reason). It cannot be moved to \(outbox.failed) either (\(error)): it stays, ignored while it stays.",
                         fields: entryFields)
            return .failed
        case .gone:
            return .left
        case let .failed(error):
            return .temporary("cannot move \(entry.name) to \(outbox.failed): \(error)")
        }
    }

    private func fields(_ notice: Notice) -> [(String, String)] {
        [("CONSULT_NOTICE_ID", notice.noticeID), ("CONSULT_ID", notice.consultation), ("CONSULT_LEAD", notice.lead),
         ("CONSULT_AGENCY", notice.agency ?? ""), ("CONSULT_STEP", notice.step ?? ""), ("CONSULT_NOTICE_EVENT", notice.event)]
    }
}
