import Foundation

/// A one-line percentage on stderr, redrawn in place, shown only when stderr is a terminal (and
/// not --quiet), so pipes and logs never see it. At most one redraw per percent.
final class ProgressLine {
    private let label: String
    private let enabled: Bool
    private var shownPercent = -1

    init(label: String, enabled: Bool) {
        self.label = label
        self.enabled = enabled && isatty(STDERR_FILENO) == 1
    }

    func update(_ done: Int, _ total: Int) {
        guard enabled, total > 0 else { return }
        let percent = Int(Double(done) / Double(total) * 100)
        guard percent != shownPercent else { return }
        shownPercent = percent
        FileHandle.standardError.write(Data("\r\(label) \(percent)%".utf8))
    }

    func finish() {
        guard enabled, shownPercent >= 0 else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
