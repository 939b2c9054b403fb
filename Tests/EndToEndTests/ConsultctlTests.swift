import ConsultCore
import Foundation
import Testing

@Suite("consultctl")
struct ConsultctlTests {
    @Test func deadlineNamesTheSkippedDays() throws {
        let site = try Site()
        let r = try execute(binary("consultctl"), ["deadline", "--config", site.config, "--from", "2025-01-20", "--days", "10",
                                                   "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try JSONReader.parse(Array(r.stdout.utf8))
        #expect(json["deadline"] == .string("2025-02-10"))
        #expect(json["provisional"] == .bool(false))
        #expect(json["days"] == .number("10"))
        guard case let .array(skipped) = json["skipped"] else { Issue.record("no skipped"); return }
        #expect(skipped.count == 5)
        #expect(skipped.first == .object([("date", .string("2025-01-27")), ("name", .string("Tết Nguyên Đán"))]))

        let later = try execute(binary("consultctl"), ["deadline", "--config", site.config, "--from", "2026-12-28", "--days", "5",
                                                       "--format", "json"])
        let provisional = try JSONReader.parse(Array(later.stdout.utf8))
        #expect(provisional["provisional"] == .bool(true))
        #expect(provisional["deadline"] == .string("2027-01-05"))

        let table = try execute(binary("consultctl"), ["deadline", "--config", site.config, "--from", "2025-01-20", "--days", "10"])
        #expect(table.stdout.contains("2025-02-10"))
        #expect(table.stdout.contains("Tết Nguyên Đán"))
        let bad = try execute(binary("consultctl"), ["deadline", "--config", site.config, "--from", "20/01/2025", "--days", "10"])
        #expect(bad.status == 64)
    }

    @Test func validateReportsEachFile() throws {
        let site = try Site()
        let good = site.root + "/good.json", broken = site.root + "/broken.json"
        try #"{"kind":"withdrawal","request":"R1","reason":"x"}"#.write(toFile: good, atomically: true, encoding: .utf8)
        try "{\n  \"kind\": \"reply\",\n  \"request\" \"R1\"\n}".write(toFile: broken, atomically: true, encoding: .utf8)
        let ok = try execute(binary("consultctl"), ["validate", "--config", site.config, good])
        #expect(ok.status == 0)
        let r = try execute(binary("consultctl"), ["validate", "--config", site.config, good, broken, site.root + "/missing.json"])
        #expect(r.status == 66)
        #expect(r.stderr.contains("broken.json: malformed_json: malformed JSON at line 3, column 13"))
        #expect(r.stderr.contains("missing.json: no_such_file: no such file"))
    }

    /// §10: a file that does not exist is exit 66 (no input) in every subcommand that reads one —
    /// not 65, which says the document is bad.
    @Test func aMissingFileIsNoInput() throws {
        let site = try Site()
        let missing = site.root + "/nonexistent.json"
        for command in [["submit"], ["submit", "--partial"], ["validate"], ["assess"], ["calendar", "diff"]] {
            let r = try execute(binary("consultctl"), command + ["--config", site.config, missing])
            #expect(r.status == 66, "\(command): \(r.status) \(r.stderr)")
            #expect(r.stderr.contains("nonexistent.json"), "\(command): \(r.stderr)")
        }
        #expect(site.list("spool/new").isEmpty)
        // A missing file beside an invalid one: the highest status, nothing handed off.
        let bad = site.root + "/bad.json"
        try #"{"kind":"withdrawal","request":"R1"}"#.write(toFile: bad, atomically: true, encoding: .utf8)
        let both = try execute(binary("consultctl"), ["submit", "--config", site.config, bad, missing])
        #expect(both.status == 66)
        #expect(both.stderr.contains("bad.json: invalid_field"))
        #expect(site.list("spool/new").isEmpty)
    }
}
