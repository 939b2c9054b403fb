/// The verdict on a reply.
public enum Verdict: String, Sendable, Codable, CaseIterable {
    /// Takes a clear position: discharges the reply duty.
    case clear
    /// Generic, hedged, deferring, or without the reasons its position needs.
    case vague
    /// Disclaims competence without naming who is competent.
    case deflection
}

/// A verdict with the machine-readable reasons that led to it.
public struct Assessment: Sendable, Equatable, Codable {
    public var verdict: Verdict
    public var reasons: [String]

    public init(_ verdict: Verdict, _ reasons: [String]) {
        self.verdict = verdict
        self.reasons = reasons
    }
}

/// Reason codes of assessments. Stable tokens: operators filter on them.
public enum AssessmentReason {
    public static let agree = "agree"
    public static let substantiveComment = "substantive_comment"
    public static let substantiveReason = "substantive_reason"
    public static let competentAgencyNamed = "competent_agency_named"
    public static let noPosition = "no_position"
    public static let hedgedAgreement = "hedged_agreement"
    public static let deferralToLead = "deferral_to_lead"
    public static let boilerplateComments = "boilerplate_comments"
    public static let noComments = "no_comments"
    public static let noReasons = "no_reasons"
    public static let competenceDisclaimed = "competence_disclaimed"
    public static let competentAgencyNotNamed = "competent_agency_not_named"
}

/// Judges replies as clear, vague or deflection (contract §5).
///
/// Matching is case-, whitespace- and diacritic-insensitive. A comment is substantive when it
/// cites a part of the draft or a legal instrument, gives a figure, or carries concrete content
/// beyond the boilerplate of administrative correspondence.
public struct Assessor: Sendable {
    public let book: PhraseBook

    public init(extra: ExtraPhrases = ExtraPhrases()) { self.book = PhraseBook(extra: extra) }

    public func assess(_ reply: Reply) -> Assessment {
        typealias R = AssessmentReason
        let text = NormalizedText(reply.text ?? "")
        let comments = reply.comments.map(NormalizedText.init).filter { !$0.tokens.isEmpty }
        let all = [text] + comments
        let substantiveComments = comments.filter { isSubstantive($0, allowFigures: true) }
        let substantiveText = sentences(of: reply.text ?? "").contains { isSubstantive($0, allowFigures: false) }
        let hasSubstance = !substantiveComments.isEmpty || substantiveText
        let disclaims = all.contains { $0.firstMatch(in: book.remitDisclaimers) != nil }
        let named = names(reply.referTo) || all.contains(where: namesCompetentBody)

        switch reply.position {
        case .outsideCompetence:
            return named ? Assessment(.clear, [R.competentAgencyNamed])
                : Assessment(.deflection, [R.competenceDisclaimed, R.competentAgencyNotNamed])
        case nil:
            if disclaims && !named { return Assessment(.deflection, [R.competenceDisclaimed, R.competentAgencyNotNamed]) }
            return Assessment(.vague, [R.noPosition])
        case .agree:
            if disclaims && !named && !hasSubstance {
                return Assessment(.deflection, [R.competenceDisclaimed, R.competentAgencyNotNamed])
            }
            if hasSubstance { return Assessment(.clear, [R.agree, R.substantiveComment]) }
            var reasons: [String] = []
            if all.contains(where: { $0.firstMatch(in: book.hedges) != nil }) { reasons.append(R.hedgedAgreement) }
            if all.contains(where: { $0.firstMatch(in: book.deferrals) != nil }) { reasons.append(R.deferralToLead) }
            if !comments.isEmpty { reasons.append(R.boilerplateComments) }
            return reasons.isEmpty ? Assessment(.clear, [R.agree]) : Assessment(.vague, reasons)
        case .agreeWithComments:
            if hasSubstance { return Assessment(.clear, [R.substantiveComment]) }
            if disclaims && !named { return Assessment(.deflection, [R.competenceDisclaimed, R.competentAgencyNotNamed]) }
            var reasons = [comments.isEmpty ? R.noComments : R.boilerplateComments]
            if all.contains(where: { $0.firstMatch(in: book.hedges) != nil }) { reasons.append(R.hedgedAgreement) }
            if all.contains(where: { $0.firstMatch(in: book.deferrals) != nil }) { reasons.append(R.deferralToLead) }
            return Assessment(.vague, reasons)
        case .disagree:
            if hasSubstance { return Assessment(.clear, [R.substantiveReason]) }
            var reasons = [R.noReasons]
            if all.contains(where: { $0.firstMatch(in: book.deferrals) != nil }) { reasons.append(R.deferralToLead) }
            return Assessment(.vague, reasons)
        }
    }

    /// Whether a comment (or, with `allowFigures` false, a sentence of free text) says something
    /// specific. A sentence that hedges, defers or disclaims is no substance by itself unless it
    /// cites something; free text needs more content than a comment, since letters open with
    /// generic courtesy.
    public func isSubstantive(_ comment: NormalizedText, allowFigures: Bool) -> Bool {
        if citesSomething(comment) { return true }
        let content = contentTokens(comment).count
        if allowFigures, content >= 1, comment.tokens.contains(where: { $0.contains(where: \.isNumber) }) { return true }
        if comment.firstMatch(in: book.deferrals) != nil || comment.firstMatch(in: book.remitDisclaimers) != nil
            || comment.firstMatch(in: book.hedges) != nil {
            return false
        }
        let (plain, marked) = allowFigures ? (6, 3) : (8, 4)
        if content >= plain { return true }
        return content >= marked && comment.firstMatch(in: book.markers) != nil
    }

    /// Tokens that are neither boilerplate nor function words.
    func contentTokens(_ comment: NormalizedText) -> [String] {
        comment.removing(book.boilerplate).filter { $0.count >= 2 && !book.functionWords.contains($0) }
    }

    /// Cites a part of the draft ("Điều 5", "clause 9(b)", "Mục III.2") or a legal instrument.
    func citesSomething(_ comment: NormalizedText) -> Bool {
        let tokens = comment.tokens
        for word in book.citationWords {
            let n = word.tokens.count
            guard tokens.count > n else { continue }
            for i in 0...(tokens.count - n - 1) where Array(tokens[i..<(i + n)]) == word.tokens {
                let next = tokens[i + n]
                if Self.isNumeral(next) { return true }
                if next.count == 1, next.first!.isLetter, n == 1, book.letteredCitationWords.contains(word.tokens[0]) { return true }
                // "Luật Đầu tư công 2024", "Decree No. 15": a legal instrument with its number nearby.
                if Self.legalInstruments.contains(word.padded) {
                    if tokens[(i + n)..<min(tokens.count, i + n + 5)].contains(where: Self.isNumeral) { return true }
                }
            }
        }
        return false
    }

    static let legalInstruments: Set<String> = [
        " luat ", " nghi dinh ", " thong tu ", " quyet dinh ", " nghi quyet ", " chi thi ", " law ", " decree ",
        " circular ", " decision ", " resolution ",
    ]

    static func isNumeral(_ token: String) -> Bool {
        if token.first?.isNumber == true { return true }
        return token.count <= 6 && token.allSatisfy { "ivxlc".contains($0) }
    }

    /// A `refer_to` that names someone rather than "the relevant agencies".
    func names(_ referTo: String?) -> Bool {
        guard let referTo else { return false }
        let folded = NormalizedText(referTo)
        guard !folded.tokens.isEmpty else { return false }
        return folded.tokens.contains { !book.genericBodyWords.contains($0) && !book.functionWords.contains($0) }
    }

    /// The text names a competent body: "thuộc chức năng của Sở Xây dựng", "lấy ý kiến Sở Xây dựng",
    /// "a matter for the Department of Construction" — a kind of body followed by a specific name.
    func namesCompetentBody(_ text: NormalizedText) -> Bool {
        let tokens = text.tokens
        for body in book.bodyWords {
            let n = body.tokens.count
            guard tokens.count > n else { continue }
            for i in 0...(tokens.count - n - 1) where Array(tokens[i..<(i + n)]) == body.tokens {
                let before = tokens[max(0, i - 6)..<i]
                // "không thuộc thẩm quyền của Sở": the replying agency itself, not a referral.
                if before.contains("khong") || before.contains("not") || before.contains("our") { continue }
                // The name may follow a level or kind ("UBND quận Hoàn Kiếm"), not a function word.
                let name = tokens[(i + n)..<min(tokens.count, i + n + 3)]
                    .prefix { !book.functionWords.contains($0) }
                    .first { !book.genericBodyWords.contains($0) }
                if name != nil && Self.referralCue(before) { return true }
            }
        }
        return false
    }

    /// Words just before a body's name that make it a referral or an attribution of competence.
    static func referralCue(_ before: ArraySlice<String>) -> Bool {
        let cues: Set<String> = ["thuoc", "cua", "kien", "chuyen", "gui", "for", "to", "within", "of", "consult"]
        return before.contains { cues.contains($0) }
    }

    /// The sentences of free text, folded.
    func sentences(of text: String) -> [NormalizedText] {
        var result: [NormalizedText] = []
        var current = ""
        var previous: Character = " "
        for ch in text {
            if ch == "\n" || ch == ";" || ch == "!" || ch == "?" {
                result.append(NormalizedText(current))
                current = ""
            } else if ch.isWhitespace && previous == "." {
                result.append(NormalizedText(current))
                current = ""
            } else {
                current.append(ch)
            }
            previous = ch
        }
        result.append(NormalizedText(current))
        return result.filter { !$0.tokens.isEmpty }
    }
}
