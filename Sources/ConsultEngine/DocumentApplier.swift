#if canImport(Glibc)
import Glibc
#endif
import ConsultConfig
import ConsultCore
import ConsultSpool
import ConsultStore

/// Decides what each document does to the store, inside the batch's transaction. A value with
/// no mutable state and no I/O but the store's, so that the committing thread applies one batch
/// while another moves the previous one out of `new/`.
struct DocumentApplier: Sendable {
    let configuration: Configuration
    let rules: Rules

    /// Applies one document inside the batch's transaction. Refusals are returned; store errors
    /// abort the batch, whose documents stay in `new/` for the next pass. Who may speak is
    /// checked before anything else, even for a re-delivered document, so that every file from a
    /// wrong account is refused and alerted. `accounts` were looked up before the transaction.
    ///
    /// Every refusal is decided before the document's first write, so a refused document leaves
    /// no trace without a savepoint per document (which would copy every page it touches). The
    /// one write before a refusal is deliberate: an orphan reply's expired hold is released.
    func apply(_ c: Candidate, accounts: Accounts, tx: StoreTransaction, now: Instant) throws -> Outcome {
        do {
            let existing = try admit(c, accounts: accounts, tx: tx)
            if try tx.isApplied(content: c.content, hash: c.hash, consultation: c.document.consultationID) { return .duplicate(c) }
            return try applyNew(c, existing: existing, tx: tx, now: now)
        } catch let refusal as Refusal {
            return .refused(Rejection(SpoolEntry(bytes: Array(c.file.name.utf8)), refusal, owner: c.file.owner, status: c.file.status,
                                      parties: try parties(of: c, tx: tx)))
        }
    }

    /// Whom a document concerns, with its consultation's lead when the store knows it.
    private func parties(of c: Candidate, tx: StoreTransaction) throws -> NamedParties {
        var parties = NamedParties(c.document)
        if parties.lead == nil { parties.lead = try tx.consultation(c.document.consultationID)?.request.lead }
        return parties
    }

    /// The agencies a document names must be known, and its file's owner must be a submitter of
    /// the agency it speaks for (``Document/speaker``): the lead for requests, extensions,
    /// withdrawals and resolutions, the replying agency for replies. Returns the consultation an
    /// extension, a withdrawal or a resolution is about (loaded once, to find its lead).
    private func admit(_ c: Candidate, accounts: Accounts, tx: StoreTransaction) throws -> Consultation? {
        let directory = configuration.directory
        let speaker: String
        var existing: Consultation?
        switch c.document.speaker {
        case let .agency(code):
            // A request or a reply names every agency it involves; the later kinds' agencies
            // are checked against the consultation (``consulted(_:in:)``).
            for (_, named) in c.document.namedAgencies where directory.agencies[named] == nil {
                throw Refusal.unknownAgency(named)
            }
            speaker = code
        case .lead:
            guard let found = try tx.consultation(c.document.consultationID) else {
                throw Refusal(.unknownRequest, "no consultation \(c.document.consultationID) is known")
            }
            existing = found
            speaker = found.request.lead
        }
        guard configuration.authorization == .owner else { return existing }
        guard let agency = directory.agencies[speaker], accounts.isSubmitter(c.file.owner, of: agency) else {
            throw Refusal.unauthorized(account: accounts.userName(c.file.owner), agency: speaker)
        }
        return existing
    }

    /// Agencies a document names must be consulted in the consultation it is about.
    private func consulted(_ codes: [String], in existing: Consultation) throws(Refusal) {
        if let refusal = Admission.notConsulted(codes, in: existing.request, directory: configuration.directory).first {
            throw refusal
        }
    }

    private func applyNew(_ c: Candidate, existing: Consultation?, tx: StoreTransaction, now: Instant) throws -> Outcome {
        var record = DocumentRecord(hash: c.hash, content: c.content, file: c.file.name, kind: c.document.kind.rawValue,
                                    consultation: c.document.consultationID, agency: nil, appliedAt: now)
        var notices: [Notice] = []
        var uncovered: [UncoveredYear] = []
        var parties = NamedParties(c.document)
        switch c.document {
        case let .request(request):
            let opened = c.opened ?? Consultation.open(request, rules: rules)
            guard try tx.open(opened, now: now) else {
                // Nothing was written: the id is taken.
                // Compared as parsed content (a request applied before the store kept content keys).
                guard let taken = try tx.consultation(request.id)?.request,
                      Document.request(taken).canonicalKey == c.content else {
                    throw Refusal(.duplicateConflict, "consultation \(request.id) already exists with different content")
                }
                return .duplicate(c)
            }
            uncovered = try firstUncoveredYears(opened, tx: tx)
            record.agency = request.lead
        case let .reply(reply):
            guard var consultation = try tx.consultation(reply.request) else { return try hold(c, reply, tx: tx, now: now) }
            try consulted([reply.agency], in: consultation)
            let assessment = rules.assessor.assess(reply, lead: consultation.request.lead, title: consultation.request.title)
            notices = consultation.apply(reply, assessment: assessment, rules: rules, now: now)
            try tx.save(consultation, notices: notices, now: now)
            try tx.release(file: c.file.name)
            parties.lead = consultation.request.lead
            record.agency = reply.agency
            record.received = reply.received
            record.position = assessment.position?.rawValue ?? ""
            record.assessment = assessment
        case let .extension(ext):
            guard var consultation = existing else { preconditionFailure("admit() loads the consultation of an extension") }
            try consulted(ext.agencies ?? [], in: consultation)
            notices = try consultation.apply(ext, rules: rules, now: now)
            try tx.save(consultation, notices: notices, now: now)
            uncovered = try firstUncoveredYears(consultation, tx: tx)
            record.agency = consultation.request.lead
        case let .withdrawal(withdrawal):
            guard var consultation = existing else { preconditionFailure("admit() loads the consultation of a withdrawal") }
            try consulted(withdrawal.agencies ?? [], in: consultation)
            notices = consultation.apply(withdrawal, rules: rules, now: now)
            try tx.save(consultation, notices: notices, now: now)
            record.agency = consultation.request.lead
        case let .resolution(resolution):
            guard var consultation = existing else { preconditionFailure("admit() loads the consultation of a resolution") }
            try consulted([resolution.agency], in: consultation)
            notices = try consultation.apply(resolution, rules: rules, now: now)
            try tx.save(consultation, notices: notices, now: now)
            record.agency = resolution.agency
            record.received = resolution.received
        }
        try tx.record(record)
        if parties.lead == nil { parties.lead = existing?.request.lead }
        return .applied(c, notices, uncovered: uncovered, parties: parties)
    }

    /// A reply whose request has not arrived waits in `new/` up to `orphan_days`, then is refused.
    private func hold(_ c: Candidate, _ reply: Reply, tx: StoreTransaction, now: Instant) throws -> Outcome {
        let status = c.file.status
        let since = try tx.hold(file: c.file.name, hash: c.hash, consultation: reply.request, now: now,
                                identity: FileIdentity(device: status.device, inode: status.inode, size: status.size,
                                                       modified: status.modified))
        let expires = since.adding(seconds: Int64(rules.policy.orphanDays) * 86_400)
        if now >= expires {
            try tx.release(file: c.file.name)
            throw Refusal(.unknownRequest, "no request \(reply.request) arrived within \(rules.policy.orphanDays) days (orphan_days)")
        }
        return .held(c, since: since)
    }

    /// The years the consultation's open deadlines reach that the calendar does not cover and
    /// that no document met before (remembered in the store: the warning is given once, ever).
    private func firstUncoveredYears(_ c: Consultation, tx: StoreTransaction) throws -> [UncoveredYear] {
        var years: [UncoveredYear] = []
        for duty in c.duties where duty.isOpen && duty.basis.provisional {
            for year in rules.calendar.uncoveredYears(from: duty.basis.sent, through: duty.basis.deadline) {
                let key = "provisional_warned_\(year)"
                guard try tx.meta(key) == nil else { continue }
                try tx.setMeta(key, "1")
                years.append(UncoveredYear(year: year, consultation: c.id, deadline: duty.due))
            }
        }
        return years
    }
}
