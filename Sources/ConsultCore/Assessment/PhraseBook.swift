/// The built-in phrase lists of the assessor, Vietnamese and English, already folded
/// (see ``NormalizedText``). A city extends them through `[assessment]` in the config.
public struct PhraseBook: Sendable {
    /// Hedged agreement: "basically agree", "in principle".
    public var hedges: [NormalizedText]
    /// Sending the matter back to the lead instead of taking a position.
    public var deferrals: [NormalizedText]
    /// Saying the matter is outside the replying agency's remit.
    public var remitDisclaimers: [NormalizedText]
    /// Words and phrases that carry no specific content in a comment.
    public var boilerplate: [NormalizedText]
    /// Single function words that never count as content.
    public var functionWords: Set<String>
    /// Words that introduce a reason or a concrete proposal.
    public var markers: [NormalizedText]
    /// Words naming a part of a draft or a legal instrument, followed by its number.
    public var citationWords: [NormalizedText]
    /// Citation words after which a single letter counts as a number ("điểm a", "point b").
    public var letteredCitationWords: Set<String>
    /// Kinds of public body whose naming, followed by a name, identifies a competent agency.
    public var bodyWords: [NormalizedText]
    /// Words that make a named body generic ("các cơ quan khác", "relevant agencies").
    public var genericBodyWords: Set<String>

    public init(extra: ExtraPhrases = ExtraPhrases()) {
        func fold(_ list: [String]) -> [NormalizedText] { list.map(NormalizedText.init).filter { !$0.tokens.isEmpty } }
        hedges = fold(Self.hedgePhrases + extra.vague)
        deferrals = fold(Self.deferralPhrases)
        remitDisclaimers = fold(Self.remitPhrases + extra.deflection)
        boilerplate = fold(Self.boilerplatePhrases).sorted { $0.tokens.count > $1.tokens.count }
        functionWords = Set(Self.functionWordList.flatMap { NormalizedText($0).tokens })
        markers = fold(Self.markerPhrases)
        citationWords = fold(Self.citationPhrases)
        letteredCitationWords = ["diem", "point", "item", "subclause", "clause", "khoan", "tiet", "paragraph"]
        bodyWords = fold(Self.bodyPhrases)
        genericBodyWords = Set(Self.genericWords.flatMap { NormalizedText($0).tokens })
    }

    static let hedgePhrases = [
        "cơ bản", "về cơ bản", "cơ bản nhất trí", "cơ bản thống nhất", "cơ bản đồng ý", "về nguyên tắc",
        "trên nguyên tắc", "nhìn chung", "tạm thời", "tạm đồng ý", "tạm nhất trí", "về đại thể", "đại thể",
        "tương đối thống nhất", "tương đối đồng ý", "chưa có ý kiến", "không có ý kiến gì đặc biệt",
        "in principle", "broadly", "basically", "generally agree", "generally support", "by and large",
        "more or less", "for the most part", "tentatively", "provisionally", "on the whole", "in general",
        "largely agree", "largely support", "no objection in principle", "subject to further review",
        "về mặt nguyên tắc", "mặt nguyên tắc", "essentially", "in essence", "in general terms", "on balance",
        "mostly agree", "mainly agree", "substantially agree",
    ]

    static let deferralPhrases = [
        "cơ quan chủ trì nghiên cứu", "cơ quan chủ trì xem xét", "cơ quan chủ trì cân nhắc",
        "cơ quan chủ trì quyết định", "cơ quan chủ trì tự", "cơ quan chủ trì tiếp tục",
        "cơ quan chủ trì hoàn thiện", "cơ quan chủ trì tiếp thu", "đơn vị chủ trì nghiên cứu",
        "đơn vị chủ trì xem xét", "đơn vị chủ trì quyết định", "đơn vị chủ trì hoàn thiện",
        "đơn vị chủ trì cân nhắc", "gửi lại cơ quan chủ trì", "gửi lại đơn vị chủ trì", "tiếp tục hoàn thiện",
        "nghiên cứu xem xét", "nghiên cứu, xem xét", "xem xét quyết định", "xem xét, quyết định",
        "theo thẩm quyền của cơ quan chủ trì", "cơ quan soạn thảo nghiên cứu", "cơ quan soạn thảo xem xét",
        "lead department should", "lead agency should", "lead department to consider", "lead agency to consider",
        "lead department to decide", "lead agency to decide", "at the discretion of the lead", "as the lead sees fit",
        "for the lead to decide", "we defer to", "leave it to the lead", "leave this to the lead", "the lead should",
        "review and finalise", "review and finalize", "drafting agency should", "drafting department should",
        "tự chịu trách nhiệm", "quyết định theo thẩm quyền", "cơ quan chủ trì tổng hợp, quyết định",
        "đơn vị chủ trì tổng hợp, quyết định", "tùy cơ quan chủ trì", "tuỳ cơ quan chủ trì", "do cơ quan chủ trì quyết định",
        "subject to the lead", "lead agency's judgement", "lead agency's judgment", "lead department's judgement",
        "lead department's judgment", "lead agency's discretion", "lead department's discretion", "own judgement",
        "own judgment", "as it sees fit", "as they see fit", "up to the lead", "it is for the lead", "matter for the lead",
        "we leave it to", "we leave this to", "it is for the", "it is up to the", "is for the lead",
    ]

    static let remitPhrases = [
        "không thuộc thẩm quyền", "không thuộc chức năng", "không thuộc lĩnh vực", "không thuộc phạm vi",
        "không thuộc nhiệm vụ", "không thuộc trách nhiệm", "ngoài thẩm quyền", "ngoài chức năng",
        "ngoài phạm vi quản lý", "ngoài lĩnh vực", "không phải là cơ quan có thẩm quyền",
        "không có thẩm quyền", "không thuộc chức năng nhiệm vụ",
        "outside our remit", "outside our competence", "outside our mandate", "outside our jurisdiction",
        "outside the remit", "outside the competence", "beyond our remit", "beyond our competence",
        "not within our remit", "not within our competence", "not within our mandate", "not our responsibility",
        "not our competence", "not our remit", "does not fall within", "falls outside", "not in our remit",
        "we have no competence", "we are not competent", "not competent to",
    ]

    static let boilerplatePhrases = [
        "đề nghị", "kiến nghị", "cơ quan chủ trì", "đơn vị chủ trì", "cơ quan soạn thảo", "nghiên cứu", "xem xét",
        "hoàn thiện", "rà soát", "chỉnh sửa", "bổ sung", "sửa đổi", "cho phù hợp", "phù hợp", "theo quy định",
        "quy định", "dự thảo", "nội dung", "văn bản", "tiếp thu", "giải trình", "thống nhất", "nhất trí", "đồng ý",
        "ý kiến", "góp ý", "cơ bản", "đảm bảo", "bảo đảm", "khả thi", "chặt chẽ", "pháp luật", "hiện hành",
        "liên quan", "có liên quan", "cụ thể", "chi tiết", "tiếp tục", "thực hiện", "đề án", "kế hoạch", "dự án",
        "báo cáo", "sở", "ngành", "tham mưu", "trình", "cấp có thẩm quyền", "thẩm quyền", "chất lượng", "tính",
        "hợp lý", "đúng", "đầy đủ", "rõ ràng", "thống nhất chung", "các nội dung", "cân nhắc", "nghiêm túc",
        "lĩnh vực", "quản lý", "đơn vị", "cơ quan", "lấy ý kiến", "khác", "gửi lại", "đã nhận", "nhận được",
        "chức năng", "nhiệm vụ", "vấn đề", "quan tâm", "phối hợp",
        "the lead department", "the lead agency", "lead", "department", "agency", "review", "finalise", "finalize",
        "the text", "text", "draft", "as appropriate", "appropriate", "accordingly", "in accordance with",
        "regulations", "regulation", "relevant", "consider", "further", "improve", "complete", "revise", "amend",
        "supplement", "comments", "comment", "content", "contents", "provisions", "ensure", "consistency",
        "feasibility", "necessary", "needed", "study", "suggest", "propose", "recommend", "please", "kindly",
        "agree", "agrees", "support", "supports", "document", "proposal", "plan", "project", "legal", "current",
        "applicable", "law", "laws", "quality", "details", "detail", "overall", "properly", "carefully",
    ]

    static let functionWordList = [
        "cho", "theo", "về", "với", "các", "những", "một", "và", "hoặc", "của", "là", "để", "được", "đã", "sẽ",
        "cần", "nên", "phải", "tại", "trong", "trên", "này", "đó", "thì", "mà", "khi", "nếu", "chúng", "tôi", "lại",
        "thêm", "như", "sau", "toàn", "bộ", "việc", "có", "không", "chưa", "rất", "hơn", "nữa", "đang", "vào",
        "ra", "lên", "từ", "đến", "cũng", "đều", "ấy", "gì", "nào", "cách", "thế", "vì", "do", "bởi", "nhằm",
        "the", "a", "an", "and", "or", "of", "to", "in", "on", "for", "with", "as", "be", "is", "are", "was",
        "were", "it", "its", "this", "that", "these", "those", "we", "our", "us", "should", "would", "could",
        "may", "might", "must", "shall", "will", "can", "by", "at", "from", "into", "than", "then", "so",
        "also", "all", "any", "some", "more", "such", "there", "their", "they", "which", "who", "been", "being",
        "has", "have", "had", "do", "does", "not", "no", "if", "but", "because", "since", "therefore",
    ]

    static let markerPhrases = [
        "vì", "do", "bởi vì", "lý do", "lí do", "trái với", "không phù hợp với", "mâu thuẫn", "chồng chéo",
        "thay", "thay thế", "bỏ", "tách", "gộp", "giảm", "tăng", "điều chỉnh", "lùi", "rút ngắn", "kéo dài",
        "chuyển", "giữ nguyên", "nên", "cần", "thiếu", "chưa khớp", "không khớp", "sai",
        "because", "since", "due to", "contrary to", "inconsistent with", "conflicts with", "would", "should",
        "replace", "remove", "delete", "add", "insert", "split", "merge", "reduce", "increase", "change",
        "keep", "instead", "rather than", "must", "missing", "lacks", "exceeds", "object", "oppose",
    ]

    static let citationPhrases = [
        "điều", "khoản", "điểm", "mục", "chương", "phần", "tiết", "phụ lục", "bảng", "biểu", "biểu mẫu", "hình",
        "trang", "luật", "nghị định", "thông tư", "quyết định", "nghị quyết", "chỉ thị",
        "article", "art", "clause", "subclause", "section", "sec", "paragraph", "para", "item", "chapter", "annex",
        "appendix", "schedule", "table", "figure", "fig", "page", "point", "part", "row", "law", "decree",
        "circular", "decision", "resolution",
    ]

    static let bodyPhrases = [
        "sở", "bộ", "ban", "ubnd", "ủy ban", "uỷ ban", "cục", "chi cục", "tổng cục", "văn phòng", "thanh tra",
        "công an", "kho bạc", "ngân hàng nhà nước", "hội đồng", "trung tâm",
        "department of", "ministry of", "office of", "committee", "inspectorate", "bureau of", "agency for",
        "authority",
    ]

    static let genericWords = [
        "khác", "liên quan", "có liên quan", "chức năng", "các", "này", "đó", "đơn vị", "cơ quan", "nào",
        "other", "others", "relevant", "competent", "appropriate", "concerned", "responsible", "another",
        // Kinds of body and level without a name: "cơ quan có thẩm quyền", "the competent authority".
        "thẩm quyền", "chuyên môn", "cấp", "cấp trên", "sở", "ngành", "ban", "bộ", "ubnd", "ủy ban", "uỷ ban",
        "authority", "authorities", "agency", "agencies", "body", "bodies", "department", "departments",
        "ministry", "ministries", "office", "offices", "unit", "units", "organisation", "organization",
        "higher", "level", "superior",
    ]
}
