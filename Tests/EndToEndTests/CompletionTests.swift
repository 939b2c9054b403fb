import ConsultCore
import ConsultTestSupport
import Foundation
import Testing

/// consultctl's bash completion as installed (`--generate-completion-script bash`), sourced in
/// a bash and asked through the function `complete` registered for consultctl.
struct BashCompletion {
    let script: String

    init() throws {
        let r = try execute(binary("consultctl"), ["--generate-completion-script", "bash"])
        guard r.status == 0 else { throw CocoaError(.fileReadUnknown) }
        script = TemporaryFolder.name("completion", suffix: ".bash")
        try r.stdout.write(toFile: script, atomically: true, encoding: .utf8)
    }

    /// What bash offers for `line` (the cursor at its end), run in `directory`.
    func offers(_ line: String, in directory: String? = nil) throws -> (words: [String], stderr: String) {
        let r = try execute("/bin/bash", ["--norc", "--noprofile", "-c", #"""
            source "$1"
            line="$2"
            COMP_LINE="$line"; COMP_POINT=${#line}
            read -ra COMP_WORDS <<< "$line"
            [[ "$line" == *" " ]] && COMP_WORDS+=("")
            COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
            spec=$(complete -p consultctl) || exit 3
            function=${spec##*-F }; function=${function%% *}
            "$function" "${COMP_WORDS[0]}" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
            printf '%s\n' "${COMPREPLY[@]}"
            """#, "bash", script, line], in: directory)
        guard r.status == 0 else { throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: r.stderr]) }
        return (r.stdout.split(separator: "\n").map(String.init).sorted(), r.stderr)
    }
}

@Suite("Shell completion (bash)")
struct CompletionTests {
    @Test func filesIdsAndAgencyCodes() throws {
        let t = try TerminalSite()
        let bash = try BashCompletion()
        let ctl = binary("consultctl") + " --config " + t.site.config
        let folder = try TemporaryFolder.make("files")
        for file in ["reply.json", "notes.txt", "site.toml"] { _ = FileManager.default.createFile(atPath: folder + "/" + file, contents: Data()) }
        try FileManager.default.createDirectory(atPath: folder + "/outgoing", withIntermediateDirectories: true)

        for command in ["submit ", "validate ", "assess ", "submit reply.json "] {
            #expect(try bash.offers(ctl + " " + command, in: folder).words == ["outgoing", "reply.json"], "\(command)")
        }
        #expect(try bash.offers(binary("consultctl") + " --config ", in: folder).words == ["outgoing", "site.toml"])
        #expect(try bash.offers(ctl + " calendar diff ", in: folder).words == ["outgoing", "site.toml"])
        #expect(try bash.offers(ctl + " list --config ", in: folder).words == ["outgoing", "site.toml"])
        #expect(try bash.offers(ctl + " backup ", in: folder).words == ["notes.txt", "outgoing", "reply.json", "site.toml"])

        #expect(try bash.offers(ctl + " show ").words == ["TT-1", "TT-2"])
        #expect(try bash.offers(ctl + " show TT-1").words == ["TT-1"])
        #expect(try bash.offers(ctl + " show X").words.isEmpty)
        #expect(try bash.offers(ctl + " list --agency ").words == ["STC", "STP", "SXD", "SYT"])
        #expect(try bash.offers(ctl + " list --agency ST").words == ["STC", "STP"])
        #expect(try bash.offers(ctl + " assess --lead S").words == ["STC", "STP", "SXD", "SYT"])
        // --config after the subcommand, and --config=PATH, name the site too.
        #expect(try bash.offers(binary("consultctl") + " show --config " + t.site.config + " TT").words == ["TT-1", "TT-2"])
        #expect(try bash.offers(binary("consultctl") + " show --config=" + t.site.config + " TT").words == ["TT-1", "TT-2"])
        #expect(try bash.offers(ctl + " li").words == ["list"])
    }

    /// zsh and fish get the same: file patterns for the file arguments, consultctl itself for ids
    /// and codes (bash is the one run above; the scripts come from the same definitions).
    @Test func zshAndFishScriptsSayTheSame() throws {
        let zsh = try execute(binary("consultctl"), ["--generate-completion-script", "zsh"]).stdout
        #expect(zsh.contains(#"'*:files:_files -g '\''*.json'\'''"#))
        #expect(zsh.contains(#"--config[Configuration file.]:config:_files -g '\''*.toml'\'''"#))
        #expect(zsh.contains("---completion show -- positional@0"))
        #expect(zsh.contains("---completion list -- --agency"))
        let fish = try execute(binary("consultctl"), ["--generate-completion-script", "fish"]).stdout
        #expect(fish.contains(#""consultctl submit" -ge 1' -fa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'json\'"#))
        #expect(fish.contains("---completion show -- positional@0"))
        #expect(fish.contains("---completion list -- --agency"))
    }

    /// A completion never prints into the command line: no configuration, no store, nothing.
    @Test func failingQuietly() throws {
        let bash = try BashCompletion()
        let folder = try TemporaryFolder.make("quiet")
        for config in [folder + "/missing.toml", "/etc/passwd"] {
            for line in [" show ", " list --agency "] {
                let r = try bash.offers(binary("consultctl") + " --config " + config + line)
                #expect(r.words.isEmpty, "\(config)\(line)")
                #expect(r.stderr.isEmpty, "\(config)\(line): \(r.stderr)")
            }
        }
        // A configuration whose store does not exist yet: the declared agencies, no ids.
        let site = try Site()
        #expect(try bash.offers(binary("consultctl") + " --config " + site.config + " show ").words.isEmpty)
        #expect(try bash.offers(binary("consultctl") + " --config " + site.config + " list --agency S").words == ["STC", "STP", "SXD", "SYT"])
        #expect(!FileManager.default.fileExists(atPath: site.root + "/state"), "completion created the state folder")
    }

    /// With a million duties (100,000 consultations of ten), ids and codes still complete at once:
    /// the ids are a walk of the consultations' key, the codes one scan of the consultations.
    @Test(.tags(.slow), .skippedWhenFast) func fastWithAMillionDuties() throws {
        let site = try Site()
        site.put("req.json", """
            {"kind": "request", "id": "BIG-0000000", "title": "Dự thảo kế hoạch", "lead": "SXD", "consulted": ["STC", "STP", "SYT"],
             "sent": "2025-03-03T09:00:00+07:00", "deadline": "2025-03-20"}
            """)
        #expect(try site.once("2025-03-04T09:00:00+07:00").status == 0)
        let state = site.root + "/state/state.sqlite"
        // Copies of the consultation and its duties, ten duties each (agencies A0–A9).
        let grow = try execute("/usr/bin/sqlite3", [state, """
            PRAGMA journal_mode = WAL;
            BEGIN;
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)
            INSERT INTO consultations SELECT printf('BIG-%07d', i), title, lead, consulted, sent, urgency, reply_days, deadline,
                reference, state, opened_at, next_step_at FROM consultations, n WHERE id = 'BIG-0000000';
            WITH RECURSIVE a(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM a WHERE k < 9)
            INSERT INTO duties SELECT c.id, d.kind, 'A' || k, 'A' || k, d.due, d.basis, d.status, d.verdict, d.reasons, d.first_verdict,
                d.latest_reply_at, d.ended_at, d.days_late, d.next_step_at, d.evidence, d.position
                FROM consultations c, a, duties d WHERE d.consultation = 'BIG-0000000' AND d.agency = 'STC' AND c.id != 'BIG-0000000';
            COMMIT;
            SELECT count(*) FROM duties;
            """])
        #expect(grow.stdout.split(separator: "\n").last.flatMap { Int($0) }.map { $0 >= 1_000_000 } == true, "\(grow.stdout) \(grow.stderr)")
        let bash = try BashCompletion()
        let ctl = binary("consultctl") + " --config " + site.config
        for (line, count) in [(" show BIG-00012", 100), (" show ", 10_000), (" list --agency ", 4)] {
            let start = Date()
            let words = try bash.offers(ctl + line).words
            let seconds = Date().timeIntervalSince(start)
            #expect(words.count == count, "\(line)")
            // A debug build on a shared machine; measured 0.1–0.2 s.
            #expect(seconds < 2, "\(line): \(seconds) s")
        }
    }
}
