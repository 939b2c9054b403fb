import ConsultCore
import Testing

@Suite("Letter reader")
struct LetterReaderTests {
    let reader = LetterReader(names: PhraseList(["Sở Tài chính", "Sở Xây dựng", "STC", "SXD", "Department of Finance"]))

    func parts(_ letter: Letter) -> [(Letter.Part, String)] {
        letter.segments.map { ($0.part, String(letter.text[$0.range])) }
    }

    func part(_ letter: Letter, of text: String) -> Letter.Part? {
        parts(letter).first { $0.1.contains(text) }?.0
    }

    func body(_ letter: Letter) -> [String] { letter.passages.map { String(letter.text[$0.range]) } }

    @Test func readsTheFrameOfAWholeLetter() {
        let text = """
            UBND THÀNH PHỐ HÀ NỘI\t\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
            SỞ TÀI CHÍNH\t\tĐộc lập - Tự do - Hạnh phúc

            Số: 5514/STC-QLGCS\t\tHà Nội, ngày 10 tháng 2 năm 2025
            V/v tham gia ý kiến đối với dự thảo Kế hoạch cải tạo
            nhà chung cư cũ năm 2025

            Kính gửi: Sở Xây dựng.

            Căn cứ Luật Ngân sách nhà nước năm 2015;
            Căn cứ Nghị định số 163/2016/NĐ-CP ngày 21/12/2016 của Chính phủ;

            Sở Tài chính nhận được Công văn số 155/SXD-QLN ngày 07/02/2025 của Sở Xây dựng về việc góp ý dự thảo Kế hoạch cải tạo, xây dựng lại nhà chung cư cũ. Sau khi nghiên cứu, Sở Tài chính có ý kiến như sau:

            1. Về cơ bản thống nhất với dự thảo.
            2. Mục IV.1: đề nghị điều chỉnh mức hỗ trợ thành 150.000 đồng/m² sàn/tháng.

            Trên đây là ý kiến của Sở Tài chính, đề nghị Sở Xây dựng tổng hợp, hoàn thiện./.

            Nơi nhận:
            - Như trên;
            - Lưu: VT, QLGCS.
            KT. GIÁM ĐỐC
            PHÓ GIÁM ĐỐC
            (Đã ký)
            Dương Văn Khánh
            """
        let letter = reader.read(text)
        #expect(part(letter, of: "CỘNG HÒA") == .nationalHeader)
        #expect(part(letter, of: "Độc lập") == .nationalHeader)
        #expect(part(letter, of: "SỞ TÀI CHÍNH") == .issuer)
        #expect(part(letter, of: "5514/STC") == .number)
        #expect(part(letter, of: "ngày 10 tháng 2") == .placeAndDate)
        #expect(part(letter, of: "V/v") == .subject)
        #expect(part(letter, of: "nhà chung cư cũ năm 2025") == .subject)
        #expect(part(letter, of: "Kính gửi") == .salutation)
        #expect(part(letter, of: "Căn cứ Luật") == .legalBasis)
        #expect(part(letter, of: "nhận được Công văn") == .opening)
        #expect(part(letter, of: "Sau khi nghiên cứu") == .opening)
        #expect(part(letter, of: "Trên đây") == .closing)
        #expect(part(letter, of: "Nơi nhận") == .recipients)
        #expect(part(letter, of: "KT. GIÁM ĐỐC") == .signature)
        #expect(part(letter, of: "Dương Văn Khánh") == .signature)
        // Numbered points are passages of their own, without their numbers.
        #expect(body(letter) == [
            "Sở Tài chính có ý kiến như sau:",
            "Về cơ bản thống nhất với dự thảo.",
            "Mục IV.1: đề nghị điều chỉnh mức hỗ trợ thành 150.000 đồng/m² sàn/tháng.",
        ])
    }

    @Test func readsALetterTypedWithoutDiacritics() {
        let text = """
            CONG HOA XA HOI CHU NGHIA VIET NAM
            Doc lap - Tu do - Hanh phuc
            SO TAI CHINH
            So: 4843/STC-TNN
            V/v gop y du thao
            Ha Noi, ngay 08 thang 8 nam 2025
            Kinh gui: So Xay dung.
            So Tai chinh nhan duoc Van ban so 2355/SXD-HTKT ngay 05/08/2025 cua So Xay dung de nghi tham gia y kien.
            Noi dung du thao khong thuoc chuc nang, nhiem vu cua So Tai chinh.
            So Tai chinh thong bao de So Xay dung duoc biet./.
            Noi nhan:
            - Nhu tren;
            KT. GIAM DOC
            PHO GIAM DOC
            """
        let letter = reader.read(text)
        #expect(part(letter, of: "CONG HOA") == .nationalHeader)
        #expect(part(letter, of: "So: 4843") == .number)
        #expect(part(letter, of: "Kinh gui") == .salutation)
        #expect(part(letter, of: "nhan duoc Van ban") == .opening)
        #expect(part(letter, of: "duoc biet") == .closing)
        #expect(body(letter) == ["Noi dung du thao khong thuoc chuc nang, nhiem vu cua So Tai chinh."])
    }

    @Test func readsAnEnglishLetter() {
        let text = """
            HANOI PEOPLE'S COMMITTEE
            DEPARTMENT OF FINANCE

            SOCIALIST REPUBLIC OF VIET NAM
            Independence - Freedom - Happiness

            No.: 3245/STC-QLNS
            Hanoi, 13 November 2025

            Subject: comments on the draft 2026 Plan

            Dear Director,

            In reply to your letter No. 1809/SNV-CCHC of 7 November 2025, the Department of Finance has the following comments:

            We object to target 3.2 in Section II. Please reduce the target to 5%.

            The above are the comments of the Department of Finance, submitted for consolidation.

            Yours faithfully,

            FOR THE DIRECTOR
            DEPUTY DIRECTOR
            (signed)
            Hoang Thi Mai
            """
        let letter = reader.read(text)
        #expect(part(letter, of: "No.: 3245") == .number)
        #expect(part(letter, of: "Hanoi, 13 November 2025") == .placeAndDate)
        #expect(part(letter, of: "Subject:") == .subject)
        #expect(part(letter, of: "Dear Director") == .salutation)
        #expect(part(letter, of: "In reply to") == .opening)
        #expect(part(letter, of: "The above are") == .closing)
        #expect(part(letter, of: "Yours faithfully") == .closing)
        #expect(part(letter, of: "FOR THE DIRECTOR") == .signature)
        #expect(body(letter) == [
            "the Department of Finance has the following comments:",
            "We object to target 3.2 in Section II.",
            "Please reduce the target to 5%.",
        ])
    }

    @Test func joinsLinesAPastedPDFWrappedAndDropsItsPageNumbers() {
        let text = """
            Kính gửi: Sở Xây dựng.
            Sở Tài chính thống nhất với dự thảo, tuy nhiên đề nghị bổ sung tại Điều 9 quy định chuyển
            tiếp cho các hồ sơ đã nộp trước ngày
            - 2 -
            01/7/2025.
            Sở Tài chính - Trang 1/2
            Đề nghị bỏ khoản 3 Điều 12.
            Sở Tài chính - Trang 1/2
            """
        let letter = reader.read(text)
        #expect(body(letter).count == 2)
        #expect(body(letter)[0].hasPrefix("Sở Tài chính thống nhất") && body(letter)[0].hasSuffix("01/7/2025."))
        #expect(parts(letter).contains { $0 == (.footer, "- 2 -") })
        #expect(parts(letter).filter { $0 == (.footer, "Sở Tài chính - Trang 1/2") }.count == 2)
        // The page number between the lines is no word of the passage; its quote keeps it, as written.
        let words = letter.words.within(letter.passages[0].pieces)
        #expect(!words.folded.contains("2") && words.folded.suffix(4) == ["ngay", "01", "7", "2025"])
        #expect(body(letter)[0].contains("- 2 -"))
    }

    @Test func aOneLineReplyIsAllBody() {
        let letter = reader.read("Sở Tài chính thống nhất toàn bộ nội dung dự thảo.")
        #expect(body(letter) == ["Sở Tài chính thống nhất toàn bộ nội dung dự thảo."])
        #expect(parts(letter).map(\.0) == [.body])
    }

    @Test func theAcknowledgementEndsWhereTheReplyBegins() {
        let a = reader.read("Phúc đáp Công văn số 12/SXD-QLN ngày 3/3/2025 của Sở Xây dựng về việc góp ý dự thảo Đề án cải tạo, chỉnh trang hè phố, Sở Tài chính cơ bản nhất trí với dự thảo.")
        #expect(body(a) == ["Sở Tài chính cơ bản nhất trí với dự thảo."])
        let b = reader.read("Qua nghiên cứu, dự thảo còn 03 nội dung chưa phù hợp.")
        #expect(body(b) == ["dự thảo còn 03 nội dung chưa phù hợp."])
        let c = reader.read("We refer to your letter No. 1809/SNV-CCHC dated 7 November 2025 concerning the draft plan.")
        #expect(body(c).isEmpty)
    }

    /// Points typed on one line are passages of their own; their numbers end no sentence.
    @Test func pointsTypedInlineAreTheirOwnPassages() {
        let a = reader.read("Sở Tài chính có ý kiến: 1. Tại Điều 1 đề nghị bỏ khoản 3 vì trùng Điều 4. 2. Đề nghị rà soát. 3. Cảm ơn.")
        #expect(body(a) == ["Sở Tài chính có ý kiến:", "1. Tại Điều 1 đề nghị bỏ khoản 3 vì trùng Điều 4.",
                            "2. Đề nghị rà soát.", "3. Cảm ơn."])
        let slash = reader.read("Góp ý: 1/ Đề nghị rà soát 2/ Đề nghị hoàn thiện")
        #expect(body(slash) == ["Góp ý:", "1/ Đề nghị rà soát 2/ Đề nghị hoàn thiện"])
        let b = reader.read("We agree in principle. 1) Please review. 2) Ensure consistency.")
        #expect(body(b) == ["We agree in principle.", "1) Please review.", "2) Ensure consistency."])
        // A colon before anything else ends no sentence.
        let c = reader.read("Đề nghị sửa như sau: thời hạn 15 ngày.")
        #expect(body(c) == ["Đề nghị sửa như sau: thời hạn 15 ngày."])
    }

    /// A tab inside a sentence, or after a point's marker, is a space; between columns it parts them.
    @Test func aTabInsideASentenceIsASpace() {
        let a = reader.read("Nội dung này không thuộc\tthẩm quyền của Sở Tài chính.")
        #expect(body(a) == ["Nội dung này không thuộc\tthẩm quyền của Sở Tài chính."])
        let b = reader.read("1.\tTại Điều 5, đề nghị bỏ khoản 2.")
        #expect(body(b) == ["Tại Điều 5, đề nghị bỏ khoản 2."])
        let cited = reader.read("Đề nghị rà soát Điều\t5,\t6 và Điều  7  :  thời hạn.")
        #expect(body(cited) == ["Đề nghị rà soát Điều\t5,\t6 và Điều  7  :  thời hạn."])
        let header = reader.read("UBND THÀNH PHỐ HÀ NỘI\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSỞ TÀI CHÍNH\tĐộc lập - Tự do - Hạnh phúc\nSở Tài chính thống nhất.")
        #expect(body(header) == ["Sở Tài chính thống nhất."])
    }

    /// Invisible characters inside a word neither join nor part it.
    @Test func invisibleCharactersInsideAWordAreIgnored() {
        #expect(Words("thu\u{200B}ộc ch\u{00AD}ức năng\u{FEFF}").folded == ["thuoc", "chuc", "nang"])
    }

    @Test func aClosingThatHandsBackTheDecisionIsBody() {
        let formula = reader.read("Trên đây là ý kiến của Sở Tài chính, đề nghị Sở Xây dựng tổng hợp, hoàn thiện./.")
        #expect(body(formula).isEmpty)
        let deferral = reader.read("Trên đây là ý kiến của Sở Tài chính, đề nghị Sở Xây dựng xem xét, quyết định./.")
        #expect(body(deferral).count == 1)
    }

    /// A closing may name the draft it is about, title and all; the title takes no position.
    @Test func aClosingMayNameTheDraft() {
        for closing in [
            "Trên đây là ý kiến của Sở Tài chính về dự thảo Quy chế, đề nghị Sở Xây dựng tổng hợp./.",
            "Trên đây là ý kiến của Sở Tài chính đối với dự thảo Quy chế, đề nghị Sở Xây dựng tổng hợp, hoàn thiện./.",
            "Trên đây là ý kiến của Sở Tài chính đối với dự thảo, đề nghị Sở Xây dựng tổng hợp./.",
            "Trên đây là ý kiến tham gia của Sở Tài chính về dự thảo Quy chế quản lý, trồng, chăm sóc và thay thế cây xanh đường phố trên địa bàn Thành phố, đề nghị Sở Xây dựng tổng hợp./.",
            "Trên đây là ý kiến của Sở Tài chính về Đề án phát triển nhà ở xã hội đề nghị Sở Xây dựng tổng hợp./.",
            "Tren day la y kien cua So Tai chinh ve du thao Quy che, de nghi So Xay dung tong hop./.",
            "The above are our comments on the draft Regulation on street trees, for consolidation by the Department of Construction.",
        ] {
            #expect(body(reader.read(closing)).isEmpty, "\(closing)")
        }
        // A position or a decision handed back inside what follows "về" keeps the sentence in the body.
        for body in [
            "Trên đây là ý kiến của Sở Tài chính về cơ bản thống nhất với dự thảo, đề nghị Sở Xây dựng tổng hợp./.",
            "Trên đây là ý kiến của Sở Tài chính về dự thảo Quy chế chưa thống nhất, đề nghị Sở Xây dựng tổng hợp./.",
            "Trên đây là ý kiến của Sở Tài chính về dự thảo Quy chế, đề nghị Sở Xây dựng xem xét, quyết định./.",
        ] {
            #expect(self.body(reader.read(body)).count == 1, "\(body)")
        }
    }

    /// Any text gives a letter whose segments lie within it, in order, without overlapping.
    @Test func anyTextGivesALetter() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("Kính gửi: Số 12/ST-Q Nơi nhận\t\n\r- 1. a) ()“”\"' ./.;:,ĐđƠơ ngày tháng năm 2025 KT. GIÁM ĐỐC Trên đây Căn cứ \u{0301}")
        for _ in 0..<400 {
            let length = Int.random(in: 0..<300, using: &generator)
            let text = String((0..<length).map { _ in alphabet.randomElement(using: &generator)! })
            let letter = reader.read(text)
            var last = text.startIndex
            for s in letter.segments {
                #expect(s.range.lowerBound >= last && s.range.upperBound <= text.endIndex)
                last = s.range.lowerBound
            }
            for p in letter.passages { #expect(p.range.lowerBound >= text.startIndex && p.range.upperBound <= text.endIndex) }
        }
    }
}
