#!/usr/bin/env python3
"""mock-cams: a local stand-in for Alibaba Cloud CAMS (API 2020-06-06), for tests.

Python standard library only. It checks each request the way the CAMS gateway does, with its
own implementation (not camskit's), and as strictly:

* RPC signature 1.0 (HMAC-SHA1 over the sorted, percent-encoded query and form parameters)
  and ACS3-HMAC-SHA256 (the Authorization header);
* every parameter once: a name given twice (twice in the query, twice in the form, or in
  both) -> InvalidParameter, 400. With 1.0 every query and form parameter but `Signature` is
  signed, so a second copy is the only way to slip in an unsigned value; with v3 the query is
  in the canonical request and the form behind x-acs-content-sha256, so the same holds;
* v3 `SignedHeaders`: lower-case, sorted, no name twice, and it must cover `host`, every
  `x-acs-*` header the request carries (x-acs-action, x-acs-version, x-acs-date,
  x-acs-signature-nonce, x-acs-content-sha256 always; x-acs-security-token and
  x-acs-accesskey-id when sent) and `content-type` when there is a body -> otherwise
  IncompleteSignature, 400. A header the signature covers may not be sent twice, and
  x-acs-accesskey-id, when sent, must name the Credential's key;
* the access key (unknown -> InvalidAccessKeyId.NotFound, 404) and the STS token;
* the timestamp: strictly `YYYY-MM-DDThh:mm:ssZ`, each field in range (else
  InvalidTimeStamp.Format, 400); more than 15 minutes off the mock's clock ->
  InvalidTimeStamp.Expired, 400;
* the nonce (seen before within 15 minutes -> SignatureNonceUsed, 400);
* the API version, and, when tests/mock-cams/catalog.json exists, the action and its
  parameters (unknown action -> InvalidAction.NotFound, 404; missing required parameter ->
  MissingParameter, 400; unknown parameter -> InvalidParameter, 400).

Errors have the gateway's shape: RequestId, HostId, Code, Message, Recommend. Every answer
carries a `Date` header (RFC 7231) with the mock's clock, offset included (see below).
Successful calls get canned bodies (see responses_for); some CustSpaceId values trigger the
errors the ChatappMigrationRegister reference documents (see SCENARIOS). ListChatappTemplate
answers real pages of 25 canned templates (see list_templates).

Usage:
    python3 tests/mock-cams/server.py [--port 0] [--port-file FILE] [--key ID:SECRET[:TOKEN]]...
It prints "mock-cams listening on http://127.0.0.1:PORT" once ready.
CORS is open (any origin), so a browser page on another local port can call it.

Control API (all under /__mock/, unsigned, JSON in and out):

    GET  /__mock/requests   the requests accepted so far, as a JSON list of
                            {"action", "method", "params", "signature": "1.0"|"v3",
                             "fault": MODE|null, "access_key_id": the signing key id}
    GET  /__mock/effects    {"effects": {ACTION: N, ...}, "attempts": {ACTION: N, ...}}
                            attempts: every request that named the action and reached the
                            server, whatever its outcome (bad signature included);
                            effects: every answer 2xx with Code "OK", plus every
                            error500_after_effect and drop_after_effect.
    GET  /__mock/script     {"faults": [the pending faults, with the times left],
                             "clock_offset_s": S}
    POST /__mock/script     {"faults": [FAULT, ...], "clock_offset_s": S}
                            replaces the pending faults with these (both keys optional;
                            without "faults" the pending ones stay, without
                            "clock_offset_s" the offset stays). Answers like GET; a bad
                            script -> 400 {"error": "..."} and nothing changes.
    POST /__mock/reset      forget requests, nonces, faults, effects, attempts and the
                            clock offset.

    "clock_offset_s": S shifts the mock's clock by S seconds (may be negative) for every
    following request until reset or changed: the timestamp check compares with now+S and
    the Date header shows now+S, so a client that reads Date and corrects its clock passes.

    FAULT = {"action": "SendChatappMessage" | "*" (default "*"), "mode": MODE,
             "times": N (default 1), ...mode options}
    A fault applies to the next N requests of that action that pass every check (signature,
    key, token, timestamp, nonce, version, catalog); it answers instead of the normal
    response (SCENARIOS included). Each request consumes at most one fault: the first
    pending one, in script order, whose action matches. stale_clock is the exception: it
    is consumed by a request that passes the signature and key checks, before the timestamp
    check, since it changes that check. MODEs:

      throttle               400 System.LimitControl, no effect
      http429                429 Throttling, no effect
      error500_before_effect 500 ServiceUnavailable, no effect
      error500_after_effect  the request takes effect (counted), then 500 InternalError
      drop_after_effect      the request takes effect (counted), then the connection is
                             closed with nothing written (no status line)
      redirect               302, Location http://127.0.0.2:PORT/<same path and query>
                             (another host, where nothing listens), no effect
      nonce_used             400 SignatureNonceUsed, no effect
      stale_clock            "offset_s": S (required): for these N requests the gateway's
                             clock is now+S (replacing clock_offset_s): a timestamp more
                             than 15 minutes from it -> 400 InvalidTimeStamp.Expired, with
                             Date showing now+S; a timestamp close to now+S passes (and
                             the request then goes on normally). To make the corrected
                             retry pass after the fault is used up, set clock_offset_s too.

    Options for the error modes: "retry_after_ms": M adds the header
    `x-acs-retry-after: M`; "retry_after_s": S adds `Retry-After: S`.

    Example: one throttle with a retry hint, then a 500 after the message went out:
      {"faults": [{"action": "SendChatappMessage", "mode": "throttle", "retry_after_ms": 200},
                  {"action": "SendChatappMessage", "mode": "error500_after_effect"}]}
"""

from __future__ import annotations

import argparse
import calendar
import hashlib
import hmac
import json
import os
import re
import sys
import threading
import time
import uuid
from base64 import b64encode
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlsplit

HOST_ID = "cams.ap-southeast-1.aliyuncs.com"
VERSION = "2020-06-06"
WINDOW = 15 * 60
DEMO_KEYS = {"LTAI5tCamsKitDemoKey01": ("CamsKitDemoSecret0123456789abcd", None)}

# CustSpaceId values that make the mock answer with a documented error.
SCENARIOS = {
    "cs-unsubscribed": (400, "Product.Unsubscript", "You have not subscribed to the specified product."),
    "cs-denied": (400, "Ram.PermissionDeny", "You are not authorized to perform the operation."),
    "cs-throttled": (400, "System.LimitControl", "The system is under flow control."),
    "cs-not-mine": (400, "Unknown.ResourceOwnerId", "The resource does not belong to the current user."),
    "cs-http200-denied": (200, "Ram.PermissionDeny", "You are not authorized to perform the operation."),
    "cs-server-error": (500, "InternalError", "The request processing has failed due to some unknown error."),
}

# The scripted failure modes: (HTTP status, Code, Message, takes effect). None for the modes
# that do not answer with a gateway error body.
FAULT_MODES = {
    "throttle": (400, "System.LimitControl", "The system is under flow control.", False),
    "http429": (429, "Throttling", "Request was denied due to request throttling.", False),
    "error500_before_effect": (500, "ServiceUnavailable",
                               "The request has failed due to a temporary failure of the server.", False),
    "error500_after_effect": (500, "InternalError",
                              "The request processing has failed due to some unknown error.", True),
    "nonce_used": (400, "SignatureNonceUsed", "Specified signature nonce was used already.", False),
    "drop_after_effect": None,
    "redirect": None,
    "stale_clock": None,
}

# The x-acs-* headers a v3 signature must always cover.
V3_ALWAYS_SIGNED = ("host", "x-acs-action", "x-acs-version", "x-acs-date", "x-acs-signature-nonce",
                    "x-acs-content-sha256")


def enc(s: str) -> str:
    return quote(s, safe="~", encoding="utf-8")


class GatewayError(Exception):
    def __init__(self, status: int, code: str, message: str):
        super().__init__(code)
        self.status, self.code, self.message = status, code, message


class State:
    def __init__(self, keys: dict, catalog: dict | None):
        self.keys = keys
        self.catalog = catalog
        self.nonces: dict[str, float] = {}
        self.requests: list[dict] = []
        self.faults: list[dict] = []
        self.effects: dict[str, int] = {}
        self.attempts: dict[str, int] = {}
        self.clock_offset = 0.0
        self.lock = threading.Lock()

    def reset(self) -> None:
        with self.lock:
            self.requests.clear()
            self.nonces.clear()
            self.faults.clear()
            self.effects.clear()
            self.attempts.clear()
            self.clock_offset = 0.0

    def use_nonce(self, nonce: str) -> bool:
        now = time.time()
        with self.lock:
            for n, t in list(self.nonces.items()):
                if now - t > WINDOW:
                    del self.nonces[n]
            if nonce in self.nonces:
                return False
            self.nonces[nonce] = now
            return True

    def count(self, table: dict, action: str) -> None:
        if action:
            with self.lock:
                table[action] = table.get(action, 0) + 1

    def take_fault(self, action: str, stale_clock: bool) -> dict | None:
        """Consumes one use of the first pending fault for `action`, if it is (or is not,
        as `stale_clock` says) a stale_clock fault."""
        with self.lock:
            for f in self.faults:
                if f["action"] in ("*", action):
                    if (f["mode"] == "stale_clock") != stale_clock:
                        return None
                    f["times"] -= 1
                    if f["times"] <= 0:
                        self.faults.remove(f)
                    return dict(f)
            return None

    def script_json(self) -> dict:
        with self.lock:
            return {"faults": [dict(f) for f in self.faults], "clock_offset_s": self.clock_offset}

    def set_script(self, script) -> None:
        """Validates the whole script first: a bad one changes nothing."""
        if not isinstance(script, dict):
            raise ValueError("the script is a JSON object")
        unknown = set(script) - {"faults", "clock_offset_s"}
        if unknown:
            raise ValueError(f"unknown keys {sorted(unknown)}")
        offset = script.get("clock_offset_s")
        if offset is not None and (isinstance(offset, bool) or not isinstance(offset, (int, float))):
            raise ValueError("clock_offset_s is a number of seconds")
        faults = None
        if "faults" in script:
            if not isinstance(script["faults"], list):
                raise ValueError("faults is a list")
            faults = [check_fault(f) for f in script["faults"]]
        with self.lock:
            if faults is not None:
                self.faults = faults
            if offset is not None:
                self.clock_offset = float(offset)


def check_fault(f) -> dict:
    if not isinstance(f, dict):
        raise ValueError("a fault is a JSON object")
    fault = {"action": f.get("action", "*"), "mode": f.get("mode"), "times": f.get("times", 1)}
    if not isinstance(fault["action"], str) or not fault["action"]:
        raise ValueError("a fault's action is an action name or \"*\"")
    if fault["mode"] not in FAULT_MODES:
        raise ValueError(f"unknown mode {fault['mode']!r}; modes: {sorted(FAULT_MODES)}")
    options = {"retry_after_ms", "retry_after_s"} | ({"offset_s"} if fault["mode"] == "stale_clock" else set())
    unknown = set(f) - {"action", "mode", "times"} - options
    if unknown:
        raise ValueError(f"unknown keys {sorted(unknown)} for mode {fault['mode']}")
    for name in ["times", *sorted(options & set(f))]:
        value = f.get(name, fault.get(name))
        if isinstance(value, bool) or not isinstance(value, (int, float)) or (name != "offset_s" and value < 0):
            raise ValueError(f"{name} is a number")
        fault[name] = value
    if not isinstance(fault["times"], int) or fault["times"] < 1:
        raise ValueError("times is a whole number, at least 1")
    if fault["mode"] == "stale_clock" and "offset_s" not in fault:
        raise ValueError("stale_clock needs offset_s")
    return fault


TIME_RE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})Z")


def parse_time(text: str | None) -> float:
    """Strict `YYYY-MM-DDThh:mm:ssZ`, every field in its real range (no leap second `:60`,
    no `02-30`, no one-digit fields, no fraction, no offset). Not strptime: it takes `:60`,
    `:61` and one-digit fields."""
    m = TIME_RE.fullmatch(text or "")
    if m:
        year, month, day, hour, minute, second = (int(g) for g in m.groups())
        if (1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]
                and hour < 24 and minute < 60 and second < 60):
            return float(calendar.timegm((year, month, day, hour, minute, second, 0, 0, 0)))
    raise GatewayError(400, "InvalidTimeStamp.Format", "Specified time stamp or date value is not well formatted.")


def check_time_and_nonce(state: State, now: float, timestamp: str | None, nonce: str | None) -> None:
    if not timestamp:
        raise GatewayError(400, "MissingTimestamp", "Timestamp is mandatory for this action.")
    if abs(now - parse_time(timestamp)) > WINDOW:
        raise GatewayError(400, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired.")
    if not nonce:
        raise GatewayError(400, "MissingSignatureNonce", "SignatureNonce is mandatory for this action.")
    if not state.use_nonce(nonce):
        raise GatewayError(400, "SignatureNonceUsed", "Specified signature nonce was used already.")


def lookup_key(state: State, key_id: str | None, token: str | None) -> str:
    if not key_id:
        raise GatewayError(400, "MissingAccessKeyId", "AccessKeyId is mandatory for this action.")
    if key_id not in state.keys:
        raise GatewayError(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.")
    secret, want_token = state.keys[key_id]
    if want_token is not None and token != want_token:
        if not token:
            raise GatewayError(400, "MissingSecurityToken", "SecurityToken is mandatory for this access key.")
        raise GatewayError(400, "InvalidSecurityToken.MismatchWithAccessKey", "Specified SecurityToken mismatch with the AccessKey.")
    if want_token is None and token:
        raise GatewayError(400, "InvalidSecurityToken.Malformed", "Specified SecurityToken is malformed.")
    return secret


def once_each(*lists: list[tuple[str, str]]) -> dict:
    """The parameters as a dict, refusing a name given twice (in one list or across them):
    the gateway reads one value while a signature may cover another."""
    out: dict[str, str] = {}
    for pairs in lists:
        for k, v in pairs:
            if k in out:
                raise GatewayError(400, "InvalidParameter", f"The specified parameter \"{k}\" is given more than once.")
            out[k] = v
    return out


def verify_v1(state: State, method: str, params: dict) -> tuple[str, str, dict]:
    """Checks the signature and the key. Returns (action, version, business parameters)."""
    if params.get("SignatureMethod") != "HMAC-SHA1" or params.get("SignatureVersion") != "1.0":
        raise GatewayError(400, "InvalidSignatureMethod", "Specified signature method or version is not supported.")
    signature = params.get("Signature")
    if not signature:
        raise GatewayError(400, "IncompleteSignature", "The request signature does not conform to Aliyun standards.")
    secret = lookup_key(state, params.get("AccessKeyId"), params.get("SecurityToken"))
    signed = {k: v for k, v in params.items() if k != "Signature"}
    canonical = "&".join(f"{enc(k)}={enc(v)}" for k, v in sorted(signed.items()))
    string_to_sign = f"{method}&%2F&{enc(canonical)}"
    digest = hmac.new((secret + "&").encode(), string_to_sign.encode(), hashlib.sha1).digest()
    if not hmac.compare_digest(b64encode(digest).decode(), signature):
        raise GatewayError(400, "SignatureDoesNotMatch",
                           "Specified signature is not matched with our calculation. server string to sign is:" + string_to_sign)
    common = {"AccessKeyId", "Action", "Version", "Format", "SignatureMethod", "SignatureVersion",
              "SignatureNonce", "Timestamp", "SecurityToken", "Signature"}
    business = {k: v for k, v in params.items() if k not in common}
    return params.get("Action", ""), params.get("Version", ""), business


def incomplete(why: str) -> GatewayError:
    return GatewayError(400, "IncompleteSignature", "The request signature does not conform to Aliyun standards: " + why)


def verify_v3(state: State, method: str, query: dict, headers: dict, body: bytes) -> tuple[str, str, dict]:
    """Checks the signature and the key. `headers` maps each lower-case name to the list of
    the values sent. Returns (action, version, query parameters)."""
    def one(name: str) -> str | None:
        values = headers.get(name)
        return values[0] if values else None

    if len(headers.get("authorization", [])) != 1:
        raise incomplete("one Authorization header.")
    algo, _, rest = one("authorization").partition(" ")
    if algo != "ACS3-HMAC-SHA256":
        raise GatewayError(400, "InvalidSignatureMethod", "Specified signature method is not supported.")
    fields: dict[str, str] = {}
    for part in rest.split(","):
        name, eq, value = part.strip().partition("=")
        if not eq or name in fields:
            raise incomplete("the Authorization header is Credential=...,SignedHeaders=...,Signature=...")
        fields[name] = value
    key_id, signed_names, signature = fields.get("Credential"), fields.get("SignedHeaders", ""), fields.get("Signature", "")
    names = signed_names.split(";") if signed_names else []
    if names != sorted(set(names)) or any(n != n.lower() or not n for n in names):
        raise incomplete("SignedHeaders must be lower-case header names, sorted, each once.")
    must = set(V3_ALWAYS_SIGNED) | {n for n in headers if n.startswith("x-acs-")}
    if body:
        must.add("content-type")
    for required in sorted(must):
        if required not in names:
            raise incomplete(f"the signature does not cover the header {required}.")
    for n in names:
        if len(headers.get(n, [])) > 1:
            raise incomplete(f"the signed header {n} is sent more than once.")
    if one("x-acs-accesskey-id") is not None and one("x-acs-accesskey-id") != key_id:
        raise incomplete("x-acs-accesskey-id is not the Credential's key.")
    secret = lookup_key(state, key_id, one("x-acs-security-token"))
    if hashlib.sha256(body).hexdigest() != one("x-acs-content-sha256"):
        raise GatewayError(400, "InvalidContentSha256", "The x-acs-content-sha256 header does not match the body.")
    canonical_query = "&".join(f"{enc(k)}={enc(v)}" for k, v in sorted(query.items()))
    canonical_headers = "".join(f"{n}:{(one(n) or '').strip()}\n" for n in names)
    canonical_request = "\n".join([method, "/", canonical_query, canonical_headers, signed_names,
                                   one("x-acs-content-sha256") or ""])
    string_to_sign = "ACS3-HMAC-SHA256\n" + hashlib.sha256(canonical_request.encode()).hexdigest()
    expected = hmac.new(secret.encode(), string_to_sign.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, signature):
        raise GatewayError(400, "SignatureDoesNotMatch",
                           "The request signature we calculated does not match the signature you provided. server string to sign is:" + string_to_sign)
    return one("x-acs-action") or "", one("x-acs-version") or "", dict(query)


def check_catalog(state: State, action: str, params: dict) -> None:
    if state.catalog is None:
        return
    op = state.catalog.get(action)
    if op is None:
        raise GatewayError(404, "InvalidAction.NotFound", "Specified api is not found, please check your url and method.")
    known = {p["name"]: p for p in op["params"]}
    for name in params:
        top = name.split(".", 1)[0]
        if name not in known and top not in known:
            raise GatewayError(400, "InvalidParameter", f"The specified parameter \"{name}\" is not valid.")
    for p in op["params"]:
        if p["required"] and not any(k == p["name"] or k.startswith(p["name"] + ".") for k in params):
            raise GatewayError(400, "MissingParameter",
                               f"The input parameter \"{p['name']}\" that is mandatory for processing this request is not supplied.")


# 25 canned templates for ListChatappTemplate.
TEMPLATES = [
    {"TemplateCode": f"tpl_{i:03d}", "TemplateName": f"camskit_template_{i:03d}",
     "AuditStatus": ("pass", "fail", "auditing", "unaudit")[i % 4],
     "Category": ("UTILITY", "MARKETING", "AUTHENTICATION")[i % 3],
     "Language": ("en", "zh_CN", "id")[i % 3], "TemplateType": "WHATSAPP",
     "LastUpdateTime": 1700000000000 + i * 60000, "Reason": "" if i % 4 != 1 else "Rejected by review."}
    for i in range(1, 26)
]


def list_templates(params: dict, body: dict) -> dict:
    """ListChatappTemplate, paged as the official API defines it: `Page` is a JSON object
    {"Index": page number from 1, "Size": templates per page}, both defaulting as documented
    (1 and 10). The answer follows alibabacloud-cams20200606's
    ListChatappTemplateResponseBody: RequestId, Code, Message, AccessDeniedDetail, Success,
    ListTemplate (AuditStatus, Category, Language, LastUpdateTime, Reason, TemplateCode,
    TemplateName, TemplateType) and Total (the number of templates, all pages). A page past
    the end is an empty ListTemplate."""
    page = {}
    if "Page" in params:
        try:
            page = json.loads(params["Page"])
        except ValueError:
            page = None
        if not isinstance(page, dict):
            raise GatewayError(400, "InvalidParameter", "The specified parameter \"Page\" is not valid.")
    index, size = page.get("Index", 1), page.get("Size", 10)
    for name, value in (("Index", index), ("Size", size)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise GatewayError(400, "InvalidParameter", f"The specified parameter \"Page.{name}\" is not valid.")
    start = (index - 1) * size
    body["ListTemplate"] = TEMPLATES[start:start + size]
    body["Total"] = len(TEMPLATES)
    body["Success"] = True
    return body


def responses_for(action: str, params: dict, request_id: str) -> tuple[int, dict]:
    scenario = SCENARIOS.get(params.get("CustSpaceId", ""))
    if scenario:
        status, code, message = scenario
        return status, {"RequestId": request_id, "Code": code, "Message": message}
    body = {"RequestId": request_id, "Code": "OK", "Message": "SUCCESS", "AccessDeniedDetail": "None"}
    phone = params.get("PhoneNumber", "8613800001234")
    if action == "CreateChatappMigrationInitiate":
        body["Data"] = {"Id": "mig-" + hashlib.sha1(phone.encode()).hexdigest()[:12], "PhoneNumber": phone}
    elif action == "GetMigrationVerifyCode":
        body["Data"] = {"PhoneNumber": phone, "Id": params.get("MigrationId", "")}
    elif action == "ChatappMigrationVerified":
        body["Data"] = {"PhoneNumber": phone, "Id": params.get("MigrationId", "")}
    elif action == "ChatappMigrationRegister":
        body["RequestId"] = request_id
    elif action == "GetChatappPhoneNumberDetails":
        body["Data"] = {"PhoneNumber": phone, "CustSpaceId": params.get("CustSpaceId"), "BigId": 9007199254740993}
    elif action == "ListChatappTemplate":
        list_templates(params, body)
    return 200, body


class Drop(Exception):
    """Close the connection without an answer."""


class Handler(BaseHTTPRequestHandler):
    server_version = "mock-cams/1"
    protocol_version = "HTTP/1.1"
    clock_offset = 0.0  # the offset of this request's Date header

    def log_message(self, fmt, *args):  # requests on stderr, without query strings (they hold tokens)
        sys.stderr.write("mock-cams: %s %s\n" % (self.command, (args[1] if len(args) > 1 else "")))

    def date_time_string(self, timestamp=None):
        # send_response's Date header: the mock's clock, offset included.
        if timestamp is None:
            timestamp = time.time() + self.clock_offset
        return formatdate(timestamp, usegmt=True)

    def cors(self):
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
        self.send_header("Access-Control-Allow-Headers",
                         "authorization, content-type, x-acs-action, x-acs-version, x-acs-date, x-acs-signature-nonce, "
                         "x-acs-content-sha256, x-acs-security-token, x-acs-accesskey-id, accept, user-agent")
        self.send_header("Access-Control-Expose-Headers", "date, x-acs-retry-after, retry-after, location")
        self.send_header("Access-Control-Max-Age", "600")

    def send(self, status: int, body: bytes, content_type: str = "application/json;charset=utf-8",
             extra: tuple = ()):
        self.send_response(status)
        self.cors()
        for name, value in extra:
            self.send_header(name, value)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def send_json(self, status: int, data) -> None:
        self.send(status, json.dumps(data).encode())

    def start(self) -> State:
        state: State = self.server.state
        with state.lock:
            self.clock_offset = state.clock_offset
        return state

    def do_OPTIONS(self):
        self.start()
        self.send_response(204)
        self.cors()
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self):
        state = self.start()
        path = urlsplit(self.path).path
        if path == "/__mock/requests":
            with state.lock:
                return self.send_json(200, state.requests)
        if path == "/__mock/effects":
            with state.lock:
                return self.send_json(200, {"effects": state.effects, "attempts": state.attempts})
        if path == "/__mock/script":
            return self.send_json(200, state.script_json())
        self.handle_api()

    def do_POST(self):
        state = self.start()
        path = urlsplit(self.path).path
        if path == "/__mock/reset":
            self.read_body()
            state.reset()
            self.clock_offset = 0.0
            return self.send(200, b'{"reset":true}')
        if path == "/__mock/script":
            try:
                state.set_script(json.loads(self.read_body() or b"{}"))
            except ValueError as e:
                return self.send_json(400, {"error": str(e)})
            return self.send_json(200, state.script_json())
        self.handle_api()

    def read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def handle_api(self):
        state: State = self.server.state
        request_id = str(uuid.uuid4()).upper()
        body = self.read_body()
        url = urlsplit(self.path)
        fmt = "JSON"
        extra: list[tuple[str, str]] = []
        headers: dict[str, list[str]] = {}
        for k, v in self.headers.items():
            headers.setdefault(k.lower(), []).append(v)
        v3 = "authorization" in headers
        action = ""
        try:
            try:
                query_pairs = parse_qsl(url.query, keep_blank_values=True, errors="strict")
                form_pairs = []
                if body and (self.headers.get("Content-Type") or "").startswith("application/x-www-form-urlencoded"):
                    form_pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, errors="strict")
            except (UnicodeDecodeError, ValueError):
                raise GatewayError(400, "InvalidParameter", "The request holds bytes that are not UTF-8.")
            # Whatever follows, the request reached the server: count the attempt.
            if v3:
                action = (headers.get("x-acs-action") or [""])[0]
            else:
                action = next((v for k, v in [*query_pairs, *form_pairs] if k == "Action"), "")
            state.count(state.attempts, action)
            if url.path != "/":
                raise GatewayError(404, "InvalidAction.NotFound", "Specified api is not found, please check your url and method.")
            if v3:
                once_each(query_pairs, form_pairs)
                action, version, params = verify_v3(state, self.command, dict(query_pairs), headers, body)
                params = {**params, **dict(form_pairs)}
                timestamp, nonce = headers.get("x-acs-date", [None])[0], headers.get("x-acs-signature-nonce", [None])[0]
                auth = (headers.get("authorization") or [""])[0]
                key_id = auth.split("Credential=", 1)[-1].split(",", 1)[0] if "Credential=" in auth else None
            else:
                all_params = once_each(query_pairs, form_pairs)
                fmt = all_params.get("Format", "JSON").upper()
                action, version, params = verify_v1(state, self.command, all_params)
                timestamp, nonce = all_params.get("Timestamp"), all_params.get("SignatureNonce")
                key_id = all_params.get("AccessKeyId")
            # Signature and key are good: a stale_clock fault, if it is next, sets the clock.
            fault = state.take_fault(action, stale_clock=True)
            if fault:
                self.clock_offset = fault["offset_s"]
            check_time_and_nonce(state, time.time() + self.clock_offset, timestamp, nonce)
            if version != VERSION:
                raise GatewayError(400, "InvalidVersion", "Specified parameter Version is not valid.")
            check_catalog(state, action, params)
            if fault is None:
                fault = state.take_fault(action, stale_clock=False)
            mode = fault["mode"] if fault and fault["mode"] != "stale_clock" else None
            with state.lock:
                state.requests.append({"action": action, "method": self.command, "params": params,
                                       "signature": "v3" if v3 else "1.0", "fault": fault and fault["mode"],
                                       "access_key_id": key_id})
            if fault:
                if "retry_after_ms" in fault:
                    extra.append(("x-acs-retry-after", str(fault["retry_after_ms"])))
                if "retry_after_s" in fault:
                    extra.append(("Retry-After", str(fault["retry_after_s"])))
            if mode == "drop_after_effect":
                state.count(state.effects, action)
                raise Drop()
            if mode == "redirect":
                location = f"http://127.0.0.2:{self.server.server_address[1]}{self.path}"
                return self.send(302, b"", "text/plain", (*extra, ("Location", location)))
            if mode:
                status, code, message, effect = FAULT_MODES[mode]
                if effect:
                    state.count(state.effects, action)
                raise GatewayError(status, code, message)
            status, payload = responses_for(action, params, request_id)
            if 200 <= status < 300 and payload.get("Code") == "OK":
                state.count(state.effects, action)
        except Drop:
            self.close_connection = True
            return
        except GatewayError as e:
            status = e.status
            payload = {"RequestId": request_id, "HostId": HOST_ID, "Code": e.code, "Message": e.message,
                       "Recommend": f"https://api.aliyun.com/troubleshoot?q={e.code}&product=cams&requestId={request_id}"}
        if fmt == "XML":
            inner = "".join(f"<{k}>{v}</{k}>" for k, v in payload.items() if not isinstance(v, (dict, list)))
            return self.send(status, f'<?xml version="1.0" encoding="UTF-8"?><Response>{inner}</Response>'.encode(),
                             "text/xml;charset=utf-8", extra)
        self.send(status, json.dumps(payload, ensure_ascii=False).encode("utf-8"), extra=extra)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--port", type=int, default=int(os.environ.get("MOCK_CAMS_PORT", "0")))
    ap.add_argument("--port-file", type=Path)
    ap.add_argument("--key", action="append", default=[], help="ID:SECRET or ID:SECRET:STS_TOKEN (repeatable)")
    ap.add_argument("--catalog", type=Path, default=Path(__file__).with_name("catalog.json"))
    args = ap.parse_args()
    keys = dict(DEMO_KEYS)
    for k in args.key:
        parts = k.split(":", 2)
        if len(parts) < 2:
            ap.error(f"--key wants ID:SECRET[:TOKEN], got {k!r}")
        keys[parts[0]] = (parts[1], parts[2] if len(parts) == 3 else None)
    catalog = json.loads(args.catalog.read_text())["operations"] if args.catalog.exists() else None
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    server.state = State(keys, catalog)
    port = server.server_address[1]
    if args.port_file:
        tmp = args.port_file.with_suffix(".tmp")
        tmp.write_text(str(port))
        tmp.replace(args.port_file)
    print(f"mock-cams listening on http://127.0.0.1:{port}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass



# ---------------------------------------------------------------- credential sources
CREDENTIALS_DOC = """Credential sources (appended to mock-cams; the CAMS behaviour above is unchanged).

One port serves CAMS and these, told apart as follows:

* STS: an RPC request on `/` whose `Version` is 2015-04-01 and whose `Action` is
  `AssumeRole` or `AssumeRoleWithOIDC` (every other request on `/` is CAMS, as before).
  AssumeRole is checked with the same RPC 1.0 verifier as CAMS (signature, key, STS token,
  timestamp, nonce) and needs RoleArn and RoleSessionName; AssumeRoleWithOIDC is unsigned
  and needs RoleArn, OIDCProviderArn, RoleSessionName and an OIDCToken shaped like a JWT
  (three dot-separated parts). Both answer
  {"RequestId", "AssumedRoleUser": {"Arn", "AssumedRoleId"},
   "Credentials": {"AccessKeyId": "STS.…", "AccessKeySecret", "SecurityToken", "Expiration"}}
  with Expiration = now + min(DurationSeconds, lifetime_s). The temporary key is added to
  the mock's keys with its token, so CAMS accepts it (as key + SecurityToken) afterwards.
* ECS metadata: `PUT /latest/api/token` (header X-aliyun-ecs-metadata-token-ttl-seconds,
  1..21600) answers a token; `GET /latest/meta-data/ram/security-credentials/` answers the
  role name; `GET /latest/meta-data/ram/security-credentials/<role>` answers
  {"Code": "Success", "AccessKeyId", "AccessKeySecret", "SecurityToken", "Expiration",
   "LastUpdated"}. With "ecs_require_token": true a GET without a valid
  X-aliyun-ecs-metadata-token header is 401 (IMDSv2 only); an unknown role is 404.
* Credentials URI: `GET /credentials-uri` answers {"Code": "Success", "AccessKeyId",
  "AccessKeySecret", "SecurityToken", "Expiration"}.

Control: `GET /__mock/credentials` shows and `POST /__mock/credentials` sets
{"lifetime_s": N (default 3600, or MOCK_CAMS_STS_LIFETIME_S), "ecs_role": NAME (default
"camskit-ecs-role"), "ecs_require_token": BOOL (default false)} and answers
{"lifetime_s", "ecs_role", "ecs_require_token", "issued": [the temporary key ids],
 "sts_calls": {"AssumeRole": N, "AssumeRoleWithOIDC": N}, "metadata_calls": [[METHOD, PATH,
 with_token], ...], "uri_calls": N}.
"""

STS_VERSION = "2015-04-01"
ECS_PREFIX = "/latest/meta-data/ram/security-credentials/"


class CredentialSources:
    def __init__(self):
        self.lifetime_s = int(os.environ.get("MOCK_CAMS_STS_LIFETIME_S", "3600"))
        self.ecs_role = "camskit-ecs-role"
        self.ecs_require_token = False
        self.ecs_tokens: set[str] = set()
        self.issued: list[str] = []
        self.sts_calls = {"AssumeRole": 0, "AssumeRoleWithOIDC": 0}
        self.metadata_calls: list = []
        self.uri_calls = 0
        self.lock = threading.Lock()

    def view(self) -> dict:
        with self.lock:
            return {"lifetime_s": self.lifetime_s, "ecs_role": self.ecs_role,
                    "ecs_require_token": self.ecs_require_token, "issued": list(self.issued),
                    "sts_calls": dict(self.sts_calls), "metadata_calls": list(self.metadata_calls),
                    "uri_calls": self.uri_calls}

    def set(self, conf) -> None:
        if not isinstance(conf, dict) or set(conf) - {"lifetime_s", "ecs_role", "ecs_require_token"}:
            raise ValueError("keys: lifetime_s, ecs_role, ecs_require_token")
        lt = conf.get("lifetime_s", self.lifetime_s)
        if isinstance(lt, bool) or not isinstance(lt, int) or lt < 1:
            raise ValueError("lifetime_s is a whole number of seconds, at least 1")
        role = conf.get("ecs_role", self.ecs_role)
        if not isinstance(role, str) or not role or "/" in role:
            raise ValueError("ecs_role is a role name")
        req = conf.get("ecs_require_token", self.ecs_require_token)
        if not isinstance(req, bool):
            raise ValueError("ecs_require_token is true or false")
        with self.lock:
            self.lifetime_s, self.ecs_role, self.ecs_require_token = lt, role, req

    def issue(self, state: State, duration: int | None = None) -> dict:
        """New temporary credentials, registered with the mock's keys (key + token)."""
        key_id = "STS." + uuid.uuid4().hex[:20]
        secret, token = uuid.uuid4().hex + uuid.uuid4().hex[:8], "CAES" + uuid.uuid4().hex + uuid.uuid4().hex
        with self.lock:
            lifetime = min(duration, self.lifetime_s) if duration else self.lifetime_s
            self.issued.append(key_id)
        with state.lock:
            state.keys[key_id] = (secret, token)
        expiration = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + lifetime))
        return {"AccessKeyId": key_id, "AccessKeySecret": secret, "SecurityToken": token, "Expiration": expiration}


def _sts_error(status: int, code: str, message: str, request_id: str) -> tuple[int, dict]:
    return status, {"RequestId": request_id, "HostId": "sts.aliyuncs.com", "Code": code, "Message": message}


def handle_sts(handler, state: State, creds: CredentialSources, params: dict) -> tuple[int, dict]:
    request_id = str(uuid.uuid4()).upper()
    action = params.get("Action")
    try:
        duration = int(params.get("DurationSeconds") or 3600)
    except ValueError:
        return _sts_error(400, "InvalidParameter.DurationSeconds", "DurationSeconds is not a number.", request_id)
    if duration < 900:
        return _sts_error(400, "InvalidParameter.DurationSeconds", "DurationSeconds is below 900.", request_id)
    try:
        if action == "AssumeRole":
            verify_v1(state, handler.command, params)
            check_time_and_nonce(state, time.time() + handler.clock_offset, params.get("Timestamp"),
                                 params.get("SignatureNonce"))
        else:
            parse_time(params.get("Timestamp"))
    except GatewayError as e:
        return _sts_error(e.status, e.code, e.message, request_id)
    for name in ("RoleArn", "RoleSessionName") + (("OIDCProviderArn", "OIDCToken") if action != "AssumeRole" else ()):
        if not params.get(name):
            return _sts_error(400, f"MissingParameter.{name}", f"{name} is mandatory for this action.", request_id)
    if not params["RoleArn"].startswith("acs:ram::"):
        return _sts_error(400, "InvalidParameter.RoleArn", "The parameter RoleArn is wrongly formed.", request_id)
    if action != "AssumeRole" and len(params["OIDCToken"].split(".")) != 3:
        return _sts_error(400, "InvalidParameter.OIDCToken", "The OIDCToken is not a JWT.", request_id)
    with creds.lock:
        creds.sts_calls[action] += 1
    issued = creds.issue(state, duration)
    role = params["RoleArn"].rsplit("/", 1)[-1]
    return 200, {"RequestId": request_id,
                 "AssumedRoleUser": {"Arn": f"{params['RoleArn']}/{params['RoleSessionName']}",
                                     "AssumedRoleId": f"3{abs(hash(role)) % 10**17}:{params['RoleSessionName']}"},
                 "Credentials": issued}


def _credential_route(handler) -> bool:
    """Serves a credential source when the request is one; False to let CAMS handle it."""
    state: State = handler.server.state
    creds: CredentialSources = handler.server.__dict__.setdefault("credential_sources", CredentialSources())
    url = urlsplit(handler.path)
    path, method = url.path, handler.command
    if path == "/__mock/credentials":
        if method == "POST":
            try:
                creds.set(json.loads(handler.read_body() or b"{}"))
            except ValueError as e:
                handler.send_json(400, {"error": str(e)})
                return True
        handler.send_json(200, creds.view())
        return True
    if path == "/credentials-uri" and method == "GET":
        with creds.lock:
            creds.uri_calls += 1
        handler.send_json(200, {"Code": "Success", **creds.issue(state)})
        return True
    token_header = handler.headers.get("X-aliyun-ecs-metadata-token")
    if path == "/latest/api/token":
        with creds.lock:
            creds.metadata_calls.append([method, path, False])
        ttl = handler.headers.get("X-aliyun-ecs-metadata-token-ttl-seconds") or ""
        if method != "PUT":
            handler.send(405, b"method not allowed", "text/plain")
        elif not ttl.isdigit() or not 1 <= int(ttl) <= 21600:
            handler.send(400, b"X-aliyun-ecs-metadata-token-ttl-seconds must be 1..21600", "text/plain")
        else:
            token = "ecs-" + uuid.uuid4().hex
            with creds.lock:
                creds.ecs_tokens.add(token)
            handler.send(200, token.encode(), "text/plain")
        return True
    if path.startswith(ECS_PREFIX) and method == "GET":
        with creds.lock:
            creds.metadata_calls.append([method, path, token_header is not None])
            valid = token_header in creds.ecs_tokens
            need = creds.ecs_require_token
            role = creds.ecs_role
        if token_header is not None and not valid or need and not valid:
            handler.send(401, b"unauthorized", "text/plain")
            return True
        name = path[len(ECS_PREFIX):]
        if not name:
            handler.send(200, role.encode(), "text/plain")
        elif name != role:
            handler.send(404, b"not found", "text/plain")
        else:
            issued = creds.issue(state)
            handler.send_json(200, {"Code": "Success", **issued,
                                    "LastUpdated": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())})
        return True
    if path == "/" and method in ("GET", "POST"):
        params = dict(parse_qsl(url.query, keep_blank_values=True))
        if params.get("Version") == STS_VERSION and params.get("Action") in ("AssumeRole", "AssumeRoleWithOIDC"):
            handler.read_body()
            status, payload = handle_sts(handler, state, creds, params)
            handler.send_json(status, payload)
            return True
    return False


_cams_do_get, _cams_do_post = Handler.do_GET, Handler.do_POST


def _do_get(self):
    self.start()
    if not _credential_route(self):
        _cams_do_get(self)


def _do_post(self):
    self.start()
    if not _credential_route(self):
        _cams_do_post(self)


def _do_put(self):
    self.start()
    if not _credential_route(self):
        self.read_body()
        self.send_json(405, {"error": "method not allowed"})


Handler.do_GET, Handler.do_POST, Handler.do_PUT = _do_get, _do_post, _do_put
__doc__ += "\n" + CREDENTIALS_DOC



# ---------------------------------------------------------------- receipts: Dybaseapi and MNS
MNS_DOC = """Receipts (appended to mock-cams; the CAMS and credential behaviour above is unchanged).

The same port serves Dybaseapi and an MNS account endpoint, as the receipts consumer uses them:

* Dybaseapi `QueryTokenForMnsQueue`: an RPC request on `/` whose `Version` is 2017-05-25 and
  `Action` QueryTokenForMnsQueue, checked with the CAMS RPC 1.0 verifier (signature, key, STS
  token, timestamp, nonce); `MessageType` is required, `QueueName` optional. It answers
  {"RequestId", "Code": "OK", "Message": "OK", "Success": true, "MessageTokenDTO":
   {"AccessKeyId": "STS.…", "AccessKeySecret", "SecurityToken", "CreateTime", "ExpireTime"}}
  with the times as `yyyy-MM-dd HH:mm:ss` in UTC+8 (as Dybaseapi writes them) and
  ExpireTime = now + token_lifetime_s. The token is good for MNS requests until then, on the
  queue it names (another queue -> 403 AccessDenied).
* MNS (API 2015-06-06) on `/queues/<name>/messages`:
    GET    ?numOfMessages=N&waitseconds=W   BatchReceiveMessage (<Messages>)
    GET    ?waitseconds=W                   ReceiveMessage (<Message>)
    DELETE ?ReceiptHandle=H                 DeleteMessage (204)
    DELETE  + <ReceiptHandles> body         BatchDeleteMessage (204, or 404 <Errors>)
    PUT    ?ReceiptHandle=H&VisibilityTimeout=S   ChangeMessageVisibility (<ChangeVisibility>)
  A poll waits up to min(waitseconds, max_wait_s) for a visible message, then answers 404
  MessageNotExist. A received message is hidden for visibility_timeout_s and gets a new
  receipt handle and DequeueCount + 1; once visible again it is delivered again. A handle
  that is not the message's latest, or whose visibility ran out, or of a deleted message ->
  ReceiptHandleError (400; per handle in a batch delete).
  Every request is checked STRICTLY: `Authorization: MNS <id>:<signature>` with signature =
  base64(HMAC-SHA1(secret, METHOD\\nContent-MD5\\nContent-Type\\nDate\\n + each x-mns-* header,
  lower-cased and sorted, as name:value\\n + the path with its query as sent)); x-mns-version
  2015-06-06; a Date within 15 minutes (TimeExpired); a body's content-md5 = base64 of the hex
  MD5 (InvalidDegist); the key: a token Dybaseapi issued (expired -> 401
  SecurityTokenExpired) or a --key of the mock; the `security-token` header must be the key's
  token (403 InvalidSecurityToken). Errors are MNS XML: <Error><Code/><Message/><RequestId/>
  <HostId/></Error>.

Control (unsigned, JSON):
    POST /__mock/mns/enqueue  {"queue": NAME, "bodies": [TEXT, ...]} or
                              {"queue": NAME, "from_vectors": N, "message_type": T}: N
                              bodies, cycling over the readable MNS bodies (of type T when
                              given) of tests/vectors/receipts.json (each made
                              unique by its MessageId when it has one; base64 kept base64)
                              -> {"message_ids": [...]}. The queue is created if new.
    GET  /__mock/mns          {"config", "queues": {NAME: {"enqueued", "delivered",
                               "deleted", "visible", "inflight", "messages": [{"id",
                               "dequeue_count", "deleted"}]}}, "delivered", "deleted",
                               "token_calls", "signature_failures", "deletes_abandoned",
                               "requests": {OP: N}}
                              delivered: every time a message was handed out (redeliveries
                              included); deleted: messages deleted.
    POST /__mock/mns/config   {"token_lifetime_s": 600, "visibility_timeout_s": 30,
                               "max_wait_s": 30, "delete_hold_s": 0, "fault_every": 0}
                              (any of them; fault_every N: every Nth queue request is
                              answered 500 with nothing done, or hung up on before anything
                              is done, or done and then hung up on with no answer, in turn;
                              counted in "faults" of GET /__mock/mns; answers
                               GET /__mock/mns). delete_hold_s holds each delete that long
                               before applying it; a delete whose client hung up meanwhile
                               is not applied (counted in deletes_abandoned): a scripted
                               crash between "printed" and "deleted".
    POST /__mock/mns/reset    every queue, token and count (POST /__mock/reset does too).
"""

import base64 as _base64
import select as _select
import socket as _socket
from email.utils import parsedate_to_datetime as _parsedate
from xml.etree import ElementTree as _ET
from xml.sax.saxutils import escape as _xml_escape

DYBASEAPI_VERSION = "2017-05-25"
MNS_VERSION = "2015-06-06"
MNS_XMLNS = "http://mns.aliyuncs.com/doc/v1/"
MNS_HOST_ID = "http://127.0.0.1.mns.mock-cams"
MNS_CONFIG_DEFAULTS = {"token_lifetime_s": 600, "visibility_timeout_s": 30, "max_wait_s": 30, "delete_hold_s": 0,
                       "fault_every": 0}
# The faults fault_every cycles through: answered 500 with nothing done; the connection closed
# before anything is done; the operation done, then the connection closed with no answer (a
# receive whose messages are lost in flight, a delete whose confirmation is lost).
MNS_FAULTS = ("error_500", "drop_before", "drop_after")
VECTORS = Path(__file__).resolve().parent.parent / "vectors" / "receipts.json"


class MnsError(Exception):
    def __init__(self, status: int, code: str, message: str):
        super().__init__(code)
        self.status, self.code, self.message = status, code, message


def _cst(t: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(t + 8 * 3600))


class Mns:
    def __init__(self):
        self.cond = threading.Condition()
        self.config = dict(MNS_CONFIG_DEFAULTS)
        self.reset()

    def reset(self) -> None:
        with self.cond:
            self.queues: dict[str, dict] = {}
            self.tokens: dict[str, dict] = {}
            self.counts = {"token_calls": 0, "signature_failures": 0, "deletes_abandoned": 0,
                           "faults": {k: 0 for k in MNS_FAULTS}}
            self.queue_requests = 0
            self.requests: dict[str, int] = {}
            self.config = dict(MNS_CONFIG_DEFAULTS)
            self.seq = 0

    def set_config(self, conf) -> None:
        if not isinstance(conf, dict) or set(conf) - set(MNS_CONFIG_DEFAULTS):
            raise ValueError(f"keys: {sorted(MNS_CONFIG_DEFAULTS)}")
        for k, v in conf.items():
            if isinstance(v, bool) or not isinstance(v, (int, float)) or v < 0:
                raise ValueError(f"{k} is a number, at least 0")
            if k == "fault_every" and (not isinstance(v, int) or v == 1):
                raise ValueError("fault_every is a whole number: 0 (off) or at least 2")
        with self.cond:
            self.config.update(conf)

    def next_fault(self):
        """The fault for this queue request, or None (every fault_every-th request, cycling
        over MNS_FAULTS)."""
        with self.cond:
            self.queue_requests += 1
            every = self.config["fault_every"]
            if not every or self.queue_requests % every:
                return None
            kind = MNS_FAULTS[(self.queue_requests // every) % len(MNS_FAULTS)]
            self.counts["faults"][kind] += 1
            return kind

    def queue(self, name: str) -> dict:
        return self.queues.setdefault(name, {"messages": [], "enqueued": 0, "delivered": 0, "deleted": 0})

    def enqueue(self, name: str, bodies: list) -> list:
        now = int(time.time() * 1000)
        ids = []
        with self.cond:
            q = self.queue(name)
            for body in bodies:
                self.seq += 1
                mid = f"{uuid.uuid4().hex[:16].upper()}-1-{self.seq:08X}"
                q["messages"].append({"id": mid, "body": body, "enqueue": now, "first": 0, "next_visible": 0,
                                      "count": 0, "handle": None, "deleted": False})
                q["enqueued"] += 1
                ids.append(mid)
            self.cond.notify_all()
        return ids

    def view(self) -> dict:
        now = time.time() * 1000
        with self.cond:
            queues = {}
            for name, q in self.queues.items():
                live = [m for m in q["messages"] if not m["deleted"]]
                queues[name] = {"enqueued": q["enqueued"], "delivered": q["delivered"], "deleted": q["deleted"],
                                "visible": sum(1 for m in live if m["next_visible"] <= now),
                                "inflight": sum(1 for m in live if m["next_visible"] > now),
                                "messages": [{"id": m["id"], "dequeue_count": m["count"], "deleted": m["deleted"]}
                                             for m in q["messages"]]}
            return {"config": dict(self.config), "queues": queues,
                    "delivered": sum(q["delivered"] for q in self.queues.values()),
                    "deleted": sum(q["deleted"] for q in self.queues.values()),
                    **self.counts, "requests": dict(self.requests)}

    def issue(self, message_type: str, queue: str | None) -> dict:
        now = time.time()
        with self.cond:
            lifetime = self.config["token_lifetime_s"]
            key_id = "STS.mns" + uuid.uuid4().hex[:20]
            token = {"secret": uuid.uuid4().hex, "token": "CAES" + uuid.uuid4().hex + "/+=" + uuid.uuid4().hex,
                     "expire": now + lifetime, "message_type": message_type, "queue": queue}
            self.tokens[key_id] = token
            self.counts["token_calls"] += 1
        return {"AccessKeyId": key_id, "AccessKeySecret": token["secret"], "SecurityToken": token["token"],
                "CreateTime": _cst(now), "ExpireTime": _cst(now + lifetime)}

    def fresh_handle(self, m: dict) -> str:
        self.seq += 1
        m["handle"] = f"{self.seq}-" + _base64.b64encode(uuid.uuid4().bytes + self.seq.to_bytes(4, "big")).decode()
        return m["handle"]

    def find(self, q: dict, handle: str, now: float) -> dict:
        for m in q["messages"]:
            if m["handle"] == handle:
                if m["deleted"] or m["next_visible"] <= now:
                    break
                return m
        raise MnsError(400, "ReceiptHandleError", f"The receipt handle you provide is not valid: {handle}")


def mns_error_xml(request_id: str, code: str, message: str) -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<Error xmlns="{MNS_XMLNS}"><Code>{_xml_escape(code)}</Code>'
            f"<Message>{_xml_escape(message)}</Message><RequestId>{request_id}</RequestId>"
            f"<HostId>{MNS_HOST_ID}</HostId></Error>").encode()


def message_xml(m: dict) -> str:
    md5 = hashlib.md5(m["body"].encode()).hexdigest().upper()
    return (f"<Message><MessageId>{m['id']}</MessageId><ReceiptHandle>{m['handle']}</ReceiptHandle>"
            f"<MessageBodyMD5>{md5}</MessageBodyMD5><MessageBody>{_xml_escape(m['body'])}</MessageBody>"
            f"<EnqueueTime>{m['enqueue']}</EnqueueTime><NextVisibleTime>{int(m['next_visible'])}</NextVisibleTime>"
            f"<FirstDequeueTime>{m['first']}</FirstDequeueTime><DequeueCount>{m['count']}</DequeueCount>"
            f"<Priority>8</Priority></Message>")


def _raw_query(query: str) -> dict:
    """The query as MNS reads it: nothing is decoded (handles hold + / =)."""
    out = {}
    for part in filter(None, query.split("&")):
        k, _, v = part.partition("=")
        if k in out:
            raise MnsError(400, "InvalidQueryString", f"The parameter {k} is given more than once.")
        out[k] = v
    return out


def _client_gone(handler) -> bool:
    sock = handler.connection
    try:
        readable, _, _ = _select.select([sock], [], [], 0)
        return bool(readable) and sock.recv(1, _socket.MSG_PEEK) == b""
    except OSError:
        return True


def verify_mns(handler, state: State, mns: Mns, body: bytes) -> dict | None:
    """The strict MNS signature check. Returns the issued token (None for a --key)."""
    h = handler.headers
    if h.get("x-mns-version") != MNS_VERSION:
        raise MnsError(400, "InvalidArgument", "x-mns-version must be 2015-06-06.")
    auth = h.get("Authorization")
    if not auth:
        raise MnsError(403, "MissingAuthorizationHeader", "The Authorization header is missing.")
    scheme, _, cred = auth.partition(" ")
    key_id, _, signature = cred.partition(":")
    if scheme != "MNS" or not key_id or not signature:
        raise MnsError(403, "InvalidAuthorizationHeader", "Authorization is MNS AccessKeyId:Signature.")
    date = h.get("Date") or ""
    try:
        when = _parsedate(date).timestamp()
    except (TypeError, ValueError):
        raise MnsError(400, "InvalidDateHeader", f"The Date header {date!r} is not RFC 1123.")
    if abs(time.time() + handler.clock_offset - when) > WINDOW:
        raise MnsError(403, "TimeExpired", "The Date header is more than 15 minutes off.")
    md5, ctype = h.get("Content-MD5") or "", h.get("Content-Type") or ""
    if body or md5:
        want = _base64.b64encode(hashlib.md5(body).hexdigest().encode()).decode()
        if md5 != want:
            raise MnsError(400, "InvalidDegist", "Content-MD5 is not the MD5 of the body.")
    with mns.cond:
        issued = mns.tokens.get(key_id)
    if issued is not None:
        secret, want_token = issued["secret"], issued["token"]
        if time.time() >= issued["expire"]:
            raise MnsError(401, "SecurityTokenExpired", "The security token has expired.")
    elif key_id in state.keys:
        secret, want_token = state.keys[key_id]
    else:
        raise MnsError(403, "InvalidAccessKeyId", "The access key id does not exist.")
    if (h.get("security-token") or None) != want_token:
        raise MnsError(403, "InvalidSecurityToken", "The security-token header is not the key's token.")
    mns_headers = sorted((k.lower(), v) for k, v in h.items() if k.lower().startswith("x-mns-"))
    names = [k for k, _ in mns_headers]
    if len(names) != len(set(names)):
        raise MnsError(400, "InvalidArgument", "An x-mns-* header is sent twice.")
    to_sign = (f"{handler.command}\n{md5}\n{ctype}\n{date}\n" + "".join(f"{k}:{v}\n" for k, v in mns_headers)
               + handler.path)
    expected = _base64.b64encode(hmac.new(secret.encode(), to_sign.encode(), hashlib.sha1).digest()).decode()
    if not hmac.compare_digest(expected, signature):
        with mns.cond:
            mns.counts["signature_failures"] += 1
        raise MnsError(403, "SignatureDoesNotMatch",
                       "The request signature we calculated does not match the signature you provided. "
                       "server string to sign is:" + to_sign)
    return issued


def handle_mns(handler, state: State, mns: Mns) -> None:
    request_id = uuid.uuid4().hex[:24].upper()
    body = handler.read_body()
    url = urlsplit(handler.path)
    parts = url.path.split("/")
    try:
        if len(parts) != 4 or parts[1] != "queues" or parts[3] != "messages" or not parts[2]:
            raise MnsError(404, "InvalidRequestURL", "The request URL is not /queues/<name>/messages.")
        name = parts[2]
        query = _raw_query(url.query)
        issued = verify_mns(handler, state, mns, body)
        if issued is not None and issued["queue"] and issued["queue"] != name:
            raise MnsError(403, "AccessDenied", "The token is not for this queue.")
        method = handler.command
        op = {"GET": "BatchReceiveMessage" if "numOfMessages" in query else "ReceiveMessage",
              "PUT": "ChangeMessageVisibility",
              "DELETE": "DeleteMessage" if "ReceiptHandle" in query else "BatchDeleteMessage"}.get(method)
        if op is None:
            raise MnsError(405, "InvalidArgument", f"{method} is not an MNS queue message operation.")
        with mns.cond:
            mns.requests[op] = mns.requests.get(op, 0) + 1
            if name not in mns.queues:
                raise MnsError(404, "QueueNotExist", f"The queue {name} does not exist.")
        fault = mns.next_fault()
        if fault == "error_500":
            raise MnsError(500, "InternalError", "Scripted fault: nothing was done.")
        if fault in ("drop_before", "drop_after"):
            def hang_up(*_args, **_kwargs):
                handler.close_connection = True
                try:
                    handler.connection.shutdown(_socket.SHUT_RDWR)
                except OSError:
                    pass
            handler.send = hang_up  # this connection only: it is closed
            if fault == "drop_before":
                return hang_up()
        if op in ("ReceiveMessage", "BatchReceiveMessage"):
            return mns_receive(handler, mns, name, query, op == "BatchReceiveMessage", request_id)
        if op == "ChangeMessageVisibility":
            try:
                seconds = int(query.get("VisibilityTimeout", ""))
            except ValueError:
                raise MnsError(400, "InvalidArgument", "VisibilityTimeout is a number of seconds.")
            # "The value ranges from 1 to 43200" (ChangeMessageVisibility,
            # https://www.alibabacloud.com/help/doc-detail/35142.htm).
            if not 1 <= seconds <= 43200:
                raise MnsError(400, "InvalidArgument", "VisibilityTimeout is 1 to 43200.")
            with mns.cond:
                now = time.time() * 1000
                m = mns.find(mns.queues[name], query.get("ReceiptHandle", ""), now)
                m["next_visible"] = now + seconds * 1000
                handle = mns.fresh_handle(m)
                mns.cond.notify_all()
            xml = (f'<?xml version="1.0" encoding="UTF-8"?>\n<ChangeVisibility xmlns="{MNS_XMLNS}">'
                   f"<ReceiptHandle>{handle}</ReceiptHandle><NextVisibleTime>{int(m['next_visible'])}</NextVisibleTime>"
                   "</ChangeVisibility>")
            return handler.send(200, xml.encode(), "text/xml;charset=utf-8", (("x-mns-request-id", request_id),))
        # Deletes.
        if op == "DeleteMessage":
            handles = [query["ReceiptHandle"]]
        else:
            try:
                root = _ET.fromstring(body)
            except _ET.ParseError:
                raise MnsError(400, "MalformedXML", "The body is not XML.")
            handles = [e.text or "" for e in root if e.tag.split("}")[-1] == "ReceiptHandle"]
            if root.tag.split("}")[-1] != "ReceiptHandles" or not 1 <= len(handles) <= 16:
                raise MnsError(400, "MalformedXML", "BatchDeleteMessage takes 1 to 16 <ReceiptHandle>.")
        with mns.cond:
            hold = mns.config["delete_hold_s"]
        deadline = time.time() + hold
        while time.time() < deadline:
            if _client_gone(handler):
                with mns.cond:
                    mns.counts["deletes_abandoned"] += 1
                handler.close_connection = True
                return
            time.sleep(0.05)
        errors = []
        with mns.cond:
            now = time.time() * 1000
            q = mns.queues[name]
            for handle in handles:
                try:
                    m = mns.find(q, handle, now)
                except MnsError as e:
                    errors.append((handle, e))
                    continue
                m["deleted"] = True
                q["deleted"] += 1
        if op == "DeleteMessage" and errors:
            raise errors[0][1]
        if errors:
            inner = "".join(f"<Error><ErrorCode>{e.code}</ErrorCode><ErrorMessage>{_xml_escape(e.message)}</ErrorMessage>"
                            f"<ReceiptHandle>{_xml_escape(h)}</ReceiptHandle></Error>" for h, e in errors)
            xml = f'<?xml version="1.0" encoding="UTF-8"?>\n<Errors xmlns="{MNS_XMLNS}">{inner}</Errors>'
            return handler.send(404, xml.encode(), "text/xml;charset=utf-8", (("x-mns-request-id", request_id),))
        return handler.send(204, b"", "text/xml;charset=utf-8", (("x-mns-request-id", request_id),))
    except MnsError as e:
        handler.send(e.status, mns_error_xml(request_id, e.code, e.message), "text/xml;charset=utf-8",
                     (("x-mns-request-id", request_id),))


def mns_receive(handler, mns: Mns, name: str, query: dict, batch: bool, request_id: str) -> None:
    try:
        n = int(query.get("numOfMessages", "1"))
        wait = int(query["waitseconds"]) if "waitseconds" in query else None
    except ValueError:
        raise MnsError(400, "InvalidArgument", "numOfMessages and waitseconds are numbers.")
    if not 1 <= n <= 16 or (wait is not None and not 0 <= wait <= 30):
        raise MnsError(400, "InvalidArgument", "numOfMessages is 1 to 16, waitseconds 0 to 30.")
    with mns.cond:
        cap = mns.config["max_wait_s"]
        deadline = time.time() + min(cap, 30 if wait is None else wait)
        while True:
            now = time.time() * 1000
            q = mns.queues[name]
            ready = [m for m in q["messages"] if not m["deleted"] and m["next_visible"] <= now][:n]
            left = deadline - time.time()
            if ready or left <= 0:
                break
            # Wake up for enqueues, and when the next hidden message becomes visible.
            hidden = [m["next_visible"] for m in q["messages"] if not m["deleted"] and m["next_visible"] > now]
            nap = min([left] + [(t - now) / 1000 + 0.01 for t in hidden])
            mns.cond.wait(max(nap, 0.01))
        visibility = mns.config["visibility_timeout_s"]
        for m in ready:
            m["count"] += 1
            m["first"] = m["first"] or int(now)
            m["next_visible"] = now + visibility * 1000
            mns.fresh_handle(m)
            q["delivered"] += 1
        xml_items = [message_xml(m) for m in ready]
    if not ready:
        raise MnsError(404, "MessageNotExist", "Message not exist.")
    if batch:
        xml = f'<?xml version="1.0" encoding="UTF-8"?>\n<Messages xmlns="{MNS_XMLNS}">{"".join(xml_items)}</Messages>'
    else:
        xml = '<?xml version="1.0" encoding="UTF-8"?>\n' + xml_items[0].replace("<Message>", f'<Message xmlns="{MNS_XMLNS}">', 1)
    handler.send(200, xml.encode(), "text/xml;charset=utf-8", (("x-mns-request-id", request_id),))


def handle_query_token(handler, state: State, mns: Mns, params: dict) -> None:
    request_id = str(uuid.uuid4()).upper()
    try:
        verify_v1(state, handler.command, params)
        check_time_and_nonce(state, time.time() + handler.clock_offset, params.get("Timestamp"),
                             params.get("SignatureNonce"))
        if not params.get("MessageType"):
            raise GatewayError(400, "MissingMessageType", "MessageType is mandatory for this action.")
    except GatewayError as e:
        return handler.send_json(e.status, {"RequestId": request_id, "HostId": "dybaseapi.aliyuncs.com",
                                            "Code": e.code, "Message": e.message})
    dto = mns.issue(params["MessageType"], params.get("QueueName") or None)
    handler.send_json(200, {"RequestId": request_id, "Code": "OK", "Message": "OK", "Success": True,
                            "MessageTokenDTO": dto})


def vector_bodies(n: int, message_type: str | None = None) -> list:
    """n MNS bodies from the receipts vectors (the readable ones, of one type when given), each
    made unique."""
    cases = [c for c in json.loads(VECTORS.read_text())["cases"] if c["transport"] == "mns" and "expect" in c
             and (message_type is None or c["expect"][0]["type"] == message_type)]
    if not cases:
        raise ValueError(f"no MNS body of type {message_type} in the vectors")
    out = []
    for i in range(n):
        body = cases[i % len(cases)]["body"]
        text = body.strip()
        is_json = text.startswith("{") or text.startswith("[")
        try:
            event = json.loads(text if is_json else _base64.b64decode(text))
        except ValueError:
            out.append(body)
            continue
        if isinstance(event, dict) and "MessageId" in event:
            event["MessageId"] = f"{event['MessageId']}-{i}"
        encoded = json.dumps(event, ensure_ascii=False)
        out.append(encoded if is_json else _base64.b64encode(encoded.encode()).decode())
    return out


def _mns_route(handler) -> bool:
    """Serves Dybaseapi, MNS and their control when the request is one of them."""
    state: State = handler.server.state
    mns: Mns = handler.server.__dict__.setdefault("mns", Mns())
    url = urlsplit(handler.path)
    path, method = url.path, handler.command
    if path == "/__mock/reset" and method == "POST":
        mns.reset()
        return False
    if path.startswith("/__mock/mns"):
        try:
            if path == "/__mock/mns" and method == "GET":
                return handler.send_json(200, mns.view()) or True
            conf = json.loads(handler.read_body() or b"{}")
            if path == "/__mock/mns/config" and method == "POST":
                mns.set_config(conf)
                return handler.send_json(200, mns.view()) or True
            if path == "/__mock/mns/reset" and method == "POST":
                mns.reset()
                return handler.send_json(200, mns.view()) or True
            if path == "/__mock/mns/enqueue" and method == "POST":
                if not isinstance(conf, dict) or not isinstance(conf.get("queue"), str) or not conf["queue"]:
                    raise ValueError("queue is a name")
                if "from_vectors" in conf:
                    n = conf["from_vectors"]
                    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
                        raise ValueError("from_vectors is a whole number, at least 1")
                    mt = conf.get("message_type")
                    if mt is not None and not isinstance(mt, str):
                        raise ValueError("message_type is a name")
                    bodies = vector_bodies(n, mt)
                else:
                    bodies = conf.get("bodies")
                    if not isinstance(bodies, list) or not all(isinstance(b, str) for b in bodies):
                        raise ValueError("bodies is a list of strings")
                return handler.send_json(200, {"message_ids": mns.enqueue(conf["queue"], bodies)}) or True
        except ValueError as e:
            return handler.send_json(400, {"error": str(e)}) or True
        return handler.send_json(404, {"error": "no such control"}) or True
    if path.startswith("/queues/"):
        handle_mns(handler, state, mns)
        return True
    if path == "/" and method in ("GET", "POST"):
        params = dict(parse_qsl(url.query, keep_blank_values=True))
        if params.get("Version") == DYBASEAPI_VERSION and params.get("Action") == "QueryTokenForMnsQueue":
            handler.read_body()
            try:
                once_each(parse_qsl(url.query, keep_blank_values=True))
            except GatewayError as e:
                handler.send_json(e.status, {"Code": e.code, "Message": e.message})
                return True
            handle_query_token(handler, state, mns, params)
            return True
    return False


def _with_mns(previous):
    def serve(self):
        self.start()
        if not _mns_route(self):
            previous(self)
    return serve


def _do_delete_fallback(self):
    self.read_body()
    self.send_json(405, {"error": "method not allowed"})


Handler.do_GET = _with_mns(Handler.do_GET)
Handler.do_POST = _with_mns(Handler.do_POST)
Handler.do_PUT = _with_mns(Handler.do_PUT)
Handler.do_DELETE = _with_mns(_do_delete_fallback)
__doc__ += "\n" + MNS_DOC


if __name__ == "__main__":
    main()
