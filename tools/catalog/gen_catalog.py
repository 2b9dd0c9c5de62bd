"""Write camskit's CAMS catalog from Alibaba's official description of the API.

Reads the PyPI package `alibabacloud-cams20200606` (pinned by tools/gen-catalog.sh) without
running any request: the AST of each `*_with_options` method of its client says which
parameters go to the query and which to the form body, under which API name, and which are
"shrunk" to a JSON string; the request models' `__init__` annotations give the types, and their
comments ("This parameter is required.") the required ones. Arrays and objects that are not
shrunk travel flattened (`Name.1`, `Name.Key`), as the client's `Utils.query` does.

Writes:
  core/src/catalog/data.rs      compact static tables compiled into the core (first line says generated)
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
        ops.append({"name": action, "snake": snake, "method": method,
                    "params": sorted(params, key=lambda p: p["name"])})
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
        method = {"GET": 0, "POST": 1}[op["method"]]
        ops_rows.append(f"    O({n[0]}, {n[1]}, {sn[0]}, {sn[1]}, {method}, {start}, {len(op['params'])}),")
    table = "".join(strings)
    assert offset < 65536 and len(params_rows) < 65536
    assert all(len(op["params"]) <= 64 for op in ops), "core's catalog::request keeps a 64-bit set of parameters"
    return "\n".join([
        f"// @generated by tools/gen-catalog.sh from {source}: do not edit by hand.",
        "//! The CAMS catalog as compact static tables (see `super` for the reader).",
        "#![allow(clippy::all)]",
        "use super::{RawOp as O, RawParam as P};",
        "",
        f"/// Where the operations come from.",
        f'pub const SOURCE: &str = "{source}";',
        "",
        "/// Every name, concatenated; `(offset, len)` pairs point into it.",
        f"pub static STRINGS: &str = {json.dumps(table)};",
        "",
        f"/// The {len(ops)} operations, sorted by name: (name, official snake name, method 0=GET 1=POST, first param, param count).",
        f"pub static OPS: [O; {len(ops)}] = [",
        *ops_rows,
        "];",
        "",
        "/// Parameters: (name, official snake name, flags = location | type << 1 | style << 4 | required << 6, item type + 1).",
        f"pub static PARAMS: [P; {len(params_rows)}] = [",
        *params_rows,
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
    (out_root / "core/src/catalog").mkdir(parents=True, exist_ok=True)
    (out_root / "tests/mock-cams").mkdir(parents=True, exist_ok=True)
    (out_root / "core/src/catalog/data.rs").write_text(rust(ops, source), encoding="utf-8")
    mock = {o["name"]: {"method": o["method"], "params": [
        {k: p[k] for k in ("name", "location", "type", "style", "required")} for p in o["params"]]} for o in ops}
    (out_root / "tests/mock-cams/catalog.json").write_text(
        json.dumps({"source": source, "operations": mock}, indent=1, sort_keys=False) + "\n", encoding="utf-8")
    n_params = sum(len(o["params"]) for o in ops)
    print(f"{len(ops)} operations ({len(official)} in {source}), {n_params} parameters", file=sys.stderr)


if __name__ == "__main__":
    main()
