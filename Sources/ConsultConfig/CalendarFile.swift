import ConsultCore
import Foundation

/// Reads a calendar file (`config/calendars/*.toml`):
///
/// ```toml
/// name = "Việt Nam – cán bộ, công chức, viên chức"
/// years = [2024, 2025, 2026]
/// [[off]]          # a weekday off, with its name
/// date = 2025-01-27
/// name = "Tết Nguyên Đán"
/// [[workday]]      # a weekend day worked in exchange for a bridge day
/// date = 2025-04-26
/// name = "Làm bù cho ngày 02/05/2025"
/// ```
public enum CalendarFile {
    public static func load(path: String) throws(ConfigError) -> CalendarFacts {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(file: path, line: nil, key: nil, message: "cannot read the calendar file (missing or not readable)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(file: path, line: nil, key: nil, message: "the calendar file is not valid UTF-8")
        }
        return try parse(text, path: path)
    }

    public static func parse(_ text: String, path: String) throws(ConfigError) -> CalendarFacts {
        let doc = try TOMLDocument(text: text, path: path)
        let reader = TableReader(doc: doc, table: doc.root, path: KeyPath())
        try reader.allowOnly(["name", "years", "off", "workday"])
        var years: Set<Int> = []
        if let node = doc.root["years"] {
            guard case let .array(items) = node else { throw doc.error(KeyPath().appending("years"), "must be an array of years") }
            for (i, item) in items.enumerated() {
                guard case let .int(y) = item, (1900...2200).contains(y) else {
                    throw doc.error(KeyPath().appending("years").appending(index: i), "must be a year")
                }
                years.insert(y)
            }
        }
        var daysOff: [LocalDate: String] = [:]
        for entry in try reader.tableArray("off") ?? [] {
            let (date, name) = try day(entry, years: years)
            guard !date.isWeekend else {
                throw doc.error(entry.path.appending("date"), "\(date) is a weekend day; list only weekdays off")
            }
            daysOff[date] = name
        }
        var makeUp: [LocalDate: String] = [:]
        for entry in try reader.tableArray("workday") ?? [] {
            let (date, name) = try day(entry, years: years)
            guard date.isWeekend else {
                throw doc.error(entry.path.appending("date"), "\(date) is a weekday; a make-up working day is a Saturday or Sunday")
            }
            makeUp[date] = name
        }
        return CalendarFacts(name: try reader.string("name") ?? path, coveredYears: years, daysOff: daysOff, makeUpDays: makeUp)
    }

    private static func day(_ entry: TableReader, years: Set<Int>) throws(ConfigError) -> (LocalDate, String) {
        try entry.allowOnly(["date", "name"])
        guard let date = try entry.date("date") else { throw entry.missing("date") }
        guard let name = try entry.string("name"), !name.isEmpty else { throw entry.missing("name") }
        guard years.contains(date.year) else {
            throw entry.doc.error(entry.path.appending("date"), "\(date) is outside the years the file covers (years = \(years.sorted()))")
        }
        return (date, name)
    }
}
