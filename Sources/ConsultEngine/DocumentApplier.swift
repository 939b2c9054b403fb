#if canImport(Glibc)
import Glibc
#endif
import ConsultConfig
import ConsultCore
import ConsultSpool
import ConsultStore
import ConsultSystemd

/// A document read and parsed, waiting to be applied. A class: batches, outcomes and the sort
/// pass it around by reference rather than copying its file, document and consultation.
final class Candidate: Sendable {
    let file: SpoolFile
    let document: Document
    let hash: String
    /// For a request, the consultation it opens: worked out (deadlines, ladder) while the
    /// documents are read, on all cores, rather than inside the store's transaction.
    let opened: Consultation?

    init(file: SpoolFile, document: Document, rules: Rules) {
        self.file = file
        self.document = document
        self.hash = SHA256.hex(file.bytes)
        if case let .request(request) = document { opened = Consultation.open(request, rules: rules) } else { opened = nil }
    }
}

/// What applying one document decided.
enum Outcome: Sendable {
    case applied(Candidate, [Notice])
    case duplicate(Candidate)
    case held(Candidate, firstTime: Bool)
    case refused(name: String, owner: uid_t?, Refusal)
}

/// Decides what each document does to the store, inside the batch's transaction. A value with
/// no mutable state, so that the store's thread applies one batch while the engine's thread
/// moves the previous one out of `new/`.
struct DocumentApplier: Sendable {
    let configuration: Configuration
    let rules: Rules
    let journal: Journal
    let accounts = Accounts()

    /// Applies one document inside the batch's transaction. Refusals are returned; store errors
    /// abort the batch, whose documents stay in `new/` for the next pass. Who may speak is
    /// checked before anything else, even for a re-delivered document, so that every file from a
    /// wrong account is refused and alerted.
    ///
    /// Every refusal is decided before the document's first write, so a refused document leaves
    /// no trace without a savepoint per document (which would copy every page it touches). The
    /// one write before a refusal is deliberate: an orphan reply's expired hold is released.
    func apply(_ c: Candidate, tx: StoreTransaction, now: Instant) throws -> Outcome {
        do {
            try admit(c, tx: tx)
            if try tx.isApplied(hash: c.hash, consultation: c.document.consultationID) { return .duplicate(c) }
            return try applyNew(c, tx: tx, now: now)
        } catch let refusal as Refusal {
            return .refused(name: c.file.name, owner: c.file.owner, refusal)
        }
    }

    /// The agencies a document names must be known, and its file's owner must be a submitter of
    /// the agency it speaks for: the lead for requests, extensions, withdrawals and resolutions,
    /// the replying agency for replies.
    private func admit(_ c: Candidate, tx: StoreTransaction) throws {
        let directory = configuration.directory
        func known(_ code: String) throws(Refusal) {
            guard directory.agencies[code] != nil else { throw unknownAgency(code) }
        }
        let speaker: String
        switch c.document {
        case let .request(request):
            try known(request.lead)
            for code in request.consulted { try known(code) }
            speaker = request.lead
        case let .reply(reply):
            try known(reply.agency)
            speaker = reply.agency
        case .extension, .withdrawal, .resolution:
            guard let existing = try tx.consultation(c.document.consultationID) else {
                throw Refusal(.unknownRequest, "no consultation \(c.document.consultationID) is known")
            }
            speaker = existing.request.lead
        }
        guard configuration.authorization == .owner else { return }
        guard let agency = directory.agencies[speaker], accounts.isSubmitter(c.file.owner, of: agency) else {
            throw Refusal(.unauthorized, "account \(accounts.userName(c.file.owner)) may not submit documents for \(speaker)")
        }
    }

    func unknownAgency(_ code: String) -> Refusal {
        Refusal(.unknownAgency, "agency \(code) is not declared in the configuration ([agencies.\(code)])")
    }

    private func applyNew(_ c: Candidate, tx: StoreTransaction, now: Instant) throws -> Outcome {
        func consultation(_ id: String) throws -> Consultation {
            guard let existing = try tx.consultation(id) else {
                throw Refusal(.unknownRequest, "no consultation \(id) is known")
            }
            return existing
        }
        func consulted(_ codes: [String], in existing: Consultation) throws(Refusal) {
            for code in codes where !existing.request.consulted.contains(code) {
                guard configuration.directory.agencies[code] != nil else { throw unknownAgency(code) }
                throw Refusal(.notConsulted, "agency \(code) is not consulted in \(existing.id)")
            }
        }

        var record = DocumentRecord(hash: c.hash, file: c.file.name, kind: c.document.kind.rawValue,
                                    consultation: c.document.consultationID, agency: nil, appliedAt: now)
        var notices: [Notice] = []
        switch c.document {
        case let .request(request):
            let opened = c.opened ?? Consultation.open(request, rules: rules)
            guard try tx.open(opened, now: now) else {
                // Nothing was written: the id is taken.
                guard try consultation(request.id).request == request else {
                    throw Refusal(.duplicateConflict, "consultation \(request.id) already exists with different content")
                }
                return .duplicate(c)
            }
            try warnIfProvisional(opened, tx: tx)
            record.agency = request.lead
        case let .reply(reply):
            guard var existing = try tx.consultation(reply.request) else {
                let since = try tx.hold(file: c.file.name, hash: c.hash, consultation: reply.request, now: now)
                let expires = since.adding(seconds: Int64(rules.policy.orphanDays) * 86_400)
                if now >= expires {
                    try tx.release(file: c.file.name)
                    throw Refusal(.unknownRequest, "no request \(reply.request) arrived within \(rules.policy.orphanDays) days (orphan_days)")
                }
                return .held(c, firstTime: since == now)
            }
            try consulted([reply.agency], in: existing)
            let assessment = rules.assessor.assess(reply, lead: existing.request.lead, title: existing.request.title)
            notices = existing.apply(reply, assessment: assessment, rules: rules, now: now)
            try tx.save(existing, notices: notices, now: now)
            try tx.release(file: c.file.name)
            record.agency = reply.agency
            record.received = reply.received
            record.position = assessment.position?.rawValue ?? ""
            record.assessment = assessment
        case let .extension(ext):
            var existing = try consultation(ext.request)
            try consulted(ext.agencies ?? [], in: existing)
            notices = try existing.apply(ext, rules: rules, now: now)
            try tx.save(existing, notices: notices, now: now)
            try warnIfProvisional(existing, tx: tx)
            record.agency = existing.request.lead
        case let .withdrawal(withdrawal):
            var existing = try consultation(withdrawal.request)
            try consulted(withdrawal.agencies ?? [], in: existing)
            notices = existing.apply(withdrawal, rules: rules, now: now)
            try tx.save(existing, notices: notices, now: now)
            record.agency = existing.request.lead
        case let .resolution(resolution):
            var existing = try consultation(resolution.request)
            try consulted([resolution.agency], in: existing)
            notices = try existing.apply(resolution, rules: rules, now: now)
            try tx.save(existing, notices: notices, now: now)
            record.agency = resolution.agency
            record.received = resolution.received
        }
        try tx.record(record)
        return .applied(c, notices)
    }

    /// Warns once (ever) per uncovered year that deadlines reaching it are provisional.
    private func warnIfProvisional(_ c: Consultation, tx: StoreTransaction) throws {
        for duty in c.duties where duty.isOpen && duty.basis.provisional {
            for year in rules.calendar.uncoveredYears(from: duty.basis.sent, through: duty.basis.deadline) {
                let key = "provisional_warned_\(year)"
                guard try tx.meta(key) == nil else { continue }
                try tx.setMeta(key, "1")
                journal.send(event: "calendar-provisional", priority: .warning,
                             message: "The calendar \(configuration.calendarPath) does not cover \(year): deadlines reaching it (first: \(c.id)) use the statutory holidays and are provisional.",
                             fields: [("CONSULT_ID", c.id), ("CONSULT_DEADLINE", duty.due.description)])
            }
        }
    }
}
