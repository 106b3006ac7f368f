import Conversion
import FoundationEssentials
import Glibc
import ModelIO
import Synchronization

/// One line on stderr, redrawn in place: `converting 41% 230.1/560.0 MB, 98.2 MB/s, 3 s left`
/// (without a known total: `counting 230.1 MB, 98.2 MB/s`). Shown only when stderr is a terminal
/// and not --quiet, so pipes and logs never see it; only for work that is still going after half
/// a second, so quick commands never flash it; redrawn at most ten times a second. `update` may
/// be called from any thread. A failed redraw is kept and thrown by `finish()`, because the
/// libraries call `update` from code that cannot throw.
final class ProgressLine: Sendable {
    private struct State {
        var lastDrawn: Date?
        var failure: StandardStreamError?
    }

    private let label: String
    private let enabled: Bool
    private let start = Date()
    private let state = Mutex(State())

    init(label: String, enabled: Bool) {
        self.label = label
        self.enabled = enabled && isatty(STDERR_FILENO) == 1
    }

    /// `done` of `total` bytes; a total of 0 or less is unknown (stdin, a pipe).
    func update(_ done: Int, _ total: Int) {
        guard enabled else { return }
        let now = Date()
        let seconds = now.timeIntervalSince(start)
        guard seconds >= 0.5 else { return }
        state.withLock { state in
            guard state.failure == nil else { return }
            if let last = state.lastDrawn, now.timeIntervalSince(last) < 0.1 { return }
            state.lastDrawn = now
            Self.draw(Self.line(label: label, done: done, total: total, seconds: seconds), into: &state)
        }
    }

    /// Writes `text` as a line of its own on stderr, above the progress line: the line drawn, if
    /// any, is cleared first and drawn again by the next update.
    func say(_ text: String) throws {
        try state.withLock { state throws(StandardStreamError) in
            let clearing = enabled && state.lastDrawn != nil ? "\r\u{1B}[K" : ""
            try StandardStream.error.write(clearing + text + "\n")
            state.lastDrawn = nil
        }
    }

    /// Clears the line; throws the first failed redraw, if any.
    func finish() throws {
        let failure = state.withLock { state -> StandardStreamError? in
            if enabled, state.lastDrawn != nil, state.failure == nil { Self.draw("", into: &state) }
            return state.failure
        }
        if let failure { throw failure }
    }

    private static func draw(_ text: String, into state: inout State) {
        do { try StandardStream.error.write("\r" + text + "\u{1B}[K") } catch { state.failure = error }
    }

    static func line(label: String, done: Int, total: Int, seconds: Double) -> String {
        let rate = seconds > 0 ? Double(done) / seconds : 0
        guard total > 0 else { return "\(label) \(megabytes(done)) MB, \(megabytes(Int(rate))) MB/s" }
        let percent = Int(Double(min(done, total)) / Double(total) * 100)
        var text = "\(label) \(percent)% \(megabytes(done))/\(megabytes(total)) MB, \(megabytes(Int(rate))) MB/s"
        if done < total, rate > 0 { text += ", \(Int((Double(total - done) / rate).rounded(.up))) s left" }
        return text
    }

    private static func megabytes(_ bytes: Int) -> String {
        cFormat("%.1f", Double(bytes) / 1_000_000)
    }
}

extension ProgressLine {
    /// With `verbose`, what says each tensor just written as llama-quantize logs it; else nil.
    func tensorLog(_ verbose: Bool) -> ConversionOptions.TensorReport? {
        guard verbose else { return nil }
        return { tensor, number, count in try self.say(QuantizationLog.line(for: tensor, number: number, of: count)) }
    }
}

extension ModelIO.InputStream {
    /// Bytes read of the file's size (or of an unknown total, for stdin) go to `progress`.
    func reportingProgress(to progress: ProgressLine) {
        let total = rawSize.map { Int(clamping: $0) } ?? 0
        onRawRead = { progress.update(Int(clamping: $0), total) }
    }
}
