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

    /// Labelled replies shared by every developer (../shared/corpus/replies.jsonl).
    static func corpus() throws -> [(label: String, reply: Reply)] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../../shared/corpus/replies.jsonl")
        let text = try String(contentsOf: url, encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            let json = try JSONReader.parse(Array(line.utf8))
            guard case let .string(label) = json["label"] else { throw CocoaError(.coderInvalidValue) }
            return (label, reply(json))
        }
    }

    static func reply(_ json: JSONValue) -> Reply {
        func s(_ k: String) -> String? { if case let .string(v) = json[k] { return v }; return nil }
        var comments: [String] = []
        if case let .array(items) = json["comments"] {
            comments = items.compactMap { if case let .string(v) = $0 { return v }; return nil }
        }
        return Reply(request: "R", agency: "STC", received: instant("2025-01-01T00:00:00Z"),
                     position: s("position").flatMap(Position.init(rawValue:)), comments: comments, text: s("text"),
                     referTo: s("refer_to"))
    }
}
