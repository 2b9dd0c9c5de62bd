#!/usr/bin/env python3
"""mock-cams: a local stand-in for Alibaba Cloud CAMS (API 2020-06-06), for tests.

Python standard library only. It checks each request the way the CAMS gateway does, with its
own implementation (not camskit's):

* RPC signature 1.0 (HMAC-SHA1 over the sorted, percent-encoded query and form parameters)
  and ACS3-HMAC-SHA256 (the Authorization header);
* the access key (unknown -> InvalidAccessKeyId.NotFound, 404) and the STS token;
* the timestamp (more than 15 minutes off -> InvalidTimeStamp.Expired, 400);
* the nonce (seen before within 15 minutes -> SignatureNonceUsed, 400);
* the API version, and, when tests/mock-cams/catalog.json exists, the action and its
  parameters (unknown action -> InvalidAction.NotFound, 404; missing required parameter ->
  MissingParameter, 400; unknown parameter -> InvalidParameter, 400).

Errors have the gateway's shape: RequestId, HostId, Code, Message, Recommend.
Successful calls get canned bodies (see responses_for); some CustSpaceId values trigger the
errors the ChatappMigrationRegister reference documents (see SCENARIOS).

Usage:
    python3 tests/mock-cams/server.py [--port 0] [--port-file FILE] [--key ID:SECRET[:TOKEN]]...
It prints "mock-cams listening on http://127.0.0.1:PORT" once ready. Also:
    GET  /__mock/requests   the requests accepted so far (action, parameters), as JSON
    POST /__mock/reset      forget requests and nonces
CORS is open (any origin), so a browser page on another local port can call it.
"""

from __future__ import annotations

import argparse
import calendar
import hashlib
import hmac
import json
import os
import sys
import threading
import time
import uuid
from base64 import b64encode
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
        self.lock = threading.Lock()

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


def parse_time(text: str) -> float:
    try:
        return calendar.timegm(time.strptime(text, "%Y-%m-%dT%H:%M:%SZ"))
    except (ValueError, TypeError):
        raise GatewayError(400, "InvalidTimeStamp.Format", "Specified time stamp or date value is not well formatted.")


def check_time_and_nonce(state: State, timestamp: str | None, nonce: str | None) -> None:
    if not timestamp:
        raise GatewayError(400, "MissingTimestamp", "Timestamp is mandatory for this action.")
    if abs(time.time() - parse_time(timestamp)) > WINDOW:
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


def verify_v1(state: State, method: str, params: dict) -> tuple[str, str, dict]:
    """Returns (action, version, business parameters)."""
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
    check_time_and_nonce(state, params.get("Timestamp"), params.get("SignatureNonce"))
    common = {"AccessKeyId", "Action", "Version", "Format", "SignatureMethod", "SignatureVersion",
              "SignatureNonce", "Timestamp", "SecurityToken", "Signature"}
    business = {k: v for k, v in params.items() if k not in common}
    return params.get("Action", ""), params.get("Version", ""), business


def verify_v3(state: State, method: str, query: dict, headers: dict, body: bytes) -> tuple[str, str, dict]:
    auth = headers.get("authorization", "")
    algo, _, rest = auth.partition(" ")
    if algo != "ACS3-HMAC-SHA256":
        raise GatewayError(400, "InvalidSignatureMethod", "Specified signature method is not supported.")
    fields = dict(part.split("=", 1) for part in rest.split(",") if "=" in part)
    key_id, signed_names, signature = fields.get("Credential"), fields.get("SignedHeaders", ""), fields.get("Signature", "")
    secret = lookup_key(state, key_id, headers.get("x-acs-security-token"))
    names = signed_names.split(";") if signed_names else []
    for required in ("host", "x-acs-action", "x-acs-version", "x-acs-date", "x-acs-signature-nonce", "x-acs-content-sha256"):
        if required not in names:
            raise GatewayError(400, "IncompleteSignature", f"The request signature does not sign the required header {required}.")
    if hashlib.sha256(body).hexdigest() != headers.get("x-acs-content-sha256"):
        raise GatewayError(400, "InvalidContentSha256", "The x-acs-content-sha256 header does not match the body.")
    canonical_query = "&".join(f"{k}={enc(v)}" for k, v in sorted(query.items()))
    canonical_headers = "".join(f"{n}:{headers.get(n, '').strip()}\n" for n in names)
    canonical_request = "\n".join([method, "/", canonical_query, canonical_headers, signed_names,
                                   headers.get("x-acs-content-sha256", "")])
    string_to_sign = "ACS3-HMAC-SHA256\n" + hashlib.sha256(canonical_request.encode()).hexdigest()
    expected = hmac.new(secret.encode(), string_to_sign.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, signature):
        raise GatewayError(400, "SignatureDoesNotMatch",
                           "The request signature we calculated does not match the signature you provided. server string to sign is:" + string_to_sign)
    check_time_and_nonce(state, headers.get("x-acs-date"), headers.get("x-acs-signature-nonce"))
    return headers.get("x-acs-action", ""), headers.get("x-acs-version", ""), dict(query)


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
    return 200, body


class Handler(BaseHTTPRequestHandler):
    server_version = "mock-cams/1"
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):  # requests on stderr, without query strings (they hold tokens)
        sys.stderr.write("mock-cams: %s %s\n" % (self.command, (args[1] if len(args) > 1 else "")))

    def cors(self):
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
        self.send_header("Access-Control-Allow-Headers",
                         "authorization, content-type, x-acs-action, x-acs-version, x-acs-date, x-acs-signature-nonce, "
                         "x-acs-content-sha256, x-acs-security-token, x-acs-accesskey-id, accept, user-agent")
        self.send_header("Access-Control-Max-Age", "600")

    def send(self, status: int, body: bytes, content_type: str = "application/json;charset=utf-8"):
        self.send_response(status)
        self.cors()
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_OPTIONS(self):
        self.send_response(204)
        self.cors()
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self):
        if self.path.startswith("/__mock/requests"):
            with self.server.state.lock:
                data = json.dumps(self.server.state.requests).encode()
            return self.send(200, data)
        self.handle_api()

    def do_POST(self):
        if self.path.startswith("/__mock/reset"):
            with self.server.state.lock:
                self.server.state.requests.clear()
                self.server.state.nonces.clear()
            return self.send(200, b'{"reset":true}')
        self.handle_api()

    def handle_api(self):
        state: State = self.server.state
        request_id = str(uuid.uuid4()).upper()
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        url = urlsplit(self.path)
        fmt = "JSON"
        try:
            if url.path != "/":
                raise GatewayError(404, "InvalidAction.NotFound", "Specified api is not found, please check your url and method.")
            try:
                query = dict(parse_qsl(url.query, keep_blank_values=True, strict_parsing=False, errors="strict"))
                form = {}
                if body and (self.headers.get("Content-Type") or "").startswith("application/x-www-form-urlencoded"):
                    form = dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True, errors="strict"))
            except (UnicodeDecodeError, ValueError):
                raise GatewayError(400, "InvalidParameter", "The request holds bytes that are not UTF-8.")
            headers = {k.lower(): v for k, v in self.headers.items()}
            if "authorization" in headers:
                action, version, params = verify_v3(state, self.command, query, headers, body)
                params = {**params, **form}
            else:
                all_params = {**query, **form}
                fmt = all_params.get("Format", "JSON").upper()
                action, version, params = verify_v1(state, self.command, all_params)
            if version != VERSION:
                raise GatewayError(400, "InvalidVersion", "Specified parameter Version is not valid.")
            check_catalog(state, action, params)
            with state.lock:
                state.requests.append({"action": action, "method": self.command, "params": params,
                                       "signature": "v3" if "authorization" in headers else "1.0"})
            status, payload = responses_for(action, params, request_id)
        except GatewayError as e:
            status = e.status
            payload = {"RequestId": request_id, "HostId": HOST_ID, "Code": e.code, "Message": e.message,
                       "Recommend": f"https://api.aliyun.com/troubleshoot?q={e.code}&product=cams&requestId={request_id}"}
        if fmt == "XML":
            inner = "".join(f"<{k}>{v}</{k}>" for k, v in payload.items() if not isinstance(v, dict))
            return self.send(status, f'<?xml version="1.0" encoding="UTF-8"?><Response>{inner}</Response>'.encode(), "text/xml;charset=utf-8")
        self.send(status, json.dumps(payload, ensure_ascii=False).encode("utf-8"))


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


if __name__ == "__main__":
    main()
