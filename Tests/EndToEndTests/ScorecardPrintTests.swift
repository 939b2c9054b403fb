import ConsultCore
import ConsultTestSupport
import Foundation
import Testing

/// A grey page rendered by pdftoppm (`-gray`, a binary PGM).
struct GreyPage {
    let width: Int, height: Int
    let pixels: [UInt8]

    init(pgm data: Data) throws {
        // "P5\nW H\n255\n" then one byte a pixel.
        var fields: [String] = []
        var i = data.startIndex
        while fields.count < 4 {
            while i < data.endIndex, data[i] == 0x20 || data[i] == 0x0A || data[i] == 0x0D || data[i] == 0x09 { i += 1 }
            var field = ""
            while i < data.endIndex, !(data[i] == 0x20 || data[i] == 0x0A || data[i] == 0x0D || data[i] == 0x09) {
                field.append(Character(Unicode.Scalar(data[i])))
                i += 1
            }
            fields.append(field)
        }
        guard fields[0] == "P5", let w = Int(fields[1]), let h = Int(fields[2]) else { throw CocoaError(.fileReadCorruptFile) }
        width = w
        height = h
        pixels = Array(data[(i + 1)...].prefix(w * h))
    }

    /// Pixels darker than near-white in the columns `columns`.
    func inked(columns: Range<Int>) -> Int {
        var count = 0
        for y in 0..<height {
            for x in columns where pixels[y * width + x] < 235 { count += 1 }
        }
        return count
    }
}

@Suite("The scorecard page printed", .tags(.slow), .skippedWhenFast, .serialized)
struct ScorecardPrintTests {
    static let longName = "Ban Quản lý các khu công nghiệp và chế xuất thành phố Hà Nội"

    /// A month in Vietnamese: an agency with a long name never replying, one replying vaguely, one
    /// late, one deflecting; run on the 31st, so the silent ones were escalated.
    static func page() throws -> (Site, html: String) {
        let site = try Site(extra: """
            [report]
            office = "Văn phòng Ủy ban nhân dân thành phố Hà Nội"

            [agencies.BQLKCN]
            name = "\(longName)"
            office = ["bql@example.vn"]
            """, locale: .vi)
        site.put("r1.json", """
            {"kind": "request", "id": "PR-1", "title": "Đề án phát triển nhà ở xã hội giai đoạn 2025–2030", "lead": "SXD",
             "consulted": ["STC", "STP", "SYT", "BQLKCN"], "sent": "2025-03-03T09:00:00+07:00", "deadline": "2025-03-10"}
            """)
        site.put("r2.json", """
            {"kind": "request", "id": "PR-2", "title": "Kế hoạch đầu tư công", "lead": "STC", "consulted": ["SXD", "BQLKCN"],
             "sent": "2025-03-05T09:00:00+07:00", "deadline": "2025-03-20"}
            """)
        func reply(_ name: String, _ id: String, _ agency: String, _ day: String, _ body: String) {
            site.put(name, #"{"kind": "reply", "request": "\#(id)", "agency": "\#(agency)", "received": "2025-03-\#(day)T10:00:00+07:00", \#(body)}"#)
        }
        reply("a.json", "PR-1", "STC", "07", #""position": "agree""#)
        reply("b.json", "PR-1", "STP", "07", #""position": "agree", "text": "Về cơ bản thống nhất.""#)
        reply("c.json", "PR-1", "SYT", "14", #""position": "agree""#)
        reply("d.json", "PR-2", "SXD", "12", #""position": "outside_competence""#)
        let once = try site.once("2025-03-31T09:00:00+07:00")
        #expect(once.status == 0, "\(once.stderr)")
        let r = try execute(binary("consultctl"), ["--config", site.config, "report", "--from", "2025-03-01", "--to", "2025-03-31",
                                                   "--format", "html"])
        #expect(r.status == 0, "\(r.stderr)")
        return (site, r.stdout)
    }

    static func chromium() throws -> String {
        let browser = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }
        return try #require(browser, "Debian's chromium is needed (scripts/test.sh installs it)")
    }

    /// Chromium prints it on A4 portrait; every page rendered has white margins on both sides
    /// (nothing runs off the page), and the PDF's text holds every cell the table and the list have.
    @Test func printsOnA4WithNothingCut() throws {
        let (site, html) = try Self.page()
        let page = site.root + "/scorecard.html", pdf = site.root + "/scorecard.pdf"
        try html.write(toFile: page, atomically: true, encoding: .utf8)
        let printed = try execute(try Self.chromium(), ["--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                                                        "--print-to-pdf=\(pdf)", "file://\(page)"])
        #expect(printed.status == 0, "\(printed.stderr.suffix(2000))")
        let info = try execute("/usr/bin/pdfinfo", [pdf]).stdout
        #expect(info.contains("(A4)"), "\(info)")
        let size = try #require(info.split(separator: "\n").first { $0.hasPrefix("Page size:") })
        let numbers = size.split(separator: " ").compactMap { Double($0) }
        #expect(numbers.count >= 2 && numbers[0] < numbers[1], "portrait: \(size)")

        // 40 dpi: an A4 page is 331 pixels wide, and 8 mm (inside the 12 mm margins) 12 pixels.
        let prefix = site.root + "/page"
        #expect(try execute("/usr/bin/pdftoppm", ["-r", "40", "-gray", pdf, prefix]).status == 0)
        let pages = site.list("").filter { $0.hasPrefix("page") && $0.hasSuffix(".pgm") }.sorted()
        #expect(!pages.isEmpty)
        var ink = 0
        for name in pages {
            let grey = try GreyPage(pgm: try Data(contentsOf: URL(fileURLWithPath: site.root + "/" + name)))
            let margin = 12
            #expect(grey.inked(columns: 0..<margin) == 0, "\(name): something in the left margin")
            #expect(grey.inked(columns: (grey.width - margin)..<grey.width) == 0, "\(name): something in the right margin")
            ink += grey.inked(columns: margin..<(grey.width - margin))
        }
        #expect(ink > 10_000, "blank pages")

        let text = try execute("/usr/bin/pdftotext", [pdf, "-"]).stdout
        let flat = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for expected in ["VĂN PHÒNG ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI", "Bảng đánh giá việc tham gia ý kiến",
                         "hạn trả lời từ 01/03/2025 đến 31/03/2025", "Lập lúc", "Tổng cộng", "Số ngày muộn TB", "4,0",
                         "Dòng tô màu: tỉ lệ trả lời đúng hạn dưới 50%", "Giải thích các cột", "Các lượt lấy ý kiến quá hạn",
                         "PR-1", "PR-2", "báo cáo lãnh đạo thành phố", "trả lời muộn 4 ngày làm việc"] {
            #expect(flat.contains(expected), "\(expected) not in the PDF's text")
        }
        for code in ["BQLKCN", "STC", "STP", "SXD", "SYT"] { #expect(flat.contains(code), "\(code)") }
        // Chromium clips what would overflow at the page's content box, so the margins alone
        // cannot prove nothing was cut: the last columns' cells must be in the text. The totals:
        // 6 consulted, 1 on time, 1 late (4 working days), 4 unanswered, 1 vague, 1 deflection,
        // on-time 1/6, clarity 2/4 (STC and SYT clear at first, STP vague, SXD deflecting).
        #expect(flat.contains("Tổng cộng 6 1 1 4 1 1 17% 50% 4,0"), "\(flat)")
        #expect(flat.contains("SYT Sở Y tế 1 0 1 0 0 0 0% 100% 4,0"), "\(flat)")
        // The long name whole, though wrapped in the table and the chart.
        #expect(flat.contains("chế xuất thành phố Hà Nội"))
    }

    /// Measured by Chromium itself in DejaVu Sans: no label of the chart starts left of the
    /// chart's edge (clipped), nor runs into the bars.
    @Test func chartLabelsFitTheLongestName() throws {
        let (site, html) = try Self.page()
        let probe = html.replacingOccurrences(of: "</body>", with: """
            <script>
            const out = [];
            for (const svg of document.querySelectorAll('svg')) {
              const bars = Math.min(...[...svg.querySelectorAll('rect')].map(r => r.x.baseVal.value));
              for (const t of svg.querySelectorAll('text.label')) {
                const b = t.getBBox();
                out.push([t.textContent, b.x, b.x + b.width, bars].join('|'));
              }
            }
            document.body.setAttribute('data-labels', out.join(';'));
            </script></body>
            """)
        let file = site.root + "/probe.html"
        try probe.write(toFile: file, atomically: true, encoding: .utf8)
        let dom = try execute(try Self.chromium(), ["--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", "file://\(file)"])
        let attribute = try #require(dom.stdout.range(of: "data-labels=\"").map { dom.stdout[$0.upperBound...].prefix { $0 != "\"" } })
        let labels = attribute.split(separator: ";").map { $0.split(separator: "|").map(String.init) }
        #expect(labels.count >= 10, "\(attribute)")
        #expect(labels.contains { $0[0] == "BQLKCN" })
        for label in labels {
            let (start, end, bars) = (Double(label[1]) ?? -1, Double(label[2]) ?? .infinity, Double(label[3]) ?? 0)
            #expect(start >= 0, "\(label[0]) is clipped: starts at \(start)")
            #expect(end <= bars, "\(label[0]) runs into the bars")
        }
    }
}
