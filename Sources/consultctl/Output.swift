import ArgumentParser
import Foundation

/// `--format` of list, show, deadline and calendar diff.
enum Format: String, ExpressibleByArgument, CaseIterable {
    case table, json, csv
}

/// Writes `text` to standard output as it is.
func write(_ text: String) {
    FileHandle.standardOutput.write(Data(text.utf8))
}

/// Writes `line` and a newline to standard error.
func writeError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
