import Foundation
import Testing
import TestSupport
@testable import ModelIO

@Suite struct JSONParserTests {
    @Test func integersStayExact() throws {
        let value = try JSONParser.parse(#"[9223372036854775807, 18446744073709551615, -9223372036854775808, 0, -0.5, 1e-5]"#)
        #expect(value == [.int(Int64.max), .uint(UInt64.max), .int(Int64.min), 0, .double(-0.5), .double(1e-5)])
    }

    @Test func escapesAndSurrogatePairsDecode() throws {
        let value = try JSONParser.parse(#"{"a\"b": "\u00e9\ud83d\ude00\n\t\/", "k": "é"}"#)
        #expect(value["a\"b"] == .string("é😀\n\t/"))
        #expect(value["k"] == .string("é"))
        #expect(value.objectValue?.map(\.key) == ["a\"b", "k"])
    }

    /// Issue 14 changed this: duplicates were kept in order (and readers took the first); now
    /// they are refused, naming the key and where its second copy starts.
    @Test func duplicateKeysAreRefusedNamingTheKeyAndItsOffset() throws {
        #expect { try JSONParser.parse(#"{"x": 1, "x": 2}"#, file: "d.json") } throws: { error in
            "\(error)" == #"d.json: at byte 9: found key "x" twice in one object; expected unique keys"#
        }
        #expect { try JSONParser.parse(#"[{"a": {"x": 1, "y": 2, "x": 3}}]"#) } throws: { "\($0)".contains("at byte 24: found key \"x\" twice") }
        #expect(try JSONParser.parse(#"{"x": {"x": 1}, "y": {"x": 2}}"#)["y"]?["x"] == .integer(2), "the same key in two objects is fine")
    }

    static let malformed: [(text: String, offset: UInt64)] = [
        (#"{"a": 1"#, 7),  // truncated object
        (#"{"a" 1}"#, 5),  // missing colon
        (#"[1, 2,]"#, 6),  // trailing comma
        (#""\x""#, 1),  // bad escape
        (#""\udc00""#, 1),  // lone low surrogate
        (#""\ud800x""#, 1),  // high surrogate without its pair
        ("\"abc", 0),  // unterminated string
        ("01", 1),  // leading zero then garbage
        ("1.", 2),  // no digit after the point
        ("[1] x", 4),  // trailing data
        ("\"a\u{01}\"", 2),  // raw control character
        ("", 0),
    ]

    @Test(arguments: malformed)
    func malformedJSONNamesTheOffset(_ testCase: (text: String, offset: UInt64)) throws {
        let error = #expect(throws: FileError.self) { try JSONParser.parse(testCase.text, file: "h.json") }
        #expect(error?.offset == testCase.offset, "\(String(describing: error))")
        #expect(error?.file == "h.json")
    }

    @Test func invalidUTF8InAStringIsRefused() throws {
        let bytes: [UInt8] = [0x22, 0x61, 0xFF, 0x22]
        let error = #expect(throws: FileError.self) { try JSONParser.parse(bytes, file: "f", baseOffset: 100) }
        #expect(error?.offset == 100)
    }

    /// Strings are scanned eight bytes at a time: quotes, backslashes and control characters are
    /// found wherever they fall in those eight-byte steps.
    @Test func stringsDecodeWithSpecialBytesAtEveryAlignment() throws {
        for before in 0..<20 {
            for after in [0, 1, 7, 8, 9, 30] {
                let text = String(repeating: "x", count: before) + "é\"\\\n\t/" + String(repeating: "y", count: after) + "😀"
                let written = "\"" + String(repeating: "x", count: before) + #"é\"\\\n\t\/"#
                    + String(repeating: "y", count: after) + #"\ud83d\ude00""#
                #expect(try JSONParser.parse(written) == .string(text), "\(before) \(after)")
                let plain = String(repeating: "x", count: before) + "é" + String(repeating: "y", count: after)
                #expect(try JSONParser.parse("\"" + plain + "\"") == .string(plain))
            }
            let control = "\"" + String(repeating: "a", count: before) + "\u{01}b\""
            let error = #expect(throws: FileError.self) { try JSONParser.parse(control) }
            #expect(error?.offset == UInt64(1 + before))
            let badAfterEscape: [UInt8] = [0x22] + [UInt8](repeating: 0x61, count: before) + [0x5C, 0x6E, 0xFF, 0x22]
            let invalid = #expect(throws: FileError.self) { try JSONParser.parse(badAfterEscape, file: "f", baseOffset: 10) }
            #expect(invalid?.offset == 10)
        }
    }

    /// Escaped strings longer than the decoding buffer's first size (it doubles as needed),
    /// inside a larger document and alone.
    @Test func longEscapedStringsDecode() throws {
        for length in [4090, 4100, 20_000] {
            let text = (0..<length).map { $0 % 7 == 0 ? "\n" : $0 % 11 == 0 ? "é" : "a" }.joined()
            let written = "\"" + text.replacingOccurrences(of: "\n", with: "\\n") + "\""
            #expect(try JSONParser.parse(written) == .string(text))
            #expect(try JSONParser.parse("[" + written + ", 1]") == [.string(text), 1])
        }
    }

    @Test func aSliceParsesWithOffsetsInTheWholeFile() throws {
        let bytes = Array(#"{"text": "a"}"#.utf8) + [0x0A] + Array(#"{"text": 1,}"#.utf8)
        #expect(try JSONParser.parse(bytes[0..<13])["text"] == .string("a"))
        let error = #expect(throws: FileError.self) { try JSONParser.parse(bytes[14...], file: "l.jsonl", baseOffset: 14) }
        #expect(error?.offset == 25)
    }

    @Test func deepNestingIsRefusedNotACrash() throws {
        let bomb = String(repeating: "[", count: 100_000)
        let error = #expect(throws: FileError.self) { try JSONParser.parse(bomb) }
        #expect(error?.offset == UInt64(JSONParser.maximumDepth))
    }
}

@Suite struct JSONWriterTests {
    static let sample: JSONValue = .object([
        JSONMember("big", .uint(UInt64.max)),
        JSONMember("min", .int(Int64.min)),
        JSONMember("eps", .float32(1e-5)),
        JSONMember("theta", .double(500000)),
        JSONMember("text", "quote\" back\\ nl\n ctl\u{01} é 😀"),
        JSONMember("list", [true, false, nil, []]),
        JSONMember("empty", .object([])),
    ])

    @Test func compactOutputIsOneLine() {
        let text = Self.sample.serialized()
        #expect(!text.contains("\n"))
        #expect(text.contains(#""big":18446744073709551615"#))
        #expect(text.contains(#""eps":1e-05"#))
    }

    @Test(.requiresFixtureVenv, arguments: [false, true])
    func pythonReadsTheSameValues(pretty: Bool) throws {
        let script = """
            import json, sys
            got = json.loads(sys.stdin.read())
            want = {"big": 2**64 - 1, "min": -2**63, "eps": 1e-05, "theta": 500000.0,
                    "text": 'quote" back\\\\ nl\\n ctl\\x01 é 😀', "list": [True, False, None, []], "empty": {}}
            assert got == want, (got, want)
            assert isinstance(got["theta"], float)
            print("same")
            """
        let result = try runPython(["-c", script], stdin: Data(Self.sample.serialized(pretty: pretty).utf8))
        #expect(result.status == 0 && result.stdoutText == "same\n", "\(result)")
    }

    @Test func roundTripsThroughTheParser() throws {
        #expect(try JSONParser.parse(Self.sample.serialized(pretty: true)) == Self.sample)
    }
}
