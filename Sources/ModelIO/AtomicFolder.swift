import Glibc
import CLinux

/// A folder of outputs that appears at its destination complete or not at all.
///
/// The files are written into a hidden sibling, `.NAME.llama3-tmp-PID-N`, and `commit()` puts it
/// in place with one rename: to a new name, or, over an existing folder, with
/// `renameat2(RENAME_EXCHANGE)`, which swaps the two folders at once; the old one (now under the
/// hidden name) is removed after. So at every moment the destination holds the old folder, or the
/// new one whole. A run killed before `commit()` leaves only the hidden sibling, which the next
/// run into the same destination removes once its process is gone.
///
/// An existing destination is replaced only when `isReplaceable` accepts every name in it (a
/// checkpoint this project could have written): a folder holding anything else is refused
/// rather than deleted, and so is one holding an input.
public final class AtomicFolder {
    public let destination: String
    /// Where the files go until `commit()`.
    public let staging: String
    private let parent: String
    private var finished = false

    public init(destination: String, inputs: [String] = [], isReplaceable: (String) -> Bool) throws {
        let trimmed = destination.count > 1 && destination.hasSuffix("/") ? String(destination.dropLast()) : destination
        self.destination = trimmed
        parent = AtomicFileWriter.folder(of: trimmed)
        try Self.refuseUnreplaceable(trimmed, inputs: inputs, isReplaceable: isReplaceable)
        Self.removeAbandonedStagingFolders(of: trimmed, in: parent)
        staging = TemporaryFiles.shared.makeName(for: trimmed, in: parent)
        guard mkdir(staging, 0o755) == 0 else {
            throw systemError("creating a temporary folder", path: staging, errno: errno)
        }
    }

    deinit { discard() }

    /// Puts the staging folder at the destination, replacing what was there, and removes the old.
    public func commit() throws {
        guard !finished else { throw FileError(file: destination, "the output folder was already closed") }
        syncFolder(staging)
        var info = stat()
        if lstat(destination, &info) == 0 {
            try exchange()
            removeFlatFolder(staging)  // the old destination, now under the hidden name
        } else {
            guard renameat2(AT_FDCWD, staging, AT_FDCWD, destination, LLAMA3_RENAME_NOREPLACE) == 0
                    || (errno == EINVAL && rename(staging, destination) == 0) else {
                throw systemError("renaming \(staging) to the output folder", path: destination, errno: errno)
            }
        }
        finished = true
        syncFolder(parent)
    }

    /// Abandons the output: the staging folder and what it holds are removed.
    public func discard() {
        guard !finished else { return }
        finished = true
        removeFlatFolder(staging)
    }

    private func exchange() throws {
        if renameat2(AT_FDCWD, staging, AT_FDCWD, destination, LLAMA3_RENAME_EXCHANGE) == 0 { return }
        guard errno == EINVAL || errno == ENOSYS else {
            throw systemError("swapping \(staging) with the output folder", path: destination, errno: errno)
        }
        // A file system without RENAME_EXCHANGE: the old folder moves aside, then the new one in.
        // Between the two renames the destination is absent, never partial.
        let aside = TemporaryFiles.shared.makeName(for: destination, in: parent)
        guard rename(destination, aside) == 0 else { throw systemError("moving the old folder aside", path: destination, errno: errno) }
        guard rename(staging, destination) == 0 else {
            let code = errno
            _ = rename(aside, destination)
            throw systemError("renaming \(staging) to the output folder", path: destination, errno: code)
        }
        _ = rename(aside, staging)
    }

    static func refuseUnreplaceable(_ destination: String, inputs: [String], isReplaceable: (String) -> Bool) throws {
        var info = stat()
        guard lstat(destination, &info) == 0 else { return }
        guard (info.st_mode & S_IFMT) == S_IFDIR else {
            throw FileError(file: destination, "expected a folder for the output, found \(describeFileType(info.st_mode))")
        }
        let inputIdentities = inputs.compactMap { input -> (dev_t, ino_t)? in
            var inputInfo = stat()
            return stat(input, &inputInfo) == 0 ? (inputInfo.st_dev, inputInfo.st_ino) : nil
        }
        for name in try entries(of: destination) {
            guard isReplaceable(name) else {
                throw FileError(
                    file: destination,
                    "holds \(name), which is not part of a checkpoint; refusing to replace a folder with other files in it")
            }
            var entry = stat()
            if stat(destination + "/" + name, &entry) == 0,
               inputIdentities.contains(where: { $0.0 == entry.st_dev && $0.1 == entry.st_ino }) {
                throw FileError(file: destination, "holds \(name), which is an input; refusing to replace an input")
            }
        }
    }

    /// Removes `.NAME.llama3-tmp-PID-N` siblings left by runs that were killed (their PID is gone).
    static func removeAbandonedStagingFolders(of destination: String, in parent: String) {
        let base = destination.split(separator: "/").last.map(String.init) ?? "output"
        let prefix = "." + base + ".llama3-tmp-"
        guard let names = try? entries(of: parent) else { return }
        for name in names where name.hasPrefix(prefix) {
            let fields = name.dropFirst(prefix.count).split(separator: "-")
            guard fields.count == 2, let pid = Int32(fields[0]), pid != getpid() else { continue }
            guard kill(pid, 0) != 0, errno == ESRCH else { continue }
            var info = stat()
            let path = parent + "/" + name
            if lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR { removeFlatFolder(path) }
        }
    }

    static func entries(of folder: String) throws -> [String] {
        guard let directory = opendir(folder) else { throw systemError("listing the folder", path: folder, errno: errno) }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != ".", name != ".." { names.append(name) }
        }
        return names
    }
}

/// Removes a folder that holds only files (what `AtomicFolder` stages), then the folder itself.
private func removeFlatFolder(_ path: String) {
    for name in (try? AtomicFolder.entries(of: path)) ?? [] { unlink(path + "/" + name) }
    rmdir(path)
}

private func syncFolder(_ path: String) {
    let fd = retryingInterrupted { open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
    guard fd >= 0 else { return }
    _ = retryingInterrupted { fsync(fd) }
    close(fd)
}
