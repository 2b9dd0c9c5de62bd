"""Successful CAMS answers (errors are raised as camskit.ApiError subclasses)."""

from __future__ import annotations

from . import camskit_native as _native


class Response:
    """A successful CAMS answer: HTTP 2xx and ``Code`` ``OK`` (or absent).

    ``raw`` is the whole JSON body as a dict (integers exact, any size; key order kept);
    ``data`` is its ``Data`` member (or None); ``response["Field"]`` reads any member.
    """

    __slots__ = ("status", "request_id", "code", "message", "access_denied_detail", "raw")

    def __init__(self, status, request_id, code, message, access_denied_detail, raw):  # type: ignore[no-untyped-def]
        self.status = status
        self.request_id = request_id
        self.code = code
        self.message = message
        self.access_denied_detail = access_denied_detail
        self.raw = raw

    @property
    def data(self):  # type: ignore[no-untyped-def]
        return self.raw.get("Data")

    def __getitem__(self, field):  # type: ignore[no-untyped-def]
        return self.raw[field]

    def get(self, field, default=None):  # type: ignore[no-untyped-def]
        return self.raw.get(field, default)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(status={self.status}, code={self.code!r}, request_id={self.request_id!r})"


class MigrationData:
    """``Data`` of the number-migration workflow's answers (core's typed model): ``id``,
    ``phone_number`` and, for CreateChatappMigrationInitiate, ``status``."""

    __slots__ = ("id", "phone_number", "status")

    def __init__(self, id=None, phone_number=None, status=None):  # type: ignore[no-untyped-def]
        self.id = id
        self.phone_number = phone_number
        self.status = status

    def __repr__(self) -> str:
        return f"MigrationData(id={self.id!r}, phone_number={self.phone_number!r}, status={self.status!r})"


class _MigrationResponse(Response):
    __slots__ = ("_data",)

    def __init__(self, status, request_id, code, message, access_denied_detail, raw, data):  # type: ignore[no-untyped-def]
        super().__init__(status, request_id, code, message, access_denied_detail, raw)
        self._data = None if data is None else MigrationData(**data)

    @property
    def data(self):  # type: ignore[no-untyped-def]
        return self._data


class CreateChatappMigrationInitiateResponse(_MigrationResponse):
    """Answer of CreateChatappMigrationInitiate: ``.data.id`` is the migration id."""

    __slots__ = ()


class GetMigrationVerifyCodeResponse(_MigrationResponse):
    """Answer of GetMigrationVerifyCode."""

    __slots__ = ()


class ChatappMigrationVerifiedResponse(_MigrationResponse):
    """Answer of ChatappMigrationVerified."""

    __slots__ = ()


class ChatappMigrationRegisterResponse(_MigrationResponse):
    """Answer of ChatappMigrationRegister."""

    __slots__ = ()


_TYPED = {
    "CreateChatappMigrationInitiate": CreateChatappMigrationInitiateResponse,
    "GetMigrationVerifyCode": GetMigrationVerifyCodeResponse,
    "ChatappMigrationVerified": ChatappMigrationVerifiedResponse,
    "ChatappMigrationRegister": ChatappMigrationRegisterResponse,
}


def parse_response(status, body, action=None):  # type: ignore[no-untyped-def]
    """Parses a CAMS answer (``body`` as bytes or str).

    Returns a ``Response``; with ``action`` one of the migration workflow's operations, its typed
    subclass (``.data.id``, ``.data.phone_number``). Raises ``ApiError`` (a subclass per kind)
    or ``ParseError``.
    """
    if action is None:
        return Response(*_native.parse_response(status, body))
    cls = _TYPED.get(action) if isinstance(action, str) else None
    if cls is None:
        # Any other operation: the generic response (an unknown name is a ValidationError).
        _native.operation(action)
        return Response(*_native.parse_response(status, body))
    return cls(*_native.parse_typed(action, status, body))
