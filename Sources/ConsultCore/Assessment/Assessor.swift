/// Judges replies as clear, vague or deflection (contract §5), with the evidence that decided.
///
/// A reply's `text` may be a whole letter: ``LetterReader`` cuts off its frame (header,
/// acknowledgement, legal basis, closing, recipients, signature) and only the body, `comments`,
/// `refer_to` and `position` are judged. Which rule decides:
/// 1. a `refer_to` that is no declared agency, or is the replier or the lead: deflection;
/// 2. a disclaimer of remit (`outside_competence`, or in words anywhere) that names no competent
///    body: deflection, whatever else the reply says;
/// 3. a substantive comment or reason, or a competent body named: clear, even beside a hedge or
///    a deferral;
/// 4. an agreement that says nothing else: clear; with a hedge, a deferral or comments that are
///    only boilerplate: vague;
/// 5. anything else (no position, no comments, a disagreement without reasons): vague.
public struct Assessor: Sendable {
    public let book: PhraseBook
    let names: BodyNames
    let reader: LetterReader

    public init(extra: ExtraPhrases = ExtraPhrases(), agencies: [String: Agency] = [:]) {
        book = PhraseBook(extra: extra)
        names = BodyNames(agencies: agencies)
        reader = LetterReader(names: names.phrases)
    }

    /// The assessor of a city: its agencies (names, aliases) and its extra phrases.
    public init(directory: Directory) { self.init(extra: directory.phrases, agencies: directory.agencies) }

    /// Cuts a reply's text into the parts of a letter.
    public func read(_ text: String) -> Letter { reader.read(text) }

    /// Judges a reply to a consultation led by `lead` (inferred from the letter's "Kính gửi"
    /// when nil) on a draft called `title` (when known).
    public func assess(_ reply: Reply, lead: String?, title: String? = nil) -> Assessment {
        judge(reply, lead: lead, title: title).assessment
    }

    /// Judges a reply and tells which lead it was judged against — `lead`, or the one its
    /// letter's salutation names (nil when neither is known) — and the position its words take
    /// whatever its `position` field says (a clerk's check that the two agree).
    public func judge(_ reply: Reply, lead: String?, title: String? = nil)
        -> (assessment: Assessment, lead: String?, written: Position?) {
        let (lead, body, comments) = readings(reply, lead: lead, title: title)
        let judgement = Judgement(reply: reply, lead: lead, agencies: names, body: body, comments: comments)
        return (judgement.decide(), lead, judgement.inferredPosition(disclaims: judgement.all.contains { $0.disclaimer != nil }))
    }

    /// The readings of a reply's body passages and comments, and the lead they were read for.
    func readings(_ reply: Reply, lead: String?, title: String?) -> (lead: String?, body: [Reading], comments: [Reading]) {
        let letter = reader.read(reply.text ?? "")
        let lead = lead ?? addressee(of: letter, replier: reply.agency)
        var trigrams = Set<UInt64>()
        for segment in letter.segments where segment.part == .subject || segment.part == .opening {
            Self.addTrigrams(letter.words.within(segment.range), to: &trigrams)
        }
        if let title { Self.addTrigrams(Words(title), to: &trigrams) }
        let passages = PassageReader(book: book, names: names, replier: reply.agency, lead: lead, titleTrigrams: trigrams)

        var body = letter.passages.map { passages.read(letter.words.within($0.pieces), range: $0.range) }
        var comments: [Reading] = []
        for comment in reply.comments {
            let commentLetter = reader.read(comment)
            comments += commentLetter.passages.map { passages.read(commentLetter.words.within($0.pieces), range: $0.range) }
        }
        body = body.filter { !$0.words.isEmpty }
        return (lead, body, comments)
    }

    /// The lead a reply's letter is addressed to ("Kính gửi: Sở Xây dựng"), if it names one
    /// declared agency other than the replier.
    public func addressee(of reply: Reply) -> String? {
        addressee(of: reader.read(reply.text ?? ""), replier: reply.agency)
    }

    /// The lead a letter is addressed to: the one declared agency its salutation names, other
    /// than the replier.
    func addressee(of letter: Letter, replier: String) -> String? {
        var codes = Set<String>()
        for segment in letter.segments where segment.part == .salutation {
            let words = letter.words.within(segment.range)
            var i = 0
            while i < words.count {
                if let body = names.declared(words, at: i, end: words.count), let code = body.code {
                    if code != replier { codes.insert(code) }
                    i = body.words.upperBound
                } else {
                    i += 1
                }
            }
        }
        return codes.count == 1 ? codes.first : nil
    }

    static func addTrigrams(_ words: Words, to set: inout Set<UInt64>) {
        guard words.count >= 3 else { return }
        for i in 0...(words.count - 3) { set.insert(trigram(words, i)) }
    }

    /// Three words in a row, as one key.
    static func trigram(_ words: Words, _ i: Int) -> UInt64 {
        (words[i].key &* 31 &+ words[i + 1].key) &* 31 &+ words[i + 2].key
    }
}

/// The rules of §5 applied to the readings of one reply.
struct Judgement {
    typealias R = AssessmentReason
    let reply: Reply
    let lead: String?
    let agencies: BodyNames
    let body: [Reading]
    let comments: [Reading]

    var all: [Reading] { body + comments }

    func decide() -> Assessment {
        let field = reply.position
        let disclaimers = all.filter { $0.disclaimer != nil }
        let disclaims = field == .outsideCompetence || !disclaimers.isEmpty
        var disclaimed: [Evidence] = disclaimers.prefix(2).map { Evidence(R.competenceDisclaimed, $0.quote(around: $0.disclaimer)) }
        if disclaimed.isEmpty && field == .outsideCompetence {
            disclaimed = [Evidence(R.competenceDisclaimed, Position.outsideCompetence.rawValue)]
        }
        let position = field ?? inferredPosition(disclaims: disclaims)

        // 1. A `refer_to` that names nobody competent.
        // An empty `refer_to` names nobody: as invalid as an unknown one.
        if let referTo = reply.referTo?.trimmingSpaces, !isValid(referTo: referTo) {
            return Assessment(.deflection, evidence: disclaimed + [Evidence(R.competentAgencyInvalid, referTo)], position: position)
        }
        // 2. A disclaimer that names no competent body.
        let named = namedEvidence()
        if disclaims && named.isEmpty {
            return Assessment(.deflection, evidence: disclaimed + [Evidence(R.competentAgencyNotNamed, nil)], position: position)
        }
        // 3. Substance, or a competent body named.
        let substantive = all.filter(\.substantive)
        if !substantive.isEmpty {
            let reason = position == .disagree ? R.substantiveReason : R.substantiveComment
            var evidence = position == .agree ? agreement() : []
            evidence += substantive.prefix(3).map { Evidence(reason, $0.quote()) }
            if disclaims { evidence += named }
            return Assessment(.clear, evidence: evidence, position: position)
        }
        if !named.isEmpty {
            return Assessment(.clear, evidence: (position == .agree ? agreement() : []) + named, position: position)
        }
        // 4, 5. By position.
        let hedges = all.filter { $0.hedge != nil }.prefix(2).map { Evidence(R.hedgedAgreement, $0.quote(around: $0.hedge)) }
        let deferrals = all.filter { $0.deferral != nil }.prefix(2).map { Evidence(R.deferralToLead, $0.quote(around: $0.deferral)) }
        let boilerplate = all.filter { $0.isComment && $0.hedge == nil && $0.deferral == nil }
            .prefix(3).map { Evidence(R.boilerplateComments, $0.quote()) }
        switch position {
        case .agree:
            let doubts = hedges + deferrals + boilerplate
            return doubts.isEmpty ? Assessment(.clear, evidence: agreement(), position: position)
                : Assessment(.vague, evidence: doubts, position: position)
        case .agreeWithComments:
            // The comments: requests that say nothing specific, else those that hedge or defer,
            // else whatever the `comments` field holds; none at all is `no_comments`.
            var given = boilerplate
            // A request that only hands the decision back is the deferral, not a comment too.
            if given.isEmpty {
                given = all.filter { $0.isComment && $0.deferral == nil }.prefix(3).map { Evidence(R.boilerplateComments, $0.quote()) }
            }
            if given.isEmpty { given = comments.prefix(3).map { Evidence(R.boilerplateComments, $0.quote()) } }
            let first = given.isEmpty ? [Evidence(R.noComments, nil)] : given
            return Assessment(.vague, evidence: first + hedges + deferrals, position: position)
        case .disagree:
            return Assessment(.vague, evidence: [Evidence(R.noReasons, nil)] + deferrals + boilerplate, position: position)
        case .outsideCompetence, nil:
            return Assessment(.vague, evidence: [Evidence(R.noPosition, nil)] + hedges + deferrals, position: nil)
        }
    }

    /// The position the text takes when the field gives none: a disagreement anywhere (it needs
    /// reconciling), else an agreement (with comments when it comments), else a disclaimer, else
    /// comments of substance alone (commenting is taking a position).
    func inferredPosition(disclaims: Bool) -> Position? {
        let comments = !reply.comments.isEmpty || all.contains { $0.isComment && $0.deferral == nil }
        if all.contains(where: \.disagrees) { return .disagree }
        if all.contains(where: \.agrees) { return comments ? .agreeWithComments : .agree }
        if disclaims { return .outsideCompetence }
        if all.contains(where: \.substantive) { return .agreeWithComments }
        return nil
    }

    /// The evidence of an agreement: the sentence that agrees, or the field.
    func agreement() -> [Evidence] {
        if let r = all.first(where: \.agrees) { return [Evidence(R.agree, r.quote())] }
        return [Evidence(R.agree, reply.position?.rawValue ?? Position.agree.rawValue)]
    }

    /// Where the reply names the competent body: a valid `refer_to`, or the text.
    func namedEvidence() -> [Evidence] {
        var evidence: [Evidence] = []
        if let referTo = reply.referTo?.trimmingSpaces, !referTo.isEmpty, isValid(referTo: referTo) {
            evidence.append(Evidence(R.competentAgencyNamed, referTo))
        }
        if let r = all.first(where: { $0.namesCompetentBody != nil }) {
            evidence.append(Evidence(R.competentAgencyNamed, r.quote(around: r.namesCompetentBody)))
        }
        return evidence
    }

    /// A declared agency — by code, name or alias — that is neither the replier nor the lead.
    func isValid(referTo: String) -> Bool {
        let words = Words(referTo)
        guard !words.isEmpty, let body = agencies.declared(words, at: 0, end: words.count),
              body.words.upperBound == words.count, let code = body.code else { return false }
        return code != reply.agency && code != lead
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first?.isWhitespace == true { s.removeFirst() }
        while s.last?.isWhitespace == true { s.removeLast() }
        return String(s)
    }
}
