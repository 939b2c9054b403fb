/// The built-in phrase lists of the assessor, Vietnamese and English, folded as ``Words`` folds
/// them (so a phrase matches written with or without diacritics). A city extends the hedges and
/// the disclaimers through `[assessment]` in the config (``ExtraPhrases``).
///
/// The lists name kinds of words — hedges, deferrals, the boilerplate of administrative
/// correspondence, citations, units — not sentences of any corpus.
public struct PhraseBook: Sendable {
    /// Hedged agreement: "về cơ bản", "nhìn chung", "in principle".
    public let hedges: PhraseList
    /// Phrases that hand the decision back to the lead by themselves.
    public let deferrals: PhraseList
    /// Phrases that disclaim the replier's remit by themselves (besides the structural ones).
    public let disclaimers: PhraseList

    public init(extra: ExtraPhrases = ExtraPhrases()) {
        hedges = PhraseList(Self.hedgePhrases + extra.vague)
        deferrals = PhraseList(Self.deferralPhrases)
        disclaimers = PhraseList(Self.disclaimerPhrases + extra.deflection)
    }

    static let hedgePhrases = [
        "về cơ bản", "cơ bản thống nhất", "cơ bản nhất trí", "cơ bản đồng ý", "cơ bản đồng tình", "cơ bản tán thành",
        "cơ bản phù hợp", "cơ bản đã", "về nguyên tắc", "trên nguyên tắc", "về mặt nguyên tắc", "nguyên tắc thống nhất",
        "nguyên tắc đồng ý", "nhìn chung", "nói chung", "về đại thể", "đại thể", "tương đối thống nhất", "tương đối đồng ý",
        "tương đối phù hợp", "tạm thống nhất", "tạm đồng ý", "tạm nhất trí", "tạm thời thống nhất", "tạm thời đồng ý",
        "tạm thời nhất trí", "thống nhất về chủ trương", "thống nhất chủ trương", "đồng ý về chủ trương", "đồng ý chủ trương",
        "nhất trí về chủ trương", "nhất trí chủ trương", "thống nhất về mặt chủ trương", "chưa có ý kiến",
        "không có ý kiến gì đặc biệt", "thống nhất một phần", "đồng ý một phần", "về tổng thể",
        "in principle", "broadly", "basically", "generally agree", "generally agrees", "generally support",
        "generally supports", "generally supportive", "generally speaking", "generally in favour", "generally in favor",
        "by and large", "more or less", "for the most part", "tentatively", "provisionally", "on the whole",
        "in general", "largely agree", "largely agrees", "largely support", "largely supports", "mostly agree",
        "mainly agree", "substantially agree", "essentially", "in essence", "on balance", "in general terms",
        "overall we agree", "overall we support", "in broad terms", "agree in part", "partly agree", "partially agree",
    ]

    static let deferralPhrases = [
        "nghiên cứu xem xét", "xem xét quyết định", "xem xét giải quyết", "gửi lại cơ quan chủ trì", "gửi lại đơn vị chủ trì",
        "tự chịu trách nhiệm", "quyết định theo thẩm quyền", "theo thẩm quyền của cơ quan chủ trì", "tùy cơ quan chủ trì",
        "tuỳ cơ quan chủ trì", "tùy đơn vị chủ trì", "tuỳ đơn vị chủ trì", "do cơ quan chủ trì quyết định",
        "cơ quan chủ trì tổng hợp quyết định", "đơn vị chủ trì tổng hợp quyết định", "tổng hợp theo thẩm quyền",
        "at the discretion of the lead", "as the lead sees fit", "for the lead to decide", "we defer to", "leave it to the",
        "leave this to the", "leave the matter to", "it is for the", "it is up to the", "up to the lead", "matter for the lead",
        "subject to the lead", "subject to further consideration", "subject to further review", "own judgement",
        "own judgment", "as it sees fit", "as they see fit", "as you see fit", "we leave it to", "we leave this to",
        "for your consideration and decision", "for its consideration and decision", "to consider and decide",
        "we trust the", "we trust that the", "we are confident that the", "we leave the details to",
        "consider and decide",
    ]

    static let disclaimerPhrases = [
        "không có thẩm quyền", "không phải là cơ quan có thẩm quyền", "không phải cơ quan có thẩm quyền",
        "không phải là cơ quan chuyên môn", "không phải cơ quan chuyên môn", "không được giao chức năng",
        "không được giao nhiệm vụ", "không phụ trách lĩnh vực", "không có chức năng", "không liên quan đến chức năng",
        "không liên quan đến lĩnh vực", "không liên quan tới chức năng", "không liên quan tới lĩnh vực",
        "không phải là đơn vị có thẩm quyền", "không phải đơn vị có thẩm quyền", "không phải lĩnh vực",
        "không đủ thẩm quyền", "không đủ chức năng", "không có cơ sở chuyên môn", "không có chuyên môn",
        "không được phân công quản lý", "không được phân cấp quản lý", "không được giao quản lý", "không được phân công",
        "not the appropriate body", "not the right body", "not the competent body", "not the appropriate agency",
        "not the relevant body", "not something our department deals with", "not something this department deals with",
        "not a matter our department deals with", "không phải là cơ quan phù hợp", "không phải cơ quan phù hợp",
        "không phụ trách", "không trực tiếp phụ trách", "không được giao phụ trách", "not in charge of",
        "is not responsible for", "are not responsible for", "holds no mandate", "hold no mandate", "has no mandate", "have no mandate", "no mandate", "has no remit",
        "have no remit", "no remit", "holds no competence", "has no responsibility for", "have no responsibility for",
        "falls outside", "fall outside", "falling outside", "does not fall within", "do not fall within",
        "does not fall under", "do not fall under", "does not come under", "do not come under", "not our remit",
        "not our competence", "not our responsibility", "not our mandate", "not our area", "not our field",
        "not our business", "we are not competent", "we are not the competent", "we are not responsible",
        "we have no competence", "has no competence", "have no competence", "no competence", "no jurisdiction",
        "not competent to", "not a matter for us", "not a matter for this department", "not for this department",
        "not part of our remit", "not part of our functions", "not part of our mandate", "not among our functions",
        "not among our duties", "is not within", "are not within", "not within the remit", "not within the competence",
        "not within the mandate", "not within the functions", "not within our", "not within its", "not within this",
    ]
}

/// Phrases a city adds to the built-in lists of the assessor.
public struct ExtraPhrases: Sendable, Equatable {
    /// Hedges: an agreement using one is vague unless something specific is said.
    public var vague: [String]
    /// Disclaimers of remit: a reply using one is a deflection unless it names the competent body.
    public var deflection: [String]

    public init(vague: [String] = [], deflection: [String] = []) {
        self.vague = vague
        self.deflection = deflection
    }
}
