import ArgumentParser
import ConsultAdmin
import ConsultConfig
import ConsultCore
import ConsultRuntime
import ConsultStore
import Foundation

/// `consultctl assess FILE…`: the judgement a reply would get, nothing handed off (contract §5).
struct Assess: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the judgement a reply would get — clear, vague or deflection — with its evidence.",
        discussion: """
            Reads each reply as the daemon would — a whole letter in `text` included — and prints the \
            verdict, the reasons and the exact words that decided each one. Nothing is handed off: a \
            clerk's check before sending.

            The lead agency is the consultation's when the state store knows the request, else --lead, \
            else the agency the letter is addressed to ("Kính gửi: …"). When none of these gives it, \
            a warning says so: the judgement cannot tell a deferral to the lead from a referral.

            A reply the daemon would refuse is refused here too: an agency the consultation does not \
            consult (not_consulted), or the lead answering its own consultation. FILE may be `-` for \
            standard input.

            Exit status: 0 when every reply is clear, 1 when one is vague or a deflection, 65 when a \
            document is invalid or would be refused, 66 when a file does not exist, 64 for a wrong \
            option. The highest applies. With --format json every file gets an object, an invalid one \
            with its `error`.

            Examples:
              consultctl assess reply-stc.json
              consultctl assess --format json replies/*.json
              consultctl assess --lead SXD reply.json && consultctl submit reply.json
            """)

    /// `--format` of assess.
    enum AssessFormat: String, ExpressibleByArgument, CaseIterable {
        case table, json
    }

    @OptionGroup var options: Options
    @Option(help: "The lead agency's code, when the state store does not know the request.", completion: .custom(Completion.agencyCodes))
    var lead: String?
    @Option(help: "table or json.")
    var format: AssessFormat = .table
    @Argument(help: "Reply files (- for standard input).", completion: .file(extensions: ["json"]))
    var files: [String]

    func run() throws {
        let (settings, _) = try options.load()
        let directory = settings.directory
        // A lead must be declared: the assessor knows only the configuration's agencies.
        let lead = try self.lead.map { given throws(ExitCode) in try resolveAgency(given, option: "--lead", settings: settings) }
        // A clerk usually may not read the state store: the lead then comes from --lead or the letter.
        let store: Store?, storeProblem: String?
        if let problem = Access.problem(reading: settings.state, what: "state store") {
            (store, storeProblem) = (nil, problem.status == ExitStatus.noInput ? "there is no state store at \(settings.state)" : "this account may not read the state store")
        } else {
            do {
                (store, storeProblem) = (try Store(path: settings.state, readOnly: true, verify: false), nil)
            } catch {
                (store, storeProblem) = (nil, "the state store cannot be read: \(error)")
            }
        }
        let judge = Judge(settings: settings, assessor: Assessor(directory: directory), lead: lead, store: store,
                          storeProblem: storeProblem)
        var status: Int32 = 0
        var results: [JSONValue] = []
        var table = ""
        var readStandardInput = false
        for file in files {
            let answer: Answer
            if file == "-" && readStandardInput {
                answer = .refused(code: "usage", reason: "standard input was read already", status: ExitStatus.usage)
            } else {
                readStandardInput = readStandardInput || file == "-"
                answer = judge.answer(file)
            }
            switch answer {
            case let .refused(code, reason, exit):
                writeError("\(file): \(code): \(reason)")
                status = max(status, exit)
                results.append(.object([("file", .string(file)), ("error", .object([("code", .string(code)), ("reason", .string(reason))]))]))
            case let .judged(j):
                for warning in j.warnings { writeError("\(file): warning: \(warning)") }
                if j.assessment.verdict != .clear { status = max(status, 1) }
                results.append(j.json(file: file))
                table += j.text(file: file)
            }
        }
        switch format {
        case .json: write(JSONWriter.string(.array(results), pretty: true))
        case .table: write(table)
        }
        if status != 0 { throw ExitCode(status) }
    }
}

/// What `assess` says of one file: its judgement, or why it gives none.
private enum Answer {
    case refused(code: String, reason: String, status: Int32)
    case judged(Judged)
}

/// A reply judged: against which lead, found where, and what a clerk should look at twice.
private struct Judged {
    let reply: Reply
    let assessment: Assessment
    let lead: String?
    let leadSource: String?
    let warnings: [String]

    func json(file: String) -> JSONValue {
        .object([
            ("file", .string(file)), ("request", .string(reply.request)), ("agency", .string(reply.agency)),
            ("lead", .optional(lead)), ("lead_source", .optional(leadSource)),
            ("verdict", .string(assessment.verdict.rawValue)), ("position", .optional(assessment.position?.rawValue)),
            ("reasons", .strings(assessment.reasons)), ("evidence", Evidence.json(assessment.evidence)),
            ("warnings", .strings(warnings)),
        ])
    }

    func text(file: String) -> String {
        let leadNote = lead.map { "\($0) (from \(leadSource ?? ""))" } ?? "an unknown lead"
        var text = Printable.text("\(file): \(assessment.verdict.rawValue)"
            + " — \(reply.agency) to \(leadNote), position \(assessment.position?.rawValue ?? "none")") + "\n"
        for e in assessment.evidence { text += "  " + TextTable.sanitize(ConsultationView.evidenceLine(e)) + "\n" }
        return text
    }
}

/// Judges reply files as the daemon would, refusing what it would refuse.
private struct Judge {
    let settings: Configuration
    let assessor: Assessor
    /// `--lead`, when given.
    let lead: String?
    let store: Store?
    /// Why `store` is nil, for the warning that the lead is unknown.
    let storeProblem: String?

    func answer(_ file: String) -> Answer {
        let reply: Reply
        switch read(file) {
        case nil:
            return .refused(code: "no_such_file", reason: "no such file", status: ExitStatus.noInput)
        case let .failure(refusal)?:
            return .refused(code: refusal.code.rawValue, reason: refusal.reason, status: ExitStatus.badDocument)
        case let .success(document)?:
            guard case let .reply(r) = document else {
                return .refused(code: Refusal.Code.invalidField.rawValue,
                                reason: "not a reply but a \(document.kind.rawValue); only replies are assessed", status: ExitStatus.badDocument)
            }
            guard settings.directory.agencies[r.agency] != nil else {
                return .refused(code: Refusal.Code.unknownAgency.rawValue, reason: "agency \(r.agency) is not declared in \(settings.path)",
                                status: ExitStatus.badDocument)
            }
            reply = r
        }
        let known = try? store?.read { tx in try tx.consultation(reply.request) }
        if let known, !known.request.consulted.contains(reply.agency) {
            let why = known.request.lead == reply.agency ? "\(reply.agency) leads \(reply.request) and does not reply to it"
                : "agency \(reply.agency) is not consulted in \(reply.request)"
            return .refused(code: Refusal.Code.notConsulted.rawValue, reason: why, status: ExitStatus.badDocument)
        }
        let (leadCode, source): (String?, String) =
            if let known { (known.request.lead, "the consultation \(reply.request)") }
            else if let lead { (lead, "--lead") }
            else { (nil, "") }
        if leadCode == reply.agency {
            return .refused(code: Refusal.Code.notConsulted.rawValue,
                            reason: "\(reply.agency) is the lead (\(source)) and does not reply to itself", status: ExitStatus.badDocument)
        }
        let (assessment, effectiveLead, written) = assessor.judge(reply, lead: leadCode, title: known?.request.title)
        var warnings: [String] = []
        if let known, let lead, lead != known.request.lead {
            warnings.append("--lead \(lead) is not used: \(reply.request) is led by \(known.request.lead)")
        }
        if effectiveLead == nil {
            let notFound = storeProblem.map { "\(reply.request) was not looked up: \($0)" } ?? "\(reply.request) is not in the state store"
            warnings.append("the lead agency is unknown (\(notFound), no --lead, no single "
                + "addressee in the letter): a request to the lead reads as a referral; give --lead")
        }
        // The field decides (contract §5); a text that says otherwise is worth a second look.
        if let field = reply.position, let written, (written == .disagree) != (field == .disagree),
           written != .outsideCompetence, field != .outsideCompetence {
            warnings.append("the text takes the position \(written.rawValue) but the position field says \(field.rawValue); the field decides")
        }
        let leadSource = leadCode != nil ? source : (effectiveLead != nil ? "the letter's salutation" : nil)
        return .judged(Judged(reply: reply, assessment: assessment, lead: effectiveLead, leadSource: leadSource, warnings: warnings))
    }

    /// The document in `file`, or standard input for `-`; nil when the file does not exist.
    private func read(_ file: String) -> Result<Document, Refusal>? {
        let maxBytes = settings.maxDocumentBytes
        if file == "-" {
            let data = FileHandle.standardInput.readData(ofLength: maxBytes + 1)
            return CheckedDocument.check(data, maxBytes: maxBytes).map(\.document).mapError(\.combined)
        }
        guard FileManager.default.fileExists(atPath: file) else { return nil }
        return CheckedDocument.read(file, maxBytes: maxBytes).map(\.document).mapError(\.combined)
    }
}
