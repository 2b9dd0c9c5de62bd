"""The exceptions camskit raises (the native module builds them from core's errors)."""

from __future__ import annotations


class CamsError(Exception):
    """Base class of every camskit error."""


class ValidationError(CamsError, ValueError):
    """A bad input, found before anything is signed: an empty action, an unknown or missing
    parameter, a value that is too large, an invalid timestamp, ...

    ``what``/``problem`` (the input and what is wrong), ``action``, ``parameter`` and
    ``suggestions`` are set when they apply.
    """

    def __init__(
        self,
        message: str,
        *,
        what: str | None = None,
        problem: str | None = None,
        action: str | None = None,
        parameter: str | None = None,
        suggestions: list[str] | None = None,
    ) -> None:
        super().__init__(message)
        self.what = what
        self.problem = problem
        self.action = action
        self.parameter = parameter
        self.suggestions: list[str] = list(suggestions or [])


class ParameterTypeError(ValidationError, TypeError):
    """A value of the wrong type (also a ``TypeError``)."""


class CredentialsError(CamsError):
    """Missing or unusable credentials. The message never holds the secret."""


class ParseError(CamsError):
    """The answer is not a CAMS JSON body (an HTML page from a proxy, XML, empty, truncated)."""

    def __init__(self, message: str, *, status: int = 0, reason: str = "", snippet: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.reason = reason
        self.snippet = snippet


class ApiError(CamsError):
    """CAMS answered with an error (HTTP 4xx/5xx, or a 2xx whose ``Code`` is not ``OK``).

    ``kind`` is one of camskit's error kinds; ``retryable`` says whether re-signing (fresh time
    and nonce), backing off and sending again can help.
    """

    def __init__(
        self,
        message: str,
        *,
        status: int = 0,
        code: str = "",
        api_message: str = "",
        request_id: str | None = None,
        host_id: str | None = None,
        recommend: str | None = None,
        access_denied_detail: str | None = None,
        kind: str = "other",
        retryable: bool = False,
        server_string_to_sign: str | None = None,
        body: object = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = api_message
        self.request_id = request_id
        self.host_id = host_id
        self.recommend = recommend
        self.access_denied_detail = access_denied_detail
        self.kind = kind
        self.retryable = retryable
        self.server_string_to_sign = server_string_to_sign
        self.body = body

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(status={self.status}, code={self.code!r}, kind={self.kind!r}, "
            f"request_id={self.request_id!r})"
        )


class ThrottlingError(ApiError):
    """``System.LimitControl``, ``Throttling*``, HTTP 429 (retryable)."""


class AuthenticationError(ApiError):
    """``InvalidAccessKeyId.*``, ``InvalidSecurityToken.*``, ``Forbidden.AccessKeyDisabled``."""


class SignatureMismatchError(ApiError):
    """``SignatureDoesNotMatch``, ``IncompleteSignature``; ``server_string_to_sign`` holds what
    CAMS signed."""


class ClockSkewError(ApiError):
    """``InvalidTimeStamp.*``: the request time is too far from CAMS's clock."""


class NonceReusedError(ApiError):
    """``SignatureNonceUsed`` (retryable with a fresh nonce)."""


class PermissionDeniedError(ApiError):
    """``Ram.PermissionDeny``, ``Forbidden*``, ``NoPermission``, HTTP 403."""


class NotSubscribedError(ApiError):
    """``Product.Unsubscript``: CAMS is not activated for the account."""


class InvalidParameterError(ApiError):
    """``InvalidParameter*``, ``MissingParameter*``, ``InvalidAction.*``, ``InvalidVersion``."""


class NotFoundError(ApiError):
    """``Unknown.ResourceOwnerId``, ``*.NotFound``, HTTP 404."""


class ServerError(ApiError):
    """HTTP 5xx, ``InternalError``, ``ServiceUnavailable`` (retryable)."""


#: The exception class for each error kind (``other`` is plain ``ApiError``).
ERROR_CLASSES: dict[str, type[ApiError]] = {
    "throttling": ThrottlingError,
    "authentication": AuthenticationError,
    "signature_mismatch": SignatureMismatchError,
    "clock_skew": ClockSkewError,
    "nonce_reused": NonceReusedError,
    "permission": PermissionDeniedError,
    "not_subscribed": NotSubscribedError,
    "invalid_parameter": InvalidParameterError,
    "not_found": NotFoundError,
    "server": ServerError,
    "other": ApiError,
}
