import ArgumentParser

/// `--json`, for the commands that print a result on stdout.
struct OutputOptions: ParsableArguments {
    @Flag(help: "Print JSON for programs instead of text.")
    var json = false
}

/// `--quiet`, for the commands that may write progress or warnings on stderr.
struct QuietOption: ParsableArguments {
    @Flag(name: .customLong("quiet"), help: "No progress output on stderr.")
    var isOn = false
}
