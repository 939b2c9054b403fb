import ArgumentParser
import ConsultConfig
import ConsultCore
import ConsultLoop
import ConsultMailService
import ConsultRuntime
import ConsultSystemd
import Foundation
import Logging
import ServiceLifecycle

@main
struct ConsultdMail: ParsableCommand {
    static let version = Version.current

    static let configuration = CommandConfiguration(
        commandName: "consultd-mail",
        abstract: "Hands consultd's outbox notices to the local mail system through sendmail, one message each.",
        discussion: """
            Watches the outbox (inotify, and a rescan every minute), builds one MIME message per
            NOTICE_ID.json and pipes it to `sendmail -oi -t -f FROM`; after sendmail exits 0 the
            notice moves to outbox/sent/YYYY-MM-DD/. A notice that can never go moves to
            outbox/failed/ with NAME.error.json; a temporary failure leaves it where it is, to be
            retried. Reads [mail] (sendmail, from, domain, timeout) of the consultd configuration.

            Examples:
              consultd-mail --config /etc/consultd/consultd.toml      # the service (Type=notify)
              consultd-mail --check-config
              consultd-mail --once                  # deliver what waits, then exit
            """,
        version: version
    )

    @Option(name: .long, help: "Configuration file.")
    var config = Configuration.defaultPath

    @Flag(name: .long, help: "Deliver every notice waiting, then exit: 0 when none is left for a failure that may pass, 75 otherwise.")
    var once = false

    @Flag(name: .customLong("check-config"), help: "Validate the configuration ([mail] included), then exit.")
    var checkConfig = false

    func run() throws {
        // A sendmail that exits before reading its input must not kill us with SIGPIPE: the
        // write fails with EPIPE instead, and sendmail's status says why.
        signal(SIGPIPE, SIG_IGN)
        let journal = Journal(identifier: "consultd-mail")
        LoggingSystem.bootstrap { _ in JournalLogHandler(journal: journal) }
        let logger = Logger(label: "consultd-mail")

        let setup: MailSetup
        do {
            setup = try MailSetup.load(path: config)
        } catch {
            fail("consultd-mail: invalid configuration: \(error)", ExitStatus.config)
        }
        for problem in setup.contactProblems {
            FileHandle.standardError.write(Data("consultd-mail: warning: \(setup.configPath): key \(problem); notices to it go to outbox/failed/\n".utf8))
        }
        if checkConfig {
            print("\(config): OK — outbox \(setup.outbox); \(setup.sendmail.path) \(setup.sendmail.arguments.joined(separator: " ")); Message-ID <NOTICE_ID@\(setup.identity.domain)>; From: \(setup.identity.from)")
            return
        }
        guard once else {
            let service = MailService(setup: setup, journal: journal, logger: logger)
            var group = ServiceGroupConfiguration(services: [.init(service: service)], gracefulShutdownSignals: [.sigterm, .sigint],
                                                  logger: logger)
            // A sendmail run in hand is ended within 2 s of the stop; systemd waits TimeoutStopSec.
            group.maximumGracefulShutdownDuration = .seconds(8)
            do {
                try ServiceExecutor(name: "consultd-mail-t").run { [group] in
                    try await ServiceGroup(configuration: group).run()
                }
            } catch {
                fail("consultd-mail: \(error)", ExitStatus.ioError)
            }
            return
        }
        do {
            let courier = try setup.courier(journal: journal, logger: logger)
            let pass = courier.pass()
            print("sent \(pass.sent), without recipients \(pass.unaddressed), failed \(pass.failed), waiting \(pass.waiting)")
            if let temporary = pass.temporary {
                fail("consultd-mail: \(temporary.what); \(pass.waiting) notice\(pass.waiting == 1 ? "" : "s") left in \(setup.outbox), to be tried again",
                     ExitStatus.tempFail)
            }
        } catch {
            fail("consultd-mail: \(error)", ExitStatus.ioError)
        }
    }

    private func fail(_ message: String, _ status: Int32) -> Never {
        FileHandle.standardError.write(Data((message + "\n").utf8))
        Foundation.exit(status)
    }
}
