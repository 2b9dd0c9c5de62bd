"""Write the Swift answer types (`Codable` structs) from the typed-answer description.

Reads tests/vectors/answers.json (written by gen_answers.py just before, from the official SDK's
response models: the same model the Rust, TypeScript, Python and uniffi answer types come from)
and writes bindings-uniffi/swift/Sources/CamsKit/CamsKitAnswers.swift:

  - one `public struct X: Codable, Hashable, Sendable` per model of the official SDK, with the
    model's name (`ListChatappTemplateResponseBody`, `...ResponseBodyListTemplate`);
  - every field optional (CAMS leaves fields out), a lowerCamelCase property from the snake name
    and a `CodingKeys` case mapping it to the PascalCase key CAMS sends;
  - integers are `Int64` (64-bit ids and times exact; other integers too, as in the Rust and
    Kotlin types: a real answer never fails on a large count), `Double`, `Bool`, `String`,
    arrays, `[String: X]` maps, and `CamsJSONValue` for a field the model types `Any`;
  - `CamsAnswers`: every action, its answer body type, and `CamsResponse.decodeBody(_:)`.

Only the standard library: runs offline from a committed answers.json.
  python3 tools/answers/gen_swift.py --answers tests/vectors/answers.json --out FILE
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

COMMAND = "tools/gen-answers.sh"
SWIFT_PATH = "bindings-uniffi/swift/Sources/CamsKit/CamsKitAnswers.swift"

# Swift's reserved words (a property named after one needs backticks).
KEYWORDS = set("""
associatedtype borrowing class consuming deinit enum extension fileprivate func import init inout
internal let nonisolated open operator private precedencegroup protocol public rethrows static
struct subscript typealias var break case catch continue default defer do else fallthrough for
guard if in repeat return throw switch where while Any as await false is nil self Self super throws
true try
""".split())

JSON_VALUE = "CamsJSONValue"


def camel(snake: str) -> str:
    parts = snake.split("_")
    return parts[0] + "".join(p[:1].upper() + p[1:] for p in parts[1:])


def prop(snake: str) -> str:
    name = camel(snake)
    if not re.fullmatch(r"[a-z][A-Za-z0-9]*", name):
        raise SystemExit(f"field {snake!r}: {name!r} is not a Swift identifier")
    return f"`{name}`" if name in KEYWORDS else name


def swift_type(ty: dict) -> str:
    k = ty["kind"]
    if k == "string":
        return "String"
    if k == "integer":
        return "Int64"
    if k == "boolean":
        return "Bool"
    if k == "number":
        return "Double"
    if k == "any":
        return JSON_VALUE
    if k == "list":
        return f"[{swift_type(ty['items'])}]"
    if k == "map":
        return f"[String: {swift_type(ty['values'])}]"
    if k == "object":
        return ty["model"]
    raise SystemExit(f"unknown kind {k!r}")


def describe(ty: dict) -> str:
    k = ty["kind"]
    if k == "integer":
        return f"integer, {ty['bits']}-bit in the description"
    if k == "any":
        return "any JSON value"
    if k == "list":
        return f"list of {describe(ty['items'])}"
    if k == "map":
        return f"map of {describe(ty['values'])}"
    if k == "object":
        return f"`{ty['model']}`"
    return k


PRELUDE = '''import Foundation

/// Any JSON value: a field the official model types `Any`. Integers that fit in 64 bits stay
/// exact (`.integer`); other numbers are `.number`.
public enum CamsJSONValue: Codable, Hashable, Sendable {
    case null
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([CamsJSONValue])
    case object([String: CamsJSONValue])

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([CamsJSONValue].self) {
            self = .array(value)
        } else if let value = try? container.decode([String: CamsJSONValue].self) {
            self = .object(value)
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a JSON value")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .integer(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}

extension CamsResponse {
    /// The whole answer body (`bodyJson`) decoded as `type`, e.g.
    /// `try response.decodeBody(ListChatappTemplateResponseBody.self)`. Keys the type does not
    /// declare are ignored; a key with a value of the wrong JSON type throws `DecodingError`.
    public func decodeBody<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(bodyJson.utf8))
    }
}
'''


def swift(doc: dict) -> str:
    models, ops, source = doc["models"], doc["operations"], doc["source"]
    L = [f"// @generated by {COMMAND} (tools/answers/gen_swift.py) from {source}: do not edit by hand.",
         "// Typed CAMS answer bodies for Swift: one Codable struct per model of the official SDK,",
         "// keys as CAMS sends them (PascalCase, in CodingKeys), every field optional. Integers are",
         "// Int64 (ids and times beyond 2^53 exact). Fields the official model does not declare are",
         "// not typed here (Decodable ignores them; `bodyJson` still has them).",
         "// Decode with `try response.decodeBody(ListChatappTemplateResponseBody.self)`.",
         "",
         PRELUDE.rstrip("\n"),
         ""]
    for name in sorted(models):
        fields = models[name]["fields"]
        props = [prop(f["snake"]) for f in fields]
        if len(set(props)) != len(props):
            raise SystemExit(f"{name}: two fields give the same Swift property: {props}")
        L.append(f"/// `{name}` of the official SDK.")
        L.append(f"public struct {name}: Codable, Hashable, Sendable {{")
        for f, p in zip(fields, props):
            doc_word = "documented" if f["documented"] else "undocumented"
            L.append(f"    /// `{f['name']}`: {describe(f['type'])}; {doc_word} in the official model.")
            L.append(f"    public var {p}: {swift_type(f['type'])}?")
        L.append("")
        args = ", ".join(f"{p}: {swift_type(f['type'])}? = nil" for f, p in zip(fields, props))
        L.append(f"    public init({args}) {{")
        for p in props:
            L.append(f"        self.{p} = {p}")
        L.append("    }")
        L.append("")
        L.append("    enum CodingKeys: String, CodingKey {")
        for f, p in zip(fields, props):
            L.append(f'        case {p} = "{f["name"]}"')
        L.append("    }")
        L.append("}")
        L.append("")
    L.append("/// Every CAMS action and the type of its answer body.")
    L.append("public enum CamsAnswers {")
    L.append("    /// Every action, sorted.")
    L.append("    public static let actions: [String] = [")
    for action in sorted(ops):
        L.append(f'        "{action}",')
    L.append("    ]")
    L.append("")
    L.append("    /// The answer body type of `action` (nil for an action camskit does not know).")
    L.append("    public static func bodyType(of action: String) -> (any Decodable.Type)? {")
    L.append("        switch action {")
    for action in sorted(ops):
        L.append(f'        case "{action}": return {ops[action]["body"]}.self')
    L.append("        default: return nil")
    L.append("        }")
    L.append("    }")
    L.append("}")
    L.append("")
    return "\n".join(L)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--answers", type=Path, required=True, help="tests/vectors/answers.json")
    ap.add_argument("--out", type=Path, required=True, help="the .swift file to write")
    args = ap.parse_args()
    doc = json.loads(args.answers.read_text(encoding="utf-8"))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(swift(doc), encoding="utf-8")


if __name__ == "__main__":
    main()
