import ConsultCore
import Foundation

/// The contract's 2024–2026 calendar, built in code so core tests need no file.
enum Fixtures {
    static func date(_ s: String) -> LocalDate { LocalDate(iso: s)! }
    static func instant(_ s: String) -> Instant { Instant(rfc3339: s)! }

    static let facts: CalendarFacts = {
        var off: [LocalDate: String] = [:]
        func add(_ days: [String], _ name: String) { for d in days { off[date(d)] = name } }
        add(["2024-01-01", "2025-01-01", "2026-01-01"], "Tết Dương lịch")
        add(["2024-02-08", "2024-02-09", "2024-02-12", "2024-02-13", "2024-02-14",
             "2025-01-27", "2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31",
             "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20"], "Tết Nguyên Đán")
        add(["2024-04-18", "2025-04-07", "2026-04-27"], "Giỗ Tổ Hùng Vương")
        add(["2024-04-29", "2025-05-02", "2026-01-02", "2026-08-31"], "Nghỉ hoán đổi")
        add(["2024-04-30", "2025-04-30", "2026-04-30"], "Ngày Chiến thắng")
        add(["2024-05-01", "2025-05-01", "2026-05-01"], "Ngày Quốc tế Lao động")
        add(["2024-09-02", "2024-09-03", "2025-09-01", "2025-09-02", "2026-09-01", "2026-09-02"], "Quốc khánh")
        let makeUp = [date("2024-05-04"): "Làm bù", date("2025-04-26"): "Làm bù", date("2026-01-10"): "Làm bù",
                      date("2026-08-22"): "Làm bù"]
        return CalendarFacts(name: "test", coveredYears: [2024, 2025, 2026], daysOff: off, makeUpDays: makeUp)
    }()

    static let calendar = WorkingCalendar(facts: facts)
    static let clock = LocalClock(timeZone: TimeZone(identifier: "Asia/Ho_Chi_Minh")!)

    static func directory(silence: SilenceRule = .escalate, locale: NoticeLocale = .vi) -> Directory {
        var agencies: [String: Agency] = [:]
        for (code, name) in [("SXD", "Sở Xây dựng"), ("STC", "Sở Tài chính"), ("SNNMT", "Sở Nông nghiệp và Môi trường"),
                             ("STP", "Sở Tư pháp")] {
            agencies[code] = Agency(code: code, name: name, office: ["office.\(code.lowercased())@example.vn"],
                                    head: ["head.\(code.lowercased())@example.vn"])
        }
        return Directory(agencies: agencies, leadership: ["leaders@example.vn"], policy: Policy(silence: silence),
                         locale: locale)
    }

    static func rules(silence: SilenceRule = .escalate, locale: NoticeLocale = .vi) -> Rules {
        Rules(directory: directory(silence: silence, locale: locale), calendar: calendar, clock: clock)
    }

    static func request(id: String = "HN-1", sent: String = "2025-03-03T09:00:00+07:00", deadline: String? = "2025-03-10",
                        replyDays: Int? = nil, consulted: [String] = ["STC", "SNNMT"]) -> Request {
        Request(id: id, title: "Dự thảo Đề án thử nghiệm", lead: "SXD", consulted: consulted, sent: instant(sent),
                urgency: .normal, replyDays: replyDays, deadline: deadline.map(date), reference: nil)
    }

    /// The agencies of the assessor's corpora: codes, Vietnamese names and English aliases.
    static let cityAgencies: [String: Agency] = {
        let list: [(String, String, String)] = [
            ("SXD", "Sở Xây dựng", "Department of Construction"), ("STC", "Sở Tài chính", "Department of Finance"),
            ("SNNMT", "Sở Nông nghiệp và Môi trường", "Department of Agriculture and Environment"),
            ("STP", "Sở Tư pháp", "Department of Justice"), ("SNV", "Sở Nội vụ", "Department of Home Affairs"),
            ("SCT", "Sở Công Thương", "Department of Industry and Trade"), ("SYT", "Sở Y tế", "Department of Health"),
            ("SGDDT", "Sở Giáo dục và Đào tạo", "Department of Education and Training"),
            ("SKHCN", "Sở Khoa học và Công nghệ", "Department of Science and Technology"),
            ("SVHTT", "Sở Văn hóa và Thể thao", "Department of Culture and Sports"),
            ("CATP", "Công an thành phố Hà Nội", "Hanoi City Police"),
        ]
        var agencies: [String: Agency] = [:]
        for (code, name, alias) in list { agencies[code] = Agency(code: code, name: name, aliases: [alias]) }
        return agencies
    }()

    static let assessor = Assessor(agencies: cityAgencies)

    /// One labelled reply of a corpus: the label, the lead it answers and the reply itself.
    struct Labelled: Sendable {
        let id: String
        let label: Verdict
        let lead: String
        let reply: Reply
    }

    /// A labelled corpus: JSON lines with `label`, `lead`, `agency`, `position`, `comments`,
    /// `text`, `refer_to` (and `id`). `shared` names a file of ../shared/corpus.
    static func corpus(_ name: String, shared: Bool = false) throws -> [Labelled] {
        let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        // The shared corpus beside the checkout when there is one, else the copy taken of it.
        let beside = here.appendingPathComponent("../../../shared/corpus/\(name)")
        let url = !shared ? here.appendingPathComponent("../Fixtures/letters/\(name)")
            : FileManager.default.fileExists(atPath: beside.path) ? beside : here.appendingPathComponent("../Fixtures/shared-corpus/\(name)")
        let text = try String(contentsOf: url, encoding: .utf8)
        return try text.split(separator: "\n").enumerated().map { n, line in
            let json = try JSONReader.parse(Array(line.utf8))
            func s(_ k: String) -> String? { if case let .string(v) = json[k] { return v }; return nil }
            guard let label = s("label").flatMap(Verdict.init(rawValue:)), let lead = s("lead") else {
                throw CocoaError(.coderInvalidValue)
            }
            return Labelled(id: s("id") ?? "\(name):\(n + 1)", label: label, lead: lead, reply: reply(json))
        }
    }

    static func reply(_ json: JSONValue) -> Reply {
        func s(_ k: String) -> String? { if case let .string(v) = json[k] { return v }; return nil }
        var comments: [String] = []
        if case let .array(items) = json["comments"] {
            comments = items.compactMap { if case let .string(v) = $0 { return v }; return nil }
        }
        return Reply(request: "R", agency: s("agency") ?? "STC", received: instant("2025-01-01T00:00:00Z"),
                     position: s("position").flatMap(Position.init(rawValue:)), comments: comments, text: s("text"),
                     referTo: s("refer_to"))
    }
}
