/// Writes notices: recipients from the directory, subject and body in the configured language,
/// and a body that explains the deadline (sent date, working days counted, days off skipped).
public struct NoticeComposer: Sendable {
    public let directory: Directory
    public let clock: LocalClock

    public init(directory: Directory, clock: LocalClock) {
        self.directory = directory
        self.clock = clock
    }

    public func compose(_ spec: NoticeSpec, id: String, request: Request, duty: Duty?, daysLate: Int,
                        lateDetected: Bool, reasons: [String], backdating: Backdating? = nil, now: Instant) -> Notice {
        let agency = duty?.agency
        var to: [String] = []
        var cc: [String] = []
        for (i, recipient) in spec.notify.enumerated() {
            for contact in directory.contacts(recipient, lead: request.lead, agency: agency ?? request.lead)
            where !to.contains(contact) && !cc.contains(contact) {
                if i == 0 { to.append(contact) } else { cc.append(contact) }
            }
        }
        if to.isEmpty { swap(&to, &cc) }
        let text = Wording(locale: directory.locale, directory: directory, request: request, duty: duty,
                           daysLate: daysLate, lateDetected: lateDetected, reasons: reasons,
                           backdating: backdating.map { (clock.format($0.received), $0.noticeID, clock.format($0.noticeAt)) })
        let (subject, lead) = text.headline(spec)
        var body = lead
        if [Event.vague.rawValue, Event.deflection.rawValue].contains(spec.event), let evidence = duty?.assessment?.evidence,
           !evidence.isEmpty {
            body += "\n\n" + text.evidence(evidence)
        }
        if let duty { body += "\n\n" + text.explain(duty.basis, kind: duty.kind) }
        if lateDetected { body += "\n\n" + text.lateDetectedNote }
        body += "\n\n" + text.footer(id: id)
        return Notice(noticeID: id, event: spec.event, step: spec.step, priority: spec.priority, consultation: request.id,
                      title: request.title, lead: request.lead, agency: agency, deadline: duty?.due, daysLate: daysLate,
                      lateDetected: lateDetected, reasons: reasons, to: to, cc: cc, subject: subject, body: body,
                      created: clock.format(now))
    }
}

/// A reply received before a ladder notice already sent for its duty (contract §3): the two
/// instants the `backdated-reply` notice names.
public struct Backdating: Sendable, Equatable {
    public let received: Instant
    public let noticeID: String
    public let noticeAt: Instant

    public init(received: Instant, noticeID: String, noticeAt: Instant) {
        self.received = received
        self.noticeID = noticeID
        self.noticeAt = noticeAt
    }
}

/// The sentences of one notice, in one language.
struct Wording {
    let locale: NoticeLocale
    let directory: Directory
    let request: Request
    let duty: Duty?
    let daysLate: Int
    let lateDetected: Bool
    let reasons: [String]
    /// For `backdated-reply`: the reply's `received`, and the notice it contradicts and when that was sent.
    var backdating: (received: String, noticeID: String, noticeAt: String)?

    var vi: Bool { locale == .vi }
    var leadName: String { directory.name(of: request.lead) }
    var agencyName: String { duty.map { directory.name(of: $0.agency) } ?? leadName }
    var title: String { "«\(request.title)» (\(request.id))" }
    var due: String { duty.map { date($0.due) } ?? "" }

    func date(_ d: LocalDate) -> String { vi ? d.vietnameseStyle : d.description }

    /// Subject line and opening paragraph.
    func headline(_ spec: NoticeSpec) -> (String, String) {
        if let text = stepHeadline(spec) ?? eventHeadline(spec) { return text }
        // A city's own ladder step.
        let step = spec.step ?? spec.event
        return vi ? ("\(step): \(agencyName) – \(request.title)",
                     "Bước \(step) của dự thảo \(title) đối với \(agencyName). Hạn là ngày \(due); quá \(daysLate) ngày làm việc.")
            : ("\(step): \(agencyName) – \(request.title)",
               "Step \(step) for \(agencyName) on \(title). Due \(due); \(daysLate) working day(s) late.")
    }

    /// The headline of a step of the default ladder.
    private func stepHeadline(_ spec: NoticeSpec) -> (String, String)? {
        switch Event(rawValue: spec.event) {
        case .reminder:
            return vi ? ("Nhắc hạn góp ý: \(agencyName) – \(request.title)",
                         "\(leadName) đề nghị \(agencyName) gửi ý kiến về dự thảo \(title). Hạn trả lời là ngày \(due).")
                : ("Reminder: opinion due from \(agencyName) – \(request.title)",
                   "\(leadName) asked \(agencyName) for a written opinion on \(title). The reply is due on \(due).")
        case .overdue:
            return vi ? ("Quá hạn góp ý: \(agencyName) – \(request.title)",
                         "\(agencyName) chưa có ý kiến rõ ràng về dự thảo \(title). Hạn trả lời là ngày \(due), đã quá \(daysLate) ngày làm việc.")
                : ("Overdue: no clear opinion from \(agencyName) – \(request.title)",
                   "\(agencyName) has not given a clear opinion on \(title). It was due on \(due) and is \(daysLate) working day(s) late.")
        case .escalation1:
            return vi ? ("Báo cáo Thủ trưởng: \(agencyName) quá hạn góp ý – \(request.title)",
                         "Kính báo cáo Thủ trưởng \(agencyName): đơn vị chưa có ý kiến rõ ràng về dự thảo \(title) của \(leadName). Hạn trả lời là ngày \(due), đã quá \(daysLate) ngày làm việc.")
                : ("To the head of \(agencyName): opinion overdue – \(request.title)",
                   "To the head of \(agencyName): your agency has not given a clear opinion on \(title) from \(leadName). It was due on \(due) and is \(daysLate) working day(s) late.")
        case .escalation2:
            return vi ? ("Báo cáo Lãnh đạo Thành phố: \(agencyName) quá hạn góp ý – \(request.title)",
                         "Kính báo cáo Lãnh đạo Thành phố: \(agencyName) chưa có ý kiến rõ ràng về dự thảo \(title) của \(leadName). Hạn trả lời là ngày \(due), đã quá \(daysLate) ngày làm việc.")
                : ("To the city leadership: \(agencyName) has not answered – \(request.title)",
                   "To the city leadership: \(agencyName) has not given a clear opinion on \(title) from \(leadName). It was due on \(due) and is \(daysLate) working day(s) late.")
        case .reconcileOverdue:
            return vi ? ("Quá hạn thống nhất ý kiến với \(agencyName) – \(request.title)",
                         "Thủ trưởng \(leadName) chưa làm việc trực tiếp với Thủ trưởng \(agencyName) để thống nhất ý kiến khác nhau về dự thảo \(title). Hạn là ngày \(due), đã quá \(daysLate) ngày làm việc.")
                : ("Disagreement with \(agencyName) not yet reconciled – \(request.title)",
                   "The head of \(leadName) has not yet settled the disagreement with the head of \(agencyName) on \(title). It was due on \(due) and is \(daysLate) working day(s) late.")
        case .reconcileEscalation:
            return vi ? ("Báo cáo Lãnh đạo Thành phố: ý kiến khác nhau chưa được xử lý – \(request.title)",
                         "Kính báo cáo Lãnh đạo Thành phố: ý kiến khác nhau giữa \(leadName) và \(agencyName) về dự thảo \(title) chưa được thống nhất. Hạn là ngày \(due), đã quá \(daysLate) ngày làm việc.")
                : ("To the city leadership: disagreement unresolved – \(request.title)",
                   "To the city leadership: the disagreement between \(leadName) and \(agencyName) on \(title) is still unresolved. It was due on \(due) and is \(daysLate) working day(s) late.")
        default:
            return nil
        }
    }

    /// The headline of an immediate event.
    private func eventHeadline(_ spec: NoticeSpec) -> (String, String)? {
        switch Event(rawValue: spec.event) {
        case .vague:
            return vi ? ("Ý kiến chưa rõ ràng: \(agencyName) – \(request.title)",
                         "Ý kiến của \(agencyName) về dự thảo \(title) chưa thể hiện quan điểm rõ ràng (\(reasonList)). Ý kiến này chưa được coi là đã trả lời; hạn trả lời vẫn là ngày \(due).")
                : ("Unclear opinion: \(agencyName) – \(request.title)",
                   "The opinion of \(agencyName) on \(title) does not take a clear position (\(reasonList)). It does not count as an answer; the reply is still due on \(due).")
        case .deflection where reasons.contains(AssessmentReason.competentAgencyInvalid):
            return vi ? ("Ý kiến không xác định cơ quan có thẩm quyền: \(agencyName) – \(request.title)",
                         "Ý kiến của \(agencyName) về dự thảo \(title) chuyển trách nhiệm cho một cơ quan không hợp lệ (không có trong danh sách, là chính \(agencyName) hoặc là cơ quan chủ trì). Ý kiến này chưa được coi là đã trả lời; hạn trả lời vẫn là ngày \(due).")
                : ("Competence referred to no valid agency: \(agencyName) – \(request.title)",
                   "The opinion of \(agencyName) on \(title) refers the matter to an agency that is not valid (not declared, \(agencyName) itself, or the lead). This does not count as an answer; the reply is still due on \(due).")
        case .deflection:
            return vi ? ("Ý kiến không xác định cơ quan có thẩm quyền: \(agencyName) – \(request.title)",
                         "\(agencyName) cho rằng nội dung dự thảo \(title) không thuộc thẩm quyền của mình nhưng không nêu cơ quan có thẩm quyền. Ý kiến này chưa được coi là đã trả lời; hạn trả lời vẫn là ngày \(due).")
                : ("Competence disclaimed without naming who is competent: \(agencyName) – \(request.title)",
                   "\(agencyName) says \(title) is outside its remit but does not name the competent agency. This does not count as an answer; the reply is still due on \(due).")
        case .disagreement:
            return vi ? ("Ý kiến không thống nhất: \(agencyName) – \(request.title)",
                         "\(agencyName) không thống nhất với dự thảo \(title). Thủ trưởng \(leadName) cần làm việc trực tiếp với Thủ trưởng \(agencyName) để thống nhất, hạn đến ngày \(due).")
                : ("Disagreement: \(agencyName) – \(request.title)",
                   "\(agencyName) disagrees with \(title). The head of \(leadName) must meet the head of \(agencyName) to settle it by \(due).")
        case .lateReply:
            // The reply's own lateness, by its `received` (days_late counts to the notice's date).
            let late = duty?.daysLate ?? daysLate
            return vi ? ("Ý kiến trả lời muộn: \(agencyName) – \(request.title)",
                         "\(agencyName) đã gửi ý kiến rõ ràng về dự thảo \(title), muộn \(late) ngày làm việc so với hạn ngày \(due).")
                : ("Late reply: \(agencyName) – \(request.title)",
                   "\(agencyName) gave a clear opinion on \(title), \(late) working day(s) after the deadline of \(due).")
        case .backdatedReply:
            let (received, notice, noticeAt) = backdating ?? ("?", "?", "?")
            return vi ? ("Ý kiến có thời điểm nhận trước thông báo đã gửi: \(agencyName) – \(request.title)",
                         "Ý kiến của \(agencyName) về dự thảo \(title) ghi thời điểm nhận \(received), trước thông báo \(notice) đã gửi lúc \(noticeAt) với nội dung chưa có ý kiến rõ ràng. Ý kiến được ghi nhận theo thời điểm nhận đã ghi; đề nghị kiểm tra lại.")
                : ("Reply dated before a notice already sent: \(agencyName) – \(request.title)",
                   "The reply of \(agencyName) on \(title) says it was received at \(received), before notice \(notice), sent at \(noticeAt), said there was no clear reply. It is recorded as received at that time; please check it.")
        case .deemedAgreement:
            return vi ? ("Coi như đồng ý: \(agencyName) – \(request.title)",
                         "Quá hạn ngày \(due), \(agencyName) không có ý kiến rõ ràng về dự thảo \(title): \(agencyName) được coi là đồng ý và chịu trách nhiệm về nội dung thuộc lĩnh vực quản lý của mình.")
                : ("Deemed to agree: \(agencyName) – \(request.title)",
                   "\(agencyName) gave no clear opinion on \(title) by \(due): it is deemed to agree and is answerable for the matters within its remit.")
        case .completed:
            return vi ? ("Hoàn thành lấy ý kiến – \(request.title)",
                         "Việc lấy ý kiến về dự thảo \(title) đã hoàn thành: mọi cơ quan được lấy ý kiến đã trả lời, được coi là đồng ý hoặc được rút khỏi danh sách.")
                : ("Consultation completed – \(request.title)",
                   "The consultation on \(title) is complete: every consulted agency has answered, been deemed to agree, or been withdrawn.")
        default:
            return nil
        }
    }

    var reasonList: String { reasons.joined(separator: ", ") }

    /// What was found unclear, reason by reason, with the words of the reply that show it.
    func evidence(_ list: [Evidence]) -> String {
        var lines = [vi ? "Nội dung được đánh giá chưa rõ ràng:" : "What was found unclear:"]
        // One line per quote: a sentence that gave two reasons is quoted once, with both.
        var quoted: [(labels: [String], quote: String?)] = []
        for e in list {
            let label = reasonLabel(e.reason)
            let quote = e.quoteOnOneLine
            if let quote, let k = quoted.firstIndex(where: { $0.quote == quote }) {
                if !quoted[k].labels.contains(label) { quoted[k].labels.append(label) }
            } else {
                quoted.append(([label], quote))
            }
        }
        for (labels, quote) in quoted {
            let label = labels.joined(separator: "; ")
            if let quote {
                lines.append("- \(label): “\(quote)”")
            } else {
                lines.append("- \(label).")
            }
        }
        return lines.joined(separator: "\n")
    }

    /// A reason code in words.
    func reasonLabel(_ reason: String) -> String {
        typealias R = AssessmentReason
        switch reason {
        case R.hedgedAgreement: return vi ? "đồng ý chung chung, có điều kiện (\(reason))" : "hedged agreement (\(reason))"
        case R.deferralToLead: return vi ? "chuyển lại cho cơ quan chủ trì xem xét, quyết định (\(reason))"
            : "hands the decision back to the lead (\(reason))"
        case R.boilerplateComments: return vi ? "ý kiến chung chung, không nêu nội dung cụ thể (\(reason))"
            : "comments that say nothing specific (\(reason))"
        case R.noPosition: return vi ? "không nêu rõ quan điểm đồng ý hay không đồng ý (\(reason))" : "takes no position (\(reason))"
        case R.noComments: return vi ? "không có ý kiến cụ thể kèm theo (\(reason))" : "no comments given (\(reason))"
        case R.noReasons: return vi ? "không thống nhất nhưng không nêu lý do (\(reason))" : "disagrees without reasons (\(reason))"
        case R.competenceDisclaimed: return vi ? "cho rằng không thuộc chức năng, thẩm quyền (\(reason))"
            : "disclaims competence (\(reason))"
        case R.competentAgencyNotNamed: return vi ? "không nêu cơ quan có thẩm quyền (\(reason))"
            : "does not name the competent agency (\(reason))"
        case R.competentAgencyInvalid: return vi ? "cơ quan được chuyển đến không hợp lệ (\(reason))"
            : "refers to an agency that is not valid (\(reason))"
        default: return reason
        }
    }

    /// How the due date was reached.
    func explain(_ basis: DeadlineBasis, kind: DutyKind) -> String {
        var s: String
        let sent = date(basis.sent)
        let end = date(basis.deadline)
        switch (basis.method, kind) {
        case (_, .reconcile):
            s = vi ? "Thời hạn thống nhất ý kiến: \(basis.days) ngày làm việc kể từ ngày \(sent), đến hết ngày \(end)."
                : "Time to reconcile: \(basis.days) working days from \(sent), ending on \(end)."
        case (.workingDays, _):
            s = vi ? "Văn bản gửi ngày \(sent); thời hạn trả lời \(basis.days) ngày làm việc kể từ ngày gửi, đến hết ngày \(end)."
                : "Sent on \(sent); the reply period is \(basis.days) working days from that date, ending on \(end)."
        case (.explicit, _):
            s = vi ? "Văn bản gửi ngày \(sent); cơ quan chủ trì ấn định hạn trả lời đến hết ngày \(end) (\(basis.days) ngày làm việc)."
                : "Sent on \(sent); the lead set the deadline at \(end) (\(basis.days) working days)."
        case (.extended, _):
            s = vi ? "Văn bản gửi ngày \(sent); hạn trả lời được gia hạn đến hết ngày \(end) (\(basis.days) ngày làm việc kể từ ngày gửi)"
                : "Sent on \(sent); the deadline was extended to \(end) (\(basis.days) working days from the sent date)"
            if let reason = basis.reason { s += vi ? ", lý do: \(reason)." : ", because: \(reason)." } else { s += "." }
        }
        if basis.skipped.isEmpty {
            s += vi ? " Không có ngày nghỉ lễ, Tết nào trong thời hạn này (không tính thứ Bảy, Chủ nhật)."
                : " No public holidays fall in this period (weekends are not counted)."
        } else {
            var groups: [(String, [LocalDate])] = []
            for day in basis.skipped {
                if let last = groups.indices.last, groups[last].0 == day.name { groups[last].1.append(day.date) } else {
                    groups.append((day.name, [day.date]))
                }
            }
            let list = groups.map { "\($0.0) (\($0.1.map(date).joined(separator: ", ")))" }.joined(separator: "; ")
            s += vi ? " Không tính thứ Bảy, Chủ nhật và các ngày nghỉ: \(list)." : " Not counted: weekends and the days off \(list)."
        }
        if basis.provisional {
            s += vi ? " Thời hạn này là tạm tính vì lịch nghỉ chính thức của năm liên quan chưa được công bố."
                : " This deadline is provisional: the official holiday schedule of a year it spans is not yet published."
        }
        return s
    }

    var lateDetectedNote: String {
        vi ? "Lưu ý: thông báo này được phát hiện muộn (hệ thống tạm ngừng hoặc văn bản đến muộn); các bước nhắc trước đó đã được ghi nhận nhưng không gửi."
            : "Note: this notice was detected late (downtime, or a request that arrived late); the earlier steps were recorded but not sent."
    }

    func footer(id: String) -> String {
        vi ? "Mã thông báo: \(id). Thông báo tự động của hệ thống theo dõi lấy ý kiến (consultd)."
            : "Notice id: \(id). Sent automatically by the consultation tracker (consultd)."
    }
}
