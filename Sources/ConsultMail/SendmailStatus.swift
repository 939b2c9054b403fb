import ConsultCore

/// What sendmail's exit says (sysexits.h), and what follows for the notice.
public enum SendmailStatus {
    /// What to do with a notice after sendmail ran.
    public enum Verdict: Sendable, Equatable {
        /// Exit 0: handed to the mail system.
        case delivered
        /// The mail system cannot take it now: the notice stays and is sent again later.
        case temporary
        /// This message can never go (its data or an address is refused): `outbox/failed/`.
        case permanent
    }

    /// Exit statuses that condemn the message itself: EX_DATAERR (65), EX_NOUSER (67),
    /// EX_NOHOST (68). Every other failure — EX_TEMPFAIL (75), and also EX_USAGE, EX_UNAVAILABLE,
    /// EX_SOFTWARE, EX_OSERR, EX_CANTCREAT, EX_IOERR, EX_NOPERM, EX_CONFIG, a signal, an unknown
    /// status — says something of the mail system or of its configuration, which an administrator
    /// fixes: those notices wait, rather than all land in `failed/`.
    public static func verdict(exitStatus: Int32) -> Verdict {
        switch exitStatus {
        case 0: .delivered
        case 65, 67, 68: .permanent
        default: .temporary
        }
    }

    /// sysexits.h's name of a status, e.g. `EX_TEMPFAIL`; nil for a status it does not name.
    public static func name(_ status: Int32) -> String? {
        switch status {
        case 64: "EX_USAGE"
        case 65: "EX_DATAERR"
        case 66: "EX_NOINPUT"
        case 67: "EX_NOUSER"
        case 68: "EX_NOHOST"
        case 69: "EX_UNAVAILABLE"
        case 70: "EX_SOFTWARE"
        case 71: "EX_OSERR"
        case 72: "EX_OSFILE"
        case 73: "EX_CANTCREAT"
        case 74: "EX_IOERR"
        case 75: "EX_TEMPFAIL"
        case 76: "EX_PROTOCOL"
        case 77: "EX_NOPERM"
        case 78: "EX_CONFIG"
        default: nil
        }
    }
}

extension Refusal.Code {
    /// sendmail refused the message for good (EX_DATAERR, EX_NOUSER, EX_NOHOST).
    public static let sendmailRefused = Refusal.Code(rawValue: "sendmail_refused")
    /// The notice was handed to sendmail twice and consultd-mail was killed each time before it
    /// learnt the outcome: a third attempt could make a third copy, so it waits in `failed/`.
    public static let uncertainDelivery = Refusal.Code(rawValue: "uncertain_delivery")
}
