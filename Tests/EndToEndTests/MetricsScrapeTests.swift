import ConsultCore
import ConsultTestSupport
import Foundation
import Testing

/// `consultd.prom` as Debian's `prometheus-node-exporter` reads it: the textfile collector on
/// 127.0.0.1, scraped over HTTP, reports the daemon's metrics and no scrape error.
@Suite("Metrics scraped by prometheus-node-exporter", .tags(.root, .slow), .skippedWhenFast, .serialized)
struct MetricsScrapeTests {
    @Test func nodeExporterServesTheDaemonsMetrics() throws {
        let exporter = "/usr/bin/prometheus-node-exporter"
        if !FileManager.default.fileExists(atPath: exporter) {
            try #require(getuid() == 0, "installing prometheus-node-exporter needs root")
            _ = try execute("/usr/bin/apt-get", ["update", "-qq"])
            let install = try execute("/usr/bin/apt-get", ["install", "-y", "-qq", "--no-install-recommends", "prometheus-node-exporter"],
                                      environment: ["DEBIAN_FRONTEND": "noninteractive", "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"])
            try #require(install.status == 0, "\(install.stderr)")
        }
        try #require(try ensureJournald())
        let textfile = try TemporaryFolder.make("textfile")
        let site = try Site(extra: "[metrics]\ntextfile_dir = \"\(textfile)\"\n")
        let id = "METRICS-" + UUID().uuidString.prefix(8)
        site.put("request.json", #"{"kind": "request", "id": "\#(id)", "title": "t", "lead": "SXD", "consulted": ["STC", "STP"], "sent": "2025-03-03T09:00:00+07:00", "deadline": "2025-03-10"}"#)
        site.put("stc.json", #"{"kind": "reply", "request": "\#(id)", "agency": "STC", "received": "2025-03-04T10:00:00+07:00", "position": "agree", "text": "We broadly support the draft in principle."}"#)
        site.put("broken.json", "{\"kind\": ")
        let r = try site.once("2025-03-11T09:00:00+07:00")
        #expect(r.status == 0, "\(r.stderr)")

        let port = 19_100 + Int(getpid() % 500)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: exporter)
        process.arguments = ["--web.listen-address=127.0.0.1:\(port)", "--collector.disable-defaults", "--collector.textfile",
                             "--collector.textfile.directory=\(textfile)"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { process.terminate(); process.waitUntilExit() }
        var page = ""
        try eventually(within: .seconds(20), every: .milliseconds(200)) {
            let scrape = try execute("/usr/bin/python3", ["-c", "import urllib.request,sys; sys.stdout.write(urllib.request.urlopen('http://127.0.0.1:\(port)/metrics', timeout=2).read().decode())"])
            page = scrape.stdout
            return scrape.status == 0 && page.contains("consultd_")
        }
        for line in [
            "node_textfile_scrape_error 0",
            "consultd_consultations_open 1",
            "consultd_duties_open{agency=\"STC\",kind=\"reply\",state=\"overdue\"} 1",
            "consultd_duties_overdue{kind=\"reply\",step=\"overdue\"} 2",
            "consultd_documents_applied_total{kind=\"request\"} 1",
            "consultd_documents_refused_total{code=\"malformed_json\"} 1",
            "consultd_notices_total{event=\"overdue\"} 2",
            "consultd_notices_total{event=\"vague\"} 1",
            "consultd_outbox_pending 3",
        ] {
            #expect(page.contains(line), "\(line) not in:\n\(page.split(separator: "\n").filter { $0.contains("consultd") || $0.contains("textfile") }.joined(separator: "\n"))")
        }
    }
}
