/// What one passage of a reply says: the position it takes, whether it hedges, hands the
/// decision back, disclaims the replier's remit, names a competent body, asks for something,
/// and whether it says anything specific. Each finding keeps the words that produced it.
struct Reading {
    let words: Words
    /// The passage as written.
    let range: Range<String.Index>
    var agrees = false
    var disagrees = false
    var noPosition = false
    var hedge: Range<Int>?
    var deferral: Range<Int>?
    var disclaimer: Range<Int>?
    var namesCompetentBody: Range<Int>?
    /// Asks for a change or criticises the draft (whether specifically or not).
    var isComment = false
    /// Promises an answer later ("sẽ có ý kiến sau", "will revert in due course"): no comment yet.
    var promisesLater = false
    /// Says something specific about the matter (``Substance``).
    var substantive = false

    /// The passage as written, or a stretch of it around `focus` when it is long: an exact excerpt.
    func quote(around focus: Range<Int>? = nil) -> String {
        let text = words.text
        let limit = 320
        guard text.utf8.distance(from: range.lowerBound, to: range.upperBound) > limit,
              text.unicodeScalars.distance(from: range.lowerBound, to: range.upperBound) > limit, !words.isEmpty else {
            return String(text[range])
        }
        let center = focus ?? 0..<min(words.count, 1)
        var lo = center.lowerBound
        var hi = max(center.upperBound, lo + 1)
        // Widen by whole words until the excerpt is about `limit` characters long.
        while true {
            let width = text.unicodeScalars.distance(from: words[lo].range.lowerBound, to: words[hi - 1].range.upperBound)
            if width >= limit || (lo == 0 && hi == words.count) { break }
            if lo > 0 { lo -= 1 }
            if hi < words.count { hi += 1 }
        }
        // The passage's own opening and closing marks ("(", "”", "./.") come along, a few at most:
        // a passage of a few words and a run of punctuation gives a short quote.
        let u = text.unicodeScalars
        var start = words[lo].range.lowerBound
        var end = words[hi - 1].range.upperBound
        for _ in 0..<3 where start > range.lowerBound && !u[u.index(before: start)].isSpace { start = u.index(before: start) }
        for _ in 0..<3 where end < range.upperBound && !u[end].isSpace { end = u.index(after: end) }
        // One word longer than the limit: its beginning.
        if u.distance(from: start, to: end) > 2 * limit { end = u.index(start, offsetBy: 2 * limit) }
        return String(text[start..<end])
    }
}
