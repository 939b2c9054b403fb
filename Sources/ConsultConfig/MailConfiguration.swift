import ConsultCore
import ConsultMail

/// `[mail]`: how consultd-mail hands notices to the local mail system (contract §8, §9). consultd
/// itself reads the table only to check it.
///
/// Keys, with defaults:
/// - `sendmail` (`/usr/sbin/sendmail`): an absolute path; run as `sendmail -oi -t -f ADDRESS`
///   with the message on its standard input.
/// - `from` (`consultd@DOMAIN`): the sender, `address` or `Name <address>` (the name may be
///   Vietnamese); its address is also the envelope sender, which receives bounces.
/// - `domain` (the host's name): the domain of `Message-ID: <NOTICE_ID@DOMAIN>` and of the
///   thread's `<CONSULTATION@DOMAIN>`. Keep it once chosen: a new domain starts new threads.
/// - `timeout` (60): seconds sendmail may take; one that has not finished is killed and the
///   notice tried again later, as after any temporary failure.
public struct MailConfiguration: Sendable, Equatable {
    public var sendmail: String
    public var from: Mailbox?
    public var domain: String?
    public var timeout: Int

    public static let defaultSendmail = "/usr/sbin/sendmail"

    public init(sendmail: String = Self.defaultSendmail, from: Mailbox? = nil, domain: String? = nil, timeout: Int = 60) {
        self.sendmail = sendmail
        self.from = from
        self.domain = domain
        self.timeout = timeout
    }

    init(_ table: TableReader?) throws(ConfigError) {
        self.init()
        guard let table else { return }
        try table.allowOnly(["sendmail", "from", "domain", "timeout"])
        if let path = try table.string("sendmail") {
            guard path.hasPrefix("/"), !path.hasSuffix("/") else {
                throw table.doc.error(table.path.appending("sendmail"), "must be the absolute path of a program, like /usr/sbin/sendmail")
            }
            sendmail = path
        }
        if let text = try table.string("from") {
            do {
                from = try Mailbox(text)
            } catch {
                throw table.doc.error(table.path.appending("from"), error.reason)
            }
        }
        if let name = try table.string("domain") {
            guard !name.hasPrefix("[") else {
                throw table.doc.error(table.path.appending("domain"), "must be a domain name, not an address literal")
            }
            if let why = MailAddress.domainProblem(Array(name.utf8)) {
                throw table.doc.error(table.path.appending("domain"), "\"\(Printable.text(name))\" is not a domain name: \(why)")
            }
            domain = name
        }
        if let seconds = try table.int("timeout", in: 1...3600) { timeout = seconds }
    }

    /// The identity messages are sent with: `from` and `domain` as configured, the missing ones
    /// from `hostName` (`consultd@HOST`; the host's name as the domain).
    public func identity(hostName: String) throws(Refusal) -> MailIdentity {
        let domain = self.domain ?? hostName
        if let from { return try MailIdentity(from: from, domain: domain) }
        return try MailIdentity(from: Mailbox(address: MailAddress("consultd@\(domain)")), domain: domain)
    }
}
