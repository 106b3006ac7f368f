// swift-tools-version:6.1
import PackageDescription

// libFuzzer targets for every parser of llama3-tools (Docs/FUZZING.md). Kept out of the main
// package so that `swift build` and `swift test` never build them; built by scripts/fuzz.sh with
// `swift build --package-path Fuzz --scratch-path .build-fuzz --sanitize fuzzer --sanitize address`.
// Debug builds compile the main package's modules with -enable-testing, which the targets that
// reach internal entry points (`@testable import`) need.
let fuzzTargets: [(name: String, dependencies: [Target.Dependency])] = [
    ("fuzz-gguf", [.product(name: "GGUF", package: "llama3-tools")]),
    ("fuzz-gguf-split", [.product(name: "GGUF", package: "llama3-tools")]),
    ("fuzz-safetensors", [.product(name: "Safetensors", package: "llama3-tools")]),
    ("fuzz-safetensors-index", [.product(name: "Safetensors", package: "llama3-tools")]),
    ("fuzz-pth", [.product(name: "PyTorchCheckpoint", package: "llama3-tools")]),
    ("fuzz-vocab-tiktoken", [.product(name: "BPETokenizer", package: "llama3-tools")]),
    ("fuzz-vocab-tokenizer-json", [.product(name: "BPETokenizer", package: "llama3-tools")]),
    ("fuzz-vocab-gguf", [
        .product(name: "LlamaLayout", package: "llama3-tools"), .product(name: "GGUF", package: "llama3-tools"),
        .product(name: "BPETokenizer", package: "llama3-tools"),
    ]),
    ("fuzz-vocab-cache", [.product(name: "BPETokenizer", package: "llama3-tools")]),
    ("fuzz-json", [.product(name: "ModelIO", package: "llama3-tools")]),
    ("fuzz-zstd", [.product(name: "ModelIO", package: "llama3-tools")]),
    ("fuzz-zip", [.product(name: "ModelIO", package: "llama3-tools")]),
    ("fuzz-tokenizer", [.product(name: "BPETokenizer", package: "llama3-tools")]),
]

let package = Package(
    name: "llama3-tools-fuzz",
    dependencies: [.package(name: "llama3-tools", path: "..")],
    targets: [
        .target(name: "FuzzSupport", dependencies: [
            .product(name: "ModelIO", package: "llama3-tools"), .product(name: "BPETokenizer", package: "llama3-tools"),
        ]),
    ] + fuzzTargets.map { target in
        // One source file, not main.swift: compiled as a library (-parse-as-library), so that
        // libFuzzer's main is the program's.
        .executableTarget(name: target.name, dependencies: ["FuzzSupport"] + target.dependencies)
    }
)
