import ConsultCore
import Testing

@Suite("Duties and the escalation ladder")
struct ConsultationTests {
    let rules = Fixtures.rules()
    func at(_ s: String) -> Instant { Fixtures.instant(s) }

    func reply(_ agency: String, _ position: Position?, received: String, comments: [String] = [], text: String? = nil,
               referTo: String? = nil) -> Reply {
        Reply(request: "HN-1", agency: agency, received: at(received), position: position, comments: comments, text: text,
              referTo: referTo)
    }

    mutating func apply(_ c: inout Consultation, _ r: Reply, now: String) -> [Notice] {
        c.apply(r, assessment: rules.assessor.assess(r, lead: c.request.lead), rules: rules, now: at(now))
    }

    @Test func ladderOfAMondayDeadline() {
        let c = Consultation.open(Fixtures.request(), rules: rules)
        let steps = c.pendingSteps(of: c.duties[0], rules: rules)
        #expect(steps.map(\.step.name) == ["reminder", "overdue", "escalation-1", "escalation-2"])
        #expect(steps.map(\.instant) == [at("2025-03-06T08:00:00+07:00"), at("2025-03-11T08:00:00+07:00"),
                                         at("2025-03-13T08:00:00+07:00"), at("2025-03-17T08:00:00+07:00")])
        #expect(c.duties.map(\.nextStepAt) == [at("2025-03-06T08:00:00+07:00"), at("2025-03-06T08:00:00+07:00")])
    }

    @Test func stepsFireAtOfficeOpenOnWorkingDaysOnly() {
        // Deadline Friday 24/1/2025, just before Tết: overdue skips Tết to Monday 3/2.
        let c = Consultation.open(Fixtures.request(sent: "2025-01-13T09:00:00+07:00", deadline: "2025-01-24"), rules: rules)
        let steps = c.pendingSteps(of: c.duties[0], rules: rules)
        #expect(steps.map(\.instant) == [at("2025-01-22T08:00:00+07:00"), at("2025-02-03T08:00:00+07:00"),
                                         at("2025-02-05T08:00:00+07:00"), at("2025-02-07T08:00:00+07:00")])
        for (_, instant) in steps {
            let local = rules.clock.date(of: instant)
            #expect(rules.calendar.isWorkingDay(local))
            #expect(rules.clock.format(instant).contains("T08:00:00+07:00"))
        }
    }

    @Test func eachStepFiresOnceAtItsInstant() {
        var c = Consultation.open(Fixtures.request(consulted: ["STC"]), rules: rules)
        #expect(c.fireDueSteps(rules: rules, now: at("2025-03-06T07:59:59+07:00")).isEmpty)
        let reminder = c.fireDueSteps(rules: rules, now: at("2025-03-06T08:00:00+07:00"))
        #expect(reminder.map(\.noticeID) == ["HN-1.STC.reminder"])
        #expect(reminder[0].lateDetected == false)
        #expect(reminder[0].to == ["office.stc@example.vn"])
        #expect(reminder[0].priority == .notice)
        #expect(c.fireDueSteps(rules: rules, now: at("2025-03-06T08:00:00+07:00")).isEmpty)
        #expect(c.fireDueSteps(rules: rules, now: at("2025-03-10T23:00:00+07:00")).isEmpty)
        let overdue = c.fireDueSteps(rules: rules, now: at("2025-03-11T08:00:00+07:00"))
        #expect(overdue.map(\.noticeID) == ["HN-1.STC.overdue"])
        #expect(overdue[0].daysLate == 1)
        #expect(overdue[0].to == ["office.stc@example.vn"])
        #expect(overdue[0].cc == ["office.sxd@example.vn"])
        let e1 = c.fireDueSteps(rules: rules, now: at("2025-03-13T08:00:00+07:00"))
        #expect(e1.map { "\($0.noticeID) \($0.priority) \($0.daysLate)" } == ["HN-1.STC.escalation-1 err 3"])
        #expect(e1[0].to == ["head.stc@example.vn"])
        let e2 = c.fireDueSteps(rules: rules, now: at("2025-03-17T08:00:00+07:00"))
        #expect(e2.map { "\($0.noticeID) \($0.priority) \($0.daysLate)" } == ["HN-1.STC.escalation-2 crit 5"])
        #expect(e2[0].to == ["leaders@example.vn"])
        #expect(c.fireDueSteps(rules: rules, now: at("2025-12-31T08:00:00+07:00")).isEmpty)
        #expect(c.duties[0].nextStepAt == nil)
        #expect(c.duties[0].isOpen)
    }

    @Test func catchUpSendsOnlyTheLatestStep() {
        var c = Consultation.open(Fixtures.request(consulted: ["STC"]), rules: rules)
        let notices = c.fireDueSteps(rules: rules, now: at("2025-03-14T10:00:00+07:00"))
        #expect(notices.map(\.noticeID) == ["HN-1.STC.escalation-1"])
        #expect(notices[0].lateDetected)
        let skipped = c.ledger.filter { $0.status == .skipped }
        #expect(skipped.map(\.step) == ["reminder", "overdue"])
        #expect(skipped.allSatisfy { $0.skipReason == "catch_up" })
        let next = c.fireDueSteps(rules: rules, now: at("2025-03-17T08:00:00+07:00"))
        #expect(next.map(\.noticeID) == ["HN-1.STC.escalation-2"])
        #expect(next[0].lateDetected == false)
    }

    @Test func aRequestArrivingLateGetsOneNoticePerDuty() {
        var c = Consultation.open(Fixtures.request(), rules: rules)
        let notices = c.fireDueSteps(rules: rules, now: at("2025-03-20T09:00:00+07:00"))
        #expect(notices.map(\.noticeID).sorted() == ["HN-1.SNNMT.escalation-2", "HN-1.STC.escalation-2"])
        #expect(notices.allSatisfy { $0.lateDetected })
        #expect(c.ledger.filter { $0.status == .skipped }.count == 6)
    }

    @Test func aStepBeforeTheRequestWasSentIsSkippedSilently() {
        // Sent Friday 7/3 for Monday 10/3: the reminder (Thursday 6/3) is impossible.
        var c = Consultation.open(Fixtures.request(sent: "2025-03-07T09:00:00+07:00", consulted: ["STC"]), rules: rules)
        #expect(c.fireDueSteps(rules: rules, now: at("2025-03-10T09:00:00+07:00")).isEmpty)
        #expect(c.ledger.map { "\($0.step ?? "") \($0.status.rawValue) \($0.skipReason ?? "")" } == ["reminder skipped before_sent"])
        let overdue = c.fireDueSteps(rules: rules, now: at("2025-03-11T08:00:00+07:00"))
        #expect(overdue.map(\.noticeID) == ["HN-1.STC.overdue"])
        #expect(overdue[0].lateDetected == false)
    }

    @Test func anExtensionMovesStepsAheadAndNeverRepeatsOne() throws {
        var c = Consultation.open(Fixtures.request(consulted: ["STC"]), rules: rules)
        _ = c.fireDueSteps(rules: rules, now: at("2025-03-06T08:00:00+07:00"))
        _ = c.fireDueSteps(rules: rules, now: at("2025-03-11T08:00:00+07:00"))
        let ext = Extension(request: "HN-1", deadline: LocalDate(iso: "2025-03-20")!, agencies: nil, reason: "bổ sung hồ sơ")
        #expect(try c.apply(ext, rules: rules, now: at("2025-03-11T10:00:00+07:00")).isEmpty)
        #expect(c.duties[0].due == LocalDate(iso: "2025-03-20"))
        #expect(c.duties[0].basis.method == .extended)
        // Reminder and overdue were sent: the next step is escalation-1, three working days after 20/3.
        #expect(c.duties[0].nextStepAt == at("2025-03-25T08:00:00+07:00"))
        #expect(c.fireDueSteps(rules: rules, now: at("2025-03-24T08:00:00+07:00")).isEmpty)
        #expect(c.fireDueSteps(rules: rules, now: at("2025-03-25T08:00:00+07:00")).map(\.noticeID) == ["HN-1.STC.escalation-1"])
    }

    @Test func anExtensionOnlyForTheNamedAgencies() throws {
        var c = Consultation.open(Fixtures.request(), rules: rules)
        let ext = Extension(request: "HN-1", deadline: LocalDate(iso: "2025-03-20")!, agencies: ["SNNMT"], reason: "x")
        _ = try c.apply(ext, rules: rules, now: at("2025-03-05T10:00:00+07:00"))
        #expect(c.duties.map { "\($0.agency) \($0.due)" } == ["STC 2025-03-10", "SNNMT 2025-03-20"])
        #expect(throws: Refusal.self) {
            try c.apply(Extension(request: "HN-1", deadline: LocalDate(iso: "2025-01-01")!, reason: "x"), rules: rules,
                        now: at("2025-03-05T10:00:00+07:00"))
        }
    }

    @Test func silenceDeemedAgreeEndsTheDutyAtOverdue() {
        let rules = Fixtures.rules(silence: .deemedAgree)
        var c = Consultation.open(Fixtures.request(consulted: ["STC"]), rules: rules)
        #expect(c.fireDueSteps(rules: rules, now: at("2025-03-06T08:00:00+07:00")).map(\.noticeID) == ["HN-1.STC.reminder"])
        let notices = c.fireDueSteps(rules: rules, now: at("2025-03-11T08:00:00+07:00"))
        #expect(notices.map(\.noticeID) == ["HN-1.STC.deemed-agreement", "HN-1.SXD.completed"])
        #expect(notices[0].event == "deemed-agreement")
        #expect(notices[0].priority == .notice)
        #expect(notices[0].to == ["head.stc@example.vn"])
        #expect(notices[0].cc == ["office.sxd@example.vn"])
        #expect(c.duties[0].status == .deemed)
        #expect(c.state == .completed)
        #expect(c.fireDueSteps(rules: rules, now: at("2025-03-20T08:00:00+07:00")).isEmpty)
    }

    @Test func silenceDeemedAgreeWithCatchUp() {
        let rules = Fixtures.rules(silence: .deemedAgree)
        var c = Consultation.open(Fixtures.request(consulted: ["STC"]), rules: rules)
        let notices = c.fireDueSteps(rules: rules, now: at("2025-03-20T08:00:00+07:00"))
        #expect(notices.map(\.noticeID) == ["HN-1.STC.deemed-agreement", "HN-1.SXD.completed"])
        #expect(notices[0].lateDetected)
        #expect(c.ledger.filter { $0.status == .skipped }.map(\.step) == ["reminder"])
    }

    func apply(_ c: inout Consultation, _ r: Reply, rules: Rules, now: String) -> [Notice] {
        c.apply(r, assessment: rules.assessor.assess(r, lead: c.request.lead), rules: rules, now: at(now))
    }

    /// Only silence is deemed agreement (§6): a vague answer, a deflection or a disagreement
    /// without reasons has spoken, and climbs the ladder as under "escalate".
    @Test func silenceDeemsOnlyAnAgencyThatNeverReplied() {
        let rules = Fixtures.rules(silence: .deemedAgree)
        var c = Consultation.open(Fixtures.request(), rules: rules)
        let unreasoned = apply(&c, reply("STC", .disagree, received: "2025-03-07T09:00:00+07:00"), rules: rules,
                               now: "2025-03-07T09:00:00+07:00")
        #expect(unreasoned.map(\.noticeID) == ["HN-1.STC.vague"])
        let overdue = c.fireDueSteps(rules: rules, now: at("2025-03-11T08:00:00+07:00"))
        #expect(overdue.map(\.noticeID).sorted() == ["HN-1.SNNMT.deemed-agreement", "HN-1.STC.overdue"])
        #expect(c.duties.map(\.status) == [.open, .deemed])
        #expect(c.state == .open)
        #expect(!overdue.contains { $0.body.contains("được coi là đồng ý") && $0.agency == "STC" })
        let e1 = c.fireDueSteps(rules: rules, now: at("2025-03-13T08:00:00+07:00"))
        #expect(e1.map(\.noticeID) == ["HN-1.STC.escalation-1"])
        // A deflection is no silence either, in catch-up too.
        var d = Consultation.open(Fixtures.request(consulted: ["STC"]), rules: rules)
        _ = apply(&d, reply("STC", .outsideCompetence, received: "2025-03-04T09:00:00+07:00"), rules: rules,
                  now: "2025-03-04T09:00:00+07:00")
        let caughtUp = d.fireDueSteps(rules: rules, now: at("2025-03-14T10:00:00+07:00"))
        #expect(caughtUp.map(\.noticeID) == ["HN-1.STC.escalation-1"])
        #expect(d.duties[0].status == .open)
    }

    /// After a deemed agreement a clear reply is recorded, raises `late-reply` and counts as late;
    /// a clear disagreement opens the reconcile duty, reopening the consultation.
    @Test func aClearReplyAfterADeemedAgreementIsLate() {
        let rules = Fixtures.rules(silence: .deemedAgree)
        var c = Consultation.open(Fixtures.request(consulted: ["STC"]), rules: rules)
        #expect(c.fireDueSteps(rules: rules, now: at("2025-03-11T08:00:00+07:00")).map(\.noticeID)
            == ["HN-1.STC.deemed-agreement", "HN-1.SXD.completed"])
        let agree = apply(&c, reply("STC", .agree, received: "2025-03-12T09:00:00+07:00"), rules: rules, now: "2025-03-12T09:05:00+07:00")
        #expect(agree.map(\.noticeID) == ["HN-1.STC.late-reply"])
        #expect(agree[0].daysLate == 2)
        #expect(c.duties[0].status == .discharged)
        #expect(c.duties[0].daysLate == 2)
        #expect(c.state == .completed)

        var d = Consultation.open(Fixtures.request(consulted: ["STC"]), rules: rules)
        _ = d.fireDueSteps(rules: rules, now: at("2025-03-11T08:00:00+07:00"))
        let disagree = apply(&d, reply("STC", .disagree, received: "2025-03-13T09:00:00+07:00",
                                       comments: ["Không thống nhất Điều 7 vì trái khoản 3 Điều 30 Luật Đầu tư công."]),
                             rules: rules, now: "2025-03-13T09:05:00+07:00")
        #expect(disagree.map(\.noticeID) == ["HN-1.STC.late-reply", "HN-1.STC.disagreement"])
        #expect(disagree[0].daysLate == 3)
        #expect(d.duties.map(\.kind) == [.reply, .reconcile])
        #expect(d.duties[1].isOpen)
        #expect(d.state == .open)
    }

    /// A reply received after its due date is late, even on a day off: received on the Saturday
    /// after a Friday deadline, or during Tết, it is one working day late (contract §4).
    @Test mutating func aReplyOnADayOffAfterTheDeadlineIsLate() {
        var c = Consultation.open(Fixtures.request(sent: "2025-01-13T09:00:00+07:00", deadline: "2025-01-24"), rules: rules)
        let saturday = apply(&c, reply("STC", .agree, received: "2025-01-25T10:00:00+07:00"), now: "2025-01-25T10:05:00+07:00")
        #expect(saturday.map(\.noticeID) == ["HN-1.STC.late-reply"])
        #expect(c.duties[0].daysLate == 1)
        let tet = apply(&c, reply("SNNMT", .agree, received: "2025-01-29T10:00:00+07:00"), now: "2025-02-03T09:00:00+07:00")
        #expect(tet.first?.noticeID == "HN-1.SNNMT.late-reply")
        #expect(c.duties[1].daysLate == 1)
        // On the day itself, however late in the evening: on time.
        var d = Consultation.open(Fixtures.request(sent: "2025-01-13T09:00:00+07:00", deadline: "2025-01-24"), rules: rules)
        #expect(apply(&d, reply("STC", .agree, received: "2025-01-24T23:59:00+07:00"), now: "2025-01-25T08:00:00+07:00").isEmpty)
        #expect(d.duties[0].daysLate == 0)
    }

    /// A vague reply received before the agency was deemed to agree, entered after it: it had
    /// spoken, so it was no silence; its duty is open again and climbs the ladder.
    @Test func aVagueReplyBackdatedBeforeADeemedAgreementReopensTheDuty() {
        let rules = Fixtures.rules(silence: .deemedAgree)
        var c = Consultation.open(Fixtures.request(consulted: ["STC"]), rules: rules)
        _ = c.fireDueSteps(rules: rules, now: at("2025-03-11T08:00:00+07:00"))
        #expect(c.duties[0].status == .deemed && c.state == .completed)
        let notices = apply(&c, reply("STC", .agree, received: "2025-03-07T09:00:00+07:00", text: "Chúng tôi cơ bản nhất trí."),
                            rules: rules, now: "2025-03-12T09:00:00+07:00")
        #expect(notices.map(\.noticeID) == ["HN-1.STC.backdated-reply", "HN-1.STC.vague"])
        #expect(c.duties[0].status == .open)
        #expect(c.state == .open)
        #expect(c.fireDueSteps(rules: rules, now: at("2025-03-13T08:00:00+07:00")).map(\.noticeID) == ["HN-1.STC.escalation-1"])
        // Received after it was deemed: the deemed agreement stands.
        var d = Consultation.open(Fixtures.request(consulted: ["STC"]), rules: rules)
        _ = d.fireDueSteps(rules: rules, now: at("2025-03-11T08:00:00+07:00"))
        _ = apply(&d, reply("STC", .agree, received: "2025-03-12T09:00:00+07:00", text: "Chúng tôi cơ bản nhất trí."),
                  rules: rules, now: "2025-03-12T09:00:00+07:00")
        #expect(d.duties[0].status == .deemed)
    }

    /// `days_late` is the lateness on the notice's date: a catch-up notice states the true
    /// lateness, in the field and in the body, not its step's offset.
    @Test func aCatchUpNoticeStatesTheTrueLateness() {
        var c = Consultation.open(Fixtures.request(consulted: ["STC"]), rules: rules)
        // Due Monday 10/3; escalation-1 (+3) caught up on Friday 14/3, four working days late.
        let e1 = c.fireDueSteps(rules: rules, now: at("2025-03-14T10:00:00+07:00"))
        #expect(e1.map { "\($0.noticeID) \($0.daysLate)" } == ["HN-1.STC.escalation-1 4"])
        #expect(e1[0].body.contains("đã quá 4 ngày làm việc"))
        #expect(!e1[0].body.contains("đã quá 3 ngày làm việc"))
        var late = Consultation.open(Fixtures.request(consulted: ["STC"]), rules: rules)
        let e2 = late.fireDueSteps(rules: rules, now: at("2025-03-26T09:00:00+07:00"))
        #expect(e2.map { "\($0.noticeID) \($0.daysLate) \($0.lateDetected)" } == ["HN-1.STC.escalation-2 12 true"])
    }

    /// A reply received before a ladder notice already sent (which said "no clear reply") is
    /// applied as stated and raises `backdated-reply`, naming both instants (§3).
    @Test mutating func aReplyDatedBeforeANoticeSentIsAppliedAndFlagged() {
        var c = Consultation.open(Fixtures.request(consulted: ["STC"]), rules: rules)
        _ = c.fireDueSteps(rules: rules, now: at("2025-03-06T08:00:00+07:00"))
        _ = c.fireDueSteps(rules: rules, now: at("2025-03-11T08:00:00+07:00"))
        // Received on the deadline, entered two days later, after the reminder and the overdue notice.
        let notices = apply(&c, reply("STC", .agree, received: "2025-03-05T16:00:00+07:00"), now: "2025-03-12T10:00:00+07:00")
        #expect(notices.map(\.noticeID) == ["HN-1.STC.backdated-reply", "HN-1.SXD.completed"])
        let flag = notices[0]
        #expect(flag.event == "backdated-reply")
        #expect(flag.priority == .warning)
        #expect(flag.to == ["office.sxd@example.vn"])
        #expect(flag.cc == ["leaders@example.vn"])
        // The first notice it contradicts: the reminder of 6/3.
        #expect(flag.body.contains("2025-03-05T16:00:00+07:00"))
        #expect(flag.body.contains("HN-1.STC.reminder"))
        #expect(flag.body.contains("2025-03-06T08:00:00+07:00"))
        // Applied as stated: on time.
        #expect(c.duties[0].status == .discharged)
        #expect(c.duties[0].daysLate == 0)
        // A reply received after the notices is no backdating.
        var d = Consultation.open(Fixtures.request(consulted: ["STC"]), rules: rules)
        _ = d.fireDueSteps(rules: rules, now: at("2025-03-06T08:00:00+07:00"))
        #expect(apply(&d, reply("STC", .agree, received: "2025-03-07T09:00:00+07:00"), now: "2025-03-07T09:00:00+07:00").map(\.noticeID)
            == ["HN-1.SXD.completed"])
    }

    @Test mutating func clearRepliesDischargeAndLateOnesAreCounted() {
        var c = Consultation.open(Fixtures.request(), rules: rules)
        #expect(apply(&c, reply("STC", .agree, received: "2025-03-10T16:00:00+07:00"), now: "2025-03-10T16:05:00+07:00").isEmpty)
        #expect(c.duties[0].status == .discharged)
        #expect(c.duties[0].nextStepAt == nil)
        let late = apply(&c, reply("SNNMT", .agree, received: "2025-03-12T09:00:00+07:00"), now: "2025-03-12T09:01:00+07:00")
        #expect(late.map(\.noticeID) == ["HN-1.SNNMT.late-reply", "HN-1.SXD.completed"])
        #expect(late[0].daysLate == 2)
        #expect(late[0].priority == .info)
        #expect(late[0].to == ["office.sxd@example.vn"])
        #expect(c.duties[1].daysLate == 2)
        #expect(c.state == .completed)
    }

    @Test mutating func unclearRepliesKeepTheDeadlineRunning() {
        var c = Consultation.open(Fixtures.request(consulted: ["STC"]), rules: rules)
        let first = apply(&c, reply("STC", .agree, received: "2025-03-04T09:00:00+07:00", text: "Về cơ bản thống nhất."),
                          now: "2025-03-04T09:00:00+07:00")
        #expect(first.map(\.noticeID) == ["HN-1.STC.vague"])
        #expect(first[0].reasons == ["hedged_agreement"])
        #expect(first[0].to == ["office.stc@example.vn"])
        #expect(first[0].cc == ["office.sxd@example.vn"])
        let second = apply(&c, reply("STC", .outsideCompetence, received: "2025-03-05T09:00:00+07:00"), now: "2025-03-05T09:00:00+07:00")
        #expect(second.map(\.noticeID) == ["HN-1.STC.deflection"])
        #expect(second[0].to == ["head.stc@example.vn"])
        let third = apply(&c, reply("STC", nil, received: "2025-03-06T09:00:00+07:00", text: "Đã nhận."), now: "2025-03-06T09:00:00+07:00")
        #expect(third.map(\.noticeID) == ["HN-1.STC.vague-2"])
        #expect(c.duties[0].isOpen)
        #expect(c.duties[0].firstVerdict == .vague)
        // Still due: the ladder goes on.
        #expect(c.fireDueSteps(rules: rules, now: at("2025-03-11T08:00:00+07:00")).map(\.noticeID) == ["HN-1.STC.overdue"])
        // An older reply arriving late does not supersede the newest.
        #expect(apply(&c, reply("STC", .agree, received: "2025-03-01T09:00:00+07:00"), now: "2025-03-11T09:00:00+07:00").isEmpty)
        #expect(c.duties[0].isOpen)
    }

    /// A vague or deflecting reply's notice quotes what was found unclear, in either language.
    @Test func unclearNoticesQuoteTheEvidence() {
        for (locale, heading, label) in [(NoticeLocale.vi, "Nội dung được đánh giá chưa rõ ràng:", "đồng ý chung chung"),
                                         (.en, "What was found unclear:", "hedged agreement")] {
            let rules = Fixtures.rules(locale: locale)
            var c = Consultation.open(Fixtures.request(consulted: ["STC"]), rules: rules)
            let r = reply("STC", .agree, received: "2025-03-04T09:00:00+07:00",
                          text: "Sở Tài chính cơ bản nhất trí với dự thảo;\nđề nghị cơ quan chủ trì nghiên cứu, xem xét.")
            let notice = c.apply(r, assessment: rules.assessor.assess(r, lead: "SXD"), rules: rules, now: at("2025-03-04T09:00:00+07:00"))[0]
            #expect(notice.body.contains(heading))
            #expect(notice.body.contains(label))
            #expect(notice.body.contains("“Sở Tài chính cơ bản nhất trí với dự thảo;”"))
            #expect(notice.body.contains("“đề nghị cơ quan chủ trì nghiên cứu, xem xét.”"))
            let d = reply("STC", .outsideCompetence, received: "2025-03-05T09:00:00+07:00", text: "Không thuộc chức năng của Sở.")
            let deflection = c.apply(d, assessment: rules.assessor.assess(d, lead: "SXD"), rules: rules, now: at("2025-03-05T09:00:00+07:00"))[0]
            #expect(deflection.event == "deflection")
            #expect(deflection.body.contains("“Không thuộc chức năng của Sở.”"))
            #expect(deflection.body.contains("competent_agency_not_named"))
        }
    }

    /// A sentence that gave two reasons is quoted once, with both.
    @Test func aSentenceIsQuotedOnceInANotice() {
        let rules = Fixtures.rules(locale: .en)
        var c = Consultation.open(Fixtures.request(consulted: ["STC"]), rules: rules)
        let r = reply("STC", .agree, received: "2025-03-04T09:00:00+07:00",
                      text: "Sở Tài chính cơ bản nhất trí, đề nghị cơ quan chủ trì xem xét, quyết định.")
        let assessment = rules.assessor.assess(r, lead: "SXD")
        #expect(assessment.reasons == [AssessmentReason.hedgedAgreement, AssessmentReason.deferralToLead])
        let body = c.apply(r, assessment: assessment, rules: rules, now: at("2025-03-04T09:00:00+07:00"))[0].body
        #expect(body.components(separatedBy: "“Sở Tài chính cơ bản nhất trí").count == 2)
        #expect(body.contains("hedged agreement (hedged_agreement); hands the decision back to the lead (deferral_to_lead): “"))
    }

    /// The position read from a letter without a `position` field decides the reconcile duty.
    @Test mutating func aDisagreementReadFromTheTextOpensAReconcileDuty() {
        var c = Consultation.open(Fixtures.request(consulted: ["STC"]), rules: rules)
        let notices = apply(&c, reply("STC", nil, received: "2025-03-07T09:00:00+07:00",
                                      text: "Sở Tài chính không thống nhất với Điều 7 vì trái khoản 3 Điều 30 Luật Đầu tư công."),
                            now: "2025-03-07T09:00:00+07:00")
        #expect(notices.map(\.noticeID) == ["HN-1.STC.disagreement"])
        #expect(c.duties.contains { $0.kind == .reconcile })
    }

    @Test mutating func disagreementCreatesAReconcileDutyForTheLead() throws {
        var c = Consultation.open(Fixtures.request(consulted: ["STC"]), rules: rules)
        let notices = apply(&c, reply("STC", .disagree, received: "2025-03-07T09:00:00+07:00",
                                      comments: ["Không thống nhất Điều 7 vì trái khoản 3 Điều 30 Luật Đầu tư công."]),
                            now: "2025-03-07T09:00:00+07:00")
        #expect(notices.map(\.noticeID) == ["HN-1.STC.disagreement"])
        #expect(notices[0].to == ["head.sxd@example.vn"])
        #expect(notices[0].cc == ["head.stc@example.vn"])
        let reconcile = try #require(c.duties.first { $0.kind == .reconcile })
        #expect(reconcile.party == "SXD")
        #expect(reconcile.agency == "STC")
        // Five working days after the deadline (10/3), the later of reply and deadline.
        #expect(reconcile.due == LocalDate(iso: "2025-03-17"))
        #expect(c.state == .open)
        let overdue = c.fireDueSteps(rules: rules, now: at("2025-03-18T08:00:00+07:00"))
        #expect(overdue.map(\.noticeID) == ["HN-1.STC.reconcile-overdue"])
        #expect(overdue[0].to == ["head.sxd@example.vn"])
        let done = try c.apply(Resolution(request: "HN-1", agency: "STC", outcome: "Đã thống nhất sửa Điều 7",
                                          received: at("2025-03-19T15:00:00+07:00")), rules: rules, now: at("2025-03-19T15:05:00+07:00"))
        #expect(done.map(\.noticeID) == ["HN-1.SXD.completed"])
        #expect(c.state == .completed)
        #expect(throws: Refusal.self) {
            try c.apply(Resolution(request: "HN-1", agency: "STC", outcome: "x", received: at("2025-03-19T15:00:00+07:00")),
                        rules: rules, now: at("2025-03-19T15:05:00+07:00"))
        }
    }

    @Test mutating func withdrawals() {
        var whole = Consultation.open(Fixtures.request(), rules: rules)
        #expect(whole.apply(Withdrawal(request: "HN-1", reason: "dừng"), rules: rules, now: at("2025-03-05T09:00:00+07:00")).isEmpty)
        #expect(whole.state == .withdrawn)
        #expect(whole.duties.allSatisfy { $0.status == .withdrawn && $0.nextStepAt == nil })

        var partial = Consultation.open(Fixtures.request(), rules: rules)
        _ = apply(&partial, reply("STC", .agree, received: "2025-03-04T09:00:00+07:00"), now: "2025-03-04T09:00:00+07:00")
        let notices = partial.apply(Withdrawal(request: "HN-1", agencies: ["SNNMT"], reason: "không liên quan"), rules: rules,
                                    now: at("2025-03-05T09:00:00+07:00"))
        #expect(notices.map(\.noticeID) == ["HN-1.SXD.completed"])
        #expect(partial.state == .completed)
    }

    @Test func bodyExplainsTheDeadline() {
        var c = Consultation.open(Fixtures.request(sent: "2025-01-20T09:15:00+07:00", deadline: nil, replyDays: 10,
                                                   consulted: ["STC"]), rules: rules)
        #expect(c.duties[0].due == LocalDate(iso: "2025-02-10"))
        let notice = c.fireDueSteps(rules: rules, now: at("2025-02-11T08:00:00+07:00"))[0]
        #expect(notice.body.contains("20/01/2025"))
        #expect(notice.body.contains("10 ngày làm việc"))
        #expect(notice.body.contains("Tết Nguyên Đán (27/01/2025, 28/01/2025, 29/01/2025, 30/01/2025, 31/01/2025)"))
        #expect(notice.deadline == LocalDate(iso: "2025-02-10"))
        #expect(notice.created == "2025-02-11T08:00:00+07:00")

        let english = Fixtures.rules(locale: .en)
        var e = Consultation.open(Fixtures.request(sent: "2025-01-20T09:15:00+07:00", deadline: nil, replyDays: 10,
                                                   consulted: ["STC"]), rules: english)
        let en = e.fireDueSteps(rules: english, now: at("2025-02-11T08:00:00+07:00"))[0]
        #expect(en.subject.hasPrefix("Overdue"))
        #expect(en.body.contains("Sent on 2025-01-20; the reply period is 10 working days"))
        #expect(en.body.contains("Tết Nguyên Đán (2025-01-27, 2025-01-28, 2025-01-29, 2025-01-30, 2025-01-31)"))
    }

    @Test func outboxJSONFollowsTheContract() throws {
        var c = Consultation.open(Fixtures.request(consulted: ["STC"]), rules: rules)
        let notice = c.fireDueSteps(rules: rules, now: at("2025-03-14T08:00:00+07:00"))[0]
        let json = try JSONReader.parse(JSONWriter.bytes(notice.outboxJSON))
        guard case let .object(members) = json else { Issue.record("not an object"); return }
        #expect(members.map(\.key) == ["notice_id", "event", "step", "priority", "consultation", "title", "lead", "agency",
                                       "deadline", "days_late", "late_detected", "reasons", "to", "cc", "subject", "body", "created"])
        #expect(json["late_detected"] == .bool(true))
        // Escalation-1 (+3) caught up on Friday 14/3: four working days after Monday 10/3.
        #expect(json["days_late"] == .number("4"))
        #expect(try Notice(outbox: json) == notice)
    }
}
