import ConsultCore
import Testing

@Suite("Admission: agencies, roles and who may speak")
struct AdmissionTests {
    let directory = Fixtures.directory()
    let request = Request(id: "R1", title: "t", lead: "SXD", consulted: ["STC", "STP"], sent: Fixtures.instant("2025-01-20T09:15:00+07:00"))
    let received = Fixtures.instant("2025-02-06T16:40:00+07:00")

    func codes(_ refusals: [Refusal]) -> [String] { refusals.map(\.code.rawValue) }

    @Test func whoEachKindSpeaksFor() {
        #expect(Document.request(request).speaker == .agency("SXD"))
        #expect(Document.reply(Reply(request: "R1", agency: "STC", received: received, position: .agree)).speaker == .agency("STC"))
        #expect(Document.extension(Extension(request: "R1", deadline: Fixtures.date("2025-03-03"), agencies: ["STC"], reason: "x")).speaker
                == .lead(consulted: ["STC"]))
        #expect(Document.withdrawal(Withdrawal(request: "R1", reason: "x")).speaker == .lead(consulted: []))
        #expect(Document.resolution(Resolution(request: "R1", agency: "STP", outcome: "x", received: received)).speaker
                == .lead(consulted: ["STP"]))
    }

    @Test func everyUndeclaredAgencyIsNamedWithItsField() {
        var r = request
        (r.lead, r.consulted) = ("SXX", ["STC", "SYY", "SZZ"])
        let found = Admission.problems(.request(r), directory: directory)
        #expect(codes(found) == ["unknown_agency", "unknown_agency", "unknown_agency"])
        #expect(found[0].reason == "field \"lead\": agency SXX is not declared in the configuration ([agencies.SXX])")
        #expect(found[2].reason == "field \"consulted\": agency SZZ is not declared in the configuration ([agencies.SZZ])")
        #expect(Admission.problems(.request(request), directory: directory).isEmpty)
        let ext = Document.extension(Extension(request: "R1", deadline: Fixtures.date("2025-03-03"), agencies: ["STC", "SYT"], reason: "x"))
        #expect(Admission.problems(ext, directory: directory).map(\.reason) == ["field \"agencies\": agency SYT is not declared in the configuration ([agencies.SYT])"])
        let resolution = Document.resolution(Resolution(request: "R1", agency: "SYT", outcome: "x", received: received))
        #expect(codes(Admission.problems(resolution, directory: directory)) == ["unknown_agency"])
    }

    /// With the consultation's request at hand, the agencies a later kind names must be consulted
    /// in it — the lead never is — as the daemon refuses them with its stored request.
    @Test func withTheRequestTheAgenciesMustBeConsulted() {
        let reply = Document.reply(Reply(request: "R1", agency: "SNNMT", received: received, position: .agree))
        #expect(Admission.problems(reply, directory: directory).isEmpty)
        #expect(Admission.problems(reply, directory: directory, request: request).map(\.reason) == ["agency SNNMT is not consulted in R1"])
        let leadReplies = Document.reply(Reply(request: "R1", agency: "SXD", received: received, position: .agree))
        #expect(codes(Admission.problems(leadReplies, directory: directory, request: request)) == ["not_consulted"])
        let withdrawal = Document.withdrawal(Withdrawal(request: "R1", agencies: ["STP", "SYT", "SNNMT"], reason: "x"))
        #expect(codes(Admission.problems(withdrawal, directory: directory, request: request)) == ["unknown_agency", "not_consulted"])
        // Another consultation's request tells nothing about this one.
        var other = request
        other.id = "R2"
        #expect(Admission.problems(reply, directory: directory, request: other).isEmpty)
    }

    /// The daemon's rule with its stored consultation: undeclared first, then not consulted.
    @Test func notConsultedAsTheDaemonSaysIt() {
        #expect(Admission.notConsulted(["STC", "STP"], in: request, directory: directory).isEmpty)
        #expect(Admission.notConsulted(["SYT", "SXD"], in: request, directory: directory).map(\.reason)
                == ["agency SYT is not declared in the configuration ([agencies.SYT])", "agency SXD is not consulted in R1"])
    }

    @Test func anAccountSpeaksOnlyForItsAgencies() {
        let req = Document.request(request)
        #expect(Admission.unauthorized(req, account: "sxd-clerk", speaksFor: ["SXD"]) == nil)
        #expect(Admission.unauthorized(req, account: "stc-clerk", speaksFor: ["STC"])
                == Refusal(.unauthorized, "account stc-clerk may not submit documents for SXD"))
        #expect(Admission.unauthorized(req, account: "nobody", speaksFor: [])
                == Refusal(.unauthorized, "account nobody may submit documents for no agency"))
        let reply = Document.reply(Reply(request: "R1", agency: "STC", received: received, position: .agree))
        #expect(Admission.unauthorized(reply, account: "stc-clerk", speaksFor: ["STC"]) == nil)
        #expect(Admission.unauthorized(reply, account: "stp-clerk", speaksFor: ["STP"])?.code == .unauthorized)
    }

    /// An extension, a withdrawal or a resolution comes from the lead, unknown without the store:
    /// refused only when the account speaks for no agency but those the document names as
    /// consulted; with the request at hand, its lead decides.
    @Test func leadOnlyKindsWithoutTheStore() {
        let ext = Document.extension(Extension(request: "R1", deadline: Fixtures.date("2025-03-03"), agencies: ["STC"], reason: "x"))
        let refusal = Admission.unauthorized(ext, account: "stc-clerk", speaksFor: ["STC"])
        #expect(refusal?.code == .unauthorized)
        #expect(refusal?.reason == "account stc-clerk may submit documents only for STC, which this extension names as consulted: only the lead's submitters may send it")
        #expect(Admission.unauthorized(ext, account: "sxd-clerk", speaksFor: ["SXD"]) == nil)
        #expect(Admission.unauthorized(ext, account: "both", speaksFor: ["STC", "SXD"]) == nil)
        let resolution = Document.resolution(Resolution(request: "R1", agency: "STP", outcome: "x", received: received))
        #expect(Admission.unauthorized(resolution, account: "stp-clerk", speaksFor: ["STP"])?.code == .unauthorized)
        let withdrawAll = Document.withdrawal(Withdrawal(request: "R1", reason: "x"))
        #expect(Admission.unauthorized(withdrawAll, account: "stc-clerk", speaksFor: ["STC"]) == nil)
        #expect(Admission.unauthorized(withdrawAll, account: "stc-clerk", speaksFor: ["STC"], lead: "SXD")
                == Refusal(.unauthorized, "account stc-clerk may not submit documents for SXD"))
        #expect(Admission.unauthorized(withdrawAll, account: "sxd-clerk", speaksFor: ["SXD"], lead: "SXD") == nil)
    }
}
