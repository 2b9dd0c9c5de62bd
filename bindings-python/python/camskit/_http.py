"""The host's HTTP: send one request, never follow a redirect, read at most
``MAX_RESPONSE_BYTES + 1`` bytes, and say honestly how a failure happened.

Three clients: the standard library's ``http.client`` (the default; one connection per
attempt), a ``requests.Session`` and an ``httpx.Client`` / ``httpx.AsyncClient`` given as
``session``. A failure becomes ``Failure(kind, message)`` with ``kind`` one of core's
``TransportFailure`` names:

* ``refused_before_send``: nothing was written (DNS, connect refused or timed out);
* ``handshake_failed``: the TLS handshake failed (the certificate did not verify, no common
  version): nothing was written, and core does not retry it (it does not heal);
* ``timed_out``: the request was (or may have been) written and no answer came in time;
* ``reset_after_send``: anything else after connecting (reset, closed without an answer,
  a truncated answer): when in doubt, never ``refused_before_send``.

Messages never hold the URL's query (it carries the signature and any STS token).
"""

from __future__ import annotations

# ``http.client``, ``socket``, ``re`` and ``urllib.parse`` are imported on first use, not by
# ``import camskit`` (they are a third of a short script's start-up).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, List, Optional, Tuple

    Headers = List[Tuple[str, str]]
    Answer = Tuple[int, Headers, bytes]

from . import camskit_native as _native

REFUSED, TIMED_OUT, RESET, HANDSHAKE = _native.transport_failures()
LIMIT = _native.MAX_RESPONSE_BYTES + 1

_QUERY = None


def clean(text: object) -> str:
    """An exception's text without any URL query, and short."""
    global _QUERY
    if _QUERY is None:
        import re

        _QUERY = re.compile(r"\?[^\s'\")>]*")
    t = _QUERY.sub("?…", str(text))
    return t if len(t) <= 300 else t[:300] + "…"


class Failure(Exception):
    def __init__(self, kind: str, error: object) -> None:
        self.kind = kind
        name = type(error).__name__ if isinstance(error, BaseException) else ""
        text = clean(error)
        self.message = f"{name}: {text}" if name and text else (name or text)
        super().__init__(self.message)


# ------------------------------------------------------------------------------ stdlib


def send_stdlib(method: str, url: str, headers: Headers, body: Optional[bytes], timeout: float) -> Answer:
    import http.client
    import socket
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    cls = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    target = (parts.path or "/") + ("?" + parts.query if parts.query else "")
    conn = cls(parts.netloc, timeout=timeout)
    try:
        try:
            conn.connect()
        except OSError as e:  # DNS, refused, connect timeout, TLS handshake: nothing written
            import ssl

            raise Failure(HANDSHAKE if isinstance(e, ssl.SSLError) else REFUSED, e) from None
        try:
            conn.request(method, target, body=body, headers=dict(headers))
            resp = conn.getresponse()
            data = resp.read(LIMIT)
        except socket.timeout as e:
            raise Failure(TIMED_OUT, e) from None
        except (http.client.HTTPException, OSError) as e:
            raise Failure(RESET, e) from None
        return resp.status, list(resp.getheaders()), data
    finally:
        conn.close()


# ------------------------------------------------------------------------------ requests

_BEFORE_SEND = frozenset({
    "NewConnectionError", "NameResolutionError", "ConnectTimeoutError", "ConnectionRefusedError",
    "gaierror", "ConnectTimeout", "ProxyError", "LocationParseError", "InvalidURL",
    "MissingSchema", "InvalidSchema",
})
# A failed TLS handshake: nothing was written, and the same certificate fails again.
_HANDSHAKE = frozenset({"SSLError", "SSLCertVerificationError", "SSLZeroReturnError"})


def _causes(e: BaseException, depth: int = 0):  # type: ignore[no-untyped-def]
    """The exception, its arguments, urllib3's ``reason`` and causes, a few levels deep."""
    if depth > 6:
        return
    yield e
    for nxt in (getattr(e, "reason", None), e.__cause__, e.__context__, *getattr(e, "args", ())):
        if isinstance(nxt, BaseException) and nxt is not e:
            yield from _causes(nxt, depth + 1)


def _requests_kind(e: BaseException) -> str:
    names = {type(c).__name__ for c in _causes(e)}
    if names & _HANDSHAKE:
        return HANDSHAKE
    if names & _BEFORE_SEND:
        return REFUSED
    if names & {"ReadTimeout", "ReadTimeoutError", "Timeout", "timeout", "TimeoutError"}:
        return TIMED_OUT
    return RESET


def send_requests(session: Any, method: str, url: str, headers: Headers, body: Optional[bytes],
                  timeout: float) -> Answer:
    try:
        r = session.request(method, url, headers=dict(headers), data=body, timeout=timeout,
                            allow_redirects=False, stream=True)
    except Exception as e:  # requests' own exceptions, and urllib3's leaking through
        raise Failure(_requests_kind(e), e) from None
    try:
        data = bytearray()
        for chunk in r.iter_content(65536):
            data += chunk
            if len(data) >= LIMIT:
                break
        return r.status_code, list(r.headers.items()), bytes(data[:LIMIT])
    except Exception as e:
        kind = _requests_kind(e)
        raise Failure(TIMED_OUT if kind == TIMED_OUT else RESET, e) from None
    finally:
        r.close()


# ------------------------------------------------------------------------------ httpx


def _httpx_kind(e: BaseException) -> str:
    import httpx

    import ssl

    if isinstance(e, httpx.ConnectError) and any(isinstance(c, ssl.SSLError) for c in _causes(e)):
        return HANDSHAKE
    if isinstance(e, (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.ProxyError,
                      httpx.UnsupportedProtocol)):
        return REFUSED
    if isinstance(e, httpx.TimeoutException):
        return TIMED_OUT
    return RESET


def _httpx_errors() -> tuple:  # type: ignore[type-arg]
    import httpx

    return (httpx.TransportError, httpx.InvalidURL)


def send_httpx(client: Any, method: str, url: str, headers: Headers, body: Optional[bytes],
               timeout: float) -> Answer:
    errors = _httpx_errors()
    try:
        req = client.build_request(method, url, headers=headers, content=body, timeout=timeout)
        r = client.send(req, stream=True, follow_redirects=False)
    except errors as e:
        raise Failure(_httpx_kind(e), e) from None
    try:
        data = bytearray()
        for chunk in r.iter_bytes():
            data += chunk
            if len(data) >= LIMIT:
                break
        return r.status_code, list(r.headers.multi_items()), bytes(data[:LIMIT])
    except errors as e:
        raise Failure(TIMED_OUT if _httpx_kind(e) == TIMED_OUT else RESET, e) from None
    finally:
        r.close()


async def send_httpx_async(client: Any, method: str, url: str, headers: Headers,
                           body: Optional[bytes], timeout: float) -> Answer:
    errors = _httpx_errors()
    try:
        req = client.build_request(method, url, headers=headers, content=body, timeout=timeout)
        r = await client.send(req, stream=True, follow_redirects=False)
    except errors as e:
        raise Failure(_httpx_kind(e), e) from None
    try:
        data = bytearray()
        async for chunk in r.aiter_bytes():
            data += chunk
            if len(data) >= LIMIT:
                break
        return r.status_code, list(r.headers.multi_items()), bytes(data[:LIMIT])
    except errors as e:
        raise Failure(TIMED_OUT if _httpx_kind(e) == TIMED_OUT else RESET, e) from None
    finally:
        await r.aclose()


# ------------------------------------------------------------------------------ choosing


def _made_by(obj: object, package: str) -> bool:
    return any(c.__module__.split(".")[0] == package for c in type(obj).__mro__)


def sender(session: Any):  # type: ignore[no-untyped-def]
    """The synchronous send function for ``session`` (None: the standard library)."""
    if session is None:
        return send_stdlib
    if _made_by(session, "requests"):
        return lambda *a: send_requests(session, *a)
    if _made_by(session, "httpx"):
        import httpx

        if isinstance(session, httpx.Client):
            return lambda *a: send_httpx(session, *a)
        raise TypeError("an httpx.AsyncClient needs `await client.acall(...)`")
    raise TypeError(
        f"session must be a requests.Session or an httpx.Client, not {type(session).__name__}")


def async_sender(session: Any):  # type: ignore[no-untyped-def]
    import httpx

    if isinstance(session, httpx.AsyncClient):
        return lambda *a: send_httpx_async(session, *a)
    raise TypeError(f"acall needs an httpx.AsyncClient as session, not {type(session).__name__}")
