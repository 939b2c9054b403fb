import ConsultCore
import Testing

@Suite("Reply assessment")
struct AssessmentTests {
    let assessor = Fixtures.assessor

    func assess(_ position: Position?, comments: [String] = [], text: String? = nil, referTo: String? = nil,
                agency: String = "STC", lead: String = "SXD") -> Assessment {
        assessor.assess(Reply(request: "R", agency: agency, received: Fixtures.instant("2025-01-01T00:00:00Z"),
                              position: position, comments: comments, text: text, referTo: referTo), lead: lead)
    }

    @Test func foldingIgnoresCaseSpacingAndDiacritics() {
        #expect(Words("Về  CƠ BẢN, thống nhất!").folded == ["ve", "co", "ban", "thong", "nhat"])
        #expect(Words("ĐỀ NGHỊ").folded == ["de", "nghi"])
        // Precomposed and decomposed forms fold alike, and keep their place in the original.
        #expect(Words("c\u{01A1} b\u{1EA3}n").folded == Words("co\u{031B} ba\u{0309}n").folded)
        let text = "Sở Tư pháp"
        let words = Words(text)
        #expect(words.original(1, 2) == "Tư pháp")
        #expect(words[0].capitalized && !words[2].capitalized)
    }

    // Cases written here, beyond the corpora: the assessor must generalise.
    @Test(arguments: [
        // Clear agreement.
        Case(.agree, [], "Sở Y tế đồng ý với toàn bộ dự thảo.", nil, .clear),
        Case(.agree, [], "Nhất trí.", nil, .clear),
        Case(.agree, [], "We agree with the draft and have no further comments.", nil, .clear),
        Case(.agree, [], nil, nil, .clear),
        Case(.agree, [], "Sở Tài chính thống nhất toàn bộ nội dung dự thảo, không có ý kiến bổ sung.", nil, .clear),
        // Hedged or deferring agreement.
        Case(.agree, [], "Sở cơ bản nhất trí với dự thảo.", nil, .vague),
        Case(.agree, [], "Ve nguyen tac, So thong nhat.", nil, .vague),
        Case(.agree, [], "Nhìn chung thống nhất với nội dung dự thảo.", nil, .vague),
        Case(.agree, [], "Generally agree with the proposal.", nil, .vague),
        Case(.agree, [], "Đồng ý; đề nghị cơ quan chủ trì xem xét, quyết định.", nil, .vague),
        Case(.agree, [], "We support it; we defer to the lead department on the details.", nil, .vague),
        Case(.agree, [], "Agreed, subject to further consideration by the lead agency.", nil, .vague),
        Case(.agree, [], "Thống nhất. Đề nghị Sở Xây dựng căn cứ ý kiến các sở, ngành để xem xét, quyết định.", nil, .vague),
        // A closing hands the lead its compilation; a deferral hands it the decision.
        Case(.agree, [], "Trên đây là ý kiến của Sở Tài chính, đề nghị Sở Xây dựng tổng hợp.", nil, .clear),
        Case(.agree, [], "Thống nhất. Trên đây là ý kiến của Sở Tài chính, đề nghị Sở Xây dựng tổng hợp, hoàn thiện.", nil, .clear),
        Case(.agree, [], "Thống nhất. Trên đây là ý kiến của Sở Tài chính, đề nghị Sở Xây dựng xem xét, quyết định.", nil, .vague),
        // Comments with substance.
        Case(.agreeWithComments, ["Khoản 2 Điều 12: thay cụm từ \"cơ quan có thẩm quyền\" bằng \"UBND cấp huyện\"."], nil, nil, .clear),
        Case(.agreeWithComments, ["Đề nghị bổ sung kinh phí 2,5 tỷ đồng cho hạng mục thoát nước."], nil, nil, .clear),
        Case(.agreeWithComments, ["Paragraph 3.2 should cap the fee at 2% of the contract value."], nil, nil, .clear),
        Case(.agreeWithComments, ["The timeline assumes land clearance finishes before tendering, which contradicts the district's schedule; move tendering to the third quarter."], nil, nil, .clear),
        Case(.agreeWithComments, ["Tach rieng noi dung ho tro tai dinh cu thanh mot chuong rieng vi hien nay dang lan voi che do boi thuong"], nil, nil, .clear),
        Case(.agree, [], "Về cơ bản thống nhất, tuy nhiên đề nghị bổ sung tại Điều 9 quy định chuyển tiếp cho hồ sơ đã nộp trước ngày 01/7/2025.", nil, .clear),
        // Boilerplate comments: a citation followed only by boilerplate, a count of items.
        Case(.agreeWithComments, ["Đề nghị nghiên cứu, bổ sung cho phù hợp."], nil, nil, .vague),
        Case(.agreeWithComments, ["Please review the text and ensure consistency with current regulations."], nil, nil, .vague),
        Case(.agreeWithComments, ["Đề nghị rà soát lại các nội dung liên quan, đảm bảo chặt chẽ, khả thi."], nil, nil, .vague),
        Case(.agreeWithComments, ["Điều 5: đề nghị rà soát, bổ sung cho phù hợp."], nil, nil, .vague),
        Case(.agreeWithComments, [], "Đề nghị rà soát 03 nội dung cho phù hợp.", nil, .vague),
        Case(.agreeWithComments, [], "Đề nghị cân nhắc, làm rõ cơ sở pháp lý.", nil, .vague),
        Case(.agreeWithComments, [], "Sở có ý kiến như sau.", nil, .vague),
        // Disagreement needs reasons.
        Case(.disagree, ["Không thống nhất việc bãi bỏ Điều 4 vì sẽ không còn căn cứ thu phí."], nil, nil, .clear),
        Case(.disagree, [], "Không đồng ý phương án thu phí vì làm tăng chi phí của hộ kinh doanh nhỏ mà không có đánh giá tác động.", nil, .clear),
        Case(.disagree, [], "We do not agree.", nil, .vague),
        Case(.disagree, ["Không thống nhất."], nil, nil, .vague),
        Case(.disagree, [], "Không đồng ý với dự thảo vì còn nhiều nội dung chưa phù hợp với thực tiễn.", nil, .vague),
        // A disclaimer under any position; a competent body named by declared name, alias or proper name.
        Case(.outsideCompetence, [], "Nội dung này thuộc chức năng của Sở Y tế.", "SYT", .clear),
        Case(.outsideCompetence, [], "Outside our remit; the Department of Health is competent.", nil, .clear),
        Case(.outsideCompetence, [], "Không thuộc thẩm quyền.", nil, .deflection),
        Case(nil, [], "Khong thuoc linh vuc quan ly cua So.", nil, .deflection),
        Case(.agree, [], "This falls outside our competence.", nil, .deflection),
        Case(.outsideCompetence, [], "Not our area.", nil, .deflection),
        Case(.outsideCompetence, [], "Đề nghị hỏi các sở, ngành liên quan.", nil, .deflection),
        Case(.outsideCompetence, [], "Đề nghị lấy ý kiến UBND quận Hoàn Kiếm.", nil, .clear),
        Case(.outsideCompetence, [], "Nội dung không thuộc chức năng của Sở; đề nghị lấy ý kiến Sở Tư pháp.", nil, .clear),
        Case(.outsideCompetence, [], "Không thuộc chức năng của Sở, mà thuộc Sở Tài nguyên và Môi trường.", nil, .clear),
        Case(.outsideCompetence, [], "Không thuộc chức năng của Sở; đề nghị lấy ý kiến các cơ sở y tế trên địa bàn.", nil, .deflection),
        Case(.outsideCompetence, [], "Not within this Department's competence; please consult the Ministry of Finance.", nil, .clear),
        Case(.disagree, [], "Không thống nhất với Điều 7 của dự thảo vì nội dung này không thuộc thẩm quyền của Sở.", nil, .deflection),
        Case(.agree, ["Nội dung về phí không thuộc phạm vi quản lý nhà nước của ngành."], "Thống nhất với dự thảo.", nil, .deflection),
        // Naming the lead or the replier names nobody competent.
        Case(.outsideCompetence, [], "Không thuộc chức năng của Sở; đề nghị Sở Xây dựng xem xét.", nil, .deflection),
        Case(.outsideCompetence, [], "Không thuộc chức năng của Sở Tài chính.", nil, .deflection),
        // A provision said to be outside another body's competence is a comment on the draft.
        Case(.disagree, [], "Không thống nhất Điều 7 giao UBND cấp xã thẩm định dự án, vì nội dung này không thuộc thẩm quyền của UBND cấp xã theo khoản 3 Điều 30 Luật Đầu tư công.", nil, .clear),
        // Deferrals in other words.
        Case(.agree, [], "Đề nghị cơ quan soạn thảo tự chịu trách nhiệm về nội dung.", nil, .vague),
        Case(.agree, [], "Thống nhất. Đề nghị cơ quan chủ trì tổng hợp, quyết định theo thẩm quyền.", nil, .vague),
        Case(.agree, [], "We agree, subject to the lead agency's own judgement.", nil, .vague),
        Case(.agree, [], "Sở thống nhất về mặt nguyên tắc.", nil, .vague),
        Case(.agree, [], "Essentially we agree.", nil, .vague),
        Case(.agree, [], "No objection.", nil, .clear),
        // No position field: the text's position counts.
        Case(nil, [], "Sở Tài chính thống nhất với toàn bộ dự thảo.", nil, .clear),
        Case(nil, [], "Sở đã nhận được dự thảo.", nil, .vague),
        Case(nil, [], "Sở Tài chính sẽ có ý kiến sau.", nil, .vague),
        Case(nil, [], "Dự thảo được chuẩn bị công phu, bám sát chỉ đạo của Thành phố.", nil, .vague),
        Case(nil, ["Điều 3: bỏ khoản 2."], nil, nil, .clear),
        Case(nil, [], "Sau khi nghiên cứu, Sở Tài chính thống nhất với toàn bộ nội dung dự thảo.", nil, .clear),
    ])
    func judgement(_ c: Case) {
        let a = assess(c.position, comments: c.comments, text: c.text, referTo: c.referTo)
        #expect(a.verdict == c.expected, "\(c) → \(a.reasons) \(a.evidence)")
    }

    struct Case: Sendable, CustomStringConvertible {
        let position: Position?
        let comments: [String]
        let text: String?
        let referTo: String?
        let expected: Verdict

        init(_ position: Position?, _ comments: [String], _ text: String?, _ referTo: String?, _ expected: Verdict) {
            self.position = position
            self.comments = comments
            self.text = text
            self.referTo = referTo
            self.expected = expected
        }

        var description: String { "\(position?.rawValue ?? "-") \(comments) \(text ?? "") → \(expected)" }
    }

    @Test func referToMustNameAnotherDeclaredAgency() {
        let text = "Không thuộc chức năng, nhiệm vụ của Sở."
        #expect(assess(.outsideCompetence, text: text, referTo: "SYT").verdict == .clear)
        #expect(assess(.outsideCompetence, text: text, referTo: "Sở Y tế").verdict == .clear)
        #expect(assess(.outsideCompetence, text: text, referTo: "Department of Health").verdict == .clear)
        for invalid in ["STC", "SXD", "SXX", "Bộ Tài chính", "the competent authority"] {
            let a = assess(.outsideCompetence, text: text, referTo: invalid)
            #expect(a.verdict == .deflection, "\(invalid)")
            #expect(a.evidence.contains(Evidence(AssessmentReason.competentAgencyInvalid, invalid)), "\(invalid)")
        }
        // Even beside a clear text: the field names someone who is not competent.
        let named = assess(.outsideCompetence, text: "Nội dung thuộc chức năng của Sở Y tế.", referTo: "SXD")
        #expect(named.reasons == [AssessmentReason.competenceDisclaimed, AssessmentReason.competentAgencyInvalid])
    }

    @Test func evidenceQuotesTheReplyAsWritten() {
        let text = "Về cơ bản,   Sở Tài chính THỐNG NHẤT với dự thảo;\nđề nghị cơ quan chủ trì nghiên cứu, xem xét."
        let a = assess(.agree, text: text)
        #expect(a.verdict == .vague)
        #expect(a.reasons == [AssessmentReason.hedgedAgreement, AssessmentReason.deferralToLead])
        #expect(a.evidence == [
            Evidence(AssessmentReason.hedgedAgreement, "Về cơ bản,   Sở Tài chính THỐNG NHẤT với dự thảo;"),
            Evidence(AssessmentReason.deferralToLead, "đề nghị cơ quan chủ trì nghiên cứu, xem xét."),
        ])
        // An absence has no quote; a field is quoted as written.
        let d = assess(.outsideCompetence)
        #expect(d.evidence == [Evidence(AssessmentReason.competenceDisclaimed, "outside_competence"),
                               Evidence(AssessmentReason.competentAgencyNotNamed, nil)])
        #expect(assess(.disagree, text: "Không đồng ý.").evidence.first == Evidence(AssessmentReason.noReasons, nil))
        #expect(assess(.agreeWithComments).evidence.first == Evidence(AssessmentReason.noComments, nil))
        #expect(assess(nil, text: "Đã nhận.").evidence.first == Evidence(AssessmentReason.noPosition, nil))
    }

    @Test func aLongPassageIsQuotedAroundWhatDecided() {
        let filler = String(repeating: "Dự thảo đã được xây dựng theo đúng trình tự, thủ tục, có sự tham gia của nhiều cơ quan, ", count: 6)
        let text = filler + "tuy nhiên nội dung này không thuộc chức năng, nhiệm vụ của Sở, " + filler
        let a = assess(.agree, text: text)
        #expect(a.verdict == .deflection)
        let quote = a.evidence[0].quote ?? ""
        #expect(text.contains(quote))
        #expect(quote.contains("không thuộc chức năng"))
        #expect(quote.count < 400)
    }

    @Test func aQuoteStaysShortWhateverFollowsTheWords() {
        let a = assess(.agree, text: "Sở Tài chính nhất trí" + String(repeating: ",", count: 50_000))
        #expect(a.evidence == [Evidence(AssessmentReason.agree, "Sở Tài chính nhất trí,,,")])
        let word = String(repeating: "x", count: 5_000)
        let b = assess(nil, text: "Không thuộc chức năng của Sở " + word)
        #expect(b.verdict == .deflection)
        #expect((b.evidence[0].quote ?? "").count <= 700)
    }

    /// In capitals a word spelt "BỔ" or "SƠ" is no "Bộ" or "Sở", and a sentence's capitals name
    /// no body; a declared agency or a body named alone still counts.
    @Test func capitalsNameNoBody() {
        #expect(assess(nil, text: "KHÔNG THUỘC THẨM QUYỀN CỦA SỞ. ĐỀ NGHỊ BỔ SUNG CHO PHÙ HỢP.").verdict == .deflection)
        #expect(assess(nil, text: "KHÔNG THUỘC THẨM QUYỀN CỦA SỞ; ĐỀ NGHỊ GỬI UBND CẤP HUYỆN.").verdict == .deflection)
        #expect(assess(.agreeWithComments, text: "Đề Nghị Bổ Sung Cho Phù Hợp.").verdict == .vague)
        #expect(assess(nil, text: "Outside our remit; please consult the Relevant Authority.").verdict == .deflection)
        #expect(assess(nil, text: "KHÔNG THUỘC THẨM QUYỀN CỦA SỞ; ĐỀ NGHỊ LẤY Ý KIẾN SỞ Y TẾ.").verdict == .clear)
        #expect(assess(nil, text: "KHÔNG THUỘC THẨM QUYỀN CỦA SỞ MÀ THUỘC THẨM QUYỀN CỦA CHÍNH PHỦ.").verdict == .clear)
        #expect(assess(nil, text: "Không thuộc thẩm quyền của Sở; đề nghị lấy ý kiến Bộ Tài chính.").verdict == .clear)
    }

    /// Numbers that label points, count items or list the parts cited are no facts.
    @Test func numbersThatStateNothingAreNoFacts() {
        for text in ["Sở Tài chính cơ bản nhất trí. 1 2 3", "We agree in principle; we have 2 minor points to be reviewed.",
                     "Góp ý: 1/ Đề nghị rà soát 2/ Đề nghị hoàn thiện.", "Articles 2, 3, 4, 7 and 9 need to be reviewed.",
                     "Về cơ bản thống nhất với 100% nội dung dự thảo."] {
            #expect(assess(.agreeWithComments, text: text).verdict == .vague, "\(text)")
        }
        #expect(assess(nil, text: "Đề nghị điều chỉnh tỷ lệ hỗ trợ từ 50% xuống 30% tại Điều 8.").verdict == .clear)
    }

    /// "vượt thẩm quyền" disclaims only when the remit is said to be the replier's.
    @Test func exceedingARemitIsWhoseItIsSaid() {
        #expect(assess(nil, text: "Nội dung này vượt thẩm quyền của Sở Tài chính.").verdict == .deflection)
        let other = assess(nil, text: "Sở Tài chính không thống nhất khoản 3 Điều 6, vì việc giao cấp xã tự quyết định là vượt thẩm quyền được giao theo Luật Đất đai.")
        #expect(other.verdict == .clear)
        #expect(assess(nil, text: "This is not a matter for the Department of Finance to decide.").verdict == .deflection)
    }

    @Test func anEmptyReferToNamesNobody() {
        let a = assess(.outsideCompetence, text: "Không thuộc chức năng của Sở.", referTo: "")
        #expect(a.verdict == .deflection)
        #expect(a.reasons == [AssessmentReason.competenceDisclaimed, AssessmentReason.competentAgencyInvalid])
    }

    /// A request that only hands the decision back is the deferral, not a comment as well.
    @Test func aDeferralIsNoCommentToo() {
        let a = assess(nil, text: "Sở Tài chính nhất trí với dự thảo. Đề nghị Sở Xây dựng cân nhắc.")
        #expect(a.verdict == .vague)
        #expect(a.position == .agree)
        #expect(a.reasons == [AssessmentReason.deferralToLead])
    }

    @Test func thePositionReadFromTheTextDecidesADisagreement() {
        let a = assess(nil, text: "Sở Tài chính không thống nhất với đề xuất tại Mục V.4 về thành lập Quỹ với vốn điều lệ 2.000 tỷ đồng, vì làm phân tán nguồn lực.")
        #expect(a.verdict == .clear)
        #expect(a.position == .disagree)
        #expect(a.reasons == [AssessmentReason.substantiveReason])
        // A provision inconsistent with another takes no position of the replier's.
        let b = assess(nil, text: "Khoản 2 Điều 5 không thống nhất với khoản 1 Điều 9 về thời hạn 15 ngày; đề nghị sửa thành 10 ngày.")
        #expect(b.position == .agreeWithComments)
    }

    @Test func theLeadIsReadFromTheSalutationWhenUnknown() {
        let letter = """
            SỞ TÀI CHÍNH
            Số: 12/STC-QLNS
            Kính gửi: Sở Xây dựng.
            Sở Tài chính cơ bản thống nhất; đề nghị Sở Xây dựng xem xét, quyết định.
            """
        let reply = Reply(request: "R", agency: "STC", received: Fixtures.instant("2025-01-01T00:00:00Z"), position: .agree,
                          text: letter)
        #expect(assessor.addressee(of: reply) == "SXD")
        let a = assessor.assess(reply, lead: nil)
        #expect(a.reasons.contains(AssessmentReason.deferralToLead))
    }

    @Test func configuredPhrasesExtendTheLists() {
        func reply(_ text: String) -> Reply {
            Reply(request: "R", agency: "STC", received: Fixtures.instant("2025-01-01T00:00:00Z"), position: .agree, text: text)
        }
        #expect(assessor.assess(reply("Tạm thời thống nhất với dự thảo."), lead: "SXD").verdict == .vague)  // built in
        let noted = reply("Sở xin ghi chép dự thảo.")
        #expect(assessor.assess(noted, lead: "SXD").verdict == .clear)
        let strict = Assessor(extra: ExtraPhrases(vague: ["xin ghi chep"]), agencies: Fixtures.cityAgencies)
        #expect(strict.assess(noted, lead: "SXD").verdict == .vague)
        let remit = reply("Việc này để cấp trên quyết.")
        let custom = Assessor(extra: ExtraPhrases(deflection: ["để cấp trên quyết"]), agencies: Fixtures.cityAgencies)
        #expect(custom.assess(remit, lead: "SXD").verdict == .deflection)
    }
}
