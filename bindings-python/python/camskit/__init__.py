"""camskit: sign and parse Alibaba Cloud Chat App Message Service (CAMS) requests.

No SDK: camskit builds the canonical, signed request (RPC signature 1.0 or ACS3-HMAC-SHA256
"v3") byte for byte as Alibaba's SDKs do, and you send it with the HTTP client you already
have (urllib, requests, httpx, aiohttp)::

    import urllib.request, camskit

    client = camskit.Client()  # ALIBABA_CLOUD_ACCESS_KEY_ID / _SECRET from the environment
    signed = client.chatapp_migration_register(cust_space_id="29348393884", phone_number="8613800001234")
    try:
        with urllib.request.urlopen(signed.as_urllib_request()) as r:
            answer = camskit.parse_response(r.status, r.read())
    except urllib.error.HTTPError as e:
        answer = camskit.parse_response(e.code, e.read())   # raises camskit.ApiError subclasses

The signing and parsing run in Rust (the ``camskit_native`` extension); this package adds the
Pythonic surface. Types: see ``__init__.pyi`` (generated from the CAMS catalog).
"""

from __future__ import annotations

from . import camskit_native as _native
from ._errors import (
    ApiError,
    AuthenticationError,
    CamsError,
    CamsWarning,
    ClockSkewError,
    CredentialsError,
    InvalidParameterError,
    NonceReusedError,
    NotFoundError,
    NotSubscribedError,
    ParameterTypeError,
    ParseError,
    PermissionDeniedError,
    ServerError,
    SignatureMismatchError,
    ThrottlingError,
    ValidationError,
)
from ._response import (
    ChatappMigrationRegisterResponse,
    ChatappMigrationVerifiedResponse,
    CreateChatappMigrationInitiateResponse,
    GetMigrationVerifyCodeResponse,
    MigrationData,
    MigrationInitiateData,
    Response,
    parse_response,
)

import os as _os

# A forked child must not reuse random bytes the parent buffered for nonces.
if hasattr(_os, "register_at_fork"):
    _os.register_at_fork(after_in_child=_native._after_fork_in_child)

SignedRequest = _native.SignedRequest
DEFAULT_REGION: str = _native.DEFAULT_REGION
CAMS_API_VERSION: str = _native.CAMS_API_VERSION
MAX_RESPONSE_BYTES: int = _native.MAX_RESPONSE_BYTES
__version__: str = _native.__version__

__all__ = [
    "ApiError",
    "AuthenticationError",
    "CAMS_API_VERSION",
    "CamsError",
    "CamsWarning",
    "ChatappMigrationRegisterResponse",
    "ChatappMigrationVerifiedResponse",
    "Client",
    "ClockSkewError",
    "CreateChatappMigrationInitiateResponse",
    "CredentialsError",
    "DEFAULT_REGION",
    "GetMigrationVerifyCodeResponse",
    "InvalidParameterError",
    "MAX_RESPONSE_BYTES",
    "MigrationData",
    "MigrationInitiateData",
    "NonceReusedError",
    "NotFoundError",
    "NotSubscribedError",
    "Operation",
    "Param",
    "ParameterTypeError",
    "ParseError",
    "PermissionDeniedError",
    "Response",
    "ServerError",
    "SignatureMismatchError",
    "SignedRequest",
    "ThrottlingError",
    "ValidationError",
    "operation",
    "operations",
    "parse_response",
]

# Options every typed helper takes besides the operation's own parameters (an operation's
# parameter of the same snake name wins).
_HELPER_OPTIONS = ("timestamp", "nonce", "signature", "headers")


class Param:
    """One parameter of a CAMS operation, as the catalog describes it."""

    __slots__ = ("name", "snake_name", "camel_name", "location", "type", "item_type", "style", "required")

    def __init__(self, fields: tuple) -> None:  # type: ignore[type-arg]
        (self.name, self.snake_name, self.camel_name, self.location, self.type, self.item_type,
         self.style, self.required) = fields

    def __repr__(self) -> str:
        req = ", required" if self.required else ""
        return f"Param({self.name!r}, {self.type}{req}, in {self.location})"


class Operation:
    """A CAMS operation of the catalog (``camskit.operation("ChatappMigrationRegister")``)."""

    __slots__ = ("name", "snake_name", "camel_name", "method", "params")

    def __init__(self, fields: tuple) -> None:  # type: ignore[type-arg]
        self.name, self.snake_name, self.camel_name, self.method, params = fields
        self.params = tuple(Param(p) for p in params)

    def __repr__(self) -> str:
        return f"Operation({self.name!r}, {self.method}, {len(self.params)} params)"


def operations() -> list[Operation]:
    """Every CAMS operation of the catalog, sorted by name."""
    return [Operation(o) for o in _native.operations()]


def operation(name: str) -> Operation:
    """One operation by API name (``"ChatappMigrationRegister"``) or snake name; raises
    ``ValidationError`` (with suggestions) for an unknown one."""
    return Operation(_native.operation(name))


class Client(_native._NativeClient):
    """Signs CAMS requests (nothing is sent: send the ``SignedRequest`` with any HTTP client).

    ``Client(access_key_id=None, access_key_secret=None, security_token=None,
    region_id=None, endpoint=None, *, signature="1.0", environ=None,
    allow_insecure_http=False)``. With no keys given it reads them from ``environ`` (default
    ``os.environ``) as core does (``ALIBABA_CLOUD_ACCESS_KEY_ID`` / ``_SECRET`` /
    ``_SECURITY_TOKEN``, then the ``ALIBABACLOUD_*`` and ``ALICLOUD_*`` aliases); none at all
    raises ``CredentialsError``. ``region_id`` and ``endpoint`` (neither: ap-southeast-1) must
    agree when both are given; an endpoint that is probably not a CAMS host is warned about
    (``CamsWarning``); plain HTTP to a host other than loopback needs ``allow_insecure_http``.

    ``client.sign(action, params, *, method=None, timestamp=None, nonce=None, signature=None,
    raw=False, api_version=None, form=None, headers=None)`` signs any operation; every catalog
    operation also has a typed helper in snake case:
    ``client.chatapp_migration_register(cust_space_id=..., phone_number=...)``.
    """

    __slots__ = ()

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        # Only reached for names the class does not have: the first use of an operation's
        # helper builds it from the catalog and puts it on the class (later uses are plain
        # method calls).
        info = _native.operation_by_snake(name) if not name.startswith("_") else None
        if info is None:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        helper = _make_helper(name, *info)
        setattr(Client, name, helper)
        return helper.__get__(self, type(self))

    def __dir__(self):  # type: ignore[no-untyped-def]
        return sorted(set(super().__dir__()) | {o[1] for o in _native.operations()})


def _make_helper(snake: str, action: str, param_snakes: list[str]):  # type: ignore[no-untyped-def]
    """The typed helper of one operation: keyword arguments are its parameters (snake or API
    names), plus the sign options it does not shadow (timestamp, nonce, signature, headers)."""
    options = frozenset(o for o in _HELPER_OPTIONS if o not in param_snakes)

    def helper(self, **kwargs):  # type: ignore[no-untyped-def]
        if options.isdisjoint(kwargs):
            return self.sign(action, kwargs)
        opts = {o: kwargs.pop(o) for o in options if o in kwargs}
        return self.sign(action, kwargs, **opts)

    helper.__name__ = snake
    helper.__qualname__ = f"Client.{snake}"
    helper.__doc__ = f"Signs a {action} request: keyword arguments are its parameters (see camskit.operation({action!r}))."
    return helper
