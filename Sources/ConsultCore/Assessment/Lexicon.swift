/// Classes of words the assessor reads a passage with, Vietnamese and English, folded as
/// ``Words`` folds them. Each list names a kind of word, never a sentence.
enum Lexicon {
    // MARK: Positions

    /// Taking the position of agreement.
    static let agree = PhraseList([
        "thống nhất", "nhất trí", "đồng ý", "đồng tình", "tán thành", "ủng hộ", "chấp thuận", "agree", "agrees", "agreed",
        "concur", "concurs", "support", "supports", "endorse", "endorses", "approve", "approves", "in favour", "in favor",
        "no objection", "no objections", "content with", "satisfied with", "comfortable with", "happy with",
    ])

    /// Agreement put as the absence of objection: "không phản đối", "we do not object".
    static let noObjection = PhraseList([ "không có ý kiến khác", "không có ý kiến gì khác", "do not object", "does not object",
        "have no objection", "has no objection", "raise no objection", "raises no objection", "see no objection",
        "không có ý kiến bổ sung", "không có ý kiến gì thêm", "no further comments", "no further comment",
        "no additional comments", "nothing to add", "has no comments", "have no comments", "no comments on",
        "không có ý kiến sửa đổi", "không có ý kiến sửa đổi bổ sung", "không có ý kiến góp ý thêm", "không có ý kiến gì",
        "không có ý kiến góp ý khác", "không có ý kiến bổ sung sửa đổi", "không có ý kiến chỉnh sửa", "no amendments",
        "no changes to propose", "no further remarks", "no other comments", "không đề xuất", "không có đề xuất",
        "không kiến nghị", "không có kiến nghị", "không có vướng mắc", "không có vướng mắc gì", "không vướng mắc",
        "no proposals", "nothing to propose", "no major concerns", "no concerns", "no particular concerns",
        "no significant concerns", "no objections to raise", "no issues to raise",
    ], strict: ["không phản đối"])

    /// Taking the position of disagreement by itself.
    static let disagree = PhraseList([
        "bác bỏ", "không chấp thuận", "disagree", "disagrees", "object to", "objects to", "oppose", "opposes",
        "reject", "rejects", "are against", "is against", "cannot accept", "can not accept", "do not accept",
        "does not accept",
    ], strict: ["phản đối"])

    /// Words that negate a following agreement ("không thống nhất", "do not agree").
    static let negators = PhraseList([
        "không", "chưa", "không thể", "chưa thể", "không hoàn toàn", "chưa hoàn toàn", "not", "cannot", "can not",
        "do not", "does not", "did not", "don t", "doesn t", "unable to", "could not", "is unable to",
    ])

    /// "thống nhất" meaning consistency, not a position: "tính thống nhất", "đảm bảo thống nhất".
    static let consistencyBefore = WordSet(["tính", "sự", "đảm bảo", "bảo đảm", "nhằm", "cho", "giữa", "được", "để"])
    static let consistencyAfter = PhraseList([
        "đồng bộ", "quản lý", "giữa", "với luật", "với nghị định", "với thông tư", "với quy định", "với pháp luật",
        "với quy hoạch", "với hiến pháp", "với các quy định", "với các văn bản", "với văn bản", "trong", "của",
    ])

    /// A reply that takes no position by itself: acknowledging, noting, praising the draft.
    static let noPosition = PhraseList([
        "ghi nhận", "xin ghi nhận", "đã nhận được", "acknowledge receipt", "acknowledges receipt", "take note", "takes note",
        "taken note", "have noted", "has noted", "đánh giá cao", "công phu", "chu đáo", "bám sát", "well prepared",
        "commend", "commends", "carefully prepared", "thorough",
    ])

    /// A promise to answer later: no comment yet, whatever it mentions.
    static let later = PhraseList([
        "sẽ có ý kiến", "sẽ gửi ý kiến", "sẽ tham gia ý kiến", "sẽ trả lời", "sẽ có văn bản", "sẽ góp ý", "sẽ phúc đáp",
        "đang nghiên cứu", "đang tổng hợp", "đang tổ chức nghiên cứu", "đang lấy ý kiến", "sẽ có ý kiến sau",
        "will revert", "will respond", "will reply", "will send", "will provide", "will comment", "will submit",
        "in due course", "at a later date", "are studying", "is studying", "still studying", "are still reviewing",
        "is still reviewing", "will follow", "to follow", "in a separate letter", "by separate letter", "sẽ gửi sau",
        "bằng văn bản riêng", "văn bản riêng", "sẽ có văn bản riêng", "sẽ có ý kiến bằng văn bản",
    ])

    // MARK: Deferral

    /// The lead as the addressee of a request: "cơ quan chủ trì", "Quý Sở", "the lead agency".
    static let leadReferences = PhraseList([
        "cơ quan chủ trì", "đơn vị chủ trì", "cơ quan soạn thảo", "đơn vị soạn thảo", "ban soạn thảo", "tổ soạn thảo",
        "cơ quan chủ trì soạn thảo", "quý sở", "quý cơ quan", "quý đơn vị", "your department", "the lead agency",
        "the lead department", "the lead", "the drafting agency", "the drafting department", "the drafting body",
        "the drafting team", "you",
    ])

    /// Verbs that, asked of the lead, hand the decision back (not a closing's "tổng hợp").
    static let deferralVerbs = PhraseList([
        "xem xét", "quyết định", "cân nhắc", "nghiên cứu", "tiếp thu", "tự quyết", "định đoạt", "lựa chọn", "tự xác định",
        "consider", "decide", "determine", "judge", "reconsider", "review it further", "review further", "study further",
        "address", "will address", "deal with", "take care of", "weigh",
        "study", "deliberate", "review the draft further", "sees fit", "see fit", "deems fit", "deems appropriate",
        "considers appropriate", "thinks fit",
    ])

    // MARK: Remit

    /// What a remit is made of: "chức năng", "thẩm quyền", "remit".
    static let remitNouns = PhraseList([
        "quản lý nhà nước", "chức năng", "nhiệm vụ", "thẩm quyền", "lĩnh vực", "trách nhiệm", "phạm vi quản lý", "phạm vi chức năng",
        "phạm vi nhiệm vụ", "phạm vi thẩm quyền", "phạm vi trách nhiệm", "phạm vi phụ trách", "phạm vi theo dõi",
        "phạm vi lĩnh vực", "chuyên môn", "ngành", "remit", "competence", "competences", "mandate", "jurisdiction",
        "purview", "functions", "function", "responsibilities", "responsibility", "area", "field", "sphere", "duties",
        "scope",
    ])

    /// Negated belonging ("không thuộc", "nằm ngoài", "outside"), followed by a remit.
    static let remitNegations = PhraseList([
        "không thuộc", "không nằm trong", "nằm ngoài", "ngoài", "không phải thuộc", "không được giao", "không được phân công",
        "không phụ trách", "không trực tiếp quản lý", "không quản lý", "không có chức năng quản lý", "chưa được giao",
        "vượt quá", "vượt", "vượt ngoài", "exceeds", "exceed", "goes beyond", "go beyond", "not the", "not a",
        "not assigned", "not been assigned", "not charged with", "not in charge of", "outside", "beyond", "not within",
        "not in", "not under", "not part of", "not among", "not being among", "not being within", "not being part of",
        "not falling within", "not falling under", "not a matter within", "not matters within", "not a matter for",
        "not an area within", "not an issue within", "not a question within", "not a matter of",
    ])

    /// Belonging to some other, unnamed body: "thuộc lĩnh vực của ngành khác", "a matter for
    /// other agencies" — a disclaimer that names nobody.
    static let otherBodies = PhraseList([
        "ngành khác", "cơ quan khác", "đơn vị khác", "sở khác", "sở ngành khác", "các ngành khác", "các cơ quan khác",
        "lĩnh vực khác", "another department", "other departments", "another agency", "other agencies", "another sector",
        "other sectors", "another body", "other bodies",
    ])

    /// Words that refer to the replier itself: "của Sở", "chúng tôi", "our", "this Department".
    static let selfReferences = PhraseList([
        "sở", "sở chúng tôi", "chúng tôi", "đơn vị", "đơn vị chúng tôi", "cơ quan chúng tôi", "ngành", "mình", "đơn vị mình",
        "our", "us", "we", "this department", "the department", "our department", "this office", "this agency",
        "the department s", "this department s", "our agency", "its", "it",
    ])

    /// "… matters on which the Department is competent": the part of a remit that is a
    /// question the replier may or may not answer, before "which".
    static let remitQuestions = PhraseList([
        "not matters on which", "not a matter on which", "not matters in which", "not a matter in which",
        "not areas in which", "not an area in which", "not questions on which", "not a question on which",
        "not issues on which", "not an issue on which", "not matters for which", "not a matter for which",
        "not fields in which", "not a field in which", "not an area", "not a matter", "not matters", "not a field",
        "not an issue", "not a question", "not something", "not a matter for", "not matters for", "not for",
    ])

    /// What the replier would need to be to answer: "competent", "responsible", "mandated".
    static let remitAdjectives = WordSet([
        "competent", "responsible", "mandated", "empowered", "authorised", "authorized", "qualified",
        // "… a matter for the Department to decide".
        "decide", "advise", "determine", "rule", "judge",
    ])

    // MARK: Competent bodies

    /// Words before a body that make it the competent one: "thuộc thẩm quyền của", "lấy ý kiến".
    static let referralsBefore = PhraseList([
        "thuộc chức năng", "thuộc thẩm quyền", "thuộc trách nhiệm", "thuộc nhiệm vụ", "thuộc lĩnh vực", "thuộc phạm vi",
        "thuộc chức năng nhiệm vụ", "thuộc phạm vi quản lý", "thuộc lĩnh vực quản lý", "thuộc quản lý", "do", "thuộc",
        "mà thuộc",
        "lấy ý kiến", "xin ý kiến", "hỏi ý kiến", "tham khảo ý kiến", "gửi", "chuyển", "giao", "trao đổi với", "liên hệ",
        "liên hệ với", "đề nghị", "là trách nhiệm của", "là nhiệm vụ của", "là thẩm quyền của",
        "fall to", "falls to", "lie with", "rest with", "belong to", "set by", "decided by", "determined by", "regulated by",
        "governed by", "managed by", "suggest that", "propose that", "recommend that", "within the remit of", "within the competence of", "within the mandate of", "within the jurisdiction of",
        "the responsibility of", "the remit of", "the competence of", "the mandate of", "a matter for", "matter for",
        "refer", "refer it to", "refer this to", "refer the matter to", "forward", "forwarded to", "consult", "are for",
        "consulting", "seek the views of", "views of", "ask", "is for", "falls to", "lies with", "rests with",
        "belongs to", "under the remit of", "handled by", "addressed by", "answered by", "responsibility of",
        "settled with", "arranged with", "taken up with", "raised with", "discussed with", "directed to", "làm việc với",
    ])

    /// Words after a body that make it the competent one: "chủ trì", "là cơ quan có thẩm quyền".
    static let referralsAfter = PhraseList([
        "chủ trì", "có thẩm quyền", "là cơ quan", "chịu trách nhiệm", "quản lý nhà nước", "phụ trách", "được giao",
        "is competent", "is responsible", "is in charge", "has competence", "has jurisdiction", "is the competent",
        "are competent", "are responsible", "has the mandate", "is the body", "is the agency", "manages", "administers",
        "oversees", "should be consulted", "should answer", "should comment", "to assess", "to decide", "to handle",
        "to consider", "to review", "to determine", "to answer", "to advise", "to rule on", "to comment",
    ])

    /// Kinds of state body that, with a name after them, name a body: "Bộ Tài chính", "UBND quận X".
    static let bodyKinds = PhraseList([
        "ministry of", "department of", "office of", "general department of", "inspectorate of", "state bank",
        "state treasury", "people s committee of", "directorate of", "bureau of", "agency for", "authority for",
        "committee for",
    ], strict: [
        // Spelt as listed when written with diacritics: "BỔ SUNG" is no "Bộ", "SƠ KẾT" no "Sở".
        "sở", "bộ", "ubnd", "ủy ban nhân dân", "uỷ ban nhân dân", "ủy ban", "uỷ ban", "cục", "chi cục", "tổng cục", "vụ",
        "ban", "văn phòng", "thanh tra", "công an", "kho bạc", "kho bạc nhà nước", "ngân hàng nhà nước",
        "hội đồng nhân dân", "hđnd", "bảo hiểm xã hội", "tòa án", "toà án", "viện kiểm sát", "bộ chỉ huy", "cảnh sát",
        "trung tâm", "đài", "quỹ", "liên đoàn", "hội",
    ])

    /// State bodies whose name alone names one body: "Chính phủ", "Kho bạc Nhà nước", "Thành ủy
    /// Hà Nội", "the State Bank of Vietnam". "Government" needs "the" before it.
    static let uniqueBodies = PhraseList([
        "government", "prime minister", "national assembly", "state bank of vietnam", "state bank of viet nam",
        "state treasury", "state audit office", "government inspectorate", "government office", "city party committee",
        "supreme people s court", "supreme people s procuracy", "city people s council",
    ], strict: [
        "chính phủ", "thủ tướng chính phủ", "thủ tướng", "quốc hội", "ủy ban thường vụ quốc hội", "uỷ ban thường vụ quốc hội",
        "thanh tra chính phủ", "văn phòng chính phủ", "kiểm toán nhà nước", "kho bạc nhà nước", "ngân hàng nhà nước",
        "ngân hàng nhà nước việt nam", "thành ủy", "thành uỷ", "thành ủy hà nội", "thành uỷ hà nội", "tỉnh ủy", "tỉnh uỷ",
        "bảo hiểm xã hội việt nam", "tòa án nhân dân tối cao", "toà án nhân dân tối cao", "viện kiểm sát nhân dân tối cao",
        "hội đồng nhân dân thành phố", "hđnd thành phố",
    ])

    /// Capitalised words that say what kind of body, not which: "the Relevant Authority", "the
    /// Competent Department".
    static let kindAdjectives = WordSet([
        "relevant", "competent", "appropriate", "responsible", "concerned", "other", "respective", "specialised",
        "specialized", "professional", "line", "local", "public", "proper", "designated", "related", "specialist",
        "higher", "superior", "authorised", "authorized", "functional", "sectoral", "managing", "governing",
    ])

    /// Words that end an English body's name: "Cau Giay District People's Committee", "Hanoi Tax Department".
    static let bodyNouns = WordSet([
        "department", "ministry", "committee", "police", "inspectorate", "office", "authority", "agency", "bureau",
        "treasury", "bank", "court", "procuracy", "council", "board", "commission", "directorate", "administration",
    ])

    /// Levels and kinds that may stand between a body's kind and its name: "UBND quận Hoàn Kiếm".
    static let levels = PhraseList([
        "tỉnh", "thành phố", "tp", "quận", "huyện", "thị xã", "phường", "xã", "thị trấn", "khu vực", "nhà nước", "cấp", "nhân dân",
        "district", "ward", "commune", "city", "province", "town",
    ])

    /// Capitalised words that name no particular body, place or thing: the city, the state, kinds
    /// of document. "UBND Thành phố" is a body; "Thành phố" alone is no fact.
    static let genericCapitalized = PhraseList([
        "thành phố", "hà nội", "thủ đô", "việt nam", "nhà nước", "chính phủ", "thủ tướng", "quốc hội", "trung ương",
        "đảng", "thành ủy", "thành uỷ", "ubnd", "hđnd", "ủy ban", "uỷ ban", "nhân dân", "sở", "bộ", "ngành", "ban", "kế hoạch",
        "đề án", "quyết định", "quy chế", "quy định", "nghị quyết", "nghị định", "thông tư", "luật", "chỉ thị", "dự thảo",
        "tờ trình", "chương trình", "công văn", "văn bản", "phụ lục", "điều", "khoản", "điểm", "mục", "chương", "phần",
        "tiết", "đề nghị", "giám", "đốc", "lãnh", "đạo", "city", "hanoi", "ha", "noi", "vietnam", "viet", "nam", "state", "government",
        "people", "s", "committee", "department", "ministry", "plan", "scheme", "decision", "regulation", "regulations",
        "resolution", "decree", "circular", "law", "draft", "article", "clause", "section", "annex", "appendix",
        "chapter", "part", "point", "item", "the", "we", "our", "i", "it", "this", "these", "please", "director",
        "project", "programme", "program", "proposal", "on", "of", "in", "for", "and", "to", "a", "an", "as", "however",
        "as", "with", "from", "by", "at", "department", "table", "page", "figure", "schedule", "council", "party",
        "phương án", "danh mục", "quy hoạch", "báo cáo", "hướng dẫn", "quy trình", "bảng giá", "dự toán", "đề cương",
        "thông báo", "kết luận", "chiến lược", "đề xuất", "nội dung", "việc", "công tác",
    ])
}
