import FuzzSupport
import ModelIO

/// The JSON parser every JSON input goes through (safetensors headers, index, config.json,
/// tokenizer.json, chat lines). What parses must write back and parse to the same value.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    expectCleanRefusal {
        let value = try JSONParser.parse(bytes, file: "fuzz.json")
        let written = value.serialized()
        let again: JSONValue
        do {
            again = try JSONParser.parse(written, file: "<written>")
        } catch {
            fuzzFinding("the writer's output does not parse: \(error) in \(written)")
        }
        if again.serialized() != written { fuzzFinding("write, parse, write changes the text: \(written)") }
        let pretty = value.serialized(pretty: true)
        if (try? JSONParser.parse(pretty, file: "<pretty>"))?.serialized() != written {
            fuzzFinding("the pretty form parses to another value: \(pretty)")
        }
    }
    return 0
}
