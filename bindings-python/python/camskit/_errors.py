"""The exceptions camskit raises (the native module builds them from core's errors).

Every exception carries core's ``category`` (``"validation"``, ``"credentials"``, ``"api"``,
``"parse"``, ``"transport"``) and ``error_code`` (core's ``Error::code()``: ``invalid_input``,
``missing_parameter``, ``unknown_action``, ``unknown_parameter``, ``wrong_type``,
``credentials``, ``api``, ``parse``, ``transport``); ``code`` is the same, except on ``ApiError`` where it stays
the server's ``Code``. The API error kinds and which class each raises come from core
(``ErrorKind::ALL``): each ``ApiError`` subclass names its kind in ``error_kind``.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: ``typing`` is not imported at run time
    from typing import ClassVar

from . import camskit_native as _native


class CamsWarning(UserWarning):
    """A warning from camskit, such as an endpoint that looks like CAMS's but is not in
    Alibaba's endpoint map (the host may not exist)."""


class CamsError(Exception):
    """Base class of every camskit error."""

    def __init__(self, message: str, *, code: str | None = None, category: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.error_code = code
        self.category = category


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
        code: str | None = None,
        category: str | None = None,
    ) -> None:
        super().__init__(message, code=code, category=category)
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

    def __init__(
        self,
        message: str,
        *,
        status: int = 0,
        reason: str = "",
        snippet: str = "",
        code: str | None = None,
        category: str | None = None,
    ) -> None:
        super().__init__(message, code=code, category=category)
        self.status = status
        self.reason = reason
        self.snippet = snippet


class OutcomeUnknownError(CamsError):
    """The request was sent and may have taken effect, and no answer says whether it did (a
    5xx to an operation that changes state, a timeout or a reset after sending): camskit did
    not send it again. Check (list, query) before retrying by hand.

    Never raised as itself: it is the common base of ``OutcomeUnknownApiError`` (CAMS answered
    a 5xx: an ``ApiError`` of kind ``outcome_unknown``) and ``TransportOutcomeUnknownError``
    (no answer: a ``TransportError`` with ``outcome_unknown``), so one ``except
    camskit.OutcomeUnknownError`` catches both.
    """

    outcome_unknown: bool = True


class TransportError(CamsError):
    """The request got no answer (connection refused, timed out, reset), after the retries the
    operation's safety allowed. ``reason`` is what happened; ``outcome_unknown`` says whether
    it may have taken effect (then the class is ``TransportOutcomeUnknownError``)."""

    def __init__(
        self,
        message: str,
        *,
        reason: str = "",
        outcome_unknown: bool = False,
        code: str | None = "transport",
        category: str | None = "transport",
    ) -> None:
        super().__init__(message, code=code, category=category)
        self.reason = reason
        self.outcome_unknown = outcome_unknown


class TransportOutcomeUnknownError(TransportError, OutcomeUnknownError):
    """No answer, and the request may have taken effect (see ``OutcomeUnknownError``)."""


class ApiError(CamsError):
    """CAMS answered with an error (HTTP 4xx/5xx, or a 2xx whose ``Code`` is not ``OK``).

    ``kind`` is one of core's error kinds; ``retryable`` says whether re-signing (fresh time
    and nonce), backing off and sending again can help. ``code`` is the server's ``Code``;
    ``error_code`` is core's ``api``.
    """

    #: The error kind this class is raised for (``other`` and any kind without a subclass:
    #: ``ApiError`` itself).
    error_kind: ClassVar[str] = "other"

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
        error_code: str = "api",
        category: str = "api",
    ) -> None:
        super().__init__(message, code=code, category=category)
        self.error_code = error_code
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

    error_kind = "throttling"


class AuthenticationError(ApiError):
    """``InvalidAccessKeyId.*``, ``InvalidSecurityToken.*``, ``Forbidden.AccessKeyDisabled``."""

    error_kind = "authentication"


class SignatureMismatchError(ApiError):
    """``SignatureDoesNotMatch``, ``IncompleteSignature``; ``server_string_to_sign`` holds what
    CAMS signed."""

    error_kind = "signature_mismatch"


class ClockSkewError(ApiError):
    """``InvalidTimeStamp.*``: the request time is too far from CAMS's clock."""

    error_kind = "clock_skew"


class NonceReusedError(ApiError):
    """``SignatureNonceUsed`` (retryable with a fresh nonce)."""

    error_kind = "nonce_reused"


class PermissionDeniedError(ApiError):
    """``Ram.PermissionDeny``, ``Forbidden*``, ``NoPermission``, HTTP 403."""

    error_kind = "permission"


class NotSubscribedError(ApiError):
    """``Product.Unsubscript``: CAMS is not activated for the account."""

    error_kind = "not_subscribed"


class InvalidParameterError(ApiError):
    """``InvalidParameter*``, ``MissingParameter*``, ``InvalidAction.*``, ``InvalidVersion``."""

    error_kind = "invalid_parameter"


class NotFoundError(ApiError):
    """``Unknown.ResourceOwnerId``, ``*.NotFound``, HTTP 404."""

    error_kind = "not_found"


class ServerError(ApiError):
    """HTTP 5xx, ``InternalError``, ``ServiceUnavailable`` (retryable)."""

    error_kind = "server"


class OutcomeUnknownApiError(ApiError, OutcomeUnknownError):
    """A 5xx answered an operation that changes state: it may have taken effect (core's kind
    ``outcome_unknown``, not retryable; see ``OutcomeUnknownError``)."""

    error_kind = "outcome_unknown"


def _subclasses(cls: type[ApiError]) -> list[type[ApiError]]:
    return [cls] + [c for sub in cls.__subclasses__() for c in _subclasses(sub)]


_BY_KIND = {c.error_kind: c for c in _subclasses(ApiError)}

#: The exception class for each of core's error kinds (``ErrorKind::ALL``, in core's order);
#: a kind without a subclass raises plain ``ApiError``.
ERROR_CLASSES: dict[str, type[ApiError]] = {
    kind: _BY_KIND.get(kind, ApiError) for kind, _retryable in _native.error_kinds()
}
