import FoundationEssentials
import ModelIO

/// The small files a Hugging Face checkpoint keeps beside its weights, read in this one place:
/// config.json (hyper-parameters, special-token ids), generation_config.json (the ids generation
/// stops on), tokenizer_config.json and chat_template.jinja (the chat template), and where the
/// vocabulary is (tokenizer.json, else tokenizer.model).
///
/// Reading never throws: a missing file is nil and a file that is not valid JSON is kept as its
/// error, so `inspect` can list it as a problem while `convert` refuses to go on.
public struct HuggingFaceSideFiles: Sendable {
    public let folder: String
    public let config: Result<JSONValue, FileError>?
    public let generationConfig: Result<JSONValue, FileError>?
    public let tokenizerConfig: Result<JSONValue, FileError>?
    /// chat_template.jinja, which newer transformers releases write instead of the config key.
    public let chatTemplateFile: Result<String, FileError>?
    public let tokenizerJSONPath: String?
    public let tokenizerModelPath: String?

    public static let configName = "config.json"
    public static let generationConfigName = "generation_config.json"
    public static let tokenizerConfigName = "tokenizer_config.json"
    public static let chatTemplateName = "chat_template.jinja"
    public static let tokenizerJSONName = "tokenizer.json"
    public static let tokenizerModelName = "tokenizer.model"

    public init(folder: String) {
        self.folder = folder
        config = Self.readJSON(folder, Self.configName)
        generationConfig = Self.readJSON(folder, Self.generationConfigName)
        tokenizerConfig = Self.readJSON(folder, Self.tokenizerConfigName)
        chatTemplateFile = Self.read(folder, Self.chatTemplateName) { String(decoding: $0.bytes, as: UTF8.self) }
        tokenizerJSONPath = Self.existing(folder, Self.tokenizerJSONName)
        tokenizerModelPath = Self.existing(folder, Self.tokenizerModelName)
    }

    /// The side files of the folder `file` lies in (the checkpoint folder itself for a folder).
    public init(beside file: ModelFile) {
        self.init(folder: Self.folder(of: file))
    }

    /// The folder holding `file`: the checkpoint folder, or the one a single file lies in.
    public static func folder(of file: ModelFile) -> String {
        if case .checkpoint(let checkpoint) = file.container { return checkpoint.folder }
        if case .metaCheckpoint(let checkpoint) = file.container { return checkpoint.folder }
        guard let slash = file.path.lastIndex(of: "/") else { return "." }
        return slash == file.path.startIndex ? "/" : String(file.path[..<slash])
    }

    public func path(_ name: String) -> String { folder + "/" + name }

    /// The name of the vocabulary file the folder has, preferring tokenizer.json.
    public var tokenizerFileName: String? {
        if tokenizerJSONPath != nil { return Self.tokenizerJSONName }
        return tokenizerModelPath == nil ? nil : Self.tokenizerModelName
    }

    /// Where the chat template comes from, for the inspect report; nil when there is none.
    public var chatTemplateSource: String? {
        if chatTemplateFile != nil { return Self.chatTemplateName }
        if case .success(let json)? = tokenizerConfig, json["chat_template"]?.stringValue != nil {
            return Self.tokenizerConfigName + " chat_template"
        }
        return nil
    }

    /// chat_template.jinja, else tokenizer_config.json's chat_template string; an unreadable file
    /// on the way is an error.
    public func chatTemplate() throws -> String? {
        if let chatTemplateFile { return try chatTemplateFile.get() }
        return try tokenizerConfig?.get()["chat_template"]?.stringValue
    }

    /// config.json, which a conversion needs; its absence or a parse error is the error.
    public func requiredConfig() throws -> JSONValue {
        guard let config else {
            throw FileError(file: path(Self.configName), "expected the checkpoint's config.json beside the weights")
        }
        return try config.get()
    }

    /// The id of the special token `kind` ("bos", "eos") as llama.cpp's converter (0.3.36, its
    /// gguf-py SpecialVocab) resolves it, so that a GGUF stops where llama.cpp's own conversion
    /// of the folder stops (Docs/FORMATS.md):
    /// 1. tokenizer_config.json's `<kind>_token`, a name (or an added token's "content") that
    ///    `idOfName` looks up in the vocabulary: <|eot_id|> for Llama 3 Instruct;
    /// 2. else config.json's `<kind>_token_id` when it is one id (a list, as Llama 3.1 Instruct's
    ///    three, is passed over);
    /// 3. else generation_config.json's, the first of a list. llama.cpp writes none in this case;
    ///    the id generation stops on first is kept rather than no id at all.
    public func specialTokenID(_ kind: String, idOfName: (String) -> Int?) throws -> Int? {
        if let name = try tokenizerConfigTokenName(kind + "_token"), let id = idOfName(name) { return id }
        if let value = try config?.get()[kind + "_token_id"], let id = value.int64Value {
            return Int(exactly: id)
        }
        guard let value = try generationConfig?.get()[kind + "_token_id"] else { return nil }
        return (value.int64Value ?? value.arrayValue?.first?.int64Value).flatMap { Int(exactly: $0) }
    }

    /// tokenizer_config.json's `key` (bos_token, eos_token): a name, or an object whose
    /// "content" is the name (as transformers writes an AddedToken).
    public func tokenizerConfigTokenName(_ key: String) throws -> String? {
        guard let entry = try tokenizerConfig?.get()[key] else { return nil }
        return entry.stringValue ?? entry["content"]?.stringValue
    }

    static func existing(_ folder: String, _ name: String) -> String? {
        let path = folder + "/" + name
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }

    static func readJSON(_ folder: String, _ name: String) -> Result<JSONValue, FileError>? {
        read(folder, name) { bytes in try JSONParser.parse(bytes) }
    }

    static func read<Value>(
        _ folder: String, _ name: String, _ decode: (ByteSlice) throws -> Value
    ) -> Result<Value, FileError>? {
        guard let path = existing(folder, name) else { return nil }
        do {
            let source = try ByteSource(mapping: path)
            return .success(try decode(try source.slice(offset: 0, length: source.count)))
        } catch let error as FileError {
            return .failure(error)
        } catch {
            return .failure(FileError(file: path, "\(error)"))
        }
    }
}
