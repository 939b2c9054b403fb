/// The fixed `MESSAGE_ID` of each kind of journal entry (made once with `systemd-id128 new`).
/// `systemd/consultd.catalog` explains each one for `journalctl -x`. Never change an id.
public enum MessageID {
    public static let byEvent: [String: String] = [
        "reminder": "effc08ad1ba440f5af8b062e783b7fc4",
        "overdue": "efa87c90e9e84dda8954a4f9f855a6ee",
        "escalation-1": "092fd547635d4061a76513ce0e71ebb5",
        "escalation-2": "47da22d19d3943faa7d2b4ebf369cec2",
        "reconcile-overdue": "46b62cfe753f49c495c8fed0830f1628",
        "reconcile-escalation": "781f7a3733bc4b19bbe9177b21e0a45d",
        "vague": "7a630145134f416994c772e5210dd218",
        "deflection": "8a5db621fb9841e9b51839aa3b014407",
        "disagreement": "5ae34f3b4f3c47568da2386cdd2f9c36",
        "late-reply": "472d609e8e7a4f7f8072c0642f4c09fd",
        "completed": "8180ce479fc54ef894750779c22131c4",
        "deemed-agreement": "69c9d6facb8b4e86804c849a7acf42c7",
        "rejected": "db6d62281ed944dda16e48600bbf7819",
        "unauthorized": "9e3a2a01efab47db9832bbe126b8effb",
        "accepted": "0b98c610e79a407292e9dc7ec0f45e68",
        "held": "caf824949f9b47aaaa7484473c406fa7",
        "calendar-provisional": "c312ecd9df7d4004b1e2170435f19819",
        "outbox-failed": "1a21cd44c81b4a789acfbcb974875ded",
        "duplicate": "69c6b89ed0dc4d43945af0cfef0889db",
        "daemon": "d3fe5af32c0d440694270dd2bf139239",
        "config-invalid": "40395405da91427abdc992689e7ceb39",
        "stale-handoff": "0bf35e3812094dd0a63c546dad860194",
        "outbox-recovered": "558df90369464de08918b63faa4a80f6",
    ]

    /// Steps a city adds to its ladder share one id.
    public static let customStep = "990dd5350047408884681d5060d3b01c"

    public static func forEvent(_ event: String) -> String { byEvent[event] ?? customStep }
}
