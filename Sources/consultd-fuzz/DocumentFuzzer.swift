#if !FUZZING
// The fuzz build compiles the core's sources into this module (scripts/fuzz.sh).
import ConsultCore
#endif
#if canImport(Glibc)
import Glibc
#endif

/// Agencies declared as a city declares them (names of several words, English aliases), so the
/// assessor's matching of names, short forms and competent bodies is exercised too.
let assessor = Assessor(agencies: [
    "SXD": Agency(code: "SXD", name: "Sở Xây dựng", aliases: ["Department of Construction"]),
    "STC": Agency(code: "STC", name: "Sở Tài chính", aliases: ["Department of Finance"]),
    "STP": Agency(code: "STP", name: "Sở Tư pháp", aliases: ["Department of Justice"]),
    "CATP": Agency(code: "CATP", name: "Công an thành phố Hà Nội", aliases: ["Hanoi City Police"]),
])

/// One input through the document reader, the schemas and the assessor. Crashes on a broken
/// property: any JSON the reader accepts must come back identical through the writer.
func exercise(_ bytes: [UInt8]) {
    if let value = try? JSONReader.parse(bytes) {
        guard let again = try? JSONReader.parse(JSONWriter.bytes(value)), again == value else {
            fatalError("JSON round trip changed a value")
        }
    }
    guard let document = try? DocumentParser.parse(bytes) else { return }
    if case let .reply(reply) = document {
        for lead in [nil, "SXD"] {
            let assessment = assessor.assess(reply, lead: lead)
            precondition(!assessment.reasons.isEmpty, "an assessment without reasons")
        }
    }
}

#if FUZZING
/// libFuzzer's entry point (built with `-sanitize=fuzzer,address -D FUZZING`, see scripts/fuzz.sh).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    exercise(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
#else
/// Without the fuzzer: replays the files given (kept crashes, the hostile corpus) and exits 0
/// when none crashes — the regression check of what fuzzing found.
@main
struct Replay {
    static func main() {
        var count = 0
        for path in CommandLine.arguments.dropFirst() {
            guard let file = fopen(path, "rb") else { continue }
            var bytes: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while true {
                let n = fread(&buffer, 1, buffer.count, file)
                if n <= 0 { break }
                bytes += buffer[0..<n]
            }
            fclose(file)
            exercise(bytes)
            count += 1
        }
        print("replayed \(count) inputs without a crash")
    }
}
#endif
