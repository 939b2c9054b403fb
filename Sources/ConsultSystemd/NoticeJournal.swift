import ConsultCore

extension Journal {
    /// The journal entry of a notice (contract §7); fields that do not apply are omitted.
    public func send(_ notice: Notice) {
        var fields: [(String, String)] = [
            ("MESSAGE_ID", MessageID.of(notice: notice.event)),
            ("CONSULT_EVENT", notice.event),
            ("CONSULT_ID", notice.consultation),
            ("CONSULT_LEAD", notice.lead),
            ("CONSULT_AGENCY", notice.agency ?? ""),
            ("CONSULT_DEADLINE", notice.deadline?.description ?? ""),
            ("CONSULT_DAYS_LATE", notice.daysLate > 0 ? String(notice.daysLate) : ""),
            ("CONSULT_STEP", notice.step ?? ""),
            ("CONSULT_NOTICE_ID", notice.noticeID),
            ("CONSULT_REASONS", notice.reasons.joined(separator: ",")),
        ]
        if notice.lateDetected { fields.append(("CONSULT_LATE_DETECTED", "1")) }
        // The subject names the title, which two consultations may share; the id tells them apart.
        send(message: "\(notice.subject) [\(notice.consultation)]", priority: notice.priority, fields: fields)
    }

    /// An entry about the daemon's own work (a document accepted, refused, held …), at the
    /// event's default priority unless `priority` says otherwise.
    public func send(_ event: Event, priority: Priority? = nil, message: String, fields: [(String, String)] = []) {
        send(message: message, priority: priority ?? event.defaultPriority,
             fields: [("MESSAGE_ID", event.messageID), ("CONSULT_EVENT", event.rawValue)] + fields)
    }
}
