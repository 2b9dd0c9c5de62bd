"""``python -m camskit sign|call|parse|ops ...``: the ``camskit`` command, in Python.

Credentials come from ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET and
ALIBABA_CLOUD_SECURITY_TOKEN (empty means none). With none set, ``sign`` uses a built-in demo
key pair and says so on stderr; ``call`` sends it only to local endpoints.

Exit codes: 0 success, 1 CAMS answered with an error, 2 bad usage, transport or parse failure.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import urllib.error
import urllib.request

import camskit
from camskit import camskit_native as _native

# The key pair `sign` uses when no credentials are set (also mock-cams's demo key).
DEMO_KEY_ID = "LTAI5tCamsKitDemoKey01"
DEMO_KEY_SECRET = "CamsKitDemoSecret0123456789abcd"


class Usage(Exception):
    """Bad usage, or a transport / parse failure (exit 2)."""


def _pair(arg: str, what: str) -> tuple[str, str]:
    name, sep, value = arg.partition("=")
    if not sep:
        raise Usage(f"{what} {arg!r} is not NAME=VALUE")
    return name, value


def _read(source: str) -> bytes:
    if source == "-":
        return sys.stdin.buffer.read()
    try:
        with open(source, "rb") as f:
            return f.read()
    except OSError as e:
        raise Usage(f"{source}: {e.strerror}") from None


def _client(args: argparse.Namespace) -> tuple[camskit.Client, bool]:
    """The client, and whether it signs with the demo key."""
    env = {n: os.environ.get(n) or None for n in (
        "ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET")}
    demo = not any(env.values())
    kwargs = {"region_id": args.region, "endpoint": args.endpoint, "signature": args.signature}
    if demo:
        return camskit.Client(DEMO_KEY_ID, DEMO_KEY_SECRET, **kwargs), True
    return camskit.Client(**kwargs), False


def _timestamp(text: str | None) -> str | int | None:
    if text and text.isdigit():
        return int(text)
    return text


def _build(args: argparse.Namespace) -> tuple[camskit.SignedRequest, bool, camskit.Client]:
    params = [_pair(p, "parameter") for p in args.params]
    headers = dict(_pair(h, "--header") for h in args.headers)
    client, demo = _client(args)
    common = {
        "method": args.method,
        "timestamp": _timestamp(args.timestamp),
        "nonce": args.nonce,
        "headers": headers,
    }
    if args.raw:
        if args.params_json:
            raise Usage("--params-json needs the catalog: it cannot be used with --raw")
        form = dict(_pair(p, "--form") for p in args.form)
        signed = client.sign(args.action, dict(params), raw=True, api_version=args.api_version,
                             form=form, **common)
    else:
        if args.form:
            raise Usage("--form is for --raw requests: the catalog decides which CAMS parameters go in the body")
        if args.api_version != camskit.CAMS_API_VERSION:
            raise Usage(f"--api-version {args.api_version} needs --raw: the catalog describes CAMS {camskit.CAMS_API_VERSION}")
        values = _native.values_from_text(args.action, params)
        if args.params_json:
            try:
                given = json.loads(_read(args.params_json))
            except ValueError as e:
                raise Usage(f"--params-json {args.params_json}: not JSON ({e})") from None
            if not isinstance(given, dict):
                raise Usage(f"--params-json {args.params_json}: not a JSON object of parameters")
            for name, value in values.items():
                if name in given:
                    raise Usage(f"parameter {name} is given both in --params-json and as an argument")
                given[name] = value
            values = given
        signed = client.sign(args.action, values, **common)
    return signed, demo, client


def cmd_sign(args: argparse.Namespace) -> int:
    signed, demo, _ = _build(args)
    if demo:
        print(f"camskit: no ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET set: signed with "
              f"the built-in demo key {DEMO_KEY_ID} (CAMS will reject it)", file=sys.stderr)
    if args.output == "json":
        print(json.dumps(signed.to_dict(), indent=2, ensure_ascii=False))
        return 0
    print(signed.url)
    for name, value in signed.headers.items():
        if signed.signature_version == "v3" or name == "content-type":
            print(f"{name}: {value}")
    if signed.body is not None:
        print()
        print(signed.body)
    return 0


def _api_error_json(e: camskit.ApiError) -> dict:  # type: ignore[type-arg]
    return {
        "error": "api",
        "status": e.status,
        "code": e.code,
        "message": e.message,
        "kind": e.kind,
        "retryable": e.retryable,
        "request_id": e.request_id,
        "host_id": e.host_id,
        "recommend": e.recommend,
        "access_denied_detail": e.access_denied_detail,
        "server_string_to_sign": e.server_string_to_sign,
    }


def _report(status: int, body: bytes, signed: camskit.SignedRequest | None) -> int:
    try:
        ok = camskit.parse_response(status, body)
    except camskit.ApiError as e:
        out = _api_error_json(e)
        if e.server_string_to_sign is not None and signed is not None:
            out["client_string_to_sign"] = signed.string_to_sign
            out["hint"] = (
                "CAMS signed the same string: the access key secret is wrong"
                if e.server_string_to_sign == signed.string_to_sign
                else "CAMS signed a different string: a parameter changed on the way or was encoded differently"
            )
        print(json.dumps(out, indent=2, ensure_ascii=False), file=sys.stderr)
        return 1
    print(json.dumps(ok.raw, indent=2, ensure_ascii=False))
    return 0


def cmd_call(args: argparse.Namespace) -> int:
    signed, demo, client = _build(args)
    if demo:
        local = client.endpoint.startswith(("http://127.0.0.1", "http://localhost", "http://[::1]"))
        if not local:
            raise Usage("call needs credentials: set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET "
                        "(the demo key is only sent to local endpoints)")
        print(f"camskit: no credentials set: using the demo key {DEMO_KEY_ID} with the local endpoint",
              file=sys.stderr)
    try:
        with urllib.request.urlopen(signed.as_urllib_request(), timeout=args.timeout) as r:
            status, body = r.status, r.read()
    except urllib.error.HTTPError as e:
        status, body = e.code, e.read()
    except (urllib.error.URLError, OSError) as e:
        host = client.endpoint.split("://", 1)[-1]
        raise Usage(f"cannot reach {host}: {getattr(e, 'reason', e)}") from None
    return _report(status, body, signed)


def cmd_parse(args: argparse.Namespace) -> int:
    return _report(args.status, _read(args.file), None)


def cmd_ops(args: argparse.Namespace) -> int:
    if args.action is None:
        for op in camskit.operations():
            print(f"{op.name}\t{op.method}")
        return 0
    op = camskit.operation(args.action)
    print(f"{op.name} ({op.method}, CAMS {camskit.CAMS_API_VERSION})")
    print(f"{'parameter':<28} {'in':<6} {'type':<16} {'style':<6} required")
    for p in op.params:
        ty = f"{p.type}<{p.item_type}>" if p.item_type else p.type
        print(f"{p.name:<28} {p.location:<6} {ty:<16} {p.style:<6} {'yes' if p.required else 'no'}")
    return 0


def _request_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("action", help="the CAMS action, such as ChatappMigrationRegister")
    p.add_argument("params", nargs="*", metavar="NAME=VALUE",
                   help="parameters (read as the catalog's type; with --raw signed exactly as given)")
    p.add_argument("--form", action="append", default=[], metavar="NAME=VALUE",
                   help="form-body parameter (with --raw; for CAMS the catalog places them)")
    p.add_argument("--params-json", metavar="FILE|-", help="all parameters as one JSON object")
    p.add_argument("--method", help="HTTP method (default: the catalog's, POST)")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--region", default=camskit.DEFAULT_REGION, help="region of the CAMS endpoint")
    where.add_argument("--endpoint", help="an explicit endpoint: a host, or a URL such as http://127.0.0.1:8080")
    p.add_argument("--api-version", default=camskit.CAMS_API_VERSION, help="API version (with --raw)")
    p.add_argument("--signature", default="1.0", help="1.0 (HMAC-SHA1, the default) or v3 (ACS3-HMAC-SHA256)")
    p.add_argument("--timestamp", help="YYYY-MM-DDThh:mm:ssZ or unix seconds (default: now)")
    p.add_argument("--nonce", help="signature nonce (default: a random UUIDv4)")
    p.add_argument("--header", dest="headers", action="append", default=[], metavar="NAME=VALUE",
                   help="an extra header to send (signed under v3)")
    p.add_argument("--raw", action="store_true",
                   help="skip the CAMS catalog (values as given): signs any Alibaba Cloud RPC API")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m camskit", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--version", action="version", version=f"camskit {camskit.__version__}")
    sub = ap.add_subparsers(dest="command", required=True)
    p = sub.add_parser("sign", help="sign a request and print it (nothing is sent)")
    _request_args(p)
    p.add_argument("--output", choices=("url", "json"), default="url")
    p.set_defaults(run=cmd_sign)
    p = sub.add_parser("call", help="sign a request, send it (urllib), print CAMS's answer")
    _request_args(p)
    p.add_argument("--timeout", type=float, default=30, help="seconds to wait for the answer")
    p.set_defaults(run=cmd_call)
    p = sub.add_parser("parse", help="parse a saved CAMS answer as call would")
    p.add_argument("--status", type=int, required=True, help="the HTTP status the answer came with")
    p.add_argument("file", nargs="?", default="-", help="the body (default: standard input)")
    p.set_defaults(run=cmd_parse)
    p = sub.add_parser("ops", help="list the CAMS operations, or describe one")
    p.add_argument("action", nargs="?")
    p.set_defaults(run=cmd_ops)
    args = ap.parse_args(argv)
    try:
        return int(args.run(args))
    except camskit.ApiError as e:
        print(json.dumps(_api_error_json(e), indent=2, ensure_ascii=False), file=sys.stderr)
        return 1
    except (camskit.CamsError, Usage) as e:
        print(f"camskit: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
