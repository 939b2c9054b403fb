import ConsultConfig
import ConsultCore
import ConsultMail
import ConsultRuntime
import ConsultSpool
import ConsultSystemd
import Foundation
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// What consultd-mail takes from the configuration: the outbox, the time zone of `sent/`'s
/// dates, and `[mail]` with its defaults filled in from the host's name.
public struct MailSetup: Sendable {
    public let configPath: String
    public let outbox: String
    public let timeZone: TimeZone
    public let identity: MailIdentity
    public let sendmail: Sendmail
    /// Contacts of the configuration that are no e-mail address, as `agencies.STC.office[1]: why`:
    /// consultd accepts them (an e-office connector may read other kinds), but every notice to one
    /// would go to `failed/`. Told by `--check-config` and at each start and reload.
    public let contactProblems: [String]

    /// Reads and checks the configuration; a `from` or `domain` missing there comes from the
    /// host's name, which must then be a domain name.
    public static func load(path: String) throws(ConfigError) -> MailSetup {
        let configuration = try Configuration.load(path: path)
        return try MailSetup(configuration, hostName: hostName())
    }

    public init(_ configuration: Configuration, hostName: String) throws(ConfigError) {
        configPath = configuration.path
        outbox = configuration.outbox
        timeZone = configuration.timeZone
        let mail = configuration.mail
        do {
            identity = try mail.identity(hostName: hostName)
        } catch {
            throw ConfigError(file: configuration.path, line: nil, key: mail.domain == nil ? "mail.domain" : "mail.from",
                              message: "\(error.reason) (the default comes from the host's name, \"\(Printable.text(hostName))\"; set [mail] domain)")
        }
        sendmail = Sendmail(path: mail.sendmail, sender: identity.from.address, timeout: .seconds(mail.timeout))
        contactProblems = Self.contactProblems(configuration.directory)
    }

    static func contactProblems(_ directory: Directory) -> [String] {
        var lists: [(String, [String])] = [("leadership.contacts", directory.leadership)]
        for code in directory.agencies.keys.sorted() {
            let agency = directory.agencies[code]!
            lists += [("agencies.\(code).office", agency.office), ("agencies.\(code).head", agency.head)]
        }
        var problems: [String] = []
        for (key, contacts) in lists {
            for (i, contact) in contacts.enumerated() {
                do {
                    _ = try MailAddress(contact)
                } catch {
                    problems.append("\(key)[\(i + 1)]: \(error.reason)")
                }
            }
        }
        return problems
    }

    /// The host's name, as gethostname(2) gives it.
    public static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The courier for this setup, its outbox opened (and `sent/`, `failed/`, `.sending/` made).
    public func courier(journal: Journal, logger: Logger) throws(FileSystemError) -> Courier {
        Courier(outbox: try Outbox(path: outbox, maximumBytes: NoticeFile.maximumBytes), sendmail: sendmail, identity: identity,
                timeZone: timeZone, journal: journal, logger: logger)
    }
}
