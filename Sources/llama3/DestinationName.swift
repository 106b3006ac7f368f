import ArgumentParser
import FoundationEssentials
import Glibc

/// Mistakes in an output name caught before any work starts (usage errors, exit 2). The output
/// format comes from DST's extension, and any other name means a checkpoint folder, so without
/// these checks `convert a.gguf model.ggfu` would quietly make a folder of safetensors.
enum DestinationName {
    static let acceptedForms = "NAME.gguf, NAME.safetensors, or a checkpoint folder (a name without such an extension)"

    /// Extensions of files that are not model outputs, which a user may type by habit.
    static let nonModelExtensions: Set<String> = ["txt", "json", "bin", "pt", "pth", "npy"]

    /// The two extensions that pick a file format, exactly as the converter matches them.
    static let formatExtensions = ["gguf", "safetensors"]

    /// Throws when `path` is not one of the accepted forms: an extension that is a near miss of
    /// `.gguf` or `.safetensors` (a different case, or one or two letters off), or a known
    /// non-model extension.
    static func check(_ path: String) throws {
        guard let ext = fileExtension(path) else { return }
        let lowered = ext.lowercased()
        if formatExtensions.contains(ext) { return }
        if let intended = formatExtensions.first(where: { isNearMiss(lowered, of: $0) }) {
            throw ValidationError("DST \(path): .\(ext) looks like a misspelt .\(intended); DST must be \(acceptedForms)")
        }
        if nonModelExtensions.contains(lowered) {
            throw ValidationError("DST \(path): .\(ext) is not a model format; DST must be \(acceptedForms)")
        }
    }

    /// The text after the last dot of the last path component, if there is one (a leading dot
    /// names a hidden file, not an extension).
    static func fileExtension(_ path: String) -> String? {
        let name = path.split(separator: "/", omittingEmptySubsequences: true).last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
        let ext = String(name[name.index(after: dot)...])
        return ext.isEmpty ? nil : ext
    }

    /// Within two edits (insert, delete, replace, or swap two neighbours) of `target`, the
    /// distance of "ggfu" and "guff" from "gguf", or of "safetensor" from "safetensors".
    static func isNearMiss(_ ext: String, of target: String) -> Bool {
        ext == target || editDistance(Array(ext.unicodeScalars), Array(target.unicodeScalars)) <= 2
    }

    /// The optimal-string-alignment distance (Levenshtein plus adjacent transpositions).
    static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let substitution = a[i - 1] == b[j - 1] ? 0 : 1
                table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + substitution)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
                }
            }
        }
        return table[a.count][b.count]
    }

    static func isFolder(_ path: String) -> Bool {
        var isDirectory = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory
    }
}
