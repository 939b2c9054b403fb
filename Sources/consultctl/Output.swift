import ArgumentParser
import ConsultCore
import Foundation

/// `--format` of list, show, deadline and calendar diff.
enum Format: String, ExpressibleByArgument, CaseIterable {
    case table, json, csv
}

/// Writes `text` to standard output as it is (JSON, and tables whose cells are made printable).
func write(_ text: String) {
    FileHandle.standardOutput.write(Data(text.utf8))
}

/// Writes one line and a newline to standard output. File names and document text in it print
/// their control characters as `?`: they can neither start a line of their own nor send escape
/// sequences to the terminal.
func writeLine(_ line: String) {
    FileHandle.standardOutput.write(Data((Printable.text(line) + "\n").utf8))
}

/// Writes one line and a newline to standard error, control characters as `?` (see ``writeLine(_:)``).
func writeError(_ line: String) {
    FileHandle.standardError.write(Data((Printable.text(line) + "\n").utf8))
}
