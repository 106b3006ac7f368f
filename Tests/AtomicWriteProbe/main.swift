// A child process for ModelIOTests: starts an atomic write, reports "ready" with the bytes
// written, then waits to be killed. Usage: atomic-write-probe DEST automatic|hiddenName
import ModelIO

import Glibc

// Foundation's Process starts children with the spawning thread's signal mask, and test
// threads block SIGTERM/SIGINT; a shell-started llama3 has them unblocked, so do the same.
var nothingBlocked = sigset_t()
sigemptyset(&nothingBlocked)
sigprocmask(SIG_SETMASK, &nothingBlocked, nil)

let arguments = CommandLine.arguments
let kind: AtomicFileWriter.TemporaryKind = arguments.count > 2 && arguments[2] == "hiddenName" ? .hiddenName : .automatic
do {
    let writer = try AtomicFileWriter(destination: arguments[1], temporary: kind)
    try writer.write([UInt8](repeating: 0xAB, count: 3 << 20))
    print("ready", writer.position)
    fflush(nil)
    while true { sleep(60) }
} catch {
    print("error", error)
    exit(1)
}
