import ConsultCore
import ConsultTestSupport
import Foundation
import Testing

/// §10: a rate whose denominator is zero is null in JSON, empty in CSV and `—` in a table or page.
@Suite("consultctl report: rates with nothing to divide")
struct ReportRateTests {
    /// STC replies clearly on time; STP never replies: it has no clarity rate and no mean lateness.
    static func site() throws -> Site {
        let site = try Site()
        site.put("request.json", """
            {"kind": "request", "id": "RT-1", "title": "Đề án", "lead": "SXD", "consulted": ["STC", "STP"],
             "sent": "2025-03-03T09:00:00+07:00", "deadline": "2025-03-10"}
            """)
        site.put("reply.json", """
            {"kind": "reply", "request": "RT-1", "agency": "STC", "received": "2025-03-07T10:00:00+07:00", "position": "agree"}
            """)
        let r = try site.once("2025-03-20T09:00:00+07:00")
        #expect(r.status == 0, "\(r.stderr)")
        return site
    }

    func report(_ site: Site, _ format: String) throws -> Outcome {
        let r = try execute(binary("consultctl"), ["--config", site.config, "report", "--format", format])
        #expect(r.status == 0, "\(r.stderr)")
        return r
    }

    @Test func anAgencyThatNeverRepliedShowsNullEmptyAndDash() throws {
        let site = try Self.site()
        let json = try JSONReader.parse(Array(try report(site, "json").stdout.utf8))
        guard case let .array(agencies)? = json["agencies"], agencies.count == 2 else { Issue.record("\(json)"); return }
        let (stc, stp) = (agencies[0], agencies[1])
        #expect(stp["agency"] == .string("STP"))
        #expect(stp["consulted"] == .number("1"))
        #expect(stp["on_time_rate"] == .number("0"))
        #expect(stp["clarity_rate"] == .null)
        #expect(stp["mean_days_late"] == .null)
        #expect(stc["clarity_rate"] == .number("1"))
        #expect(stc["mean_days_late"] == .null, "STC was not late: no mean lateness either")

        let rows = try pythonCSV(try report(site, "csv").stdout)
        let header = rows.first ?? []
        let stpRow = rows.first { $0.first == "STP" } ?? []
        let cell = { (name: String) in header.firstIndex(of: name).flatMap { stpRow.indices.contains($0) ? stpRow[$0] : nil } }
        #expect(cell("on_time_rate") == "0")
        #expect(cell("clarity_rate") == "")
        #expect(cell("mean_days_late") == "")

        let table = try report(site, "table").stdout
        let line = table.split(separator: "\n").first { $0.hasPrefix("STP") }.map(String.init) ?? ""
        let cells = line.split(separator: " ", omittingEmptySubsequences: true).suffix(3).map(String.init)
        #expect(cells == ["0%", "—", "—"], "\(table)")
        #expect(!table.contains("0.0"), "\(table)")

        let html = try report(site, "html").stdout
        #expect(html.contains("<td>0%</td><td>—</td><td>—</td></tr>"), "\(html)")
    }
}
