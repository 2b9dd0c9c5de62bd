#!/usr/bin/env python3
"""Writes the fuzz corpora's seeds from the committed test vectors (tests/vectors/*.json and
the catalog of tests/mock-cams/catalog.json) into fuzz/corpus/<target>/ (ignored by git).

Input layouts (see the targets' docs):
  parse_response  2 bytes big-endian status, then the body
  scan_paths      1 byte choosing 64-bit paths, then the body
  sign            flags (1: v3, 2: GET), 5 bytes big-endian unix time, then fields split by
                  0xFF: action, version, nonce, key id, secret, token, endpoint, then
                  KIND+NAME, VALUE pairs (KIND q/f/h)
  sign_action     flags (bit 0 clear: JSON text; 2: v3), 2 bytes big-endian operation index
                  (catalog order: sorted by name), then the JSON parameters
  strings         the text itself
Usage: fuzz/seeds.py [CORPUS_DIR]   (default fuzz/corpus)
"""
import base64
import calendar
import hashlib
import json
import os
import struct
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "corpus")
SEP = b"\xff"


def load(rel):
    with open(os.path.join(ROOT, rel), encoding="utf-8") as f:
        return json.load(f)


def write(target, data):
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    name = "seed-" + hashlib.sha1(data).hexdigest()
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)
    return 1


def unix(ts):
    return calendar.timegm(time.strptime(ts, "%Y-%m-%dT%H:%M:%SZ"))


counts = {}

# parse_response: every recorded answer.
n = 0
for case in load("tests/vectors/responses.json")["cases"]:
    status = case["status"] & 0xFFFF
    body = (base64.b64decode(case["body_base64"]) if "body_base64" in case
            else case["body"].encode("utf-8"))
    n += write("parse_response", struct.pack(">H", status) + body)
counts["parse_response"] = n

# scan_paths: every recorded answer and every typed answer, all 64-bit paths chosen.
n = 0
for case in load("tests/vectors/responses.json")["cases"]:
    body = (base64.b64decode(case["body_base64"]) if "body_base64" in case
            else case["body"].encode("utf-8"))
    n += write("scan_paths", b"\x07" + body)
for answer in load("tests/vectors/answers.json")["answers"]:
    n += write("scan_paths", b"\x07" + json.dumps(answer["body"], ensure_ascii=False).encode("utf-8"))
counts["scan_paths"] = n

# sign: every RPC 1.0 and v3 vector input.
n = 0
strings = set()
for fname, v3 in (("tests/vectors/rpc-v1.json", False),
                   ("tests/vectors/v3.json", True)):
    for case in load(fname)["cases"]:
        i = case["input"]
        flags = (1 if v3 else 0) | (2 if i["method"].upper() == "GET" else 0)
        fields = [i["action"], i["version"], i["nonce"], i["access_key_id"],
                  i["access_key_secret"], i.get("security_token") or "", i.get("endpoint") or ""]
        for kind, key in (("q", "query"), ("f", "form"), ("h", "headers")):
            for name, value in i.get(key) or []:
                fields += [kind + name, value]
        data = bytes([flags]) + unix(i["timestamp"]).to_bytes(5, "big") + SEP.join(
            f.encode("utf-8") for f in fields)
        n += write("sign", data)
        strings.add(i["timestamp"])
        if i.get("endpoint"):
            strings.add(i["endpoint"])
counts["sign"] = n

# sign_action: the catalog vectors, and every operation with every parameter given a value of
# its declared type.
ops = load("tests/mock-cams/catalog.json")["operations"]
names = sorted(ops)
index = {name: k for k, name in enumerate(names)}
n = 0
for case in load("tests/vectors/catalog.json")["cases"]:
    i = case["input"]
    if "params" not in i or i["action"] not in index:
        continue
    flags = 2 if i.get("signature") == "v3" else 0
    n += write("sign_action", bytes([flags]) + struct.pack(">H", index[i["action"]])
               + json.dumps(i["params"], ensure_ascii=False).encode("utf-8"))
SAMPLE = {"string": "x y", "integer": 7, "boolean": True, "number": 1.5,
          "array": ["a", {"K": "v"}], "object": {"Key": "k", "Value": [1, 2]}, "any": "z"}
for name in names:
    params = {p["name"]: SAMPLE.get(p["type"], "x") for p in ops[name]["params"]}
    for flags in (0, 2):
        n += write("sign_action", bytes([flags]) + struct.pack(">H", index[name])
                   + json.dumps(params).encode("utf-8"))
counts["sign_action"] = n

# strings: timestamps and endpoints from the vectors, error messages from the answers.
for case in load("tests/vectors/responses.json")["cases"]:
    try:
        msg = json.loads(case.get("body", "null")).get("Message")
    except (ValueError, AttributeError):
        msg = None
    if isinstance(msg, str):
        strings.add(msg)
strings |= {"http://127.0.0.1:8080", "https://cams.ap-southeast-1.aliyuncs.com/",
            "[::1]:9000", "9999-12-31T23:59:59Z", "2024-02-29T00:00:00Z",
            "Specified signature is not matched with our calculation. server string to sign is:GET&%2F&A%3D1"}
counts["strings"] = sum(write("strings", s.encode("utf-8")) for s in sorted(strings))

# credentials_files: the accepted and refused files of the credentials vectors, and one file of
# each kind with the secret placeholder the target replaces by a canary (odd first byte).
cred_seeds = [
    '\x01{"current":"default","profiles":[{"name":"default","mode":"AK","access_key_id":"LTAI5tX","access_key_secret":"SECRET"}]}',
    '\x01{"current":"p","profiles":[{"name":"p","mode":"RamRoleArn","access_key_id":"LTAI5tX","access_key_secret":"SECRET","ram_role_arn":"acs:ram::1:role/r"}]}',
    '\x01[default]\ntype = access_key\naccess_key_id = LTAI5tX\naccess_key_secret = SECRET\n',
    '\x01[p]\ntype = ram_role_arn\naccess_key_id = LTAI5tX\naccess_key_secret=SECRET\nrole_arn = acs:ram::1:role/r\n',
    '\x01[default]\ntype = bogus\naccess_key_secret = SECRET\n',
]
try:
    doc = load("tests/vectors/credentials.json")
    for case in doc.get("cli_config", []) + doc.get("credentials_ini", []):
        if isinstance(case, dict) and isinstance(case.get("file"), str):
            cred_seeds.append(case["file"])
except (OSError, ValueError, AttributeError):
    pass
counts["credentials_files"] = sum(write("credentials_files", t.encode("utf-8")) for t in cred_seeds)

# receipts: every body of the receipt vectors, with the type byte (0 none, 1 ChatAppStatus,
# 2 ChatAppInbound, 3 ChatAppAudit) the target hands over.
TYPE_BYTE = {None: 0, "ChatAppStatus": 1, "ChatAppInbound": 2, "ChatAppAudit": 3}
n = 0
try:
    for case in load("tests/vectors/receipts.json")["cases"]:
        t = TYPE_BYTE.get(case.get("message_type"), 4)
        n += write("receipts", bytes([t]) + case["body"].encode("utf-8"))
        n += write("receipts", bytes([0]) + case["body"].encode("utf-8"))
except (OSError, ValueError, KeyError, TypeError):
    pass
counts["receipts"] = n

# mns_xml: the answers of the MNS vectors (recorded from the official MNS SDK), 2 bytes of
# status first.
n = 0
try:
    for case in load("tests/vectors/mns.json")["answers"]:
        body = case.get("body")
        status = case.get("status", 200)
        if isinstance(body, str) and isinstance(status, int):
            n += write("mns_xml", status.to_bytes(2, "big") + body.encode("utf-8"))
except (OSError, ValueError, KeyError, TypeError):
    pass
counts["mns_xml"] = n

print(" ".join(f"{t}={c}" for t, c in counts.items()), "seeds in", OUT)
