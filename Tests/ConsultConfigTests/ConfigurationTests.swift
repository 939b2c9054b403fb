import ConsultConfig
import ConsultCore
import ConsultMail
import Foundation
import Testing

let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

@Suite("Configuration")
struct ConfigurationTests {
    func error(_ text: String) -> ConfigError? {
        do {
            _ = try Configuration.parse(text, path: "/etc/consultd/test.toml")
            return nil
        } catch {
            return error
        }
    }

    @Test func shippedSamplesAreValid() throws {
        let sample = try Configuration.load(path: repository + "/config/consultd.toml")
        #expect(sample.spool == "/var/spool/consultd")
        #expect(sample.authorization == .owner)
        #expect(sample.directory.agencies["STC"]?.submitters == [.group("stc"), .user("stc-clerk")])
        #expect(sample.directory.policy.ladder == .standard)
        #expect(sample.directory.phrases.vague == ["tạm thời thống nhất"])
        let demo = try Configuration.load(path: repository + "/config/demo.toml")
        #expect(demo.authorization == .off)
        #expect(demo.calendarPath == repository + "/config/calendars/vn.toml")
        #expect(demo.spool == repository + "/config/../demo/spool")
    }

    @Test func mailTable() throws {
        let sample = try Configuration.load(path: repository + "/config/consultd.toml")
        #expect(sample.mail.sendmail == "/usr/sbin/sendmail")
        #expect(sample.mail.from?.name == "Hệ thống theo dõi lấy ý kiến")
        #expect(sample.mail.from?.address.description == "consultd@ubnd.hanoi.example.vn")
        #expect(sample.mail.domain == "consultd.hanoi.example.vn")
        #expect(sample.mail.timeout == 60)
        let bare = try Configuration.parse("", path: "/etc/consultd/test.toml")
        #expect(bare.mail == MailConfiguration())
        let identity = try bare.mail.identity(hostName: "mail.example.vn")
        #expect(identity.domain == "mail.example.vn")
        #expect(identity.from.description == "consultd@mail.example.vn")
        #expect(throws: (any Error).self) { try bare.mail.identity(hostName: "my_host") }

        let cases: [(String, String, String)] = [
            ("[mail]\nsendmal = \"/usr/sbin/sendmail\"\n", "mail.sendmal", "unknown key"),
            ("[mail]\nsendmail = \"sendmail\"\n", "mail.sendmail", "absolute path"),
            ("[mail]\nfrom = \"consultd at example.vn\"\n", "mail.from", "not an e-mail address"),
            ("[mail]\nfrom = \"Name <a@b.vn\"\n", "mail.from", "not an e-mail address"),
            ("[mail]\ndomain = \"bad_domain.vn\"\n", "mail.domain", "not a domain name"),
            ("[mail]\ndomain = \"[192.0.2.1]\"\n", "mail.domain", "address literal"),
            ("[mail]\ntimeout = 0\n", "mail.timeout", "between 1 and 3600"),
            ("mail = 3\n", "mail", "a table"),
        ]
        for (text, key, message) in cases {
            let e = try #require(error("spool = \"/s\"\n" + text), "\(text)")
            #expect(e.key == key, "\(text)")
            #expect(e.line != nil, "\(text)")
            #expect(e.message.contains(message), "\(e)")
        }
    }

    @Test func pathsOfAConfigNamedWithoutAFolderAreAnchoredAtTheWorkingDirectory() throws {
        let c = try Configuration.parse("spool = \"spool\"\nstate = \"state.sqlite\"\n", path: "consultd.toml")
        let here = FileManager.default.currentDirectoryPath
        #expect(c.spool == here + "/spool")
        #expect(c.state == here + "/state.sqlite")
        #expect(c.outbox == here + "/spool/outbox")
    }

    @Test func defaults() throws {
        let c = try Configuration.parse("", path: "/etc/consultd/consultd.toml")
        #expect(c.spool == "/var/spool/consultd")
        #expect(c.outbox == "/var/spool/consultd/outbox")
        #expect(c.state == "/var/lib/consultd/state.sqlite")
        #expect(c.timeZone.identifier == "Asia/Ho_Chi_Minh")
        #expect(c.directory.locale == .vi)
        #expect(c.maxDocumentBytes == 1 << 20)
        let p = c.directory.policy
        #expect(p.defaultReplyDays == [.normal: 15, .urgent: 5, .flash: 2])
        #expect(p.officeOpenMinute == 480)
        #expect(p.reconcileDays == 5)
        #expect(p.silence == .escalate)
        #expect(p.orphanDays == 7)
        #expect(p.ladder == .standard)
    }

    @Test func retentionKeysAreDaysAndAbsentKeepsForEver() throws {
        #expect(try Configuration.parse("", path: "/etc/consultd/consultd.toml").retention == Retention())
        let c = try Configuration.parse("[retention]\ndone_days = 400\nsent_days = 0\n", path: "/etc/consultd/consultd.toml")
        #expect(c.retention == Retention(doneDays: 400, rejectedDays: nil, sentDays: 0))
        #expect(c.retention.summary == "done_days=400, sent_days=0")
        let misspelt = error("[retention]\ndone_day = 30\n")
        #expect(misspelt?.key == "retention.done_day" && misspelt?.line == 2)
        #expect(error("[retention]\nrejected_days = -1\n")?.key == "retention.rejected_days")
        #expect(error("[retention]\nsent_days = \"90\"\n")?.key == "retention.sent_days")
        // The sample's commented table, uncommented, is valid.
        let sample = try String(contentsOfFile: repository + "/config/consultd.toml", encoding: .utf8)
            .replacingOccurrences(of: "#[retention]", with: "[retention]").replacingOccurrences(of: "\n#done_days", with: "\ndone_days")
            .replacingOccurrences(of: "\n#rejected_days", with: "\nrejected_days").replacingOccurrences(of: "\n#sent_days", with: "\nsent_days")
        #expect(try Configuration.parse(sample, path: repository + "/config/consultd.toml").retention
            == Retention(doneDays: 400, rejectedDays: 90, sentDays: 400))
    }

    @Test func customLadderAndPolicy() throws {
        let c = try Configuration.parse("""
            [policy]
            default_reply_days = { normal = 10, urgent = 3 }
            office_open = "07:30"
            silence = "deemed_agree"
            [[policy.ladder]]
            duty = "reply"
            step = "overdue"
            offset = 2
            priority = "err"
            notify = ["agency.head", "leadership"]
            """, path: "/x.toml")
        #expect(c.directory.policy.defaultReplyDays == [.normal: 10, .urgent: 3, .flash: 2])
        #expect(c.directory.policy.officeOpenMinute == 450)
        #expect(c.directory.policy.silence == .deemedAgree)
        #expect(c.directory.policy.ladder.steps == [LadderStep(duty: .reply, name: "overdue", offset: 2, priority: .err,
                                                              notify: [.agencyHead, .leadership])])
    }

    @Test func errorsNameFileLineAndKey() throws {
        let unknown = try #require(error("spool = \"/s\"\nsilance = \"deemed_agree\"\n"))
        #expect(unknown.file == "/etc/consultd/test.toml")
        #expect(unknown.line == 2)
        #expect(unknown.key == "silance")
        #expect(unknown.description.hasPrefix("/etc/consultd/test.toml:2: key silance: unknown key"))

        let type = try #require(error("[policy]\nreconcile_days = \"five\"\n"))
        #expect(type.line == 2)
        #expect(type.key == "policy.reconcile_days")

        let ladder = try #require(error("""
            [[policy.ladder]]
            duty = "reply"
            step = "a"
            offset = 1
            priority = "notice"

            [[policy.ladder]]
            duty = "reply"
            step = "b"
            offset = 2
            priority = "loud"
            """))
        #expect(ladder.line == 11)
        #expect(ladder.key == "policy.ladder[2].priority")

        let zone = try #require(error("timezone = \"Mars/Olympus\""))
        #expect(zone.line == 1)
        #expect(zone.key == "timezone")

        let syntax = try #require(error("spool = \"/s\"\n[policy\n"))
        #expect(syntax.line == 2)

        let submitter = try #require(error("[agencies.STC]\nname = \"Sở Tài chính\"\nsubmitters = [\"stc\"]\n"))
        #expect(submitter.line == 3)
        #expect(submitter.key == "agencies.STC.submitters[1]")

        let notify = try #require(error("[[policy.ladder]]\nduty = \"reply\"\nstep = \"x\"\noffset = 1\npriority = \"notice\"\nnotify = [\"mayor\"]\n"))
        #expect(notify.key == "policy.ladder[1].notify[1]")
        #expect(notify.line == 6)
    }

    @Test func aliasesNameAnAgencyAsItsNameDoes() throws {
        let c = try Configuration.parse("""
            [agencies.STC]
            name = "Sở Tài chính"
            aliases = ["Department of Finance", "Hanoi Department of Finance"]
            [agencies.STP]
            name = "Sở Tư pháp"
            """, path: "/etc/consultd/test.toml")
        #expect(c.directory.agencies["STC"]?.aliases == ["Department of Finance", "Hanoi Department of Finance"])
        #expect(c.directory.agencies["STP"]?.aliases == [])
        // One name for two agencies, however spelt, is refused where it is written.
        let shared = try #require(error("""
            [agencies.STC]
            name = "Sở Tài chính"
            [agencies.STP]
            name = "Sở Tư pháp"
            aliases = ["SO TAI CHINH"]
            """))
        #expect(shared.line == 5)
        #expect(shared.key == "agencies.STP.aliases[1]")
        #expect(shared.description.contains("already names agency STC"))
        let empty = try #require(error("[agencies.STC]\nname = \"Sở Tài chính\"\naliases = [\"--\"]\n"))
        #expect(empty.key == "agencies.STC.aliases[1]")
    }

    @Test func missingFile() {
        #expect(throws: ConfigError.self) { try Configuration.load(path: "/nonexistent/consultd.toml") }
    }
}

@Suite("Calendar file")
struct CalendarFileTests {
    @Test func shippedCalendarHasEveryDayOfTheContract() throws {
        let facts = try CalendarFile.load(path: repository + "/config/calendars/vn.toml")
        #expect(facts.coveredYears == [2024, 2025, 2026])
        let contract: [Int: (off: [String], makeUp: [String])] = [
            2024: (["1/1", "8/2", "9/2", "12/2", "13/2", "14/2", "18/4", "29/4", "30/4", "1/5", "2/9", "3/9"], ["4/5"]),
            2025: (["1/1", "27/1", "28/1", "29/1", "30/1", "31/1", "7/4", "30/4", "1/5", "2/5", "1/9", "2/9"], ["26/4"]),
            2026: (["1/1", "2/1", "16/2", "17/2", "18/2", "19/2", "20/2", "27/4", "30/4", "1/5", "31/8", "1/9", "2/9"], ["10/1", "22/8"]),
        ]
        func date(_ dm: String, _ year: Int) -> LocalDate {
            let p = dm.split(separator: "/").map { Int($0)! }
            return LocalDate(year: year, month: p[1], day: p[0])!
        }
        var expectedOff: Set<LocalDate> = []
        var expectedMakeUp: Set<LocalDate> = []
        for (year, days) in contract {
            days.off.forEach { expectedOff.insert(date($0, year)) }
            days.makeUp.forEach { expectedMakeUp.insert(date($0, year)) }
        }
        #expect(Set(facts.daysOff.keys) == expectedOff)
        #expect(Set(facts.makeUpDays.keys) == expectedMakeUp)
        #expect(facts.daysOff.values.allSatisfy { !$0.isEmpty })
        #expect(facts.daysOff[LocalDate(iso: "2025-01-29")!] == "Tết Nguyên Đán")
        #expect(facts.daysOff[LocalDate(iso: "2024-04-18")!] == "Giỗ Tổ Hùng Vương")
    }

    @Test func validation() {
        #expect(throws: ConfigError.self) {
            try CalendarFile.parse("years = [2025]\n[[off]]\ndate = 2025-01-25\nname = \"Saturday\"\n", path: "c.toml")
        }
        #expect(throws: ConfigError.self) {
            try CalendarFile.parse("years = [2025]\n[[workday]]\ndate = 2025-01-24\nname = \"Friday\"\n", path: "c.toml")
        }
        #expect(throws: ConfigError.self) {
            try CalendarFile.parse("years = [2025]\n[[off]]\ndate = 2027-01-04\nname = \"x\"\n", path: "c.toml")
        }
        do {
            _ = try CalendarFile.parse("years = [2025]\n\n[[off]]\ndate = 2025-01-24\n", path: "c.toml")
            Issue.record("accepted an entry without a name")
        } catch {
            #expect(error.line == 3)
            #expect(error.key == "off[1].name")
        }
    }
}
