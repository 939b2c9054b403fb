import ConsultConfig
import ConsultCore
@testable import ConsultEngine
import ConsultRuntime
import ConsultStore
import ConsultTestSupport
import Foundation
import Testing

@Suite("Metrics for node_exporter's textfile collector")
struct MetricsTests {
    /// A pass's counts, the store's gauges and the file, as `consultd --once` writes them.
    @Test func onceWritesTheFileWithCountersAndGauges() throws {
        let folder = try TemporaryFolder.make("textfile")
        let b = try Bench(extra: "[metrics]\ntextfile_dir = \"\(folder)\"\n")
        b.put("01-request.json", Bench.request)
        b.put("02-vague.json", #"{"kind":"reply","request":"HN-2025-SXD-0153","agency":"STC","received":"2025-01-21T10:00:00+07:00","position":"agree","text":"Về cơ bản thống nhất."}"#)
        b.put("bad.json", "{\"kind\": ")
        // Deadline 10 working days after 20/1/2025, across Tết: 10/2. On 13/2 at 09:00 STP's
        // duty has reached escalation-1 (+3 = 13/2 08:00).
        _ = try b.run("2025-02-13T09:00:00+07:00")
        let text = try String(contentsOfFile: folder + "/consultd.prom", encoding: .utf8)
        for line in [
            "consultd_build_info{version=\"\(Version.current)\"} 1",
            "consultd_consultations_open 1",
            "consultd_duties_open{agency=\"STC\",kind=\"reply\",state=\"overdue\"} 1",
            "consultd_duties_open{agency=\"STP\",kind=\"reply\",state=\"overdue\"} 1",
            "consultd_duties_overdue{kind=\"reply\",step=\"escalation-1\"} 2",
            "consultd_documents_applied_total{kind=\"reply\"} 1",
            "consultd_documents_applied_total{kind=\"request\"} 1",
            "consultd_documents_refused_total{code=\"malformed_json\"} 1",
            "consultd_notices_total{event=\"escalation-1\"} 2",
            "consultd_notices_total{event=\"vague\"} 1",
            "# TYPE consultd_notices_total counter",
            "# TYPE consultd_duties_open gauge",
        ] {
            #expect(text.contains(line + "\n"), "\(line)\n---\n\(text)")
        }
        #expect(text.contains("consultd_outbox_pending 3"))
        #expect(text.contains("consultd_last_intake_timestamp_seconds "))
        // Nothing but the file: the temporary one was renamed.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["consultd.prom"])
    }

    /// Overdue duties by the step they have reached; an undeclared agency is `other`.
    @Test func dutiesByStateAndStep() throws {
        let b = try Bench()
        let rules = b.engine.rules
        let due = LocalDate(iso: "2025-03-10")!
        let groups = [
            OpenDutyGroup(agency: "STC", kind: .reply, due: due, count: 3),
            OpenDutyGroup(agency: "GONE", kind: .reply, due: due, count: 2),
            OpenDutyGroup(agency: "STP", kind: .reply, due: LocalDate(iso: "2025-03-20")!, count: 5),
            OpenDutyGroup(agency: "STP", kind: .reconcile, due: due, count: 1),
        ]
        // Tuesday 11/3 07:00: past the due date, the overdue step (08:00) not yet.
        var d = Metrics.duties(groups, agencies: ["STC", "STP"], rules: rules, now: Instant(rfc3339: "2025-03-11T07:00:00+07:00")!)
        #expect(d.open[.init(agency: "STC", kind: "reply", state: "overdue")] == 3)
        #expect(d.open[.init(agency: "other", kind: "reply", state: "overdue")] == 2)
        #expect(d.open[.init(agency: "STP", kind: "reply", state: "due")] == 5)
        #expect(d.overdueByStep == [.init(kind: "reply", step: "none"): 5, .init(kind: "reconcile", step: "none"): 1])
        d = Metrics.duties(groups, agencies: ["STC", "STP"], rules: rules, now: Instant(rfc3339: "2025-03-17T09:00:00+07:00")!)
        #expect(d.overdueByStep == [.init(kind: "reply", step: "escalation-2"): 5, .init(kind: "reconcile", step: "reconcile-escalation"): 1])
    }

    /// Label values are escaped as the exposition format wants; nothing can start a line.
    @Test func labelValuesAreEscaped() {
        #expect(MetricsText.escape("a\"b\\c\nd") == "a\\\"b\\\\c\\nd")
        let text = MetricsText.render(version: "1\n2", openConsultations: 0, duties: .init(), applied: [:], refused: [:],
                                      notices: [:], outboxPending: 0, lastIntake: nil)
        #expect(text.contains("consultd_build_info{version=\"1\\n2\"} 1\n"))
        #expect(!text.contains("consultd_last_intake_timestamp_seconds"))
    }
}
