import Foundation
import Testing

@Suite("Fuzzing regressions")
struct FuzzReplayTests {
    /// Every input kept by scripts/fuzz.sh (Tests/Fixtures/fuzz-crashes) and the hostile corpus
    /// go through the reader, the schemas and the assessor without a crash.
    @Test func keptInputsReplayWithoutACrash() throws {
        let folders = ["Tests/Fixtures/fuzz-crashes", "Tests/Fixtures/hostile"].map { repository + "/" + $0 }
        let inputs = try folders.flatMap { folder in
            try FileManager.default.contentsOfDirectory(atPath: folder).filter { !$0.hasPrefix(".") && !$0.hasSuffix(".py") }
                .map { folder + "/" + $0 }
        }
        let r = try execute(binary("consultd-fuzz"), inputs)
        #expect(r.status == 0, "\(r.stderr.suffix(2000))")
        #expect(r.stdout.contains("replayed \(inputs.count) inputs without a crash"))
    }
}
