"""Write camskit's CAMS catalog from Alibaba's official description of the API.

Reads the PyPI package `alibabacloud-cams20200606` (pinned by tools/gen-catalog.sh) without
running any request: the AST of each `*_with_options` method of its client says which
parameters go to the query and which to the form body, under which API name, and which are
"shrunk" to a JSON string; the request models' `__init__` annotations give the types, and their
comments ("This parameter is required.") the required ones. Arrays and objects that are not
shrunk travel flattened (`Name.1`, `Name.Key`), as the client's `Utils.query` does.

Writes:
  core/src/catalog/generated/data.rs      compact static tables compiled into the core (first line says generated)
  tests/mock-cams/catalog.json  the same facts for mock-cams

Run through tools/gen-catalog.sh; `--check` compares the operations with the package's list.
"""

from __future__ import annotations

import argparse
import ast
import inspect
import json
import re
import sys
from importlib.metadata import version
from pathlib import Path

import alibabacloud_cams20200606.client as cams_client
from alibabacloud_cams20200606 import models as cams_models

PACKAGE = "alibabacloud-cams20200606"
TYPES = ["string", "integer", "boolean", "number", "array", "object", "any"]
STYLES = ["plain", "json", "flat"]
LOCATIONS = ["query", "body"]


def py_type(annotation: str) -> tuple[str, str | None]:
    """Maps a model annotation to (type, item type)."""
    a = annotation.replace(" ", "")
    simple = {"str": "string", "int": "integer", "bool": "boolean", "float": "number", "Any": "any"}
    if a in simple:
        return simple[a], None
    m = re.fullmatch(r"List\[(.+)\]", a)
    if m:
        inner = m.group(1)
        item = simple.get(inner) or ("object" if inner.startswith("main_models.") or inner.startswith("Dict") else "any")
        return "array", item
    if a.startswith("Dict[") or a.startswith("main_models."):
        return "object", None
    raise SystemExit(f"unknown annotation {annotation!r}")


def required_attrs(model_cls) -> set[str]:
    """Attributes whose comment block says 'This parameter is required.'"""
    src = inspect.getsource(model_cls.__init__)
    required, pending = set(), False
    for line in src.splitlines():
        s = line.strip()
        if s.startswith("#"):
            pending = pending or "This parameter is required" in s
            continue
        m = re.match(r"self\.(\w+) = ", s)
        if m:
            if pending:
                required.add(m.group(1))
            pending = False
    return required


# --- safety: may a call be re-sent after a failure whose outcome is unknown?
# Read-only by the name's verb; every other operation changes state. Reviewed by hand where
# the name misleads (each entry says why).
READ_ONLY_VERBS = ("Get", "List", "Query", "Check", "Read")
WRITE_DESPITE_NAME = {
    "GetChatappVerifyCode": "asks WhatsApp to send a verification code by SMS or voice",
    "GetMigrationVerifyCode": "asks WhatsApp to send the migration verification code",
    "CheckDirectSendMessageSample": "submits a sample message for direct sending",
}
READ_ONLY_DESPITE_NAME = {
    "IsvGetAppId": "only reads the ISV's app id",
}


def safety(action: str) -> str:
    if action in WRITE_DESPITE_NAME:
        return "write"
    if action in READ_ONLY_DESPITE_NAME:
        return "read_only"
    verb = re.match(r"[A-Z][a-z]+", action).group(0)
    return "read_only" if verb in READ_ONLY_VERBS else "write"


# --- paging: the request parameters that choose a page, and where the answer's items, total
# and next cursor are (dotted API names, read from the official response models).
PAGING_STYLES = ["page_no", "page_index", "page_object", "next_token", "cursor_after", "page_key"]


def response_fields(cls) -> list[tuple[str, str, str]]:
    """(API name, attribute, annotation) of a response model, from its to_map and __init__."""
    src = inspect.getsource(cls.to_map)
    ann = {n: str(p.annotation) for n, p in inspect.signature(cls.__init__).parameters.items() if n != "self"}
    out = []
    for m in re.finditer(r"result\['(\w+)'\] = (?:self\.(\w+)|\[\]\n\s*if self\.(\w+)|\{\}\n\s*if self\.(\w+))", src):
        attr = m.group(2) or m.group(3) or m.group(4)
        out.append((m.group(1), attr, ann.get(attr, "")))
    return out


def response_paths(cls, prefix: str = "", depth: int = 0):
    """(dotted path, is a list) of every field, three levels deep."""
    for api, _attr, a in response_fields(cls):
        path = f"{prefix}{api}"
        is_list = a.replace("typing.", "").startswith("List")
        yield path, is_list
        m = re.search(r"main_models\.(\w+)", a)
        if m and not is_list and depth < 3:
            yield from response_paths(getattr(cams_models, m.group(1)), path + ".", depth + 1)


def paging(op: dict):
    names = {p["name"] for p in op["params"]}
    if {"PageNo", "PageSize"} <= names:
        style, page, size = "page_no", "PageNo", "PageSize"
    elif {"PageIndex", "PageSize"} <= names:
        style, page, size = "page_index", "PageIndex", "PageSize"
    elif "Page" in names:
        style, page, size = "page_object", "Page", "Size"
    elif "NextToken" in names:
        style, page, size = "next_token", "NextToken", "MaxResults"
    elif "After" in names:
        style, page, size = "cursor_after", "After", "Limit"
    elif "PageKey" in names:
        style, page, size = "page_key", "PageKey", "Limit"
    else:
        return None
    body = getattr(cams_models, op["name"] + "ResponseBody")
    paths = list(response_paths(body))
    lists = [p for p, is_list in paths if is_list and p != "AccessDeniedDetail"]
    leaf = lambda p: p.rsplit(".", 1)[-1]
    items = lists[0] if lists else ""
    total = next((p for p, _ in paths if leaf(p) in ("Total", "TotalCount")), "")
    nxt = next((p for p, _ in paths if leaf(p) in {"next_token": ("NextToken",), "cursor_after": ("After",),
                                                     "page_key": ("NextPage",)}.get(style, ())), "")
    return {"style": style, "page": page, "size": size, "items": items, "total": total, "next": nxt}


def operations() -> list[dict]:
    tree = ast.parse(inspect.getsource(cams_client))
    ops = []
    for node in ast.walk(tree):
        # (one is spelt `list_flow_node_prototype_v2with_options`, without the underscore)
        if not isinstance(node, ast.FunctionDef) or not node.name.endswith("with_options"):
            continue
        model_name = node.args.args[1].annotation.attr  # main_models.XxxRequest
        model_cls = getattr(cams_models, model_name)
        annotations = {
            name: p.annotation for name, p in inspect.signature(model_cls.__init__).parameters.items() if name != "self"
        }
        required = required_attrs(model_cls)
        action = method = None
        shrink: dict[str, tuple[str, str]] = {}  # "x_shrink" -> (x, style)
        placed: list[tuple[str, str, str]] = []  # (location, api name, attr)
        for sub in ast.walk(node):
            if isinstance(sub, ast.Call) and getattr(sub.func, "attr", None) == "Params":
                kw = {k.arg: k.value.value for k in sub.keywords if isinstance(k.value, ast.Constant)}
                action, method = kw["action"], kw["method"]
            if isinstance(sub, ast.Assign) and len(sub.targets) == 1:
                t, v = sub.targets[0], sub.value
                if (isinstance(t, ast.Attribute) and t.attr.endswith("_shrink") and isinstance(v, ast.Call)
                        and getattr(v.func, "attr", None) == "array_to_string_with_specified_style"):
                    shrink[t.attr] = (v.args[0].attr, v.args[2].value)
                if (isinstance(t, ast.Subscript) and isinstance(t.value, ast.Name) and t.value.id in ("query", "body")
                        and isinstance(v, ast.Attribute)):
                    placed.append((t.value.id, t.slice.value, v.attr))
        params = []
        for location, api_name, attr in placed:
            base, style = shrink.get(attr, (attr, None))
            ty, item = py_type(annotations[base])
            if style is None:
                style = "flat" if ty in ("array", "object") else "plain"
            elif style != "json":
                raise SystemExit(f"{action}.{api_name}: style {style} is not handled")
            params.append({"name": api_name, "snake": base, "location": location, "type": ty, "items": item,
                           "style": style, "required": base in required})
        if not action or not params and placed:
            raise SystemExit(f"{node.name}: no action found")
        snake = node.name[: -len("with_options")].rstrip("_")
        op = {"name": action, "snake": snake, "method": method, "safety": safety(action),
              "params": sorted(params, key=lambda p: p["name"])}
        op["paging"] = paging(op)
        ops.append(op)
    ops.sort(key=lambda o: o["name"])
    return ops


def rust(ops: list[dict], source: str) -> str:
    """Compact tables: one string table, operations and parameters as small integers."""
    strings: list[str] = []
    index: dict[str, tuple[int, int]] = {}
    offset = 0

    def s(text: str) -> tuple[int, int]:
        nonlocal offset
        if text not in index:
            index[text] = (offset, len(text))
            strings.append(text)
            offset += len(text)
        return index[text]

    params_rows, ops_rows = [], []
    for op in ops:
        start = len(params_rows)
        for p in op["params"]:
            name, snake = s(p["name"]), s(p["snake"])
            flags = (LOCATIONS.index(p["location"]) | (TYPES.index(p["type"]) << 1) | (STYLES.index(p["style"]) << 4)
                     | (int(p["required"]) << 6))
            item = TYPES.index(p["items"]) + 1 if p["items"] else 0
            params_rows.append(f"    P({name[0]}, {name[1]}, {snake[0]}, {snake[1]}, {flags}, {item}),")
        n, sn = s(op["name"]), s(op["snake"])
        method = {"GET": 0, "POST": 1}[op["method"]] | (2 if op["safety"] == "read_only" else 0)
        ops_rows.append(f"    O({n[0]}, {n[1]}, {sn[0]}, {sn[1]}, {method}, {start}, {len(op['params'])}),")
    paging_rows = []
    for op in ops:
        pg = op["paging"]
        if pg:
            paging_rows.append(
                f'    G({json.dumps(op["name"])}, {PAGING_STYLES.index(pg["style"])}, {json.dumps(pg["page"])}, '
                f'{json.dumps(pg["size"])}, {json.dumps(pg["items"])}, {json.dumps(pg["total"])}, {json.dumps(pg["next"])}),')
    table = "".join(strings)
    assert offset < 65536 and len(params_rows) < 65536
    assert all(len(op["params"]) <= 64 for op in ops), "core's catalog::request keeps a 64-bit set of parameters"
    return "\n".join([
        f"// @generated by tools/gen-catalog.sh from {source}: do not edit by hand.",
        "//! The CAMS catalog as compact static tables (see `super` for the reader).",
        "#![allow(clippy::all)]",
        "use super::{RawOp as O, RawPaging as G, RawParam as P};",
        "",
        f"/// Where the operations come from.",
        f'pub const SOURCE: &str = "{source}";',
        "",
        "/// Every name, concatenated; `(offset, len)` pairs point into it.",
        f"pub static STRINGS: &str = {json.dumps(table)};",
        "",
        f"/// The {len(ops)} operations, sorted by name: (name, official snake name, method 0=GET 1=POST | 2 if read-only, first param, param count).",
        f"pub static OPS: [O; {len(ops)}] = [",
        *ops_rows,
        "];",
        "",
        "/// Parameters: (name, official snake name, flags = location | type << 1 | style << 4 | required << 6, item type + 1).",
        f"pub static PARAMS: [P; {len(params_rows)}] = [",
        *params_rows,
        "];",
        "",
        "/// The paged operations, sorted by name: (operation, style 0=page_no 1=page_index 2=page_object",
        "/// 3=next_token 4=cursor_after 5=page_key, page parameter, size parameter, items path, total path,",
        "/// next-cursor path; paths are dotted API names in the answer, empty when the official model has none).",
        "#[rustfmt::skip]",
        f"pub static PAGING: [G; {len(paging_rows)}] = [",
        *paging_rows,
        "];",
        "",
    ])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", type=Path, required=True)
    ap.add_argument("--out-root", type=Path, help="write here instead of --root (to compare)")
    args = ap.parse_args()
    out_root = args.out_root or args.root
    source = f"{PACKAGE} {version(PACKAGE)}"
    ops = operations()
    # The package's own list of operations: every *_with_options method of its client.
    official = sorted(n for n, f in vars(cams_client.Client).items()
                      if n.endswith("with_options") and inspect.isfunction(f))
    read = sorted(o["snake"] for o in ops)
    if read != sorted(n[: -len("with_options")].rstrip("_") for n in official):
        raise SystemExit(f"{len(ops)} operations read, the package has {len(official)}: the lists differ")
    (out_root / "core/src/catalog/generated").mkdir(parents=True, exist_ok=True)
    (out_root / "tests/mock-cams").mkdir(parents=True, exist_ok=True)
    (out_root / "core/src/catalog/generated/data.rs").write_text(rust(ops, source), encoding="utf-8")
    mock = {o["name"]: {"method": o["method"], "safety": o["safety"], "paging": o["paging"], "params": [
        {k: p[k] for k in ("name", "location", "type", "style", "required")} for p in o["params"]]} for o in ops}
    (out_root / "tests/mock-cams/catalog.json").write_text(
        json.dumps({"source": source, "operations": mock}, indent=1, sort_keys=False) + "\n", encoding="utf-8")
    n_params = sum(len(o["params"]) for o in ops)
    print(f"{len(ops)} operations ({len(official)} in {source}), {n_params} parameters", file=sys.stderr)


if __name__ == "__main__":
    main()
