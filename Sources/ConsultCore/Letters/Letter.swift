/// An official letter (công văn) cut into its parts, as ``LetterReader`` reads it.
///
/// Only the body (and the reply's structured fields) is judged: every other part is the
/// formulaic frame of administrative correspondence and never decides a judgement (contract §5).
public struct Letter: Sendable {
    /// The parts of a letter, in the words of Vietnamese administrative practice.
    public enum Part: String, Sendable, CaseIterable {
        /// Quốc hiệu and tiêu ngữ ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc").
        case nationalHeader = "national_header"
        /// The issuing body ("UBND THÀNH PHỐ HÀ NỘI / SỞ TÀI CHÍNH").
        case issuer
        /// The number and symbol ("Số: 5514/STC-QLGCS").
        case number
        /// Place and date ("Hà Nội, ngày 10 tháng 2 năm 2025").
        case placeAndDate = "place_date"
        /// The subject ("V/v góp ý dự thảo …", "Re: …").
        case subject
        /// The salutation ("Kính gửi: Sở Xây dựng", "Dear Director").
        case salutation
        /// The opening acknowledgement ("Sở X nhận được Công văn số … của … về việc …").
        case opening
        /// The legal-basis paragraph ("Căn cứ Luật …; Căn cứ Nghị định …").
        case legalBasis = "legal_basis"
        /// What the letter says: the only part judged.
        case body
        /// The closing ("Trên đây là ý kiến của Sở X, đề nghị Sở Y tổng hợp", "Trân trọng").
        case closing
        /// The recipients block ("Nơi nhận: - Như trên; - Lưu: VT").
        case recipients
        /// The signature block (TM./KT./TL./TUQ., titles, names, "Đã ký", digital-signature stamps).
        case signature
        /// Page numbers and running footers of a pasted PDF.
        case footer
    }

    /// One stretch of the letter and the part it belongs to.
    public struct Segment: Sendable, Equatable {
        public let part: Part
        public let range: Range<String.Index>
    }

    /// The letter as written.
    public let text: String
    /// Its words, folded once; ``Words/within(_:)`` gives those of a passage.
    public let words: Words
    /// The parts in the order they stand, covering every non-blank stretch of the text.
    public let segments: [Segment]
    /// The body cut into passages: sentences, clauses after ';', and numbered points.
    public let passages: [Passage]

    /// A sentence, clause or point of the body. A page number or running footer of a pasted PDF
    /// may cut it in pieces: its words are those of the pieces, its quote the whole stretch.
    public struct Passage: Sendable, Equatable {
        public let pieces: [Range<String.Index>]
        /// From its first word to its last, as written.
        public var range: Range<String.Index> { pieces[0].lowerBound..<pieces[pieces.count - 1].upperBound }
    }
}
