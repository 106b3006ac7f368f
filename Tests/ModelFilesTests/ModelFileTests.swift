import Foundation
import GGUF
import ModelFiles
import ModelIO
import Testing
import TestSupport

/// `ModelFile`: one view of GGUF, safetensors and checkpoint folders, and the container part of
/// `InspectReport` built on it.
@Suite struct ModelFileTests {
    static func fixture(_ name: String) -> String { TestSupport.fixture("formats/" + name).path }

    @Test(arguments: [
        ("all-types.gguf", ModelFileFormat.gguf(version: 3), 13),
        ("all-dtypes.safetensors", .safetensors, 21),
        ("sharded", .checkpoint(sharded: true), 3),
    ])
    func formatIsToldFromTheContents(_ name: String, _ format: ModelFileFormat, _ tensors: Int) throws {
        let file = try ModelFile(path: Self.fixture(name))
        #expect(file.format == format)
        #expect(file.tensors.count == tensors)
    }

    @Test func ggufShapesAreRowMajorAndDataIsAView() throws {
        let file = try ModelFile(path: Self.fixture("all-types.gguf"))
        let tensor = try #require(file.tensor(named: "f32.four_dims"))
        #expect(tensor.shape == [2, 1, 3, 2] && tensor.dtype.name == "F32" && tensor.byteCount == 48)
        #expect(tensor.data.source.name == Self.fixture("all-types.gguf") && tensor.offset == tensor.data.offset)
        #expect(file.metadata("test.uint64") == .gguf(.uint64(.max)))
        #expect(file.metadata("general.architecture")?.string == "fixture")
    }

    @Test func checkpointMetadataIsTheIndexThenTheShards() throws {
        let file = try ModelFile(path: Self.fixture("sharded"))
        #expect(file.metadata.map(\.key) == ["total_size", "format"])
        #expect(file.metadata("total_size")?.integer == 52)
        #expect(Set(file.tensors.map(\.file)).count == 2)
    }

    @Test func fileOfNeitherFormatSaysBothWereExpected() throws {
        #expect { try ModelFile(path: Self.fixture("make-fixtures.py")) } throws: { error in
            "\(error)".contains("expected a GGUF file (magic \"GGUF\") or a safetensors file")
        }
        #expect(throws: FileError.self) { try ModelFile(path: Self.fixture("no-such-file")) }
    }

    @Test func invalidFileReportHasTheErrorAsItsOnlyProblemAndExitsOne() throws {
        let report = InspectReport.make(path: Self.fixture("make-fixtures.py"), analyses: [])
        #expect(report.file == nil && report.problems.count == 1 && report.exitStatus == 1)
        #expect(report.failureSummary == report.problems.first)
        #expect(report.json()["format"]?["name"] == .null)
    }

    @Test func validContainerReportExitsZeroAndSummarisesLongArrays() throws {
        let report = InspectReport.make(path: Self.fixture("all-types.gguf"), analyses: [])
        #expect(report.exitStatus == 0 && report.failureSummary == nil)
        let metadata = try #require(report.json()["metadata"])
        #expect(metadata["test.array.int32"]?["count"] == 40 && metadata["test.array.int32"]?["head"]?.arrayValue?.count == 16)
        #expect(metadata["test.array.uint8"] == [0, 1, 255])
        #expect(report.json(full: true)["metadata"]?["test.array.int32"]?.arrayValue?.count == 40)
    }

    /// An analysis adds problems; the status and summary follow from them in one place.
    @Test func problemsFromAnAnalysisMakeTheStatusOne() throws {
        struct Complaint: InspectAnalysis {
            func analyse(_ file: ModelFile, into report: inout InspectReport) {
                report.problems += ["first", "second"]
                report.warnings.append("just saying")
            }
        }
        let report = InspectReport.make(path: Self.fixture("all-types.gguf"), analyses: [Complaint()])
        #expect(report.exitStatus == 1)
        #expect(report.failureSummary?.hasSuffix("2 problems: first (and 1 more)") == true)
        #expect(report.json()["warnings"] == ["just saying"])
    }
}

/// PyTorch's formats are named only when the file is not safetensors: a safetensors header length
/// can start with the same bytes as a pickle or a zip archive.
@Suite struct UnreadFormatTests {
    /// A tensor-less safetensors file whose header is padded to `length` bytes.
    static func safetensors(headerLength length: Int) -> [UInt8] {
        let json = Array(#"{"__metadata__":{"format":"pt"}}"#.utf8)
        var bytes: [UInt8] = []
        bytes.appendLittleEndian(UInt64(length))
        return bytes + json + Array(repeating: UInt8(ascii: " "), count: length - json.count)
    }

    /// 0x280 and 0x380 start like pickle protocols 2 and 3; 0x4b50 like a zip archive's "PK".
    @Test(arguments: [0x0280, 0x0380, 0x4b50])
    func aSafetensorsHeaderLengthLikeAPickleOrZipStillReads(length: Int) throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("model.bin").path
        try Data(Self.safetensors(headerLength: length)).write(to: URL(fileURLWithPath: path))
        #expect(try ModelFile(path: path).format == .safetensors)
    }
}
