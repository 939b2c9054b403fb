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
        let expected = [
            "etc/consultd/calendars/vn.toml", "etc/consultd/consultd.toml", "usr/local/bin/consultctl",
            "usr/local/lib/systemd/catalog/consultd.catalog", "usr/local/lib/systemd/system/consultd-mail.service",
            "usr/local/lib/systemd/system/consultd.service",
            "usr/local/lib/sysusers.d/consultd.conf", "usr/local/lib/tmpfiles.d/consultd.conf", "usr/local/sbin/consultd",
            "usr/local/sbin/consultd-mail",
            "usr/local/share/bash-completion/completions/consultctl", "usr/local/share/bash-completion/completions/consultd",
            "usr/local/share/bash-completion/completions/consultd-mail",
            "usr/local/share/doc/consultd/README.md", "usr/local/share/doc/consultd/docs/DESIGN.md",
            "usr/local/share/doc/consultd/docs/INTERFACE.md", "usr/local/share/fish/vendor_completions.d/consultctl.fish",
            "usr/local/share/fish/vendor_completions.d/consultd-mail.fish",
            "usr/local/share/fish/vendor_completions.d/consultd.fish", "usr/local/share/man/man1/consultctl.1",
            "usr/local/share/man/man8/consultd-mail.8", "usr/local/share/man/man8/consultd.8",
            "usr/local/share/zsh/vendor-completions/_consultctl",
            "usr/local/share/zsh/vendor-completions/_consultd", "usr/local/share/zsh/vendor-completions/_consultd-mail",
        ]
        #expect(files(under: stage) == expected)
        let unit = try String(contentsOfFile: stage + "/usr/local/lib/systemd/system/consultd.service", encoding: .utf8)
        #expect(unit.contains("ExecStart=/usr/local/sbin/consultd --config /etc/consultd/consultd.toml"))
        let mailUnit = try String(contentsOfFile: stage + "/usr/local/lib/systemd/system/consultd-mail.service", encoding: .utf8)
        #expect(mailUnit.contains("ExecStart=/usr/local/sbin/consultd-mail --config /etc/consultd/consultd.toml"))
        // The binaries need no Swift toolchain: no libswiftCore among their libraries.
        for tool in ["sbin/consultd", "sbin/consultd-mail", "bin/consultctl"] {
            let libraries = try execute("/usr/bin/ldd", [stage + "/usr/local/" + tool])
            #expect(!libraries.stdout.contains("libswiftCore"), "\(tool): \(libraries.stdout)")
            #expect(try execute(stage + "/usr/local/" + tool, ["--version"]).status == 0)
        }
        // The daemons' pages are in section 8 (as the journal catalog's man:consultd(8) says),
        // with the sections written for administrators; a bash completion is sourced, not run.
        let daemonPage = try String(contentsOfFile: stage + "/usr/local/share/man/man8/consultd.8", encoding: .utf8)
        #expect(daemonPage.contains(".Dt CONSULTD 8") && daemonPage.contains(".Sh FILES"))
        let mailPage = try String(contentsOfFile: stage + "/usr/local/share/man/man8/consultd-mail.8", encoding: .utf8)
        #expect(mailPage.contains(".Dt CONSULTD-MAIL 8") && mailPage.contains(".Sh FILES"))
        #expect(!(try String(contentsOfFile: stage + "/usr/local/share/bash-completion/completions/consultd", encoding: .utf8))
            .hasPrefix("#!"))
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
