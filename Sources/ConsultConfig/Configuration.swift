import ConsultCore
import Foundation

/// Whose files may speak for an agency.
public enum AuthorizationMode: String, Sendable {
    /// A document's file owner must be a submitter of the agency it speaks for.
    case owner
    /// No check: for a single-user demo.
    case off
}

/// The daemon's configuration (contract §9), validated.
///
/// Keys, with defaults:
/// - `spool` (`/var/spool/consultd`): the spool root holding `tmp/`, `new/`, `done/`, `rejected/`.
/// - `outbox` (`SPOOL/outbox`): where notices are written for a mailer.
/// - `state` (`/var/lib/consultd/state.sqlite`): the SQLite state store.
/// - `timezone` (`Asia/Ho_Chi_Minh`): the zone of local dates and office hours.
/// - `locale` (`vi`; or `en`): the language of notices.
/// - `calendar` (`/etc/consultd/calendars/vn.toml`; relative to the config file's folder).
/// - `authorization` (`owner`; or `off`).
/// - `max_document_bytes` (1048576): larger spool files are refused `too_large`.
/// - `[policy]`, `[[policy.ladder]]`, `[assessment]`, `[leadership]`, `[agencies.CODE]` (`name`,
///   `aliases`, `office`, `head`, `submitters`): see `config/consultd.toml`.
/// - `[metrics]` `textfile_dir`: where the daemon writes `consultd.prom` for node_exporter's
///   textfile collector; absent, `/var/lib/prometheus/node-exporter` when that folder exists
///   (Debian's `prometheus-node-exporter`), else no metrics; `""` turns them off.
/// - `[retention]` (`done_days`, `rejected_days`, `sent_days`; each absent: keep for ever): days
///   to keep `done/DATE/`, `rejected/` and `outbox/sent/DATE/`, files of open consultations aside.
/// - `[report]` `office`: the office that issues `consultctl report`'s page (none: the host's name).
/// - `[mail]` (`sendmail`, `from`, `domain`, `timeout`): read by consultd-mail, see
///   ``MailConfiguration``.
public struct Configuration: Sendable {
    public var path: String
    public var spool: String
    public var outbox: String
    public var state: String
    public var timeZone: TimeZone
    public var calendarPath: String
    public var authorization: AuthorizationMode
    public var maxDocumentBytes: Int
    public var retention: Retention
    public var directory: Directory
    /// Where `consultd.prom` is written (`[metrics] textfile_dir`); nil: no metrics.
    public var metricsDirectory: String?

    /// The textfile collector's folder of Debian's `prometheus-node-exporter`.
    public static let defaultMetricsDirectory = "/var/lib/prometheus/node-exporter"
    /// `[report] office`: who issues the scorecard page.
    public var reportOffice: String?
    public var mail: MailConfiguration

    public static let defaultPath = "/etc/consultd/consultd.toml"

    /// Reads and validates a configuration file.
    public static func load(path: String) throws(ConfigError) -> Configuration {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(file: path, line: nil, key: nil, message: "cannot read the file (missing or not readable)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(file: path, line: nil, key: nil, message: "the file is not valid UTF-8")
        }
        return try parse(text, path: path)
    }

    /// Validates configuration text; `path` names it in errors and anchors relative paths.
    public static func parse(_ text: String, path: String) throws(ConfigError) -> Configuration {
        let doc = try TOMLDocument(text: text, path: path)
        let reader = TableReader(doc: doc, table: doc.root, path: KeyPath())
        try reader.allowOnly(["spool", "outbox", "state", "timezone", "locale", "calendar", "authorization",
                              "max_document_bytes", "policy", "assessment", "leadership", "agencies", "metrics", "retention",
                              "report", "mail"])
        // Relative paths are anchored at the config file's folder; `--config consultd.toml` names the
        // working directory, which is written out so no path ends up with an empty parent folder.
        let folder = (path as NSString).deletingLastPathComponent
        let base = folder.isEmpty ? FileManager.default.currentDirectoryPath : folder
        func resolve(_ p: String) -> String { p.hasPrefix("/") ? p : base + "/" + p }

        let spool = resolve(try reader.string("spool") ?? "/var/spool/consultd")
        let outbox = try reader.string("outbox").map(resolve) ?? spool + "/outbox"
        let state = resolve(try reader.string("state") ?? "/var/lib/consultd/state.sqlite")
        let zoneName = try reader.string("timezone") ?? "Asia/Ho_Chi_Minh"
        guard let zone = TimeZone(identifier: zoneName) else {
            throw doc.error(KeyPath().appending("timezone"), "unknown time zone \"\(zoneName)\" (use an IANA name such as Asia/Ho_Chi_Minh)")
        }
        let locale = try reader.enumeration("locale", NoticeLocale.self) ?? .vi
        let calendar = resolve(try reader.string("calendar") ?? "/etc/consultd/calendars/vn.toml")
        let authorization = try reader.enumeration("authorization", AuthorizationMode.self) ?? .owner
        let maxBytes = try reader.int("max_document_bytes", in: 1...(64 << 20)) ?? (1 << 20)

        let policy = try Self.policy(reader.subtable("policy"))
        var phrases = ExtraPhrases()
        if let assessment = try reader.subtable("assessment") {
            try assessment.allowOnly(["vague_phrases", "deflection_phrases"])
            phrases = ExtraPhrases(vague: try assessment.strings("vague_phrases") ?? [],
                                   deflection: try assessment.strings("deflection_phrases") ?? [])
        }
        var leadership: [String] = []
        if let table = try reader.subtable("leadership") {
            try table.allowOnly(["contacts"])
            leadership = try table.strings("contacts") ?? []
        }
        let agencies = try Self.agencies(reader.subtable("agencies"), doc: doc)
        var metrics: String?
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: Self.defaultMetricsDirectory, isDirectory: &isFolder), isFolder.boolValue {
            metrics = Self.defaultMetricsDirectory
        }
        if let table = try reader.subtable("metrics") {
            try table.allowOnly(["textfile_dir"])
            if let dir = try table.string("textfile_dir") { metrics = dir.isEmpty ? nil : resolve(dir) }
        }
        var retention = Retention()
        if let table = try reader.subtable("retention") {
            try table.allowOnly(["done_days", "rejected_days", "sent_days"])
            retention = Retention(doneDays: try table.int("done_days", in: 0...36_500),
                                  rejectedDays: try table.int("rejected_days", in: 0...36_500),
                                  sentDays: try table.int("sent_days", in: 0...36_500))
        }
        var office: String?
        if let report = try reader.subtable("report") {
            try report.allowOnly(["office"])
            office = try report.string("office")
        }
        let mail = try MailConfiguration(reader.subtable("mail"))
        return Configuration(path: path, spool: spool, outbox: outbox, state: state, timeZone: zone,
                             calendarPath: calendar, authorization: authorization, maxDocumentBytes: maxBytes, retention: retention,
                             directory: Directory(agencies: agencies, leadership: leadership, policy: policy,
                                                  locale: locale, phrases: phrases),
                             metricsDirectory: metrics, reportOffice: office, mail: mail)
    }

    /// `[agencies.CODE]`: each agency's names and contacts, and who may submit for it.
    static func agencies(_ table: TableReader?, doc: TOMLDocument) throws(ConfigError) -> [String: Agency] {
        guard let table else { return [:] }
        var agencies: [String: Agency] = [:]
        for code in table.table.keys.sorted() {
            guard Identifier.isValid(code) else {
                throw doc.error(table.path.appending(code), "agency code must match ^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
            }
            guard let agency = try table.subtable(code) else { continue }
            try agency.allowOnly(["name", "aliases", "office", "head", "submitters"])
            let submitters = try (agency.strings("submitters") ?? []).enumerated().map { (i, s) throws(ConfigError) -> Submitter in
                if s.hasPrefix("user:"), s.count > 5 { return .user(String(s.dropFirst(5))) }
                if s.hasPrefix("group:"), s.count > 6 { return .group(String(s.dropFirst(6))) }
                throw doc.error(agency.path.appending("submitters").appending(index: i),
                                "a submitter is \"user:NAME\" or \"group:NAME\", not \"\(s)\"")
            }
            let name = try agency.string("name") ?? code
            let aliases = try agency.strings("aliases") ?? []
            for (i, alias) in aliases.enumerated() where Words(alias).isEmpty {
                throw doc.error(agency.path.appending("aliases").appending(index: i),
                                "an alias needs at least one letter or digit, not \"\(alias)\"")
            }
            agencies[code] = Agency(code: code, name: name, aliases: aliases, office: try agency.strings("office") ?? [],
                                    head: try agency.strings("head") ?? [], submitters: submitters)
        }
        try Self.checkNamesDistinct(agencies, doc: doc, table: table)
        return agencies
    }

    /// Names and aliases identify agencies in replies ("đề nghị lấy ý kiến Sở Tư pháp"): two
    /// agencies may not share one, however it is spelt (case and diacritics aside).
    static func checkNamesDistinct(_ agencies: [String: Agency], doc: TOMLDocument, table: TableReader) throws(ConfigError) {
        var owner: [String: String] = [:]
        for agency in agencies.values.sorted(by: { $0.code < $1.code }) {
            for (i, text) in ([agency.code, agency.name] + agency.aliases).enumerated() {
                let key = Words(text).folded.joined(separator: " ")
                if let other = owner[key], other != agency.code {
                    let path = i == 0 ? table.path.appending(agency.code)
                        : i == 1 ? table.path.appending(agency.code).appending("name")
                        : table.path.appending(agency.code).appending("aliases").appending(index: i - 2)
                    throw doc.error(path, "\"\(text)\" already names agency \(other); a name or alias may name one agency only")
                }
                owner[key] = agency.code
            }
        }
    }

    static func policy(_ table: TableReader?) throws(ConfigError) -> Policy {
        var policy = Policy()
        guard let t = table else { return policy }
        try t.allowOnly(["default_reply_days", "office_open", "reconcile_days", "silence", "orphan_days", "ladder"])
        if let days = try t.subtable("default_reply_days") {
            try days.allowOnly(Urgency.allCases.map(\.rawValue))
            for urgency in Urgency.allCases {
                if let n = try days.int(urgency.rawValue, in: 1...366) { policy.defaultReplyDays[urgency] = n }
            }
        }
        if let open = try t.clockTime("office_open") { policy.officeOpenMinute = open }
        if let n = try t.int("reconcile_days", in: 1...366) { policy.reconcileDays = n }
        if let s = try t.enumeration("silence", SilenceRule.self) { policy.silence = s }
        if let n = try t.int("orphan_days", in: 1...3650) { policy.orphanDays = n }
        if let steps = try t.tableArray("ladder") {
            var ladder: [LadderStep] = []
            var names: Set<String> = []
            for step in steps {
                try step.allowOnly(["duty", "step", "offset", "priority", "notify"])
                guard let duty = try step.enumeration("duty", DutyKind.self) else { throw step.missing("duty") }
                guard let name = try step.string("step") else { throw step.missing("step") }
                guard Identifier.isValid(name) else {
                    throw step.doc.error(step.path.appending("step"), "a step name is letters, digits, '.', '_', '-'")
                }
                guard names.insert(name).inserted else {
                    throw step.doc.error(step.path.appending("step"), "step \"\(name)\" is defined twice")
                }
                guard let offset = try step.int("offset", in: -60...60) else { throw step.missing("offset") }
                guard let priority = try step.enumeration("priority", Priority.self) else { throw step.missing("priority") }
                var notify: [Recipient] = []
                for (i, n) in (try step.strings("notify") ?? []).enumerated() {
                    guard let r = Recipient(rawValue: n) else {
                        throw step.doc.error(step.path.appending("notify").appending(index: i),
                                             "unknown recipient \"\(n)\"; use agency.office, agency.head, lead.office, lead.head or leadership")
                    }
                    notify.append(r)
                }
                ladder.append(LadderStep(duty: duty, name: name, offset: offset, priority: priority, notify: notify))
            }
            policy.ladder = Ladder(steps: ladder)
        }
        return policy
    }
}

/// Typed, path-aware reads from one TOML table.
struct TableReader {
    let doc: TOMLDocument
    let table: [String: TOMLNode]
    let path: KeyPath

    func missing(_ key: String) -> ConfigError { doc.error(path.appending(key), "required key is missing") }

    private func wrong(_ key: String, _ expected: String, _ node: TOMLNode) -> ConfigError {
        doc.error(path.appending(key), "must be \(expected), not \(node.typeName)")
    }

    func allowOnly(_ keys: [String]) throws(ConfigError) {
        for key in table.keys.sorted() where !keys.contains(key) {
            throw doc.error(path.appending(key), "unknown key (known here: \(keys.joined(separator: ", ")))")
        }
    }

    func string(_ key: String) throws(ConfigError) -> String? {
        guard let node = table[key] else { return nil }
        guard case let .string(s) = node else { throw wrong(key, "a string", node) }
        return s
    }

    func strings(_ key: String) throws(ConfigError) -> [String]? {
        guard let node = table[key] else { return nil }
        guard case let .array(items) = node else { throw wrong(key, "an array of strings", node) }
        var result: [String] = []
        for (i, item) in items.enumerated() {
            guard case let .string(s) = item else {
                throw doc.error(path.appending(key).appending(index: i), "must be a string, not \(item.typeName)")
            }
            result.append(s)
        }
        return result
    }

    func int(_ key: String, in range: ClosedRange<Int>) throws(ConfigError) -> Int? {
        guard let node = table[key] else { return nil }
        guard case let .int(n) = node else { throw wrong(key, "an integer", node) }
        guard range.contains(n) else { throw doc.error(path.appending(key), "must be between \(range.lowerBound) and \(range.upperBound)") }
        return n
    }

    func enumeration<E: RawRepresentable>(_ key: String, _: E.Type) throws(ConfigError) -> E? where E.RawValue == String {
        guard let s = try string(key) else { return nil }
        guard let value = E(rawValue: s) else { throw doc.error(path.appending(key), "unknown value \"\(s)\"") }
        return value
    }

    /// `"HH:MM"` (or a TOML local time) as minutes after midnight.
    func clockTime(_ key: String) throws(ConfigError) -> Int? {
        guard let node = table[key] else { return nil }
        switch node {
        case let .time(h, m): return h * 60 + m
        case let .string(s):
            let parts = s.split(separator: ":")
            guard parts.count == 2, parts[0].count == 2, parts[1].count == 2, let h = Int(parts[0]), let m = Int(parts[1]),
                  (0..<24).contains(h), (0..<60).contains(m) else {
                throw doc.error(path.appending(key), "must be a time \"HH:MM\", not \"\(s)\"")
            }
            return h * 60 + m
        default: throw wrong(key, "a time \"HH:MM\"", node)
        }
    }

    func subtable(_ key: String) throws(ConfigError) -> TableReader? {
        guard let node = table[key] else { return nil }
        guard case let .table(t) = node else { throw wrong(key, "a table", node) }
        return TableReader(doc: doc, table: t, path: path.appending(key))
    }

    func tableArray(_ key: String) throws(ConfigError) -> [TableReader]? {
        guard let node = table[key] else { return nil }
        guard case let .array(items) = node else { throw wrong(key, "an array of tables ([[\(path.appending(key))]])", node) }
        var result: [TableReader] = []
        for (i, item) in items.enumerated() {
            guard case let .table(t) = item else {
                throw doc.error(path.appending(key).appending(index: i), "must be a table, not \(item.typeName)")
            }
            result.append(TableReader(doc: doc, table: t, path: path.appending(key).appending(index: i)))
        }
        return result
    }

    /// A date as a TOML local date or a `"YYYY-MM-DD"` string.
    func date(_ key: String) throws(ConfigError) -> LocalDate? {
        guard let node = table[key] else { return nil }
        switch node {
        case let .date(y, m, d):
            guard let date = LocalDate(year: y, month: m, day: d) else { throw doc.error(path.appending(key), "not a real date") }
            return date
        case let .string(s):
            guard let date = LocalDate(iso: s) else { throw doc.error(path.appending(key), "must be a date YYYY-MM-DD, not \"\(s)\"") }
            return date
        default: throw wrong(key, "a date", node)
        }
    }
}
