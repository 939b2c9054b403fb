import ConsultCore
import ConsultSpool
import ConsultSystemd
import Foundation
import Synchronization

extension Intake {
    /// Reads and parses the documents of a round, on all cores (the order is kept). Each was
    /// examined first: it is read only if it is still the file `lstat` described.
    func read(_ entries: [(entry: SpoolEntry, status: EntryStatus)]) -> ([Candidate], [Rejection]) {
        let spool = self.spool, maxBytes = configuration.maxDocumentBytes, rules = self.rules
        let parts = entries.count < 64 ? 1 : max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8))
        let results = Mutex([[(Candidate?, Rejection?)]](repeating: [], count: parts))
        onThreads(parts) { part in
            let slice = entries[(entries.count * part / parts)..<(entries.count * (part + 1) / parts)]
            var out: [(Candidate?, Rejection?)] = []
            out.reserveCapacity(slice.count)
            for (entry, status) in slice {
                switch spool.read(entry.name, maxBytes: maxBytes, expecting: status) {
                case .gone: continue
                case let .refused(_, owner, refusal): out.append((nil, Rejection(entry, refusal, owner: owner, status: status)))
                case let .file(file):
                    do throws(Refusal) {
                        let document = try DocumentParser.parse(file.bytes)
                        out.append((Candidate(file: file, document: document, rules: rules), nil))
                    } catch {
                        out.append((nil, Rejection(entry, error, owner: file.owner, status: status,
                                                   parties: NamedParties.salvage(file.bytes))))
                    }
                }
            }
            results.withLock { $0[part] = out }
        }
        let all = results.withLock { $0 }.joined()
        return (all.compactMap(\.0), all.compactMap(\.1))
    }

    /// Requests first so replies in the same batch find them; then by consultation, and within
    /// one in the order the documents say they happened, then in submission order. Documents of
    /// different consultations do not interact, so grouping them by id changes no outcome, and
    /// the store's B-trees then take their keys in order instead of at random places.
    static func inApplyingOrder(_ candidates: [Candidate]) -> [Candidate] {
        candidates.sorted {
            (rank($0.document.kind), $0.document.consultationID, time($0), $0.file.modified, $0.file.name)
                < (rank($1.document.kind), $1.document.consultationID, time($1), $1.file.modified, $1.file.name)
        }
    }

    /// When a document says it happened (sent, received), else when it was written.
    static func time(_ c: Candidate) -> Int64 {
        switch c.document {
        case let .request(r): r.sent.seconds
        case let .reply(r): r.received.seconds
        case let .resolution(r): r.received.seconds
        case .extension, .withdrawal: c.file.modified.seconds
        }
    }

    static func rank(_ kind: Document.Kind) -> Int {
        switch kind {
        case .request: 0
        case .extension: 1
        case .reply: 2
        case .resolution: 3
        case .withdrawal: 4
        }
    }

    /// The batches of a round of `count` documents: `size` each, except at both ends, where they
    /// halve down to an eighth: a small first batch lets the moves start early, and a small last
    /// one leaves little to move once the store is done.
    static func batches(_ count: Int, size: Int) -> [Range<Int>] {
        var sizes: [Int] = []
        var left = count
        var ramp = max(1, size / 8)
        while left > 0, ramp < size {   // ramp up
            sizes.append(min(ramp, left))
            left -= sizes.last!
            ramp *= 2
        }
        var tail: [Int] = []
        ramp = max(1, size / 8)
        while left > size + ramp, ramp < size {   // ramp down, taken from the end
            tail.append(ramp)
            left -= ramp
            ramp *= 2
        }
        while left > 0 {
            sizes.append(min(size, left))
            left -= sizes.last!
        }
        sizes += tail.reversed()
        var start = 0
        return sizes.map { n in defer { start += n }; return start..<(start + n) }
    }

    /// Tells the journal what a committed batch did with each document it took (refusals are
    /// told when their sidecar is written, notices when they are delivered).
    static func announce(_ outcomes: [Outcome], now: Instant, journal: Journal, orphanDays: Int, calendarPath: String) {
        for outcome in outcomes {
            switch outcome {
            case let .applied(c, _, uncovered, parties):
                journal.send(.accepted, message: "Applied \(c.document.kind.rawValue) \(c.file.name) for \(c.document.consultationID).",
                             fields: parties.journalFields + [("CONSULT_FILE", c.file.name)])
                for u in uncovered {
                    journal.send(.calendarProvisional,
                                 message: "The calendar \(calendarPath) does not cover \(u.year): deadlines reaching it (first: \(u.consultation)) use the statutory holidays and are provisional.",
                                 fields: [("CONSULT_ID", u.consultation), ("CONSULT_DEADLINE", u.deadline.description)])
                }
            case let .duplicate(c):
                journal.send(.duplicate, message: "\(c.file.name) was already applied to \(c.document.consultationID); moved to done/ without effect.",
                             fields: NamedParties(c.document).journalFields + [("CONSULT_FILE", c.file.name)])
            case let .held(c, since) where since == now:
                journal.send(.held,
                             message: "Reply \(c.file.name) waits for its request \(c.document.consultationID) (held up to \(orphanDays) days).",
                             fields: NamedParties(c.document).journalFields + [("CONSULT_FILE", c.file.name)])
            case .held, .refused:
                break
            }
        }
    }
}
