// swift-tools-version:6.1
import PackageDescription

// Dependencies point one way (Docs/ARCHITECTURE.md):
// llama3 -> {Conversion, ReferenceModel} -> LlamaLayout -> ModelFiles -> {GGUF, Safetensors, PyTorchCheckpoint}
//                                    -> {Quantization, BPETokenizer} -> ModelIO -> {CZstd, CXXHash, CZlib, CLinux}
// ReferenceModel -> CProductKernels (C kernels, no dependencies)
let package = Package(
    name: "llama3-tools",
    products: [
        .executable(name: "llama3", targets: ["llama3"]),
        .library(name: "ModelIO", targets: ["ModelIO"]),
        .library(name: "BPETokenizer", targets: ["BPETokenizer"]),
        .library(name: "GGUF", targets: ["GGUF"]),
        .library(name: "Safetensors", targets: ["Safetensors"]),
        .library(name: "PyTorchCheckpoint", targets: ["PyTorchCheckpoint"]),
        .library(name: "Quantization", targets: ["Quantization"]),
        .library(name: "ModelFiles", targets: ["ModelFiles"]),
        .library(name: "LlamaLayout", targets: ["LlamaLayout"]),
        .library(name: "Conversion", targets: ["Conversion"]),
        .library(name: "ReferenceModel", targets: ["ReferenceModel"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CZstd", pkgConfig: "libzstd",
            providers: [.apt(["libzstd-dev"])]),
        .systemLibrary(
            name: "CXXHash", pkgConfig: "libxxhash",
            providers: [.apt(["libxxhash-dev"])]),
        // Deflated members of a zip archive (the llama-models wheel, `vocab install`).
        .systemLibrary(
            name: "CZlib", pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]),
        // Linux calls Swift's Glibc module leaves out (sync_file_range).
        .systemLibrary(name: "CLinux"),
        // The reference model's product kernels: a baseline and an AVX2/FMA path, chosen at run time.
        .target(name: "CProductKernels"),

        .target(name: "ModelIO", dependencies: ["CZstd", "CXXHash", "CZlib", "CLinux"]),
        .target(name: "BPETokenizer", dependencies: ["ModelIO"]),
        .target(name: "GGUF", dependencies: ["ModelIO"]),
        .target(name: "Safetensors", dependencies: ["ModelIO"]),
        .target(name: "PyTorchCheckpoint", dependencies: ["ModelIO"]),
        .target(name: "Quantization", dependencies: ["ModelIO"]),
        .target(name: "ModelFiles", dependencies: ["GGUF", "Safetensors", "PyTorchCheckpoint", "ModelIO"]),
        .target(
            name: "LlamaLayout",
            dependencies: ["ModelFiles", "GGUF", "Safetensors", "Quantization", "BPETokenizer"]),
        .target(
            name: "Conversion",
            dependencies: ["ModelFiles", "LlamaLayout", "GGUF", "Safetensors", "Quantization", "BPETokenizer"]),
        .target(
            name: "ReferenceModel",
            dependencies: ["ModelFiles", "LlamaLayout", "Quantization", "ModelIO", "BPETokenizer", "CProductKernels"]),
        .executableTarget(
            name: "llama3",
            dependencies: [
                "Conversion", "ReferenceModel",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        // Shared test helpers (paths, running processes, the fixture venv), not shipped.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        // A child process for the atomic writer's kill tests.
        .executableTarget(name: "atomic-write-probe", dependencies: ["ModelIO"], path: "Tests/AtomicWriteProbe"),
        .testTarget(name: "ModelIOTests", dependencies: ["ModelIO", "TestSupport", "atomic-write-probe"]),
        .testTarget(name: "QuantizationTests", dependencies: ["Quantization", "TestSupport"]),
        .testTarget(name: "GGUFTests", dependencies: ["GGUF", "TestSupport"]),
        .testTarget(name: "SafetensorsTests", dependencies: ["Safetensors", "TestSupport"]),
        .testTarget(name: "PyTorchCheckpointTests", dependencies: ["PyTorchCheckpoint", "ModelIO", "TestSupport"]),
        .testTarget(name: "ModelFilesTests", dependencies: ["ModelFiles", "GGUF", "TestSupport"]),
        .testTarget(name: "ConversionTests", dependencies: ["Conversion", "ModelFiles", "LlamaLayout", "GGUF", "Quantization", "TestSupport"]),
        .testTarget(name: "BPETokenizerTests", dependencies: ["BPETokenizer", "TestSupport"]),
        .testTarget(name: "LlamaLayoutTests", dependencies: ["LlamaLayout", "ModelFiles", "BPETokenizer", "GGUF", "TestSupport"]),
        .testTarget(name: "ReferenceModelTests", dependencies: ["ReferenceModel", "Conversion", "ModelFiles", "LlamaLayout", "Quantization", "BPETokenizer", "ModelIO", "TestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["llama3", "BPETokenizer", "ModelFiles", "LlamaLayout", "GGUF", "TestSupport"], exclude: ["Help"]),
    ]
)
