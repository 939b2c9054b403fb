import ConsultCore
import ConsultTestSupport
import Foundation
import Testing

/// Whole letters, as e-office systems export them, through the built programs: `consultd --once`
/// judges them, `consultctl show` and the outbox quote the evidence, `consultctl assess` answers
/// a clerk before sending.
@Suite("Whole letters end to end", .tags(.root), .serialized)
struct LetterTests {
    /// A site whose agencies have Vietnamese names and English aliases, as the sample config.
    func site() throws -> Site {
        try Site(locale: .vi, aliasOther: true)
    }

    static let hedgedLetter = """
        UBND THÀNH PHỐ HÀ NỘI\\t\\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\\nSỞ TÀI CHÍNH\\t\\tĐộc lập - Tự do - Hạnh phúc\\n\\nSố: 3242/STC-ĐT\\t\\tHà Nội, ngày 05 tháng 3 năm 2025\\nV/v góp ý dự thảo Đề án nhà ở xã hội giai đoạn 2025-2030\\n\\nKính gửi: Sở Xây dựng.\\n\\nSở Tài chính nhận được Công văn số 925/SXD-QLN ngày 03/03/2025 của Sở Xây dựng về việc góp ý dự thảo Đề án nhà ở xã hội giai đoạn 2025-2030 với tổng mức đầu tư 12.500 tỷ đồng. Sau khi nghiên cứu, Sở Tài chính có ý kiến như sau:\\n\\nSở Tài chính cơ bản thống nhất với nội dung dự thảo Đề án.\\n\\nTrên đây là ý kiến của Sở Tài chính, đề nghị Sở Xây dựng tổng hợp./.\\n\\nNơi nhận:\\n- Như trên;\\n- Lưu: VT, ĐT.\\n\\nKT. GIÁM ĐỐC\\nPHÓ GIÁM ĐỐC\\n(Đã ký)\\nĐỗ Thị Lan Anh
        """

    static let clearLetter = """
        SỞ TƯ PHÁP\\nSố: 88/STP-VP\\nV/v góp ý dự thảo\\nHà Nội, ngày 6/3/2025\\nKính gửi: Sở Xây dựng.\\nPhúc đáp Công văn số 925/SXD-QLN ngày 03/03/2025 của Sở Xây dựng, Sở Tư pháp có ý kiến như sau:\\nTại khoản 2 Điều 7, đề nghị bỏ quy định giao UBND cấp xã thẩm định hồ sơ, vì trái với khoản 3 Điều 30 Luật Đầu tư công.\\nSở Tư pháp gửi Sở Xây dựng tổng hợp./.\\nKT. GIÁM ĐỐC - PHÓ GIÁM ĐỐC\\nBùi Văn Long
        """

    @Test func theDaemonJudgesTheBodyAndQuotesWhatItFound() throws {
        try #require(try ensureJournald(), "a journald is needed (run as root)")
        let site = try site()
        let id = "E2E-L-" + UUID().uuidString.prefix(8)
        site.put("request.json", """
            {"kind": "request", "id": "\(id)", "title": "Dự thảo Đề án nhà ở xã hội giai đoạn 2025-2030", "lead": "SXD",
             "consulted": ["STC", "STP"], "sent": "2025-03-03T09:00:00+07:00", "deadline": "2025-03-14"}
            """)
        // No `position` field: e-office exports often carry none.
        site.put("stc.json", #"{"kind": "reply", "request": "\#(id)", "agency": "STC", "received": "2025-03-05T10:00:00+07:00", "text": "\#(Self.hedgedLetter)"}"#)
        site.put("stp.json", #"{"kind": "reply", "request": "\#(id)", "agency": "STP", "received": "2025-03-06T10:00:00+07:00", "text": "\#(Self.clearLetter)"}"#)
        let r = try site.once("2025-03-06T11:00:00+07:00")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(site.list("spool/outbox") == ["\(id).STC.vague.json"])
        let notice = try site.json("spool/outbox/\(id).STC.vague.json")
        #expect(notice["reasons"] == .strings(["hedged_agreement"]))
        guard case let .string(body) = notice["body"] else { Issue.record("no body"); return }
        #expect(body.contains("Nội dung được đánh giá chưa rõ ràng:"))
        #expect(body.contains("“Sở Tài chính cơ bản thống nhất với nội dung dự thảo Đề án.”"))

        let show = try execute(binary("consultctl"), ["--config", site.config, "show", id, "--format", "json"])
        #expect(show.status == 0, "\(show.stderr)")
        let json = try JSONReader.parse(Array(show.stdout.utf8))
        guard case let .array(documents)? = json["documents"] else { Issue.record("no documents"); return }
        let stc = try #require(documents.first { $0["agency"] == .string("STC") })
        #expect(stc["assessment"] == .string("vague"))
        #expect(stc["position"] == .string("agree"))
        #expect(stc["evidence"] == .array([.object([("reason", .string("hedged_agreement")),
                                                    ("quote", .string("Sở Tài chính cơ bản thống nhất với nội dung dự thảo Đề án."))])]))
        let stp = try #require(documents.first { $0["agency"] == .string("STP") })
        #expect(stp["assessment"] == .string("clear"))
        guard case let .array(duties)? = json["duties"] else { Issue.record("no duties"); return }
        let stpDuty = try #require(duties.first { $0["agency"] == .string("STP") })
        #expect(stpDuty["status"] == .string("discharged"))
        // assess refuses what the daemon would refuse, with the consultation known from the store.
        let syt = site.root + "/syt.json"
        _ = FileManager.default.createFile(atPath: syt, contents: Data(#"{"kind": "reply", "request": "\#(id)", "agency": "SYT", "received": "2025-03-06T10:00:00+07:00", "text": "Thống nhất."}"#.utf8))
        let refused = try execute(binary("consultctl"), ["--config", site.config, "assess", syt])
        #expect(refused.status == 65)
        #expect(refused.stderr.contains("not_consulted: agency SYT is not consulted in \(id)"), "\(refused.stderr)")
        let table = try execute(binary("consultctl"), ["--config", site.config, "show", id])
        #expect(table.stdout.contains("hedged_agreement: “Sở Tài chính cơ bản thống nhất với nội dung dự thảo Đề án.”"))
    }

    @Test func assessAnswersAClerkBeforeSending() throws {
        let site = try site()
        let dir = site.root + "/drafts"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        func draft(_ name: String, _ json: String) -> String {
            let path = dir + "/" + name
            _ = FileManager.default.createFile(atPath: path, contents: Data(json.utf8))
            return path
        }
        let vague = draft("stc.json", #"{"kind": "reply", "request": "HN-9", "agency": "STC", "received": "2025-03-05T10:00:00+07:00", "text": "\#(Self.hedgedLetter)"}"#)
        let clear = draft("stp.json", #"{"kind": "reply", "request": "HN-9", "agency": "STP", "received": "2025-03-05T10:00:00+07:00", "text": "\#(Self.clearLetter)"}"#)
        let deflection = draft("syt.json", #"{"kind": "reply", "request": "HN-9", "agency": "SYT", "received": "2025-03-05T10:00:00+07:00", "position": "outside_competence", "refer_to": "SXD", "text": "Không thuộc chức năng của Sở."}"#)
        let request = draft("request.json", #"{"kind": "request", "id": "HN-9", "title": "t", "lead": "SXD", "consulted": ["STC"], "sent": "2025-03-03T09:00:00+07:00"}"#)
        let unknown = draft("x.json", #"{"kind": "reply", "request": "HN-9", "agency": "SXX", "received": "2025-03-05T10:00:00+07:00"}"#)
        let ctl = binary("consultctl")

        // No state store, no --lead: the lead is read from the letter's "Kính gửi".
        var r = try execute(ctl, ["--config", site.config, "assess", clear])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("clear"))
        #expect(r.stdout.contains("SXD (from the letter's salutation)"))
        #expect(r.stdout.contains("substantive_comment: “Tại khoản 2 Điều 7"))

        r = try execute(ctl, ["--config", site.config, "assess", clear, vague])
        #expect(r.status == 1)
        #expect(r.stdout.contains("\(vague): vague"))
        #expect(r.stdout.contains("hedged_agreement: “Sở Tài chính cơ bản thống nhất với nội dung dự thảo Đề án.”"))

        r = try execute(ctl, ["--config", site.config, "assess", "--lead", "SXD", "--format", "json", deflection])
        #expect(r.status == 1)
        let json = try JSONReader.parse(Array(r.stdout.utf8))
        guard case let .array(items) = json, let item = items.first else { Issue.record("not an array: \(r.stdout)"); return }
        #expect(item["verdict"] == .string("deflection"))
        #expect(item["lead"] == .string("SXD"))
        #expect(item["reasons"] == .strings(["competence_disclaimed", "competent_agency_invalid"]))
        #expect(item["evidence"] == .array([
            .object([("reason", .string("competence_disclaimed")), ("quote", .string("Không thuộc chức năng của Sở."))]),
            .object([("reason", .string("competent_agency_invalid")), ("quote", .string("SXD"))]),
        ]))

        r = try execute(ctl, ["--config", site.config, "assess", request])
        #expect(r.status == 65)
        #expect(r.stderr.contains("\(request): invalid_field: not a reply"))
        r = try execute(ctl, ["--config", site.config, "assess", unknown])
        #expect(r.status == 65)
        #expect(r.stderr.contains("unknown_agency"))
        r = try execute(ctl, ["--config", site.config, "assess", dir + "/missing.json", clear])
        #expect(r.status == 66)
        #expect(r.stderr.contains("missing.json: no_such_file: no such file"))
        r = try execute(ctl, ["--config", site.config, "assess", "--lead", "NOPE", clear])
        #expect(r.status == 64)
        #expect(r.stderr.contains("--lead 'NOPE' is not an agency"))
        // The lead cannot answer its own consultation.
        r = try execute(ctl, ["--config", site.config, "assess", "--lead", "STP", clear])
        #expect(r.status == 65)
        #expect(r.stderr.contains("not_consulted: STP is the lead"), "\(r.stderr)")

        // In JSON every file has its object, an invalid one with its error; standard input is `-`.
        r = try execute("/bin/sh", ["-c", "exec \"$0\" --config \"$1\" assess --format json - \"$2\" < \"$3\"",
                                    ctl, site.config, unknown, clear])
        #expect(r.status == 65, "\(r.stderr)")
        let both = try JSONReader.parse(Array(r.stdout.utf8))
        guard case let .array(answers) = both, answers.count == 2 else { Issue.record("two objects expected: \(r.stdout)"); return }
        #expect(answers[0]["file"] == .string("-"))
        #expect(answers[0]["verdict"] == .string("clear"))
        #expect(answers[0]["lead_source"] == .string("the letter's salutation"))
        #expect(answers[1]["error"]?["code"] == .string("unknown_agency"))

        // No lead anywhere: said, not guessed.
        let bare = draft("bare.json", #"{"kind": "reply", "request": "HN-9", "agency": "STC", "received": "2025-03-05T10:00:00+07:00", "text": "Nội dung không thuộc thẩm quyền của Sở; đề nghị lấy ý kiến Sở Xây dựng."}"#)
        r = try execute(ctl, ["--config", site.config, "assess", bare])
        #expect(r.stderr.contains("warning: the lead agency is unknown"), "\(r.stderr)")
        #expect(r.stdout.contains("STC to an unknown lead"))
        // Nothing was handed off.
        #expect(site.list("spool/new").isEmpty)
    }
}
