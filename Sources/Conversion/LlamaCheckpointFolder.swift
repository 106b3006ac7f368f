import BPETokenizer
import Foundation
import LlamaLayout
import ModelIO

/// The side files of a Hugging Face Llama checkpoint folder that a GGUF needs besides the
/// weights: config.json (hyper-parameters, special-token ids), generation_config.json (the ids
/// generation stops on), tokenizer.json (the vocabulary) and tokenizer_config.json (chat template).
struct LlamaCheckpointFolder {
    let path: String
    let config: JSONValue
    let generationConfig: JSONValue?
    let tokenizerConfig: JSONValue?

    /// The folder holding `file`: the checkpoint folder, or the one a .safetensors file lies in.
    static func folder(of file: ModelFile) -> String {
        if case .checkpoint(let checkpoint) = file.container { return checkpoint.folder }
        let parent = (file.path as NSString).deletingLastPathComponent
        return parent.isEmpty ? "." : parent
    }

    /// nil when the folder has no config.json; a config.json that is not JSON is an error.
    init?(folder: String) throws {
        guard let config = try Self.readJSON(folder + "/config.json") else { return nil }
        path = folder
        self.config = config
        generationConfig = try Self.readJSON(folder + "/generation_config.json")
        tokenizerConfig = try Self.readJSON(folder + "/tokenizer_config.json")
    }

    /// transformers writes `model_type: "llama"`; older configs only name the class.
    var declaresLlama: Bool {
        config["model_type"]?.stringValue == "llama"
            || config["architectures"]?.arrayValue?.contains(.string("LlamaForCausalLM")) == true
    }

    /// general.name: the folder's own name, as llama.cpp's converter falls back to.
    var modelName: String {
        let name = ((path as NSString).standardizingPath as NSString).lastPathComponent
        return name.isEmpty || name == "." ? "llama" : name
    }

    var tokenizerJSONPath: String? {
        let candidate = path + "/tokenizer.json"
        return FileManager.default.fileExists(atPath: candidate) ? candidate : nil
    }

    /// chat_template.jinja (newer transformers) or tokenizer_config.json's chat_template string.
    func chatTemplate() throws -> String? {
        let jinja = path + "/chat_template.jinja"
        if FileManager.default.fileExists(atPath: jinja) {
            let source = try ByteSource(mapping: jinja)
            return String(decoding: try source.bytes(offset: 0, length: source.count), as: UTF8.self)
        }
        return tokenizerConfig?["chat_template"]?.stringValue
    }

    /// `key` (bos_token_id, eos_token_id) from generation_config.json, else config.json; a list
    /// (Llama 3.1 Instruct stops on several) gives its first id.
    func specialTokenID(_ key: String) -> Int? {
        for json in [generationConfig, config] {
            guard let value = json?[key] else { continue }
            if let id = value.int64Value ?? value.arrayValue?.first?.int64Value, let small = Int(exactly: id) { return small }
        }
        return nil
    }

    static func readJSON(_ path: String) throws -> JSONValue? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let source = try ByteSource(mapping: path)
        return try JSONParser.parse(try source.slice(offset: 0, length: source.count))
    }
}
