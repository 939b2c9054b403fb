import Foundation

/// What makes a passage specific, or not: the parts of a draft, instruments, changes, reasons,
/// counts, purposes, boilerplate and function words.
extension Lexicon {
    // MARK: Purposes and headings

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
