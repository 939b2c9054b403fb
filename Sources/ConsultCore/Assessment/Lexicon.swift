import Foundation

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

    /// Words that introduce a request to the lead: "đề nghị", "tùy", "please", "asks".
    static let requestLeads = PhraseList([
        "đề nghị", "kiến nghị", "tùy", "tuỳ", "do", "để", "giao", "xin", "mong", "ask", "asks", "request", "requests",
        "invite", "invites", "leave", "leaves", "for", "urge", "urges", "recommend", "recommends", "suggest", "suggests",
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

    /// Words that open a statement of purpose ("bảo đảm hài hòa lợi ích …", "góp phần giảm ùn
    /// tắc …", "to ensure …"): the goals a reply names are no proposal, whatever they name.
    static let purposes = PhraseList([
        "bảo đảm", "đảm bảo", "góp phần", "nhằm", "khuyến khích", "hướng tới", "hướng đến", "tạo điều kiện", "phù hợp với",
        "gắn với", "gắn kết với", "đáp ứng", "tăng cường", "nâng cao", "để bảo đảm", "để đảm bảo", "nhằm bảo đảm",
        "to ensure", "ensuring", "so as to", "in order to", "with a view to", "contributing to", "helping to",
        "to promote", "promoting", "in line with", "consistent with", "so that", "to improve", "to strengthen",
        "to enhance", "to encourage", "encouraging",
    ])

    /// What opens the specifics after a purpose: "cụ thể", "theo đó", "specifically", "namely".
    static let specifics = PhraseList([
        "cụ thể", "cụ thể là", "theo đó", "tức là", "đề nghị", "kiến nghị", "specifically", "namely", "in particular",
        "that is", "i e", "we propose", "we suggest", "we recommend", "please",
    ])

    /// What opens a heading of a point: "Về …:", "Đối với …,", "Regarding …,".
    static let topics = PhraseList([
        "về", "đối với", "riêng", "riêng đối với", "regarding", "as regards", "as for", "with regard to", "concerning",
        "in respect of", "with respect to", "on",
    ])

    /// The draft as the subject or object of a sentence: "dự thảo", "the draft".
    static let draftSubjects = PhraseList([
        "dự thảo", "toàn bộ dự thảo", "nội dung dự thảo", "toàn bộ nội dung dự thảo", "các nội dung của dự thảo",
        "the draft", "draft", "the whole draft", "the draft as a whole", "văn bản", "hồ sơ dự thảo",
    ])

    // MARK: Spelling

    /// Marker words whose folded form is also another word: "bỏ" (remove) folds like "bổ" (of
    /// "bổ sung"), "giảm" (reduce) like "giám" (of "giám đốc"), "vì" (because) like "vi" (of "vi
    /// phạm"). Written with diacritics, such a word must be spelt as meant; typed without any, it
    /// is taken at its word.
    static let spellings: [String: Set<String>] = [
        "bo": ["bỏ"], "chuyen": ["chuyển"], "ha": ["hạ"], "tang": ["tăng"], "giu": ["giữ"], "thay": ["thay"],
        "nang": ["nâng"], "lui": ["lùi"], "tach": ["tách"], "gop": ["gộp"], "rut": ["rút"], "giam": ["giảm"],
        "them": ["thêm"], "giao": ["giao"], "mien": ["miễn"], "loai": ["loại"], "sai": ["sai"], "vi": ["vì"], "do": ["do"],
        "nen": ["nên"], "boi": ["bởi"], "gay": ["gây"], "trai": ["trái"], "nham": ["nhằm"], "chua": ["chưa"],
        "thieu": ["thiếu"], "vuot": ["vượt"], "can": ["cần"], "phai": ["phải"], "nhap": ["nhập"], "ghep": ["ghép"],
        "xin": ["xin"], "mong": ["mong"], "de": ["để"],
    ]

    /// Compounds that hold a marker's word without its sense: "tăng cường" (strengthen) is no
    /// "tăng" (increase), "giao thông" (traffic) no "giao" (assign), "chế độ" no "do" (because).
    static let compounds = PhraseList([
        "tăng cường", "tăng trưởng", "hạ tầng", "giao thông", "giao dịch", "giao lưu", "giao tiếp", "bàn giao",
        "chuyển giao", "giữ gìn", "loại hình", "phân loại", "các loại", "nhập khẩu", "thu nhập", "nhập học", "chuyển đổi",
        "chế độ", "mức độ", "trình độ", "tiến độ", "thái độ", "độ", "do đó", "thủ đô", "nên tảng", "giao thông vận tải",
        "được giao", "đã giao", "phạm vi điều chỉnh", "điều chuyển", "vận chuyển", "chuyển giao", "giao nhận",
        "chữa cháy", "phòng cháy chữa cháy", "chữa bệnh", "sửa chữa", "trông giữ", "giữ xe", "trông giữ xe", "giữ gìn",
        "bổ sung", "bổ xung", "bổ nhiệm", "phân bổ", "giám đốc", "giám sát", "vi phạm", "phạm vi", "đơn vị", "vị trí",
        "thẩm định", "giáo dục", "thay đổi", "thay mặt", "to do", "do not", "does not",
    ])

    /// Whether a one-word marker at `i` is the word meant, not another that folds like it.
    static func spelledAsMeant(_ words: Words, _ i: Int) -> Bool {
        guard let accepted = spellings[words[i].folded] else { return true }
        let original = words.text[words[i].range].precomposedStringWithCanonicalMapping.lowercased()
        return original == words[i].folded || accepted.contains(original)
    }

    /// The occurrences of a list's phrases, one-word markers spelt as meant.
    static func markers(_ list: PhraseList, in words: Words, _ range: Range<Int>, compounds known: [Range<Int>]? = nil) -> [Range<Int>] {
        let inCompounds = known ?? compounds.all(in: words, range)
        return list.all(in: words, range).filter { r in
            (r.count > 1 || spelledAsMeant(words, r.lowerBound))
                && !inCompounds.contains { $0.lowerBound <= r.lowerBound && r.upperBound <= $0.upperBound && $0 != r }
        }
    }

    // MARK: Substance

    /// Parts of a draft, cited with a number or a letter: "Điều 5", "khoản 2", "Mục IV.1", "Article 9(3)".
    static let draftParts = PhraseList([
        "điều", "khoản", "điểm", "mục", "chương", "phần", "tiết", "phụ lục", "bảng", "biểu", "biểu mẫu", "mẫu", "hình",
        "trang", "dòng", "cột", "tiêu chí", "nhiệm vụ số", "công trình số", "dự án số", "mẫu số", "biểu số", "stt",
        "article", "art", "arts", "clause", "clauses", "subclause", "sub clause", "section", "sec", "paragraph",
        "paragraphs", "para", "item", "items", "chapter", "annex", "appendix", "schedule", "table", "figure", "fig", "page",
        "point", "part", "row", "column", "line", "target", "task", "form", "heading", "subsection", "indicator",
        "articles", "sections", "subsections", "annexes", "appendices", "chapters", "points", "parts", "tables", "pages",
        "schedules", "rows", "columns", "forms", "tasks", "targets", "indicators",
    ])

    /// Kinds of legal instrument, cited with a number or a name: "Nghị định số 15/2021/NĐ-CP", "Luật Đất đai".
    static let instruments = PhraseList([
        "luật", "bộ luật", "nghị định", "thông tư", "thông tư liên tịch", "quyết định", "nghị quyết", "chỉ thị", "pháp lệnh",
        "hiến pháp", "kế hoạch", "công điện", "quy chuẩn", "tiêu chuẩn", "qcvn", "tcvn", "law", "decree", "circular",
        "decision", "resolution", "directive", "ordinance", "code", "standard", "regulation", "constitution",
        "joint circular",
    ])

    /// Letters and other correspondence: a reference to one is never substance.
    static let letters = PhraseList([
        "công văn", "văn bản", "tờ trình", "thông báo", "giấy mời", "phiếu chuyển", "phiếu trình", "thư", "letter",
        "official letter", "your letter", "dispatch", "note", "memo", "công điện", "vb", "cv", "vb đến", "cv đến",
        "văn bản đến", "công văn đến", "ref", "reference", "our ref", "your ref",
    ])

    /// Nouns that make a number a count of items rather than a fact: "03 nội dung", "three points".
    static let countNouns = PhraseList([
        "nội dung", "vấn đề", "ý kiến", "kiến nghị", "góp ý", "điểm", "chỗ", "lỗi", "nhóm", "trường hợp", "khía cạnh",
        "issues", "issue", "points", "items", "matters", "matter", "comments", "concerns", "questions", "aspects",
        "provisions", "observations", "remarks", "areas", "places", "errors", "changes", "suggestions",
        "thủ tục", "thủ tục hành chính", "chỉ tiêu", "tiêu chí", "nhiệm vụ", "giải pháp", "nhóm giải pháp", "điều khoản",
        "văn bản", "quy định", "hạng mục", "procedures", "indicators", "criteria", "tasks", "measures", "articles",
        "clauses", "sections", "annexes", "forms", "targets", "phần", "chương", "mục", "điều", "khoản", "phụ lục", "biểu",
        "biểu mẫu", "mẫu", "nhóm", "nhóm nhiệm vụ", "bước", "loại", "hệ số", "định mức", "trụ cột", "chương trình", "đề án",
        "parts", "chapters", "points", "appendices", "groups", "steps", "types", "coefficients", "norms", "pillars",
        "solutions", "objectives", "components", "programmes", "programs", "rows", "tables", "annex", "items",
    ])

    /// Words that, after a number, make it a date's part or a year's: not a count.
    static let months = WordSet([
        "tháng", "quý", "january", "february", "march", "april", "may", "june", "july", "august", "september",
        "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
        "nov", "dec", "quarter",
    ])

    /// Words before a bare year that make it a proposed date: "đến năm 2027", "until 2030".
    static let yearPrepositions = WordSet([
        "đến", "từ", "trước", "sau", "kể", "tới", "hết", "until", "by", "from", "before", "after", "till", "since",
    ])

    /// Changes proposed in one word: "bỏ", "thay", "tách", "replace", "remove".
    static let changes = PhraseList([
        "bỏ", "bãi bỏ", "loại bỏ", "loại", "thay", "thay thế", "thay cho", "thay bằng", "sửa thành", "sửa lại thành",
        "điều chỉnh thành", "điều chỉnh xuống", "điều chỉnh lên", "tách", "tách riêng", "gộp", "ghép", "nhập", "giảm", "tăng",
        "hạ", "nâng", "lùi", "rút ngắn", "kéo dài", "chuyển", "chuyển sang", "giữ nguyên", "giữ", "thêm", "giao", "miễn",
        "không áp dụng", "bổ sung vào", "rút",
        "replace", "replaced", "remove", "removed", "delete", "deleted", "drop", "add", "insert", "move", "reduce",
        "increase", "cap", "split", "merge", "extend", "shorten", "postpone", "bring forward", "keep",
        "retain", "exempt", "assign", "transfer", "exclude", "include", "limit", "restore",
        "abolish", "scrap", "defer", "separate", "combine", "change", "amend to", "reword",
    ], strict: ["đưa vào", "đưa ra khỏi"])

    /// Words that give a reason: "vì", "do", "because", "contrary to".
    static let reasons = PhraseList([
        "vì", "bởi vì", "bởi", "do", "lý do", "lí do", "vì vậy", "trái với", "trái", "mâu thuẫn", "chồng chéo", "dẫn đến",
        "gây", "làm tăng", "làm giảm", "để tránh", "căn cứ", "because", "since", "due to", "given that",
        "as it", "as this", "as they", "contrary to", "contradicts", "conflicts with", "inconsistent with",
        "in breach of", "otherwise",
    ])

    /// Criticism of the draft: what it lacks or gets wrong.
    static let critiques = PhraseList([
        "chưa", "thiếu", "không có", "không quy định", "không phù hợp", "chưa phù hợp", "bất cập", "vướng mắc", "sai",
        "không đúng", "không khớp", "chưa khớp", "không thống nhất giữa", "vượt", "lacks", "lack", "missing", "omits",
        "fails to", "does not", "do not", "is not", "are not", "unclear", "inconsistent", "insufficient", "inadequate",
        "exceeds", "wrong", "incorrect", "duplicates", "overlaps",
    ])

    /// Asking for something: "đề nghị", "cần", "should", "please".
    static let requests = PhraseList([
        "đề nghị", "kiến nghị", "đề xuất", "cần", "nên", "phải", "yêu cầu", "should", "please", "suggest",
        "suggests", "propose", "proposes", "recommend", "recommends", "request", "requests", "ask", "asks", "need",
        "needs", "must", "would like", "urge", "urges", "invite", "invites",
    ])

    /// Verbs of administrative review: asking only for these asks for nothing specific.
    static let reviewVerbs = PhraseList([
        "rà soát", "xem xét", "nghiên cứu", "cân nhắc", "làm rõ", "bảo đảm", "đảm bảo", "hoàn thiện", "tính toán", "đánh giá",
        "tiếp thu", "kiểm tra", "cập nhật", "chuẩn hóa", "chuẩn hoá", "quan tâm", "review", "ensure", "update", "clarify", "consider", "improve", "complete", "finalise", "finalize",
        "check", "reassess", "re examine", "reexamine", "examine", "reconsider", "look again", "reviewed", "revised",
        "checked", "updated", "rearranged", "adjusted", "supplemented", "considered", "clarified", "examined",
        "improved", "completed", "finalised", "finalized", "re examined", "reconsidered", "streamlined",
    ])

    /// Verbs that propose a change when something specific follows them ("bổ sung nguồn vốn
    /// ngân sách thành phố …") and nothing when boilerplate does ("bổ sung cho phù hợp").
    static let softChanges = PhraseList([
        "bổ sung", "bổ xung", "sửa", "sửa đổi", "chỉnh sửa", "điều chỉnh", "quy định", "quy định rõ", "nêu rõ", "xác định rõ",
        "làm rõ", "thêm", "ghi rõ", "supplement", "amend", "revise", "specify", "state", "adjust", "provide for",
    ])

    /// Words that carry no specific content in administrative correspondence: the vocabulary
    /// of boilerplate ("rà soát, bổ sung cho phù hợp", "bảo đảm tính khả thi, đồng bộ",
    /// "review and ensure consistency with current regulations").
    static let boilerplate = PhraseList([
        "đề nghị", "kiến nghị", "đề xuất", "cơ quan chủ trì", "đơn vị chủ trì", "cơ quan soạn thảo", "nghiên cứu", "xem xét",
        "hoàn thiện", "hoàn chỉnh", "rà soát", "rà soát lại", "chỉnh sửa", "điều chỉnh", "bổ sung", "bổ xung", "sửa đổi", "cho phù hợp",
        "phù hợp", "theo quy định", "quy định", "dự thảo", "nội dung", "văn bản", "tiếp thu", "giải trình", "thống nhất",
        "nhất trí", "đồng ý", "ý kiến", "góp ý", "cơ bản", "đảm bảo", "bảo đảm", "khả thi", "tính khả thi", "chặt chẽ",
        "pháp luật", "hiện hành", "liên quan", "có liên quan", "cụ thể", "chi tiết", "tiếp tục", "thực hiện",
        "tổ chức thực hiện", "đề án", "kế hoạch", "dự án", "báo cáo", "sở", "ngành", "tham mưu", "trình", "cấp có thẩm quyền",
        "thẩm quyền", "chất lượng", "tính", "hợp lý", "đúng", "đầy đủ", "rõ ràng", "rõ", "các nội dung", "cân nhắc",
        "nghiêm túc", "lĩnh vực", "quản lý", "đơn vị", "cơ quan", "lấy ý kiến", "khác", "gửi lại", "đã nhận", "nhận được",
        "chức năng", "nhiệm vụ", "vấn đề", "quan tâm", "phối hợp", "làm rõ", "làm rõ hơn", "sự cần thiết", "cần thiết",
        "cơ sở", "cơ sở pháp lý", "cơ sở chính trị", "cơ sở thực tiễn", "chính trị", "pháp lý", "thực tiễn", "thực tế",
        "tình hình", "đồng bộ", "thống nhất đồng bộ", "hiệu quả", "hiệu lực", "khoa học", "minh bạch", "công khai",
        "toàn diện", "tổng thể", "đúng quy định", "trách nhiệm", "các cơ quan", "các đơn vị", "các sở", "sở ngành",
        "tổng hợp", "tính toán", "hài hòa", "hài hoà", "lợi ích", "người dân", "doanh nghiệp", "xã hội", "nhân dân",
        "nhà nước", "tình hình thực tế", "điều kiện", "thực tiễn địa phương", "địa phương", "địa bàn", "trên địa bàn",
        "thành phố", "hà nội", "chủ trương", "định hướng", "chỉ đạo", "yêu cầu", "mục tiêu", "giải pháp", "nhiệm vụ giải pháp",
        "tổ chức", "triển khai", "áp dụng", "ban hành", "hướng dẫn", "văn bản quy phạm pháp luật", "quy phạm",
        "trình tự", "thủ tục", "hồ sơ", "đánh giá", "tác động", "rủi ro", "tham khảo", "kinh nghiệm", "cân đối", "bố trí",
        "nguồn lực", "kinh phí", "nguồn kinh phí", "ngân sách", "tài chính", "đầu tư", "phát triển", "bền vững", "chung",
        "thống nhất chung", "nêu", "nêu rõ", "xác định", "xác định rõ", "phân định", "quy định rõ", "làm cơ sở", "căn cứ",
        "đánh giá kỹ", "kỹ", "kỹ lưỡng", "kỹ hơn", "thêm", "thêm nữa", "hơn nữa", "mức độ", "phạm vi", "đối tượng",
        "tiến độ", "thời gian", "thời hạn", "lộ trình", "cấp", "các cấp", "ngành", "chức năng nhiệm vụ", "năng lực",
        "bổ nhiệm", "phân bổ", "bổ trợ", "bổ ích", "chuyển đổi", "chuyển đổi số", "đổi mới sáng tạo", "khoa học công nghệ",
        "trở thành", "quyết tâm", "thủ đô", "cả nước", "hàng đầu", "thể hiện", "revision", "revisions", "need", "body", "the body",
        "quan điểm", "quan điểm chỉ đạo", "chiến lược", "xu thế", "sâu sắc", "làm sâu sắc", "kịp thời", "tháo gỡ", "khó khăn",
        "vướng mắc", "phát sinh", "quá trình", "sơ kết", "tổng kết", "thực sự", "khuyến khích", "góp phần", "hình thức",
        "hiện nay", "trong hình thức hiện nay", "toàn diện", "đồng bộ", "hợp lý", "hài hòa", "thiết thực", "linh hoạt",
        "phù hợp hơn", "rõ hơn", "cụ thể hơn", "chặt chẽ hơn", "kỹ lưỡng", "thấu đáo", "sâu", "rộng", "rộng rãi", "đầy đủ",
        "quyết liệt", "hiệu quả hơn", "thực chất", "bài bản", "khoa học", "dài hạn", "ngắn hạn", "trung hạn", "tổng quát",
        "nội dung cốt lõi", "cốt lõi", "trọng tâm", "trọng điểm", "ưu tiên", "lợi ích", "hài hòa lợi ích", "tổng thể",
        "objectives", "objective", "pursued", "understandable", "stands", "as it stands", "sufficiently", "assessed",
        "framework", "suitability", "suitable", "benefit", "broader", "consultation", "taken forward", "forward",
        "approach", "aims", "aim", "goal", "principles", "principle", "spirit", "direction", "orientation", "vision",
        "comprehensive", "holistic", "strategic", "strategy", "long term", "sustainable development", "stakeholder",
        "file đính kèm", "đính kèm", "kèm theo", "phiếu góp ý", "attachment", "attached", "enclosed", "annexed",
        "departments", "ministries", "agencies", "committees", "exchange of views", "views", "currently", "drafted",
        "as currently drafted", "welcome", "unable", "thay đổi", "có nhiều thay đổi", "giảm bớt", "bớt", "yếu tố", "yếu tố quyết định", "không cần thiết", "mang tính hình thức",
        "kết quả", "như mong muốn", "mong muốn", "cho thấy", "trước đây", "đạt", "sắp xếp", "tổ chức bộ máy", "bộ máy",
        "tinh gọn", "theo hướng", "nhân lực", "nguồn nhân lực", "khả năng", "cân đối ngân sách", "khả năng cân đối",
        "tác động trực tiếp", "trực tiếp", "biểu mẫu", "tình hình thực tế", "điều kiện thực tế", "thực tế địa phương",
        "adjust", "adjusted", "adjusting", "rearranged", "rearrange", "actual", "conditions", "sector", "changed", "changes", "changing", "significantly",
        "prepared", "circumstances", "developments", "rapidly", "situation", "current situation", "deems", "deem",
        "accordingly", "various", "factors", "results", "expected", "previous", "past", "unnecessary", "formalities",
        "chuẩn hóa", "chuẩn hoá", "số liệu", "thông tin", "phạm vi điều chỉnh", "dữ liệu",
        "tăng cường", "nâng cao", "đẩy mạnh", "kiểm tra", "giám sát", "chế độ", "chế độ thông tin", "định kỳ", "đột xuất",
        "đột phá", "xu hướng", "phát triển xanh", "nhận thức", "cộng đồng", "an ninh trật tự", "trật tự", "an toàn",
        "kinh tế xã hội", "kinh tế", "môi trường", "bảo vệ môi trường", "hài hòa giữa", "thất thoát", "lãng phí", "mục đích",
        "đúng mục đích", "nhu cầu", "nhu cầu thực tế", "trực thuộc", "lực lượng", "công tác phối hợp", "chính quyền",
        "người lao động", "viên chức", "công chức", "cán bộ công chức", "đội ngũ", "sử dụng", "quản lý sử dụng",
        "sát", "sát với", "đáp ứng", "giai đoạn", "giai đoạn hiện nay", "hiện nay", "yêu cầu quản lý", "chuyên môn",
        "trùng lặp", "hợp hiến", "hợp pháp", "tính hợp hiến", "tính hợp pháp", "hệ thống pháp luật", "hệ thống", "đặc thù",
        "mang tính", "tên gọi", "bố cục", "phân công", "tránh", "văn bản pháp luật", "cập nhật", "đầy đủ hơn",
        "mạch lạc", "ngắn gọn", "súc tích", "câu chữ", "từ ngữ", "thể thức", "kỹ thuật trình bày", "lỗi chính tả",
        "chính tả", "trình bày", "diễn đạt", "văn phong", "phương án", "chính sách", "cơ chế", "quy trình", "hoạt động",
        "công tác", "lãnh đạo", "điều hành", "thẩm định", "phê duyệt", "sự", "sự phù hợp", "cao", "tốt", "hơn",
        "the lead department", "the lead agency", "lead", "department", "agency", "review", "finalise", "finalize", "the text",
        "text", "draft", "as appropriate", "appropriate", "accordingly", "in accordance with", "regulations", "regulation",
        "relevant", "consider", "further", "improve", "complete", "revise", "amend", "supplement", "comments", "comment",
        "content", "contents", "provisions", "provision", "ensure", "consistency", "consistent", "feasibility",
        "feasible", "necessary", "needed", "study", "suggest", "propose", "recommend", "please", "kindly", "agree",
        "agrees", "support", "supports", "document", "documents", "proposal", "plan", "project", "legal", "current",
        "applicable", "law", "laws", "quality", "details", "detail", "overall", "properly", "carefully", "thoroughly",
        "practical", "practice", "reality", "realities", "basis", "sound", "clear", "clearer", "clarity", "clarify",
        "comprehensive", "coherent", "coherence", "effective", "effectiveness", "efficiency", "efficient",
        "implementation", "implement", "form", "current form", "its current form", "issues", "issue", "points", "matters",
        "aspects", "some", "several", "various", "certain", "work", "more", "additional", "better", "good", "well",
        "make", "made", "take", "taken", "account", "into account", "views", "view", "opinion", "opinions",
        "stakeholders", "people", "citizens", "businesses", "interest", "interests", "balance", "balanced", "harmonise",
        "harmonize", "harmonious", "compliance", "comply", "conform", "conformity", "in line with", "line", "local",
        "conditions", "situation", "situations", "policy", "policies", "mechanism", "approach", "measures", "solutions",
        "objectives", "goals", "requirements", "guidance", "procedures", "procedure", "order", "timeline", "schedule",
        "concerned", "responsible", "responsibilities", "bodies", "authorities", "competent", "level", "levels",
        "assessment", "assess", "impact", "impacts", "risk", "risks", "resources", "budget", "funding", "finance",
        "financial", "development", "sustainable", "general", "wording", "drafting", "language", "formatting", "typos",
        "errors", "technical", "presentation", "structure", "sections", "parts", "city", "hanoi", "state", "public",
        "related", "relating", "regarding", "respect", "terms", "matter", "reflect", "address", "sufficient", "adequate",
        "fully", "further review", "reviewed", "revised", "studied", "considered", "studying", "reviewing", "points raised",
        "raised", "reference", "check", "checked", "examine", "examined", "evaluate", "evaluation", "analysis", "analyse",
        "analyze", "practicality", "workable", "realistic", "reasonable", "rationale", "justification", "justify",
        "explain", "explanation", "explanations", "elaborate", "specify", "specific", "specifically", "clearly",
        "precise", "precisely", "accurate", "accurately", "appropriately", "adequately", "unified", "uniform",
    ])

    /// Words that never carry content on their own.
    static let functionWords = WordSet([
        "cho", "theo", "về", "với", "các", "những", "một", "và", "hoặc", "của", "là", "để", "được", "đã", "sẽ", "cần", "nên",
        "phải", "tại", "trong", "trên", "này", "đó", "thì", "mà", "khi", "nếu", "chúng", "tôi", "lại", "thêm", "như", "sau",
        "toàn", "bộ", "việc", "có", "không", "chưa", "rất", "hơn", "nữa", "đang", "vào", "ra", "lên", "từ", "đến", "cũng",
        "đều", "ấy", "gì", "nào", "cách", "thế", "vì", "do", "bởi", "nhằm", "còn", "chỉ", "vẫn", "hay", "nhưng", "song",
        "tuy", "nhiên", "riêng", "đối", "ngoài", "ra", "nhiều", "ít", "mỗi", "từng", "mọi", "số", "hai", "ba", "bốn", "năm",
        "các", "nay", "hiện", "đây", "kia", "vậy", "thì", "sự", "bị", "tới", "trước", "giữa", "dưới", "qua", "cùng", "đồng",
        "thời", "đồng thời", "nhất", "như sau", "sau đây", "gồm", "bao", "gồm", "là", "tức", "mình", "ta", "họ", "nó", "ở",
        "rằng", "hết", "luôn", "đi", "xin", "kính", "thưa", "quý", "vị", "ông", "bà", "anh", "chị", "đ", "c", "v", "tp",
        "the", "a", "an", "and", "or", "of", "to", "in", "on", "for", "with", "as", "be", "is", "are", "was", "were", "it",
        "its", "this", "that", "these", "those", "we", "our", "us", "should", "would", "could", "may", "might", "must",
        "shall", "will", "can", "by", "at", "from", "into", "than", "then", "so", "also", "all", "any", "some", "more",
        "such", "there", "their", "they", "which", "who", "been", "being", "has", "have", "had", "do", "does", "not", "no",
        "if", "but", "because", "since", "therefore", "s", "t", "i", "you", "your", "he", "she", "them", "what", "when",
        "where", "how", "only", "still", "about", "between", "within", "under", "over", "after", "before", "up", "out",
        "one", "two", "three", "four", "five", "each", "every", "other", "both", "either", "neither", "very", "much",
        "many", "most", "less", "least", "own", "same", "just", "even", "however", "while", "whether", "here", "per",
        "via", "upon", "thus", "hence", "yet", "already", "now", "again", "regard", "re", "mr", "ms", "mrs", "whose",
        "whom", "vi", "nhu",
    ])
}
