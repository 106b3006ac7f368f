/// Where the vocabulary comes from when a command needs one (Docs/CLI.md):
/// `--vocab PATH`, then `$LLAMA3_VOCAB`, then the default under the XDG data folder.
public struct VocabularyLocation: Equatable, Sendable {
    public enum Origin: String, Sendable {
        case flag = "--vocab"
        case environment = "$LLAMA3_VOCAB"
        case defaultPath = "default"
    }

    public var path: String
    public var origin: Origin

    /// Resolves the vocabulary path; `environment` is the process environment (injected for tests).
    public static func resolve(flag: String?, environment: [String: String]) -> VocabularyLocation {
        if let flag, !flag.isEmpty { return VocabularyLocation(path: flag, origin: .flag) }
        if let fromEnvironment = environment["LLAMA3_VOCAB"], !fromEnvironment.isEmpty {
            return VocabularyLocation(path: fromEnvironment, origin: .environment)
        }
        return VocabularyLocation(path: defaultPath(environment: environment), origin: .defaultPath)
    }

    /// `${XDG_DATA_HOME:-~/.local/share}/llama3/tokenizer.model`
    public static func defaultPath(environment: [String: String]) -> String {
        xdgFolder("XDG_DATA_HOME", fallback: ".local/share", environment: environment) + "/llama3/tokenizer.model"
    }

    /// `${XDG_CACHE_HOME:-~/.cache}/llama3`: where compiled vocabularies are cached.
    public static func cacheFolder(environment: [String: String]) -> String {
        xdgFolder("XDG_CACHE_HOME", fallback: ".cache", environment: environment) + "/llama3"
    }

    private static func xdgFolder(_ variable: String, fallback: String, environment: [String: String]) -> String {
        // The XDG spec says relative values are invalid and must be ignored.
        if let value = environment[variable], value.hasPrefix("/") { return value }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? "/"
        return (home.hasSuffix("/") ? String(home.dropLast()) : home) + "/" + fallback
    }
}
