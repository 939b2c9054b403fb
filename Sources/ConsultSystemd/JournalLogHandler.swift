import ConsultCore
import Logging

/// A swift-log handler that writes to the journal: the level becomes `PRIORITY`, metadata keys
/// become fields (made valid names), and the source location goes to `CODE_FILE`/`CODE_LINE`.
public struct JournalLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    private let journal: Journal

    public init(journal: Journal) { self.journal = journal }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields: [(String, String)] = []
        for (k, v) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }).sorted(by: { $0.key < $1.key }) {
            fields.append((k, "\(v)"))
        }
        fields.append(("CODE_FILE", event.file))
        fields.append(("CODE_LINE", String(event.line)))
        fields.append(("CODE_FUNC", event.function))
        journal.send(message: "\(event.message)", priority: Self.priority(event.level), fields: fields)
    }

    static func priority(_ level: Logger.Level) -> Priority {
        switch level {
        case .trace, .debug: return .debug
        case .info: return .info
        case .notice: return .notice
        case .warning: return .warning
        case .error: return .err
        case .critical: return .crit
        }
    }
}
