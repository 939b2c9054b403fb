import ConsultTestSupport
import Foundation
import Testing

@Suite("scripts/install.sh", .tags(.root, .slow), .skippedWhenFast)
struct InstallTests {
    func files(under root: String) -> [String] {
        (FileManager.default.enumerator(atPath: root)?.allObjects as? [String] ?? []).filter {
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: root + "/" + $0, isDirectory: &isDirectory) && !isDirectory.boolValue
        }.sorted()
    }

    /// Installs into a DESTDIR twice (idempotent), checks what landed where, then uninstalls.
    @Test func installIsIdempotentAndUninstallKeepsConfiguration() throws {
        let stage = TemporaryFolder.name("install")
        var environment = ProcessInfo.processInfo.environment
        environment["DESTDIR"] = stage
        environment["PREFIX"] = "/usr/local"
        let first = try execute("/bin/bash", [repository + "/scripts/install.sh"], environment: environment)
        #expect(first.status == 0, "\(first.stderr.suffix(3000))")
        let tools = ["consultctl", "consultd", "consultd-mail"]
        let expected = ([
            "etc/consultd/calendars/vn.toml", "etc/consultd/consultd.toml",
            "usr/local/lib/systemd/catalog/consultd.catalog", "usr/local/lib/systemd/system/consultd.service",
            "usr/local/lib/systemd/system/consultd-mail.service",
            "usr/local/lib/sysusers.d/consultd.conf", "usr/local/lib/tmpfiles.d/consultd.conf",
            "usr/local/share/doc/consultd/README.md",
        ] + tools.flatMap { tool in
            ["usr/local/bin/\(tool)", "usr/local/share/bash-completion/completions/\(tool)",
             "usr/local/share/fish/vendor_completions.d/\(tool).fish", "usr/local/share/man/man1/\(tool).1",
             "usr/local/share/zsh/vendor-completions/_\(tool)"]
        }).sorted()
        #expect(files(under: stage) == expected)
        let unit = try String(contentsOfFile: stage + "/usr/local/lib/systemd/system/consultd.service", encoding: .utf8)
        #expect(unit.contains("ExecStart=/usr/local/bin/consultd --config /etc/consultd/consultd.toml"))
        let mailUnit = try String(contentsOfFile: stage + "/usr/local/lib/systemd/system/consultd-mail.service", encoding: .utf8)
        #expect(mailUnit.contains("ExecStart=/usr/local/bin/consultd-mail --config /etc/consultd/consultd.toml"))
        // The binaries need no Swift toolchain: no libswiftCore among their libraries.
        for tool in tools {
            let libraries = try execute("/usr/bin/ldd", [stage + "/usr/local/bin/" + tool])
            #expect(!libraries.stdout.contains("libswiftCore"), "\(tool): \(libraries.stdout)")
            #expect(try execute(stage + "/usr/local/bin/" + tool, ["--version"]).status == 0)
        }
        let manual = try String(contentsOfFile: stage + "/usr/local/share/man/man1/consultctl.1", encoding: .utf8)
        #expect(manual.contains("report") && manual.contains("submit"))
        let completion = try String(contentsOfFile: stage + "/usr/local/share/bash-completion/completions/consultctl", encoding: .utf8)
        #expect(completion.contains("calendar"))

        // An administrator's edit survives a reinstall; nothing else changes.
        let config = stage + "/etc/consultd/consultd.toml"
        try (try String(contentsOfFile: config, encoding: .utf8) + "\n# edited\n").write(toFile: config, atomically: true, encoding: .utf8)
        let second = try execute("/bin/bash", [repository + "/scripts/install.sh"], environment: environment)
        #expect(second.status == 0)
        #expect(try String(contentsOfFile: config, encoding: .utf8).hasSuffix("# edited\n"))
        #expect(files(under: stage) == (expected + ["etc/consultd/consultd.toml.dist"]).sorted())

        let removed = try execute("/bin/bash", [repository + "/scripts/install.sh", "--uninstall"], environment: environment)
        #expect(removed.status == 0)
        #expect(files(under: stage) == ["etc/consultd/calendars/vn.toml", "etc/consultd/consultd.toml",
                                        "etc/consultd/consultd.toml.dist"])
    }
}
