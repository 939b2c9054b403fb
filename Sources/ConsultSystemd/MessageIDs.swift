import ConsultCore

extension Event {
    /// The event's fixed `MESSAGE_ID` (made once with `systemd-id128 new`), explained for
    /// `journalctl -x` by `systemd/consultd.catalog`. Never change an id.
    public var messageID: String {
        switch self {
        case .reminder: "effc08ad1ba440f5af8b062e783b7fc4"
        case .overdue: "efa87c90e9e84dda8954a4f9f855a6ee"
        case .escalation1: "092fd547635d4061a76513ce0e71ebb5"
        case .escalation2: "47da22d19d3943faa7d2b4ebf369cec2"
        case .reconcileOverdue: "46b62cfe753f49c495c8fed0830f1628"
        case .reconcileEscalation: "781f7a3733bc4b19bbe9177b21e0a45d"
        case .vague: "7a630145134f416994c772e5210dd218"
        case .deflection: "8a5db621fb9841e9b51839aa3b014407"
        case .disagreement: "5ae34f3b4f3c47568da2386cdd2f9c36"
        case .lateReply: "472d609e8e7a4f7f8072c0642f4c09fd"
        case .completed: "8180ce479fc54ef894750779c22131c4"
        case .deemedAgreement: "69c9d6facb8b4e86804c849a7acf42c7"
        case .backdatedReply: "30f1e260673e4966aafa940498376f9e"
        case .rejected: "db6d62281ed944dda16e48600bbf7819"
        case .unauthorized: "9e3a2a01efab47db9832bbe126b8effb"
        case .accepted: "0b98c610e79a407292e9dc7ec0f45e68"
        case .held: "caf824949f9b47aaaa7484473c406fa7"
        case .calendarProvisional: "c312ecd9df7d4004b1e2170435f19819"
        case .outboxFailed: "1a21cd44c81b4a789acfbcb974875ded"
        case .duplicate: "69c6b89ed0dc4d43945af0cfef0889db"
        case .daemon: "d3fe5af32c0d440694270dd2bf139239"
        case .configInvalid: "40395405da91427abdc992689e7ceb39"
        case .staleHandoff: "0bf35e3812094dd0a63c546dad860194"
        case .outboxRecovered: "558df90369464de08918b63faa4a80f6"
        case .retention: "c75cafc3b68342669b1c742cf938b606"
        case .restored: "8a84e4638ece4c719227151eb5ecdcb0"
        case .replayed: "0227be4d7c5b4efeaf12e4ab91181ae3"
        case .mailSent: "c3253845fd33418bbbc7e998ab769c20"
        case .mailFailed: "e3ee152fad364968a59e8a90b7611b41"
        case .mailRecovered: "ee48e3dae346476d91b67ede998c3461"
        case .mailRefused: "fd9c94b6b763451ba85688c2aac1eeb7"
        }
    }
}

/// `MESSAGE_ID`s of notices, whose event may be a city's own ladder step.
public enum MessageID {
    /// Steps a city adds to its ladder share one id.
    public static let customStep = "990dd5350047408884681d5060d3b01c"

    /// The id of a notice's event token.
    public static func of(notice event: String) -> String { Event(rawValue: event)?.messageID ?? customStep }
}
