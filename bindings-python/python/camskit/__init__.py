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
    OutcomeUnknownApiError,
    OutcomeUnknownError,
    ParameterTypeError,
    ParseError,
    PermissionDeniedError,
    ServerError,
    SignatureMismatchError,
    ThrottlingError,
    TransportError,
    TransportOutcomeUnknownError,
    ValidationError,
)
from ._credentials import DefaultCredentialsProvider
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

from ._catalog import Operation, Param, operation, operations
from ._client import Client


# A forked child must not reuse random bytes the parent buffered for nonces.
if hasattr(_os, "register_at_fork"):
    _os.register_at_fork(after_in_child=_native._after_fork_in_child)

SignedRequest = _native.SignedRequest
DEFAULT_REGION: str = _native.DEFAULT_REGION
CAMS_API_VERSION: str = _native.CAMS_API_VERSION
MAX_RESPONSE_BYTES: int = _native.MAX_RESPONSE_BYTES
MAX_FILE_BYTES: int = _native.MAX_FILE_BYTES
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
    "Delivery",
    "DefaultCredentialsProvider",
    "GetMigrationVerifyCodeResponse",
    "InvalidParameterError",
    "MAX_FILE_BYTES",
    "MAX_RESPONSE_BYTES",
    "MigrationData",
    "MigrationInitiateData",
    "NonceReusedError",
    "NotFoundError",
    "NotSubscribedError",
    "Operation",
    "OutcomeUnknownApiError",
    "OutcomeUnknownError",
    "Param",
    "ParameterTypeError",
    "ParseError",
    "ReceiptsConsumer",
    "PermissionDeniedError",
    "Response",
    "RetryPolicy",
    "ServerError",
    "SignatureMismatchError",
    "SignedRequest",
    "ThrottlingError",
    "TransportError",
    "TransportOutcomeUnknownError",
    "ValidationError",
    "operation",
    "operations",
    "parse_response",
]


def __getattr__(name: str):  # type: ignore[no-untyped-def]
    # camskit.answers (the TypedDicts of every answer body) is imported on first use, not by
    # `import camskit`; so is ``RetryPolicy``: it needs ``typing``, which a script that only
    # signs never pays for.
    if name == "answers":
        import importlib

        return importlib.import_module(".answers", __name__)
    if name in ("receipts", "mns", "ReceiptsConsumer", "Delivery"):
        import importlib

        if name in ("receipts", "mns"):
            return importlib.import_module("." + name, __name__)
        from . import _consumer

        value = getattr(_consumer, name)
        globals()[name] = value
        return value
    if name == "RetryPolicy":
        from ._retry import RetryPolicy

        globals()["RetryPolicy"] = RetryPolicy
        return RetryPolicy
    raise AttributeError(f"module 'camskit' has no attribute {name!r}")
