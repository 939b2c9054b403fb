import ArgumentParser
import ConsultAdmin
import ConsultConfig
import ConsultCore
import ConsultStore
import Foundation

/// `consultctl assess FILE…`: the judgement a reply would get, nothing handed off (contract §5).
struct Assess: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the judgement a reply would get — clear, vague or deflection — with its evidence.",
        discussion: """
            Reads each reply as the daemon would — a whole letter in `text` included — and prints the
            verdict, the reasons and the exact words that decided each one. Nothing is handed off: a
            clerk's check before sending.

            The lead agency is the consultation's when the state store knows the request, else --lead,
            else the agency the letter is addressed to ("Kính gửi: …").

            Exit status: 0 when every reply is clear, 1 when one is vague or a deflection, 65 when a
            document is invalid (not a reply, an undeclared agency, bad JSON), 66 when a file does not
            exist. The highest applies.

            Examples:
              consultctl assess reply-stc.json
              consultctl assess --format json replies/*.json
              consultctl assess --lead SXD draft-reply.json && consultctl submit draft-reply.json
            """)

    @OptionGroup var options: Options
    @Option(help: "The lead agency's code, when the state store does not know the request.")
    var lead: String?
    @Option(help: "table or json.")
    var format: Format = .table
    @Argument(help: "Reply files.")
    var files: [String]

    func validate() throws {
        if format == .csv { throw ValidationError("--format is table or json") }
    }

    func run() throws {
        let (settings, _) = options.load()
        let directory = settings.directory
        if let lead, directory.agencies[lead] == nil {
            throw ValidationError("--lead \(lead) is not an agency of \(settings.path) (declared: \(directory.agencies.keys.sorted().joined(separator: ", ")))")
        }
        let assessor = Assessor(directory: directory)
        let store = try? Store(path: settings.state, readOnly: true, verify: false)
        var status: Int32 = 0
        var results: [JSONValue] = []
        var table = ""
        for file in files {
            guard FileManager.default.fileExists(atPath: file) else {
                FileHandle.standardError.write(Data("\(file): no such file\n".utf8))
                status = max(status, ExitStatus.noInput)
                continue
            }
            let reply: Reply
            switch check(file, maxBytes: settings.maxDocumentBytes) {
            case let .failure(refusal):
                FileHandle.standardError.write(Data("\(file): \(refusal.code.rawValue): \(refusal.reason)\n".utf8))
                status = max(status, ExitStatus.badDocument)
                continue
            case let .success((_, document)):
                guard case let .reply(r) = document else {
                    FileHandle.standardError.write(Data("\(file): not a reply but a \(document.kind.rawValue); only replies are assessed\n".utf8))
                    status = max(status, ExitStatus.badDocument)
                    continue
                }
                guard directory.agencies[r.agency] != nil else {
                    FileHandle.standardError.write(Data("\(file): unknown_agency: agency \(r.agency) is not declared in \(settings.path)\n".utf8))
                    status = max(status, ExitStatus.badDocument)
                    continue
                }
                reply = r
            }
            let known = try? store?.read { tx in try tx.consultation(reply.request) }
            let (leadCode, source): (String?, String) =
                if let known { (known.request.lead, "from the consultation \(reply.request)") }
                else if let lead { (lead, "from --lead") }
                else { (nil, "") }
            let (assessment, effectiveLead) = assessor.judge(reply, lead: leadCode, title: known?.request.title)
            if assessment.verdict != .clear { status = max(status, 1) }
            switch format {
            case .json:
                results.append(.object([
                    ("file", .string(file)), ("request", .string(reply.request)), ("agency", .string(reply.agency)),
                    ("lead", .optional(effectiveLead)), ("verdict", .string(assessment.verdict.rawValue)),
                    ("position", .optional(assessment.position?.rawValue)), ("reasons", .strings(assessment.reasons)),
                    ("evidence", Evidence.json(assessment.evidence)),
                ]))
            case .table, .csv:
                let leadNote = leadCode != nil ? "\(leadCode!) (\(source))"
                    : effectiveLead.map { "\($0) (from the letter's salutation)" } ?? "unknown"
                table += "\(file): \(assessment.verdict.rawValue)"
                table += " — \(reply.agency) to \(leadNote), position \(assessment.position?.rawValue ?? "none")\n"
                for e in assessment.evidence { table += "  " + TextTable.sanitize(ConsultationView.evidenceLine(e)) + "\n" }
            }
        }
        switch format {
        case .json: write(JSONWriter.string(.array(results), pretty: true))
        case .table, .csv: write(table)
        }
        if status != 0 { throw ExitCode(status) }
    }
}
