import Foundation
import ModelIO
import Testing
import TestSupport

/// A checkpoint folder destination appears complete or not at all, never replaces a folder that
/// holds more than a checkpoint, and a folder left incomplete is reported as such.
@Suite struct FolderDestinationTests {
    static let plainGGUF = TestSupport.fixture("formats/plain-types.gguf").path
    let manager = FileManager.default

    func convertToFolder(_ folder: String, shardSize: String) throws -> ProcessResult {
        try runLlama3(["convert", Self.plainGGUF, folder, "--shard-size", shardSize, "--quiet"])
    }

    func siblings(of folder: URL) throws -> [String] {
        try manager.contentsOfDirectory(atPath: folder.deletingLastPathComponent().path).filter { $0.hasPrefix(".") }
    }

    @Test func folderWithOtherFilesIsRefusedAndLeftUntouched() throws {
        let root = try TestSupport.temporaryFolder("folder-destination")
        defer { try? manager.removeItem(at: root) }
        let folder = root.appendingPathComponent("hf")
        try manager.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data("notes".utf8).write(to: folder.appendingPathComponent("README.md"))
        let result = try convertToFolder(folder.path, shardSize: "64")
        #expect(result.status == 1, "\(result)")
        #expect(result.stderrText == "llama3: \(folder.path): holds README.md, which is not part of a checkpoint; refusing to replace a folder with other files in it\n")
        #expect(try manager.contentsOfDirectory(atPath: folder.path) == ["README.md"])
        #expect(try siblings(of: folder).isEmpty)
    }

    @Test func oldCheckpointIsReplacedWholeWithNoShardOfItLeft() throws {
        let root = try TestSupport.temporaryFolder("folder-destination")
        defer { try? manager.removeItem(at: root) }
        let folder = root.appendingPathComponent("hf")
        #expect(try convertToFolder(folder.path, shardSize: "64").status == 0)
        let before = try manager.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(before.count == 5, "\(before)")
        #expect(try convertToFolder(folder.path, shardSize: "1000").status == 0)
        #expect(try manager.contentsOfDirectory(atPath: folder.path) == ["model.safetensors"])
        #expect(try siblings(of: folder).isEmpty, "the old folder is removed after the swap")
        #expect(try runLlama3(["verify", folder.path]).status == 0)
    }

    @Test func fileAtTheDestinationIsRefused() throws {
        let root = try TestSupport.temporaryFolder("folder-destination")
        defer { try? manager.removeItem(at: root) }
        let path = root.appendingPathComponent("hf").path
        try Data("x".utf8).write(to: URL(fileURLWithPath: path))
        let result = try convertToFolder(path, shardSize: "64")
        #expect(result.status == 1, "\(result)")
        #expect(result.stderrText == "llama3: \(path): expected a folder for the output, found a file\n")
    }

    @Test func stagingFolderOfAKilledRunIsRemovedByTheNextRun() throws {
        let root = try TestSupport.temporaryFolder("folder-destination")
        defer { try? manager.removeItem(at: root) }
        let folder = root.appendingPathComponent("hf")
        // PIDs above the kernel's pid_max (4194304 at most) belong to no process.
        let abandoned = root.appendingPathComponent(".hf.llama3-tmp-99999999-0")
        try manager.createDirectory(at: abandoned, withIntermediateDirectories: true)
        try Data("half".utf8).write(to: abandoned.appendingPathComponent("model-00001-of-00004.safetensors"))
        #expect(try convertToFolder(folder.path, shardSize: "64").status == 0)
        #expect(try siblings(of: folder).isEmpty)
    }

    @Test func shardsWithoutTheirIndexAreAnIncompleteCheckpoint() throws {
        let root = try TestSupport.temporaryFolder("folder-destination")
        defer { try? manager.removeItem(at: root) }
        let folder = root.appendingPathComponent("hf")
        #expect(try convertToFolder(folder.path, shardSize: "64").status == 0)
        for name in try manager.contentsOfDirectory(atPath: folder.path) where name != "model-00001-of-00004.safetensors" {
            try manager.removeItem(at: folder.appendingPathComponent(name))
        }
        for command in ["inspect", "verify"] {
            let result = try runLlama3([command, folder.path])
            #expect(result.status == 1, "\(command): \(result)")
            #expect(result.stderrText == "llama3: \(folder.path): incomplete checkpoint: model-00001-of-00004.safetensors is shard 1 of 4, "
                + "but the folder has no model.safetensors.index.json (1 of 4 shard files found)\n", "\(command)")
        }
    }

    @Test func indexNamingFewerShardsThanTheirNamesSayIsAnIncompleteCheckpoint() throws {
        let root = try TestSupport.temporaryFolder("folder-destination")
        defer { try? manager.removeItem(at: root) }
        let folder = root.appendingPathComponent("hf")
        #expect(try convertToFolder(folder.path, shardSize: "64").status == 0)
        // The index as an interrupted writer of an older layout might have left it: shard 4's
        // tensors missing from weight_map, and its file gone.
        let indexURL = folder.appendingPathComponent("model.safetensors.index.json")
        let index = try JSONParser.parse(Array(try Data(contentsOf: indexURL)), file: "index")
        let kept = (index["weight_map"]?.objectValue ?? []).filter { $0.value.stringValue != "model-00004-of-00004.safetensors" }
        let trimmed = JSONValue.object([JSONMember("weight_map", .object(kept))])
        try Data(trimmed.serialized(pretty: false).utf8).write(to: indexURL)
        try manager.removeItem(at: folder.appendingPathComponent("model-00004-of-00004.safetensors"))
        let result = try runLlama3(["inspect", folder.path])
        #expect(result.status == 1, "\(result)")
        #expect(result.stderrText.hasPrefix("llama3: \(indexURL.path): incomplete checkpoint: the shard names say -of-00004 but weight_map names 3 shard files"), "\(result)")
    }
}
