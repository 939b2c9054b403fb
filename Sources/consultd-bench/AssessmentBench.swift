import ConsultConfig
import ConsultCore
import Foundation

/// Times the assessor in process over labelled corpora (JSON lines of `lead`, `agency`,
/// `position`, `comments`, `text`, `refer_to`), as `scripts/bench-assess.sh` reports it: letters
/// per second over every letter, and the time per letter of the longest ones. The agencies (names,
/// aliases) are the configuration's; a code it does not declare is added under its own name.
///   consultd-bench CONFIG CORPUS.jsonl…
@main
struct AssessmentBench {
    static func main() throws {
        let arguments = Array(CommandLine.arguments.dropFirst())
        guard arguments.count >= 2 else { fatalError("usage: consultd-bench CONFIG CORPUS.jsonl…") }
        let configuration = try Configuration.load(path: arguments[0])
        var agencies = configuration.directory.agencies
        var letters: [(reply: Reply, lead: String)] = []
        for path in arguments.dropFirst() {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            for line in text.split(separator: "\n") {
                let json = try JSONReader.parse(Array(line.utf8))
                func s(_ key: String) -> String? { if case let .string(v) = json[key] { return v }; return nil }
                var comments: [String] = []
                if case let .array(items) = json["comments"] {
                    comments = items.compactMap { if case let .string(v) = $0 { return v }; return nil }
                }
                guard let agency = s("agency"), let lead = s("lead") else { continue }
                for code in [agency, lead] where agencies[code] == nil { agencies[code] = Agency(code: code, name: code) }
                letters.append((Reply(request: "BENCH", agency: agency, received: Instant(seconds: 0),
                                      position: s("position").flatMap(Position.init(rawValue:)), comments: comments,
                                      text: s("text"), referTo: s("refer_to")), lead))
            }
        }
        guard !letters.isEmpty else { fatalError("no letters in \(arguments.dropFirst())") }
        let assessor = Assessor(extra: configuration.directory.phrases, agencies: agencies)
        let size = { (r: Reply) in (r.text ?? "").unicodeScalars.count + r.comments.map(\.unicodeScalars.count).reduce(0, +) }
        var checksum = 0
        func run(_ set: [(reply: Reply, lead: String)], rounds: Int) -> Double {
            let start = ContinuousClock.now
            for _ in 0..<rounds { for l in set { checksum &+= assessor.assess(l.reply, lead: l.lead).reasons.count } }
            let elapsed = ContinuousClock.now - start
            return (Double(elapsed.components.seconds) * 1e6 + Double(elapsed.components.attoseconds) / 1e12) / Double(set.count * rounds)
        }
        _ = run(letters, rounds: 1)  // tables built, caches warm
        let all = run(letters, rounds: 10)
        let longest = Array(letters.sorted { size($0.reply) > size($1.reply) }.prefix(20))
        let long = run(longest, rounds: 50)
        let characters = longest.map { size($0.reply) }.reduce(0, +) / longest.count
        print(String(format: "assessment in process: %d letters x 10: %.0f letters/s, %.0f us per letter", letters.count, 1e6 / all, all))
        print(String(format: "assessment in process: the 20 longest letters (%d characters on average): %.0f us per letter (target well under 1 ms)",
                     characters, long))
        if checksum == 42 { print("") }
    }
}
