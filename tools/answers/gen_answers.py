"""Write camskit's typed answers from Alibaba's official description of the CAMS answers.

Reads the PyPI package `alibabacloud-cams20200606` (pinned by tools/gen-answers.sh) without
sending any request:
  - the AST of each `*_with_options` method of its client gives the action (`Params(action=…)`)
    and the returned `main_models.XxxResponse`, whose `body` annotation names the answer body
    model `XxxResponseBody`;
  - each model's `__init__` annotations give the field types (str, int, bool, float, Any,
    List[…], Dict[str, …], main_models.Other), a comment above `self.x = x` marks a documented
    field;
  - the API name of a field (its `to_map` key) is found by asking the model itself: the key
    whose value changes in `to_map()` when only that attribute is set.

The 64-bit rule (the Python models say only `int`): an integer field is 64-bit when its name
is an identifier (`id`, `*_id`) or a point in time (`*_time`, `*timestamp`, `gmt_*`,
`expire`, `*_expires`, and the `start`/`end` of a metric window); every other integer
(totals, counts, durations, limits `max_*`, codes, results) is 32-bit. Rust reads every integer as i64 all the
same (a real answer never fails on a large count); TypeScript types 64-bit fields `bigint`.

Writes (first line of each says generated):
  tests/vectors/answers.json        the description + one recorded answer per operation: a
                                    sample body filled from the description, parsed by the
                                    official model (`from_map`) and written back (`to_map`)
  answers/src/generated/answers.rs          serde structs, the action table, the `Answer` enum
  answers/generated/answers.d.ts    TypeScript interfaces, `AnswerOf<A>`
  answers/generated/answers.pyi     Python TypedDicts, `Action`, `answer_type` overloads
  bindings-uniffi/src/answers.rs    uniffi records (Kotlin, Swift) of the operations in
                                    UNIFFI_OPS, converted from the camskit-answers structs
  bindings-uniffi/kotlin/generated/CamsAnswers.kt   Kotlin data classes (kotlinx.serialization)
                                    of every operation's answer (gen_kotlin.py)
  bindings-uniffi/kotlin/generated/CamsCalls.kt     every operation as a typed Kotlin call
                                    (parameters from tests/mock-cams/catalog.json; gen_kotlin.py)
"""

from __future__ import annotations

import argparse
import ast
import inspect
import json
import keyword
import re
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import alibabacloud_cams20200606.client as cams_client
from gen_kotlin import CATALOG, KOTLIN_CALLS_PATH, KOTLIN_PATH, kotlin_answers, kotlin_calls
from alibabacloud_cams20200606 import models as cams_models

PACKAGE = "alibabacloud-cams20200606"
COMMAND = "tools/gen-answers.sh"
UNKNOWN = "CamskitUnknownField"  # a field no model declares: the official model drops it, camskit keeps it
BIG = 2**53 + 1  # 64-bit sample values start beyond what a JS number holds exactly

SIMPLE = {"str": "string", "int": "integer", "bool": "boolean", "float": "number", "Any": "any"}


def is_64bit(snake: str) -> bool:
    if snake.startswith("max_"):  # a limit (max_talk_time, max_results), not a point in time
        return False
    return bool(
        snake == "id" or snake.endswith("_id")
        or snake.endswith("_time") or snake.endswith("timestamp") or snake.startswith("gmt_")
        or snake == "expire" or snake.endswith("_expires")
        or snake in ("start", "end")
    )


def parse_type(annotation: str) -> dict:
    a = annotation.replace(" ", "")
    if a in SIMPLE:
        return {"kind": SIMPLE[a]}
    if a.startswith("main_models."):
        return {"kind": "object", "model": a[len("main_models."):]}
    m = re.fullmatch(r"List\[(.+)\]", a)
    if m:
        return {"kind": "list", "items": parse_type(m.group(1))}
    m = re.fullmatch(r"Dict\[str,(.+)\]", a)
    if m:
        return {"kind": "map", "values": parse_type(m.group(1))}
    raise SystemExit(f"unknown annotation {annotation!r}")


def documented_attrs(cls) -> set[str]:
    src = inspect.getsource(cls.__init__)
    out, pending = set(), False
    for line in src.splitlines():
        s = line.strip()
        if s.startswith("#"):
            pending = pending or bool(s.lstrip("#").strip())
            continue
        m = re.match(r"self\.(\w+) = ", s)
        if m:
            if pending:
                out.add(m.group(1))
            pending = False
    return out


def probe_value(ty: dict):
    """A value for `ty` that `to_map` writes out differently from an unset attribute."""
    k = ty["kind"]
    if k == "object":
        return getattr(cams_models, ty["model"])()
    if k == "list":
        return [probe_value(ty["items"])]
    if k == "map":
        return {"k": probe_value(ty["values"])}
    return {"string": "p", "integer": 7, "boolean": True, "number": 1.5, "any": "p"}[k]


def api_name(cls, attr: str, ty: dict) -> str:
    base = cls().to_map() or {}
    obj = cls()
    setattr(obj, attr, probe_value(ty))
    got = obj.to_map() or {}
    changed = [key for key in got if key not in base or base[key] != got[key]]
    if len(changed) != 1:
        raise SystemExit(f"{cls.__name__}.{attr}: to_map changed {changed}")
    return changed[0]


ENVELOPE = ("AccessDeniedDetail", "Code", "Message", "RequestId")


def read_body(name: str, models: dict) -> None:
    """An answer body model. Its envelope fields are text in every CAMS answer (core reads
    `Code` == "OK" as success); where the official model types one otherwise (`Code: int` in
    ListFlowNodeGroup, ListFlowNodePrototypeV2, SyncFlow, whose own comment says "OK indicates
    that the request was successful"), the description keeps the official type as
    `official_type` and types it string, so that a real answer is not refused."""
    read_model(name, models)
    for f in models[name]["fields"]:
        if f["name"] in ENVELOPE and f["type"]["kind"] != "string":
            f["official_type"] = f["type"]
            f["type"] = {"kind": "string"}


def read_model(name: str, models: dict) -> None:
    if name in models:
        return
    cls = getattr(cams_models, name)
    models[name] = None  # (cycles)
    documented = documented_attrs(cls)
    fields = []
    for attr, p in inspect.signature(cls.__init__).parameters.items():
        if attr == "self":
            continue
        ty = parse_type(p.annotation)
        if ty["kind"] == "integer":
            ty["bits"] = 64 if is_64bit(attr) else 32
        fields.append({"name": api_name(cls, attr, ty), "snake": attr, "type": ty, "documented": attr in documented})
        t = ty
        while t["kind"] in ("list", "map"):
            t = t.get("items") or t.get("values")
        if t["kind"] == "object":
            read_model(t["model"], models)
        elif t["kind"] == "integer" and "bits" not in t:
            t["bits"] = 64 if is_64bit(attr) else 32
    models[name] = {"fields": fields}


def operations() -> list[dict]:
    tree = ast.parse(inspect.getsource(cams_client))
    ops = []
    for node in ast.walk(tree):
        # (one is spelt `list_flow_node_prototype_v2with_options`, without the underscore)
        if not isinstance(node, ast.FunctionDef) or not node.name.endswith("with_options"):
            continue
        action = None
        for sub in ast.walk(node):
            if isinstance(sub, ast.Call) and getattr(sub.func, "attr", None) == "Params":
                kw = {k.arg: k.value.value for k in sub.keywords if isinstance(k.value, ast.Constant)}
                action = kw["action"]
        if action is None or not isinstance(node.returns, ast.Attribute):
            raise SystemExit(f"{node.name}: no action or no return model")
        response_cls = getattr(cams_models, node.returns.attr)
        body_ann = inspect.signature(response_cls.__init__).parameters["body"].annotation
        body = parse_type(body_ann)
        if body["kind"] != "object":
            raise SystemExit(f"{action}: body is {body_ann}")
        ops.append({"name": action, "response": node.returns.attr, "body": body["model"]})
    ops.sort(key=lambda o: o["name"])
    return ops


# ---- sample answers ------------------------------------------------------------------------

class Sampler:
    def __init__(self, models):
        self.models = models
        self.n = 0

    def next(self) -> int:
        self.n += 1
        return self.n

    def value(self, ty: dict, name: str, depth: int):
        k = ty["kind"]
        if k == "string":
            return f"{name}-{self.next()}"
        if k == "integer":
            return BIG + self.next() if ty.get("bits") == 64 else 100 + self.next()
        if k == "boolean":
            return self.next() % 2 == 0
        if k == "number":
            return self.next() + 0.25
        if k == "any":
            return {"Any": [name, self.next(), True, None]}
        if k == "list":
            return [self.value(ty["items"], name, depth) for _ in range(2)]
        if k == "map":
            return {f"{name}Key": self.value(ty["values"], name, depth)}
        return self.body(ty["model"], depth + 1)

    def body(self, model: str, depth: int = 0) -> dict:
        out = {}
        for f in self.models[model]["fields"]:
            if f["type"].get("model") and depth > 6:
                continue
            if depth == 0 and f["name"] == "Code":
                out["Code"] = "OK"  # a successful answer (core refuses any other code)
                continue
            out[f["name"]] = self.value(f["type"], f["name"], depth)
        out[UNKNOWN] = f"kept-{self.next()}"
        return out


def official_round_trip(model: str, body: dict) -> dict:
    obj = getattr(cams_models, model)().from_map(json.loads(json.dumps(body)))
    return obj.to_map()


# ---- Rust ----------------------------------------------------------------------------------

RUST_KEYWORDS = set("as break const continue crate else enum extern false fn for if impl in let loop match mod move mut "
                    "pub ref return self Self static struct super trait true type unsafe use where while async await dyn "
                    "abstract become box do final macro override priv typeof unsized virtual yield try gen".split())


def rust_field(snake: str) -> str:
    return f"r#{snake}" if snake in RUST_KEYWORDS else snake


def rust_type(ty: dict) -> str:
    k = ty["kind"]
    if k == "string":
        return "String"
    if k == "integer":
        return "i64"
    if k == "boolean":
        return "bool"
    if k == "number":
        return "f64"
    if k == "any":
        return "Value"
    if k == "list":
        return f"Vec<{rust_type(ty['items'])}>"
    if k == "map":
        return f"Map<String, Value>" if ty["values"]["kind"] == "any" else f"BTreeMap<String, {rust_type(ty['values'])}>"
    return ty["model"]


def describe(ty: dict) -> str:
    k = ty["kind"]
    if k == "integer":
        return f"integer ({ty['bits']}-bit)"
    if k == "list":
        return f"list of {describe(ty['items'])}"
    if k == "map":
        return f"map of {describe(ty['values'])}"
    if k == "object":
        return f"object [`{ty['model']}`]"
    return k


def rust(ops, models, source) -> str:
    L = [f"// @generated by {COMMAND} from {source}: do not edit by hand.",
         "//! The typed answer bodies of every CAMS operation (see the crate root for how to use them).",
         "#![allow(clippy::all, missing_docs, non_camel_case_types)]",
         "use std::collections::BTreeMap;",
         "",
         "use serde::{Deserialize, Serialize};",
         "use serde_json::{Map, Value};",
         "",
         f'/// Where the answers come from.',
         f'pub const SOURCE: &str = "{source}";',
         ""]
    for name in sorted(models):
        L.append(f"/// `{name}` of the official SDK.")
        L.append("#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]")
        L.append(f"pub struct {name} {{")
        snakes = {f["snake"] for f in models[name]["fields"]}
        for f in models[name]["fields"]:
            doc = "documented" if f["documented"] else "undocumented"
            L.append(f"    /// `{f['name']}`: {describe(f['type'])}; {doc} in the official model.")
            L.append(f'    #[serde(rename = "{f["name"]}", default, skip_serializing_if = "Option::is_none")]')
            L.append(f"    pub {rust_field(f['snake'])}: Option<{rust_type(f['type'])}>,")
        extra = "extra" if "extra" not in snakes else "extra_fields"
        L.append("    /// Fields the official model does not declare, kept as CAMS sent them.")
        L.append("    #[serde(flatten)]")
        L.append(f"    pub {extra}: Map<String, Value>,")
        L.append("}")
        L.append("")
    L.append("/// Every operation: (action, answer body model), sorted by action.")
    L.append(f"pub static ACTIONS: [(&str, &str); {len(ops)}] = [")
    for o in ops:
        L.append(f'    ("{o["name"]}", "{o["body"]}"),')
    L.append("];")
    L.append("")
    L.append("/// One marker type per operation, for [`crate::answer`]: `answer::<ops::ListChatappTemplate>(&response)`.")
    L.append("pub mod ops {")
    for o in ops:
        L.append(f"    /// `{o['name']}`, answered by [`super::{o['body']}`].")
        L.append(f"    #[derive(Clone, Copy, Debug)]")
        L.append(f"    pub struct {o['name']};")
        L.append(f"    impl crate::Operation for {o['name']} {{")
        L.append(f'        const ACTION: &\'static str = "{o["name"]}";')
        L.append(f"        type Answer = super::{o['body']};")
        L.append("    }")
    L.append("}")
    L.append("")
    L.append("/// The answer of any operation, by action.")
    L.append("#[derive(Clone, Debug, PartialEq, Serialize)]")
    L.append("#[serde(untagged)]")
    L.append("pub enum Answer {")
    for o in ops:
        L.append(f"    {o['name']}({o['body']}),")
    L.append("}")
    L.append("")
    L.append("impl Answer {")
    L.append("    /// The typed body of `action`'s answer; `None` for an unknown action.")
    L.append("    pub(crate) fn from_value(action: &str, body: Value) -> Option<Result<Self, serde_json::Error>> {")
    L.append("        Some(match action {")
    for o in ops:
        L.append(f'            "{o["name"]}" => serde_json::from_value(body).map(Answer::{o["name"]}),')
    L.append("            _ => return None,")
    L.append("        })")
    L.append("    }")
    L.append("")
    L.append("    /// The action this answer belongs to.")
    L.append("    pub fn action(&self) -> &'static str {")
    L.append("        match self {")
    for o in ops:
        L.append(f'            Answer::{o["name"]}(_) => "{o["name"]}",')
    L.append("        }")
    L.append("    }")
    L.append("}")
    L.append("")
    return "\n".join(L)


# ---- TypeScript ----------------------------------------------------------------------------

def ts_type(ty: dict) -> str:
    k = ty["kind"]
    if k == "string":
        return "string"
    if k == "integer":
        return "bigint" if ty["bits"] == 64 else "number"
    if k == "boolean":
        return "boolean"
    if k == "number":
        return "number"
    if k == "any":
        return "unknown"
    if k == "list":
        return f"Array<{ts_type(ty['items'])}>"
    if k == "map":
        return f"{{ [key: string]: {ts_type(ty['values'])} }}"
    return ty["model"]


def typescript(ops, models, source) -> str:
    L = [f"// @generated by {COMMAND} from {source}: do not edit by hand.",
         "// Typed CAMS answer bodies: keys as CAMS sends them (PascalCase); every field optional;",
         "// 64-bit integers (ids, times: see answers/README.md) are `bigint`, other integers `number`.",
         "// Fields the official model does not declare are not typed here.",
         ""]
    for name in sorted(models):
        L.append(f"/** `{name}` of the official SDK. */")
        L.append(f"export interface {name} {{")
        for f in models[name]["fields"]:
            L.append(f"  {f['name']}?: {ts_type(f['type'])};")
        L.append("}")
        L.append("")
    L.append("/** Every action and its answer body. */")
    L.append("export interface Answers {")
    for o in ops:
        L.append(f"  {o['name']}: {o['body']};")
    L.append("}")
    L.append("")
    L.append("/** A CAMS action name. */")
    L.append("export type Action = keyof Answers;")
    L.append("")
    L.append("/** The answer body of action `A` (an untyped record for an action camskit does not know). */")
    L.append("export type AnswerOf<A extends string> = A extends Action ? Answers[A] : Record<string, unknown>;")
    L.append("")
    return "\n".join(L)


# ---- Python stubs --------------------------------------------------------------------------

def py_type(ty: dict) -> str:
    k = ty["kind"]
    if k in ("string", "integer", "boolean", "number"):
        return {"string": "str", "integer": "int", "boolean": "bool", "number": "float"}[k]
    if k == "any":
        return "Any"
    if k == "list":
        return f"List[{py_type(ty['items'])}]"
    if k == "map":
        return f"Dict[str, {py_type(ty['values'])}]"
    return ty["model"]


def python_stub(ops, models, source) -> str:
    L = [f"# @generated by {COMMAND} from {source}: do not edit by hand.",
         '"""Typed CAMS answer bodies: keys as CAMS sends them (PascalCase); every key optional',
         "(total=False); integers are `int` (exact at any size). Fields the official model does not",
         'declare are not typed here."""',
         "",
         "from typing import Any, Dict, List, Literal, Type, TypedDict, overload",
         ""]
    for name in sorted(models):
        fields = models[name]["fields"]
        if all(f["name"].isidentifier() and not keyword.iskeyword(f["name"]) for f in fields) and fields:
            L.append(f"class {name}(TypedDict, total=False):")
            L.append(f'    """`{name}` of the official SDK."""')
            for f in fields:
                L.append(f"    {f['name']}: {py_type(f['type'])}")
        else:
            items = ", ".join(f'"{f["name"]}": {py_type(f["type"])}' for f in fields)
            L.append(f'{name} = TypedDict("{name}", {{{items}}}, total=False)')
        L.append("")
    L.append("Action = Literal[")
    for o in ops:
        L.append(f'    "{o["name"]}",')
    L.append("]")
    L.append('"""A CAMS action name."""')
    L.append("")
    for o in ops:
        L.append(f"{o['name']}Answer = {o['body']}")
    L.append("")
    for o in ops:
        L.append("@overload")
        L.append(f'def answer_type(action: Literal["{o["name"]}"]) -> Type[{o["body"]}]: ...')
    L.append("")
    return "\n".join(L)


# ---- Kotlin / Swift (uniffi) ---------------------------------------------------------------

# The operations whose answers get uniffi records (Kotlin data classes, Swift structs): the list
# and get screens of a mobile admin app for WhatsApp business numbers. Every other operation's
# answer is read through CamsResponse.bodyJson and the typed path accessor (jsonLong, ...).
# The four migration steps are here too: their records replace the hand-written ones the binding
# had (bindings-uniffi/README.md lists the old names).
UNIFFI_OPS = {
    # templates: the template list screen, and one template opened (components, buttons, cards)
    "ListChatappTemplate": "templates: the list of message templates and their audit status",
    "GetChatappTemplateDetail": "templates: one template in full (components, buttons, cards, examples)",
    "GetChatappTemplateMetric": "templates: how a template performs (sent, delivered, read, clicks)",
    # phone numbers: the numbers of the account, one number's profile, its traffic
    "QueryChatappPhoneNumbers": "phone numbers: the account's numbers, status, quality, limits",
    "QueryPhoneBusinessProfile": "phone numbers: the business profile shown to customers",
    "GetChatappPhoneNumberMetric": "phone numbers: sent and delivered counts per window",
    # migration: the four steps (the client signs each: createChatappMigrationInitiate, ...) and
    # where a number being migrated or registered stands
    "CreateChatappMigrationInitiate": "migration step 1: the migration id and the number's status",
    "GetMigrationVerifyCode": "migration step 2: the code is sent to the number",
    "ChatappMigrationVerified": "migration step 3: the number is verified with the code",
    "ChatappMigrationRegister": "migration step 4: the number is registered (the envelope only)",
    "GetPhoneNumberVerificationStatus": "migration: the code verification status of a number",
    # message status: what happened to the messages sent
    "ListChatappMessage": "message status: each message's status, read status and failure reason",
    # the WhatsApp business account the numbers belong to
    "QueryChatappBindWaba": "account: the bound WhatsApp Business Account (name, review status, currency)",
}
UNIFFI_PATH = "bindings-uniffi/src/generated/answers.rs"


def snake_case(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()


def uniffi_name(model: str, body: str, action: str) -> str:
    """`ListChatappTemplateResponseBody` -> `ListChatappTemplateAnswer`;
    `ListChatappTemplateResponseBodyListTemplate` -> `ListChatappTemplateListTemplate`."""
    if model == body:
        return f"{action}Answer"
    if not model.startswith(body):
        raise SystemExit(f"{action}: nested model {model} is not named after {body}")
    return action + model[len(body):]


def uniffi_type(ty: dict, names: dict) -> str:
    k = ty["kind"]
    if k in ("string", "any"):
        return "String"
    if k == "integer":
        return "i64"
    if k == "boolean":
        return "bool"
    if k == "number":
        return "f64"
    if k == "list":
        return f"Vec<{uniffi_type(ty['items'], names)}>"
    if k == "map":
        return f"HashMap<String, {uniffi_type(ty['values'], names)}>"
    return names[ty["model"]]


def uniffi_reader(ty: dict, names: dict) -> str:
    """A reader `fn(Value, &At) -> Read<T>` (crate::fields) of a value of type `ty`: a plain
    function, a record's `read`, or a closure (no captures) for lists and maps."""
    k = ty["kind"]
    if k in ("string", "integer", "boolean", "number", "any"):
        return {"string": "string", "integer": "integer", "boolean": "boolean",
                "number": "number", "any": "any"}[k]
    if k == "object":
        return f"{names[ty['model']]}::read"
    if k == "list":
        return f"|v, at| list(v, at, {uniffi_reader(ty['items'], names)})"
    return f"|v, at| map(v, at, {uniffi_reader(ty['values'], names)})"


def uniffi_doc_type(ty: dict, names: dict) -> str:
    k = ty["kind"]
    if k == "integer":
        return f"integer ({ty['bits']}-bit in the description; Kotlin `Long`)"
    if k == "any":
        return "any JSON value, as JSON text"
    if k == "list":
        return f"list of {uniffi_doc_type(ty['items'], names)}"
    if k == "map":
        return f"map of {uniffi_doc_type(ty['values'], names)}"
    if k == "object":
        return f"[`{names[ty['model']]}`]"
    return k


def uniffi_module(ops, models, source) -> str:
    by_name = {o["name"]: o for o in ops}
    missing = sorted(set(UNIFFI_OPS) - set(by_name))
    if missing:
        raise SystemExit(f"UNIFFI_OPS names operations the SDK does not have: {missing}")
    names: dict = {}  # model -> uniffi record name
    order: list = []  # (action, model), each model once, in the order first reached
    for action in sorted(UNIFFI_OPS):
        body = by_name[action]["body"]
        todo = [body]
        while todo:
            m = todo.pop(0)
            if m in names:
                raise SystemExit(f"{m} is reached twice (a cycle or a shared model): not supported by records")
            names[m] = uniffi_name(m, body, action)
            order.append((action, m))
            for f in models[m]["fields"]:
                t = f["type"]
                while t["kind"] in ("list", "map"):
                    t = t.get("items") or t.get("values")
                if t["kind"] == "object":
                    todo.append(t["model"])
    if len(set(names.values())) != len(names):
        raise SystemExit("two uniffi records would have the same name")
    L = [f"// @generated by {COMMAND} from {source}: do not edit by hand.",
         "//! Typed answers for Kotlin and Swift (uniffi records) of the operations a mobile admin app",
         "//! lists and reads (see `UNIFFI_OPS` in tools/answers/gen_answers.py for why each). Each record",
         "//! has the fields of the official model of the same name (as `camskit-answers` declares them):",
         "//! every field optional, named by the official snake name (Kotlin/Swift: camelCase), every",
         "//! integer `i64` (Kotlin `Long`, exact beyond 2^53), JSON values of no fixed type as JSON text,",
         "//! and `extra_json` with the fields the official model does not declare, as CAMS sent them.",
         "//! Each record reads itself from core's JSON tree in one pass (`read`, with the non-generic",
         "//! readers of crate::fields) rather than through serde's derive: the same rules, about",
         "//! 270 KB less native code per ABI, and errors that name the field's path.",
         "#![allow(clippy::all, missing_docs)]",
         "use std::collections::HashMap;",
         "",
         "use serde_json::{Map, Value};",
         "",
         "use crate::fields::{READERS};",
         "use crate::{CamsError, CamsResponse, guard};",
         "",
         "/// The operations with a typed answer here, sorted: (action, why).",
         f"pub static TYPED_ANSWERS: [(&str, &str); {len(UNIFFI_OPS)}] = ["]
    for action in sorted(UNIFFI_OPS):
        L.append(f'    ("{action}", "{UNIFFI_OPS[action]}"),')
    L += ["];", "",
          "/// The operations with typed answer records (`parseListChatappTemplateResponse`, ...), sorted.",
          "#[uniffi::export]",
          "pub fn typed_answer_actions() -> Vec<String> {",
          "    TYPED_ANSWERS.iter().map(|(a, _)| (*a).to_owned()).collect()",
          "}",
          ""]
    for action, m in order:
        rec = names[m]
        fields = models[m]["fields"]
        snakes = {f["snake"] for f in fields}
        if "extra_json" in snakes:
            raise SystemExit(f"{m} declares extra_json")
        extra = "extra" if "extra" not in snakes else "extra_fields"
        what = f"The answer to `{action}`" if m == by_name[action]["body"] else f"Part of the answer to `{action}`"
        L.append(f"/// {what} (`{m}` of the official SDK).")
        L.append("#[derive(Debug, Clone, PartialEq, uniffi::Record)]")
        L.append(f"pub struct {rec} {{")
        for f in fields:
            L.append(f"    /// `{f['name']}`: {uniffi_doc_type(f['type'], names)}.")
            L.append(f"    pub {rust_field(f['snake'])}: Option<{uniffi_type(f['type'], names)}>,")
        L.append("    /// The fields the official model does not declare, as a JSON object (`{}` when none).")
        L.append("    pub extra_json: String,")
        L.append("}")
        L.append("")
        L.append(f"impl {rec} {{")
        L.append(f"    /// Reads `{m}` from a JSON object (every key once, in order; an undeclared key goes")
        L.append("    /// to `extra_json`; a declared key whose value is `null` reads as absent).")
        L.append("    pub(crate) fn read(v: Value, at: &At) -> Read<Self> {")
        L.append("        let mut r = Self {")
        for f in fields:
            L.append(f"            {rust_field(f['snake'])}: None,")
        L.append("            extra_json: String::new(),")
        L.append("        };")
        L.append("        let mut extra = Map::new();")
        L.append(f"        for (k, v) in crate::fields::object(v, at)? {{")
        if not fields:
            raise SystemExit(f"{m} has no fields: a record of extra_json alone is not generated")
        L.append("            let here = at.key(&k);")
        L.append("            match k.as_str() {")
        for f in fields:
            reader = uniffi_reader(f["type"], names)
            L.append(f'                "{f["name"]}" => opt(v, &here, {reader}).map(|x| r.{rust_field(f["snake"])} = x),')
        L.append("                _ => {")
        L.append("                    extra.insert(k, v);")
        L.append("                    Ok(())")
        L.append("                }")
        # One `?` for all the arms: one copy of the record's drop on the error path, not one
        # per field (about 60 KB of the library over the thirteen operations).
        L.append("            }?;")
        L.append("        }")
        L.append("        r.extra_json = extra_json(extra);")
        L.append("        Ok(r)")
        L.append("    }")
        L.append("}")
        L.append("")
    for action in sorted(UNIFFI_OPS):
        rec = names[by_name[action]["body"]]
        fn = snake_case(action)
        L.append(f"/// Parses the answer to `{action}` ({UNIFFI_OPS[action]}): throws as `parseResponse` does,")
        L.append("/// and `CamsException.Parse` when a field has another JSON type than the official model says.")
        L.append("#[uniffi::export]")
        L.append(f"pub fn parse_{fn}_response(status: i32, body: Vec<u8>) -> Result<{rec}, CamsError> {{")
        L.append(f'    guard(|| typed_answer(status, &body, "{action}", "{by_name[action]["body"]}", {rec}::read))')
        L.append("}")
        L.append("")
        L.append(f"/// The typed answer to `{action}` from a `CamsResponse` (what `call` and `pages` return).")
        L.append("#[uniffi::export]")
        L.append(f"pub fn {fn}_answer(response: CamsResponse) -> Result<{rec}, CamsError> {{")
        L.append(f'    guard(|| typed_answer_from(&response, "{action}", "{by_name[action]["body"]}", {rec}::read))')
        L.append("}")
        L.append("")
    text = "\n".join(L)
    # Import the readers the records use (a model set with no fraction field needs no `number`).
    used = [r for r in ("any", "boolean", "integer", "list", "map", "number", "string")
            if re.search(rf"\b{r}\(|, {r}\)", text)]
    readers = ", ".join(["At", "Read"] + sorted(used + ["extra_json", "opt", "typed_answer", "typed_answer_from"]))
    return text.replace("{READERS}", "{" + readers + "}")


# ---- main ----------------------------------------------------------------------------------

def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", type=Path, required=True)
    ap.add_argument("--out-root", type=Path, help="write here instead of --root (to compare)")
    args = ap.parse_args()
    out_root = args.out_root or args.root
    source = f"{PACKAGE} {version(PACKAGE)}"
    ops = operations()
    official = sorted(n for n, f in vars(cams_client.Client).items()
                      if n.endswith("with_options") and inspect.isfunction(f))
    if len(ops) != len(official):
        raise SystemExit(f"{len(ops)} operations read, the package has {len(official)}")
    models: dict = {}
    for o in ops:
        read_body(o["body"], models)
    sampler = Sampler(models)
    recorded = []
    for o in ops:
        body = sampler.body(o["body"])
        recorded.append({"action": o["name"], "model": o["body"], "body": body,
                         "official": official_round_trip(o["body"], body)})
    fields = [f for m in models.values() for f in m["fields"]]
    def ints(ty):
        while ty["kind"] in ("list", "map"):
            ty = ty.get("items") or ty.get("values")
        return ty
    n64 = sum(1 for f in fields if ints(f["type"])["kind"] == "integer" and ints(f["type"])["bits"] == 64)
    counts = {"operations": len(ops), "models": len(models), "fields": len(fields),
              "documented_fields": sum(f["documented"] for f in fields), "integer_fields":
              sum(1 for f in fields if ints(f["type"])["kind"] == "integer"), "int64_fields": n64}
    doc = {
        "source": source,
        "int64_rule": "an integer field is 64-bit when its snake name is `id`, ends in `_id`, `_time`, "
                      "`timestamp` or `_expires`, starts with `gmt_`, or is `expire`, `start` or `end`; "
                      "never when it starts with `max_` (a limit)",
        "unknown_field": UNKNOWN,
        "counts": counts,
        "operations": {o["name"]: {"response": o["response"], "body": o["body"]} for o in ops},
        "models": {n: models[n] for n in sorted(models)},
        "answers": recorded,
    }
    # First line says which command generated it; the whole file is one JSON object.
    text = (json.dumps({"generated_by": f"{COMMAND} from {source} (do not edit by hand)"})[:-1] + ",\n"
            + json.dumps(doc, indent=1, ensure_ascii=False)[2:])
    for rel, content in [
        ("tests/vectors/answers.json", text + "\n"),
        ("answers/src/generated/answers.rs", rust(ops, models, source)),
        ("answers/generated/answers.d.ts", typescript(ops, models, source)),
        ("answers/generated/answers.pyi", python_stub(ops, models, source)),
        (UNIFFI_PATH, uniffi_module(ops, models, source)),
        (KOTLIN_PATH, kotlin_answers(ops, models, source)),
        (KOTLIN_CALLS_PATH, kotlin_calls(ops, models, source,
                                         json.loads((args.root / CATALOG).read_text(encoding="utf-8")))),
    ]:
        path = out_root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
        if rel.endswith(".rs"):  # formatted as `cargo fmt` would (the workspace checks it)
            subprocess.run(["rustfmt", "--edition", "2024", str(path)], check=True)
    print(", ".join(f"{v} {k.replace('_', ' ')}" for k, v in counts.items()) + f" ({source})", file=sys.stderr)


if __name__ == "__main__":
    main()
