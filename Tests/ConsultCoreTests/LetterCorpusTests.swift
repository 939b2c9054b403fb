import ConsultCore
import Foundation
import Testing

/// The assessor on labelled corpora of whole letters and short replies: the shared ones
/// (../shared/corpus, or the copy in Tests/Fixtures/shared-corpus) and the project's own
/// (Tests/Fixtures/letters, written for it by people who did not read the assessor). Each test
/// prints its accuracy per class.
@Suite("Whole letters: accuracy per class")
struct LetterCorpusTests {
    /// Every corpus of Tests/Fixtures/letters.
    static let projectFiles: [String] = {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../Fixtures/letters").path
        return ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".jsonl") }.sorted()
    }()

    struct Score: CustomStringConvertible {
        var right: [Verdict: Int] = [:]
        var total: [Verdict: Int] = [:]
        var wrong: [String] = []
        /// Vague or deflecting replies judged clear: the dangerous direction.
        var dangerous: [String] = []

        func rate(_ v: Verdict) -> Double { Double(right[v, default: 0]) / Double(max(1, total[v, default: 0])) }

        var description: String {
            Verdict.allCases.map { v in
                "\(v.rawValue) \(right[v, default: 0])/\(total[v, default: 0]) (\(String(format: "%.1f", rate(v) * 100))%)"
            }.joined(separator: ", ")
        }
    }

    func score(_ corpus: [Fixtures.Labelled]) -> Score {
        var s = Score()
        for item in corpus {
            let a = Fixtures.assessor.assess(item.reply, lead: item.lead)
            s.total[item.label, default: 0] += 1
            if a.verdict == item.label { s.right[item.label, default: 0] += 1 } else {
                s.wrong.append("\(item.id): \(item.label.rawValue) judged \(a.verdict.rawValue) \(a.reasons)")
                if a.verdict == .clear { s.dangerous.append(item.id) }
            }
        }
        return s
    }

    @Test func sharedLetters() throws {
        let corpus = try Fixtures.corpus("letters.jsonl", shared: true)
        let s = score(corpus)
        print("shared letters.jsonl (\(corpus.count)): \(s)")
        for v in Verdict.allCases { #expect(s.rate(v) >= 0.95, "\(v): \(s.wrong)") }
        #expect(s.dangerous.isEmpty, "vague or deflecting letters judged clear: \(s.dangerous)")
    }

    @Test func sharedReplies() throws {
        let corpus = try Fixtures.corpus("replies.jsonl", shared: true)
        let s = score(corpus)
        print("shared replies.jsonl (\(corpus.count)): \(s)")
        #expect(s.wrong.isEmpty, "\(s.wrong)")
    }

    @Test func projectLetters() throws {
        var all: [Fixtures.Labelled] = []
        for file in Self.projectFiles {
            let corpus = try Fixtures.corpus(file)
            print("\(file) (\(corpus.count)): \(score(corpus))")
            all += corpus
        }
        let s = score(all)
        print("project letters (\(all.count)): \(s)")
        #expect(all.count >= 100 && Self.projectFiles.count >= 10)
        for v in Verdict.allCases {
            #expect(s.total[v, default: 0] >= 30, "too few \(v) letters")
            #expect(s.rate(v) >= 0.95, "\(v): \(s.wrong)")
        }
        #expect(s.dangerous.isEmpty, "vague or deflecting letters judged clear: \(s.dangerous)")
    }

    /// Every quote is an exact excerpt of the reply; one from `text` comes from the letter's body,
    /// never from its frame; reasons of absence quote nothing; every reason has evidence.
    @Test func evidenceQuotesTheBodyAsWritten() throws {
        var all = try Fixtures.corpus("letters.jsonl", shared: true) + Fixtures.corpus("replies.jsonl", shared: true)
        for file in Self.projectFiles { all += try Fixtures.corpus(file) }
        let absences = [AssessmentReason.noPosition, AssessmentReason.noReasons, AssessmentReason.noComments,
                        AssessmentReason.competentAgencyNotNamed]
        for item in all {
            let a = Fixtures.assessor.assess(item.reply, lead: item.lead)
            #expect(Set(a.reasons) == Set(a.evidence.map(\.reason)), "\(item.id)")
            let letter = Fixtures.assessor.read(item.reply.text ?? "")
            let body = letter.passages.map { String(letter.text[$0.range]) }
            for e in a.evidence {
                guard let quote = e.quote else {
                    #expect(absences.contains(e.reason), "\(item.id): \(e.reason) without a quote")
                    continue
                }
                #expect(!absences.contains(e.reason), "\(item.id): \(e.reason) quotes \(quote)")
                let fromFields = item.reply.comments.contains { $0.contains(quote) } || item.reply.referTo == quote
                    || item.reply.position?.rawValue == quote
                let fromBody = body.contains { $0.contains(quote) }
                #expect(fromFields || fromBody, "\(item.id): \(e.reason) quotes what is not the reply's body: \(quote)")
            }
        }
    }
}
