import ConsultCore
import ConsultTestSupport
import Foundation
import Testing

@Suite("consultctl submit as a member of the submitters' group", .tags(.root, .slow), .skippedWhenFast, .serialized)
struct SubmitterTests {
    /// The installed layout: tmp/ and new/ are 1730 with the submitters' group, so a clerk may
    /// create and rename there but not list. `consultctl submit` works all the same, the document
    /// stays the clerk's, and a name already taken in new/ is noticed without listing it.
    @Test func aClerkWhoCannotListTheSpoolHandsOff() throws {
        try #require(getuid() == 0, "creating accounts needs root")
        let clerk = try ensureAccount("cdtest-clerk", groups: ["cdtest-submit"])
        let group = try #require(getgrnam("cdtest-submit")).pointee.gr_gid
        let site = try Site()
        for dir in ["tmp", "new"] {
            let path = site.root + "/spool/" + dir
            #expect(chown(path, 0, group) == 0)
            #expect(chmod(path, 0o1730) == 0)
        }
        let home = try TemporaryFolder.make("clerk")
        #expect(chown(home, clerk.uid, clerk.gid) == 0)
        let document = home + "/reply.json"
        try #"{"kind":"withdrawal","request":"R1","reason":"x"}"#.write(toFile: document, atomically: true, encoding: .utf8)
        #expect(chown(document, clerk.uid, clerk.gid) == 0)
        func asClerk(_ arguments: [String]) throws -> Outcome {
            try execute("/usr/bin/setpriv", ["--reuid=cdtest-clerk", "--regid=\(clerk.gid)", "--init-groups", "--"] + arguments)
        }

        #expect(try asClerk(["/bin/ls", site.root + "/spool/new"]).status != 0, "the clerk can list new/: the test proves nothing")
        let first = try asClerk([binary("consultctl"), "submit", "--config", site.config, document])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout == "\(document): handed off as new/reply.json\n")
        let second = try asClerk([binary("consultctl"), "submit", "--config", site.config, document])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout == "\(document): handed off as new/reply.json.1\n")
        #expect(site.list("spool/new") == ["reply.json", "reply.json.1"])
        #expect(site.list("spool/tmp").isEmpty)
        let attributes = try FileManager.default.attributesOfItem(atPath: site.root + "/spool/new/reply.json")
        #expect((attributes[.ownerAccountID] as? Int).map(uid_t.init) == clerk.uid)
        #expect((attributes[.posixPermissions] as? Int) == 0o644)

        let missing = try asClerk([binary("consultctl"), "submit", "--config", site.config, home + "/nonexistent.json"])
        #expect(missing.status == 66, "\(missing.stderr)")
    }
}
