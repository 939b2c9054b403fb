/// The formulas of administrative letters that ``LetterReader`` recognises, Vietnamese and
/// English, folded as ``Words`` folds them (so written with or without diacritics alike).
enum Vocabulary {
    static let nationalHeader = PhraseList([
        "cộng hòa xã hội chủ nghĩa việt nam", "cộng hoà xã hội chủ nghĩa việt nam", "độc lập tự do hạnh phúc",
        "socialist republic of viet nam", "socialist republic of vietnam", "independence freedom happiness",
    ])

    static let salutation = PhraseList(["kính gửi", "kính trình", "dear", "kg"])

    static let recipients = PhraseList([
        "nơi nhận", "recipients", "recipient", "copy to", "copies to", "cc", "distribution", "nơi gửi",
    ])

    /// Labels of a digital-signature stamp ("Người ký: Sở Y tế", "Thời gian ký: …").
    static let stampLabels = PhraseList([
        "người ký", "ký bởi", "email", "cơ quan", "thời gian ký", "ngày ký", "signed by", "signer", "signing time",
        "organization", "organisation", "signature valid", "chữ ký số", "ký số", "digitally signed", "date signed",
        "processed by", "prepared by", "người xử lý", "người soạn", "người soạn thảo", "chuyên viên xử lý", "handled by",
    ])

    /// "(Đã ký)", "(signed)", "(Ký, ghi rõ họ tên, đóng dấu)".
    /// Labels of a letterhead's contact footer ("Địa chỉ: …", "Website: …").
    static let contactLabels = PhraseList([
        "địa chỉ", "điện thoại", "đt", "tel", "fax", "website", "web", "address", "phone", "telephone", "hotline",
    ])

    static let signedMarks = WordSet([
        "đã ký", "ký", "kí", "đã kí", "signed", "and", "sealed", "đóng dấu", "tên", "ghi rõ họ tên", "và", "seal",
    ])

    /// Words of a signature's title line ("KT. GIÁM ĐỐC", "p.p. DIRECTOR", "TM. ỦY BAN NHÂN DÂN").
    static let titleWords = WordSet([
        "kt", "tm", "tl", "tuq", "q", "ktl", "p", "pp", "for", "on", "behalf", "of", "the", "acting", "giám đốc",
        "phó", "chánh", "văn phòng", "trưởng", "phòng", "chủ tịch", "thủ trưởng", "ban", "cục", "thanh tra",
        "ủy ban nhân dân", "uỷ ban nhân dân", "sở", "director", "deputy", "head", "chairman", "chairwoman", "chairperson",
        "vice", "chief", "office", "department", "people", "s", "committee", "general", "permanent", "quyền",
        "phụ trách", "thường trực", "điều hành", "in charge",
    ])

    /// Titles without which a line is no signature title.
    static let titleCore = WordSet([
        "giám đốc", "chánh", "trưởng", "chủ tịch", "thủ trưởng", "director", "head", "chairman", "chairwoman",
        "chairperson", "chief",
    ])

    /// What a signature title may open with: "KT.", "TM.", "TL.", "TUQ.", "Q.", "p.p.", "For the".
    static let titleLead = WordSet(["kt", "tm", "tl", "tuq", "q", "ktl", "p", "pp", "for", "on", "acting", "quyền"])

    static let months = Set(Words(
        "january february march april may june july august september october november december jan feb mar apr jun jul aug sep sept oct nov dec"
    ).folded)

    /// Full stops that end an abbreviation, not a sentence.
    static let abbreviations: Set<String> = [
        "no", "nos", "tp", "q", "kt", "tm", "tl", "tuq", "st", "mr", "mrs", "ms", "dr", "art", "arts", "sec", "para", "fig",
        "vs", "etc", "ltd", "co", "inc", "approx", "ca", "tr", "p", "pp", "đ", "ths", "ts", "pgs", "gs", "ks", "ncs", "bs",
        "ref", "cf", "ie", "eg", "vol", "ch", "sđd", "v", "vv",
    ]

    /// Opening acknowledgements, as the first words of a letter's first sentence.
    static let openingCues = PhraseList([
        "phúc đáp", "thực hiện", "trả lời", "theo đề nghị", "sau khi nghiên cứu", "qua nghiên cứu", "sau khi xem xét",
        "qua xem xét", "tiếp nhận", "theo nội dung", "căn cứ đề nghị", "nhận được", "đã nhận được", "xét đề nghị",
        "theo công văn", "theo văn bản", "in reply to", "in response to", "with reference to", "we refer to", "reference",
        "referring to", "re your letter", "further to", "following your", "following receipt", "we acknowledge",
        "we have received", "having received", "thank you for your letter", "after studying", "having studied",
        "having reviewed", "after reviewing", "upon review", "on receipt of", "acknowledging", "responding to",
        "as requested in", "as requested by", "pursuant to your", "we have studied", "we have reviewed",
    ])

    /// Answering a letter: "reply to your letter", "trả lời Công văn".
    static let replyWords = PhraseList(["reply to", "replying to", "in reply to", "response to", "trả lời", "phúc đáp"])

    /// "(đã) nhận được", "has received": an acknowledgement when a letter follows.
    static let received = PhraseList(["nhận được", "has received", "have received", "acknowledges receipt of"])

    static let letterNouns = PhraseList([
        "công văn", "văn bản", "tờ trình", "phiếu", "giấy mời", "thông báo", "dự thảo", "hồ sơ", "đề nghị", "thư",
        "your letter", "the letter", "letter", "your request", "the request", "your official letter", "official letter",
        "the draft", "your dispatch",
    ])

    /// Studying the draft before the reply's own words: "Sau khi nghiên cứu, …".
    static let studied = PhraseList([
        "sau khi nghiên cứu", "qua nghiên cứu", "sau khi xem xét", "qua xem xét", "sau khi rà soát", "qua rà soát",
        "after studying", "having studied", "having reviewed", "after reviewing", "upon review", "after careful study",
        "after careful review", "having considered", "after examining", "having examined",
    ])

    /// A legal-basis paragraph: "Căn cứ Luật …", "Pursuant to Decree …".
    static let legalBasis = PhraseList(["căn cứ", "pursuant to", "in accordance with", "in pursuance of", "under the provisions of"])

    /// Words that start the reply's own clause after the acknowledgement's comma.
    static let clauseStarts = PhraseList([
        "chúng tôi", "đơn vị", "cơ quan", "ubnd", "ủy ban", "uỷ ban", "sau khi", "đề nghị",
        "kiến nghị", "thống nhất", "nhất trí", "đồng ý", "không", "về cơ bản", "về nguyên tắc",
        "nhìn chung", "we", "our", "this department", "the department", "this ministry", "the ministry", "having",
        "after", "upon", "i", "it", "our department", "đây là", "nội dung này", "vấn đề này", "việc này", "lĩnh vực này",
        "nội dung dự thảo", "this", "these", "the content", "the matter", "the draft", "the proposal", "its",
    ], strict: ["sở", "ban", "cục", "qua", "chưa", "cơ bản"])

    /// Words that anchor a closing formula.
    static let closingAnchors = PhraseList([
        "trên đây", "tổng hợp", "được biết", "để biết", "trân trọng", "kính chuyển", "xin cảm ơn", "cảm ơn",
        "yours faithfully", "yours sincerely", "sincerely", "faithfully", "best regards", "kind regards", "regards",
        "respectfully", "consolidation", "to consolidate", "for compilation", "to compile", "the above", "for your information",
        "for information", "thank you", "we remain",
    ])

    /// Other words a closing formula may hold (never a verb that hands a decision back).
    static let closingWords = PhraseList([
        "là", "ý kiến", "góp ý", "tham gia", "của", "gửi", "để", "đề nghị", "hoàn thiện", "hoàn chỉnh", "hồ sơ",
        "theo quy định", "báo cáo", "trình", "ubnd", "thành phố", "sở", "xin", "chuyển", "đến", "và", "với", "như trên",
        "nội dung", "đồng thời", "lãnh đạo", "tham khảo", "thông báo", "kính", "quý", "cơ quan", "đơn vị", "chủ trì",
        "soạn thảo", "các", "bản", "dự thảo", "văn bản", "này", "trình cấp có thẩm quyền", "ban hành", "theo", "quy định",
        "tới", "cho", "nhé", "are", "is", "the", "comments", "comment", "of", "our", "submitted", "to", "for", "your",
        "department", "we", "hope", "will", "be", "taken", "into", "account", "and", "this", "letter", "views", "opinion",
        "opinions", "above", "these", "sent", "forwarded", "in", "by", "as", "follows", "reference", "kindly", "please",
        "note", "its", "their", "with", "a", "an", "view", "on", "draft", "contributed", "contribution",
    ])

    /// What points at the draft in a closing ("về dự thảo …", "đối với Đề án …").
    static let draftPointers = PhraseList(["về", "đối với", "về việc", "on", "regarding", "concerning", "about"])

    /// What a closing's reference to the draft starts with when not with the title itself.
    static let draftNouns = PhraseList(["dự thảo", "nội dung", "nội dung dự thảo", "the draft", "draft", "the proposal"])

    /// Where a closing's reference to the draft ends though no comma does.
    static let referenceEnds = PhraseList(["đề nghị", "kính đề nghị", "gửi", "please", "for"])

    /// Words that take a position: a reference to the draft holding one is no reference.
    static let stances = PhraseList([
        "thống nhất", "nhất trí", "đồng ý", "đồng tình", "không", "chưa", "cơ bản", "agree", "agreed", "disagree", "basically",
        "support", "object", "not",
    ])

    /// Verbs that hand a decision back to the lead: never part of a closing formula.
    static let decisionVerbs = PhraseList([
        "xem xét", "quyết định", "cân nhắc", "nghiên cứu", "tiếp thu", "consider", "consideration", "decide", "decision",
        "judgement", "judgment", "discretion",
    ])
}
