import ConsultCore
import ConsultTestSupport
import Foundation
import Testing

/// Whether `text` holds a control character other than the line feeds that end its lines.
private func holdsControls(_ text: String) -> Bool {
    text.unicodeScalars.contains { $0 != "\n" && Printable.isControl($0) }
}

/// What a document or a file's name says reaches an administrator's terminal, a spreadsheet or a
/// log line as text, never as an escape sequence, a formula or a line of its own.
@Suite("Output injection")
struct OutputInjectionTests {
    /// A title that is a formula and holds ESC, a bidi override and a line feed.
    static let title = "=HYPERLINK(\"http://evil.example\",\"Dự thảo\")\u{1B}[2J\u{202E}txt.exe\nforged line"

    @Test func listAndShowPrintTextNeverFormulasOrEscapes() throws {
        let site = try Site()
        let id = "INJ-" + UUID().uuidString.prefix(8)
        site.put("req.json", JSONWriter.string(.object([
            ("kind", .string("request")), ("id", .string(String(id))), ("title", .string(Self.title)), ("lead", .string("SXD")),
            ("consulted", .array([.string("STC")])), ("sent", .string("2025-03-03T09:00:00+07:00")), ("deadline", .string("2025-03-10")),
        ])))
        let once = try site.once("2025-03-04T11:00:00+07:00")
        #expect(once.status == 0, "\(once.stderr)")
        #expect(site.list("spool/done/2025-03-04") == ["req.json"])

        let csv = try execute(binary("consultctl"), ["list", "--all", "--config", site.config, "--format", "csv"])
        #expect(csv.status == 0, "\(csv.stderr)")
        // The title's cell: quoted (it holds a comma, quotes and a line feed), begun by an apostrophe.
        #expect(csv.stdout.contains("\(id),\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"Dự thảo\"\")?[2J?txt.exe\nforged line\","),
                "\(csv.stdout)")
        #expect(!holdsControls(csv.stdout.replacingOccurrences(of: "\r\n", with: "\n")))

        for command in [["list", "--all"], ["show", String(id)]] {
            let table = try execute(binary("consultctl"), command + ["--config", site.config])
            #expect(table.status == 0, "\(table.stderr)")
            #expect(table.stdout.contains("=HYPERLINK"), "\(command)")
            #expect(!holdsControls(table.stdout), "\(command): \(table.stdout)")
            #expect(!table.stdout.contains("\nforged line"), "\(command)")
        }

        // JSON stays exact: the title as the document gave it.
        let json = try execute(binary("consultctl"), ["show", String(id), "--config", site.config, "--format", "json"])
        #expect(try JSONReader.parse(Array(json.stdout.utf8))["title"] == .string(Self.title))
    }

    /// validate, submit and assess quote file names and document text in their messages: never raw.
    @Test func messagesQuoteNamesAndTextAsText() throws {
        let site = try Site()
        let folder = try TemporaryFolder.make("inject")
        let name = folder + "/x.json\nconsultd: forged\u{1B}[31m\u{202E}"
        try #"{"kind": "\u001b[2J\u009b31m\u202erequest"}"#.write(toFile: name, atomically: false, encoding: .utf8)
        for command in ["validate", "submit", "assess"] {
            let r = try execute(binary("consultctl"), [command, "--config", site.config, name])
            #expect(r.status == 65, "\(command): \(r.status) \(r.stderr)")
            #expect(r.stderr.contains("x.json?consultd: forged?[31m?"), "\(command): \(r.stderr)")
            #expect(r.stderr.contains("unknown document kind \"?[2J?31m?request\""), "\(command): \(r.stderr)")
            #expect(!holdsControls(r.stderr) && !holdsControls(r.stdout), "\(command): \(r.stderr)")
            #expect(!r.stderr.contains("\nconsultd: forged"), "\(command)")
        }
        let good = folder + "/ok\u{1B}[1m.json"
        try #"{"kind":"withdrawal","request":"R1","reason":"x"}"#.write(toFile: good, atomically: true, encoding: .utf8)
        for command in ["validate", "submit"] {
            let r = try execute(binary("consultctl"), [command, "--config", site.config, good])
            #expect(r.status == 0, "\(command): \(r.stderr)")
            #expect(r.stdout.contains("ok?[1m.json"), "\(command): \(r.stdout)")
            #expect(!holdsControls(r.stdout), "\(command): \(r.stdout)")
        }
    }

    /// Without a journal socket, a hostile file name cannot forge a line of the stderr fallback.
    @Test(.tags(.root)) func theStandardErrorFallbackCannotBeForged() throws {
        guard getuid() == 0, FileManager.default.fileExists(atPath: "/usr/bin/unshare") else { return }
        let site = try Site()
        site.put("bad.json\r\nconsultd[1]: <emerg> forged\u{1B}[2J", "nope")
        let r = try execute("/usr/bin/unshare", ["--mount", "--propagation", "private", "/bin/sh", "-c",
                                                 "mkdir -p /run/systemd/journal && mount -t tmpfs none /run/systemd/journal && exec \"$0\" --config \"$1\" --once --at 2025-03-04T11:00:00+07:00",
                                                 binary("consultd"), site.config])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("<err> Refused bad.json?consultd[1]: <emerg> forged?[2J (malformed_json)"), "\(r.stderr)")
        #expect(r.stderr.contains("CONSULT_FILE=\"bad.json?consultd[1]: <emerg> forged?[2J\""), "\(r.stderr)")
        #expect(!holdsControls(r.stderr))
        #expect(!r.stderr.split(separator: "\n").contains { $0.hasPrefix("consultd[1]") })
    }
}
