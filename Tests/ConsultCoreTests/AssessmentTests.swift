import ConsultCore
import Testing

@Suite("Reply assessment")
struct AssessmentTests {
    let assessor = Assessor()

    func verdict(_ position: Position?, comments: [String] = [], text: String? = nil, referTo: String? = nil) -> Verdict {
        assessor.assess(Reply(request: "R", agency: "STC", received: Fixtures.instant("2025-01-01T00:00:00Z"),
                              position: position, comments: comments, text: text, referTo: referTo)).verdict
    }

    @Test func sharedCorpus() throws {
        let corpus = try Fixtures.corpus()
        #expect(corpus.count >= 20)
        for (label, reply) in corpus {
            let result = assessor.assess(reply)
            #expect(result.verdict.rawValue == label, "\(reply) → \(result)")
            #expect(!result.reasons.isEmpty)
        }
    }

    @Test func foldingIgnoresCaseSpacingAndDiacritics() {
        #expect(NormalizedText("Về  CƠ BẢN, thống nhất!").tokens == ["ve", "co", "ban", "thong", "nhat"])
        #expect(NormalizedText("ĐỀ NGHỊ").tokens == ["de", "nghi"])
        // Precomposed and decomposed forms fold alike.
        #expect(NormalizedText("c\u{01A1} b\u{1EA3}n") == NormalizedText("co\u{031B} ba\u{0309}n"))
    }

    // Cases written here, beyond the shared corpus: the assessor must generalise.
    @Test(arguments: [
        // Clear agreement.
        Case(.agree, [], "Sở Y tế đồng ý với toàn bộ dự thảo.", nil, .clear),
        Case(.agree, [], "Nhất trí.", nil, .clear),
        Case(.agree, [], "We agree with the draft and have no further comments.", nil, .clear),
        Case(.agree, [], nil, nil, .clear),
        // Hedged or deferring agreement.
        Case(.agree, [], "Sở cơ bản nhất trí với dự thảo.", nil, .vague),
        Case(.agree, [], "Ve nguyen tac, So thong nhat.", nil, .vague),
        Case(.agree, [], "Nhìn chung thống nhất với nội dung dự thảo.", nil, .vague),
        Case(.agree, [], "Generally agree with the proposal.", nil, .vague),
        Case(.agree, [], "Đồng ý; đề nghị cơ quan chủ trì xem xét, quyết định.", nil, .vague),
        Case(.agree, [], "We support it; we defer to the lead department on the details.", nil, .vague),
        // Comments with substance.
        Case(.agreeWithComments, ["Khoản 2 Điều 12: thay cụm từ \"cơ quan có thẩm quyền\" bằng \"UBND cấp huyện\"."], nil, nil, .clear),
        Case(.agreeWithComments, ["Đề nghị bổ sung kinh phí 2,5 tỷ đồng cho hạng mục thoát nước."], nil, nil, .clear),
        Case(.agreeWithComments, ["Paragraph 3.2 should cap the fee at 2% of the contract value."], nil, nil, .clear),
        Case(.agreeWithComments, ["The timeline assumes land clearance finishes before tendering, which contradicts the district's schedule; move tendering to the third quarter."], nil, nil, .clear),
        Case(.agreeWithComments, ["Tach rieng noi dung ho tro tai dinh cu thanh mot chuong rieng vi hien nay dang lan voi che do boi thuong"], nil, nil, .clear),
        // Boilerplate comments.
        Case(.agreeWithComments, ["Đề nghị nghiên cứu, bổ sung cho phù hợp."], nil, nil, .vague),
        Case(.agreeWithComments, ["Please review the text and ensure consistency with current regulations."], nil, nil, .vague),
        Case(.agreeWithComments, ["Đề nghị rà soát lại các nội dung liên quan, đảm bảo chặt chẽ, khả thi."], nil, nil, .vague),
        Case(.agreeWithComments, [], "Sở có ý kiến như sau.", nil, .vague),
        // Disagreement needs reasons.
        Case(.disagree, ["Không thống nhất việc bãi bỏ Điều 4 vì sẽ không còn căn cứ thu phí."], nil, nil, .clear),
        Case(.disagree, [], "Không đồng ý phương án thu phí vì làm tăng chi phí của hộ kinh doanh nhỏ mà không có đánh giá tác động.", nil, .clear),
        Case(.disagree, [], "We do not agree.", nil, .vague),
        Case(.disagree, ["Không thống nhất."], nil, nil, .vague),
        // Competence.
        Case(.outsideCompetence, [], "Nội dung này thuộc chức năng của Sở Y tế.", "SYT", .clear),
        Case(.outsideCompetence, [], "Outside our remit; the Department of Health is competent.", "Department of Health", .clear),
        Case(.outsideCompetence, [], "Không thuộc thẩm quyền.", nil, .deflection),
        Case(.outsideCompetence, [], "Không thuộc thẩm quyền, đề nghị hỏi cơ quan có liên quan.", "các cơ quan có liên quan", .deflection),
        Case(nil, [], "Khong thuoc linh vuc quan ly cua So.", nil, .deflection),
        Case(.agree, [], "This falls outside our competence.", nil, .deflection),
        Case(.outsideCompetence, [], "Not our area.", "the competent authority", .deflection),
        Case(.outsideCompetence, [], "Không thuộc thẩm quyền.", "cơ quan có thẩm quyền", .deflection),
        Case(.outsideCompetence, [], "Đề nghị hỏi các sở, ngành liên quan.", "các sở, ngành", .deflection),
        Case(.outsideCompetence, [], "Not within our mandate.", "Ministry of Finance", .clear),
        Case(.outsideCompetence, [], "Đề nghị lấy ý kiến UBND quận Hoàn Kiếm.", nil, .clear),
        // Deferrals in other words; a closing that hands the lead its own compilation is not one.
        Case(.agree, [], "Đề nghị cơ quan soạn thảo tự chịu trách nhiệm về nội dung.", nil, .vague),
        Case(.agree, [], "Thống nhất. Đề nghị cơ quan chủ trì tổng hợp, quyết định theo thẩm quyền.", nil, .vague),
        Case(.agree, [], "We agree, subject to the lead agency's own judgement.", nil, .vague),
        Case(.agree, [], "Agree. It is for the Department of Construction to decide.", nil, .vague),
        Case(.agree, [], "Sở thống nhất về mặt nguyên tắc.", nil, .vague),
        Case(.agree, [], "Essentially we agree.", nil, .vague),
        Case(.agree, [], "No objection.", nil, .clear),
        Case(.agree, [], "Trên đây là ý kiến của Sở Tài chính, đề nghị Sở Xây dựng tổng hợp.", nil, .clear),
        Case(.agree, [], "Về cơ bản thống nhất, tuy nhiên đề nghị bổ sung tại Điều 9 quy định chuyển tiếp cho hồ sơ đã nộp trước ngày 01/7/2025.", nil, .clear),
        // No position.
        Case(nil, [], "Sở đã nhận được dự thảo.", nil, .vague),
        Case(nil, ["Điều 3: bỏ khoản 2."], nil, nil, .vague),
    ])
    func judgement(_ c: Case) {
        #expect(verdict(c.position, comments: c.comments, text: c.text, referTo: c.referTo) == c.expected, "\(c)")
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

    @Test func configuredPhrasesExtendTheLists() {
        let reply = Reply(request: "R", agency: "STC", received: Fixtures.instant("2025-01-01T00:00:00Z"),
                          position: .agree, text: "Tạm thời thống nhất với dự thảo.")
        #expect(Assessor().assess(reply).verdict == .vague)  // built in: "tạm thời"
        let custom = Reply(request: "R", agency: "STC", received: Fixtures.instant("2025-01-01T00:00:00Z"),
                           position: .agree, text: "Sở xin ghi nhận dự thảo.")
        #expect(Assessor().assess(custom).verdict == .clear)
        #expect(Assessor(extra: ExtraPhrases(vague: ["xin ghi nhan"])).assess(custom).verdict == .vague)
        let remit = Reply(request: "R", agency: "STC", received: Fixtures.instant("2025-01-01T00:00:00Z"),
                          position: .agree, text: "Việc này để cấp trên quyết.")
        #expect(Assessor(extra: ExtraPhrases(deflection: ["để cấp trên quyết"])).assess(remit).verdict == .deflection)
    }

    @Test func reasonsAreMachineReadable() {
        let r = assessor.assess(Reply(request: "R", agency: "STC", received: Fixtures.instant("2025-01-01T00:00:00Z"),
                                      position: .agree, text: "Về cơ bản nhất trí, đề nghị cơ quan chủ trì nghiên cứu, xem xét."))
        #expect(r == Assessment(.vague, ["hedged_agreement", "deferral_to_lead"]))
        let d = assessor.assess(Reply(request: "R", agency: "STC", received: Fixtures.instant("2025-01-01T00:00:00Z"),
                                      position: .outsideCompetence))
        #expect(d == Assessment(.deflection, ["competence_disclaimed", "competent_agency_not_named"]))
    }
}
