"""Structural check of the Swift answer types (no Swift toolchain on the build machines).

  python3 bindings-uniffi/swift/check_answers.py ROOT [CamsKit.swift]

Reads Sources/CamsKit/CamsKitAnswers.swift as text and checks it against tests/vectors/answers.json
(the description every typed answer is generated from), independently of the generator:
  1. one struct per model of the description, no other; every field is a property with the
     Swift type its description calls for (Int64 for every integer, Double, Bool, String, [T],
     [String: T], CamsJSONValue for `Any`, the model's struct), optional, and one CodingKeys
     case maps it to the PascalCase key CAMS sends; nothing else is declared;
  2. CamsAnswers lists every action, sorted, and bodyType(of:) returns each action's body type;
  3. every recorded answer of answers.json is decoded as Swift's synthesized Decodable would
     (decodeIfPresent per key, unknown keys ignored): each value must fit its property's type,
     integers beyond 2^53 must land in Int64 properties;
  4. with the uniffi CamsKit.swift: no name collides with a type it declares, and the
     `CamsResponse.bodyJson` that decodeBody(_:) reads exists.
Exits non-zero with the problems listed.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

INT64 = (-(2**63), 2**63 - 1)


def expected(ty: dict) -> str:
    k = ty["kind"]
    simple = {"string": "String", "integer": "Int64", "boolean": "Bool", "number": "Double",
              "any": "CamsJSONValue"}
    if k in simple:
        return simple[k]
    if k == "list":
        return "[" + expected(ty["items"]) + "]"
    if k == "map":
        return "[String: " + expected(ty["values"]) + "]"
    return ty["model"]


def parse(text: str):
    """struct name -> {"props": {prop: type}, "keys": {prop: raw}, "init": [param names]}."""
    structs = {}
    for m in re.finditer(r"^public struct (\w+): Codable, Hashable, Sendable \{\n(.*?)^\}\n", text, re.M | re.S):
        name, body = m.group(1), m.group(2)
        if name in structs:
            raise SystemExit(f"struct {name} declared twice")
        props = {p.strip("`"): t for p, t in re.findall(r"^    public var (\S+): (.+)\?$", body, re.M)}
        keys_block = re.search(r"^    enum CodingKeys: String, CodingKey \{\n(.*?)^    \}\n", body, re.M | re.S)
        keys = {}
        for p, raw in re.findall(r'^        case (\S+) = "([^"]+)"$', keys_block.group(1) if keys_block else "", re.M):
            p = p.strip("`")
            if p in keys:
                raise SystemExit(f"{name}: CodingKeys has {p} twice")
            keys[p] = raw
        init = re.search(r"^    public init\((.*)\) \{$", body, re.M)
        params = [a.split(":")[0].strip("`") for a in init.group(1).split(", ")] if init else None
        structs[name] = {"props": props, "keys": keys, "init": params,
                         "vars": len(re.findall(r"^    (?:public )?(?:var|let) ", body, re.M))}
    return structs


class Decoder:
    """Swift's synthesized Decodable, on the parsed declarations."""

    def __init__(self, structs):
        self.structs = structs
        self.values = 0
        self.big = 0
        self.ignored = 0
        self.errors = []

    def value(self, swift: str, v, where: str):
        if v is None:  # decodeIfPresent: null is nil (only at a property; nested nulls are not Optional)
            self.errors.append(f"{where}: null where {swift} is expected")
            return
        self.values += 1
        if swift == "CamsJSONValue":
            return
        if swift == "String":
            ok = isinstance(v, str)
        elif swift == "Bool":
            ok = isinstance(v, bool)
        elif swift == "Int64":
            ok = isinstance(v, int) and not isinstance(v, bool) and INT64[0] <= v <= INT64[1]
            if ok and abs(v) > 2**53:
                self.big += 1
        elif swift == "Double":
            ok = isinstance(v, (int, float)) and not isinstance(v, bool)
        elif swift.startswith("[String: "):
            ok = isinstance(v, dict)
            if ok:
                for k, x in v.items():
                    self.value(swift[len("[String: "):-1], x, f"{where}.{k}")
        elif swift.startswith("["):
            ok = isinstance(v, list)
            if ok:
                for i, x in enumerate(v):
                    self.value(swift[1:-1], x, f"{where}[{i}]")
        elif swift in self.structs:
            ok = isinstance(v, dict)
            if ok:
                self.struct(swift, v, where)
        else:
            self.errors.append(f"{where}: unknown Swift type {swift}")
            return
        if not ok:
            self.errors.append(f"{where}: {json.dumps(v)[:60]} does not decode as {swift}")

    def struct(self, name: str, obj: dict, where: str):
        s = self.structs[name]
        by_raw = {raw: p for p, raw in s["keys"].items()}
        for k, v in obj.items():
            p = by_raw.get(k)
            if p is None:
                self.ignored += 1
                continue
            if v is not None:
                self.value(s["props"][p], v, f"{where}.{k}")


def main() -> None:
    root = Path(sys.argv[1])
    swift_path = root / "bindings-uniffi/swift/Sources/CamsKit/CamsKitAnswers.swift"
    text = swift_path.read_text(encoding="utf-8")
    doc = json.loads((root / "tests/vectors/answers.json").read_text(encoding="utf-8"))
    models, ops = doc["models"], doc["operations"]
    structs = parse(text)
    problems = []

    # 1. the structs and their fields
    if set(structs) != set(models):
        problems.append(f"structs without a model: {sorted(set(structs) - set(models))[:5]}; "
                        f"models without a struct: {sorted(set(models) - set(structs))[:5]}")
    n_fields = 0
    for name, model in models.items():
        s = structs.get(name)
        if s is None:
            continue
        by_raw = {raw: p for p, raw in s["keys"].items()}
        for f in model["fields"]:
            n_fields += 1
            p = by_raw.get(f["name"])
            if p is None:
                problems.append(f"{name}.{f['name']}: no CodingKeys case")
                continue
            want = expected(f["type"])
            if s["props"].get(p) != want:
                problems.append(f"{name}.{f['name']}: property {p} is {s['props'].get(p)}?, want {want}?")
        if len(s["keys"]) != len(model["fields"]) or set(s["props"]) != set(s["keys"]):
            problems.append(f"{name}: {len(s['props'])} properties, {len(s['keys'])} keys, "
                            f"{len(model['fields'])} fields in the model")
        if s["vars"] != len(s["props"]):
            problems.append(f"{name}: {s['vars']} stored properties, {len(s['props'])} of them optional public vars")
        if s["init"] != list(s["props"]):
            problems.append(f"{name}: init takes {s['init']}, the properties are {list(s['props'])}")

    # 2. the action table
    actions = re.search(r"public static let actions: \[String\] = \[\n(.*?)\n    \]", text, re.S)
    listed = re.findall(r'^        "(\w+)",$', actions.group(1), re.M) if actions else []
    if listed != sorted(ops):
        problems.append(f"CamsAnswers.actions: {len(listed)} listed, {len(ops)} operations (or not sorted)")
    cases = dict(re.findall(r'^        case "(\w+)": return (\w+)\.self$', text, re.M))
    for action, op in ops.items():
        if cases.get(action) != op["body"]:
            problems.append(f"bodyType(of: {action}) returns {cases.get(action)}, want {op['body']}")
    if len(cases) != len(ops):
        problems.append(f"bodyType(of:) has {len(cases)} cases, {len(ops)} operations")

    # 3. the recorded answers, decoded
    dec = Decoder(structs)
    for a in doc["answers"]:
        if a["model"] in structs and cases.get(a["action"]) == a["model"]:
            dec.struct(a["model"], a["body"], a["action"])
        else:
            problems.append(f"{a['action']}: no struct to decode its answer into")
    problems += dec.errors
    unknown = sum(1 for a in doc["answers"] if doc["unknown_field"] in a["body"])
    if dec.ignored < unknown:
        problems.append(f"{dec.ignored} keys ignored, fewer than the {unknown} fields no model declares")
    if dec.big == 0:
        problems.append("no integer beyond 2^53 was decoded: the 64-bit samples are not reached")

    # 4. against the uniffi module
    if len(sys.argv) > 2:
        camskit = Path(sys.argv[2]).read_text(encoding="utf-8")
        declared = set(re.findall(r"^(?:public |open )?(?:final )?(?:struct|class|enum|protocol|typealias) (\w+)", camskit, re.M))
        ours = set(structs) | {"CamsJSONValue", "CamsAnswers"}
        if declared & ours:
            problems.append(f"names declared by both CamsKit.swift and CamsKitAnswers.swift: {sorted(declared & ours)}")
        resp = re.search(r"^public struct CamsResponse\b.*?^\}", camskit, re.M | re.S)
        if not resp or not re.search(r"^    public var bodyJson: String$", resp.group(0), re.M):
            problems.append("CamsKit.swift has no CamsResponse.bodyJson: String (decodeBody(_:) reads it)")

    if problems:
        print("\n".join(problems[:50]), file=sys.stderr)
        raise SystemExit(f"Swift answers: {len(problems)} problems")
    print(f"Swift answers: {len(structs)} structs, {n_fields} fields typed, {len(ops)} actions; "
          f"{len(doc['answers'])} recorded answers decoded, {dec.values} values, "
          f"{dec.big} integers beyond 2^53 in Int64, {dec.ignored} undeclared keys ignored")


if __name__ == "__main__":
    main()
