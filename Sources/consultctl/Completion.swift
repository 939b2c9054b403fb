import ArgumentParser
import ConsultConfig
import ConsultCore
import ConsultStore
import Foundation

/// Shell completion of what only the site knows: consultation ids (`show ID`) and agency codes
/// (`--agency`, `--lead`). The shell runs `consultctl ---completion …` with the words typed so
/// far; the configuration they name (`--config`, else the default) is read, and the state store
/// opened read-only. Anything that fails — no configuration, a store this account may not read —
/// completes nothing and says nothing: a completion must never print into the command line.
enum Completion {
    /// At most this many ids are offered: typing more of the id narrows them.
    static let idLimit = 10_000

    /// Consultation ids beginning with the word being completed, from the state store's key
    /// (a walk from the prefix on, however many consultations there are).
    @Sendable static func consultationIDs(_ words: [String], _ index: Int, _ prefix: String) -> [String] {
        guard let settings = configuration(words), Access.problem(reading: settings.state, what: "") == nil,
              let store = try? Store(path: settings.state, readOnly: true, verify: false) else { return [] }
        return (try? store.read { tx in try tx.consultationIDs(prefix: prefix, limit: idLimit) }) ?? []
    }

    /// Agency codes: those the configuration declares and the leads the state store names.
    @Sendable static func agencyCodes(_ words: [String], _ index: Int, _ prefix: String) -> [String] {
        guard let settings = configuration(words) else { return [] }
        var codes = Set(settings.directory.agencies.keys)
        if Access.problem(reading: settings.state, what: "") == nil, let store = try? Store(path: settings.state, readOnly: true, verify: false),
           let leads = try? store.read({ tx in try tx.leads() }) {
            codes.formUnion(leads)
        }
        return codes.filter { $0.hasPrefix(prefix) }.sorted()
    }

    /// The configuration the words name, if it can be read.
    static func configuration(_ words: [String]) -> Configuration? {
        var path = Configuration.defaultPath
        for (i, word) in words.enumerated() {
            if word == "--config", i + 1 < words.count {
                path = shellWord(words[i + 1])
            } else if word.hasPrefix("--config=") {
                path = shellWord(String(word.dropFirst("--config=".count)))
            }
        }
        return try? Configuration.load(path: path)
    }

    /// A word as the shell would pass it on: quotes removed, backslash escapes resolved, a
    /// leading `~/` made the home folder (the shell hands words to completion as typed).
    static func shellWord(_ word: String) -> String {
        var out = ""
        var quote: Character?
        var escaped = false
        for c in word {
            if escaped {
                out.append(c)
                escaped = false
            } else if c == "\\" && quote != "'" {
                escaped = true
            } else if let q = quote {
                if c == q { quote = nil } else { out.append(c) }
            } else if c == "'" || c == "\"" {
                quote = c
            } else {
                out.append(c)
            }
        }
        if out.hasPrefix("~/"), let home = ProcessInfo.processInfo.environment["HOME"] { out = home + out.dropFirst() }
        return out
    }
}
