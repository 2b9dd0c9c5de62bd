"""Successful CAMS answers (errors are raised as camskit.ApiError subclasses).

One answer system: every operation's answer is a ``Response`` whose ``body`` is the JSON body
as one dict, typed for checkers as the operation's ``camskit.answers`` TypedDict (generated from
the official response models, as the ``camskit-answers`` crate is). The migration steps keep
the classes of earlier versions (``CreateChatappMigrationInitiateResponse``, ...): each is that
``Response``, and its ``data`` reads the same dict through the generated model's fields
(``MigrationInitiateData``, ``MigrationData``).
"""

from __future__ import annotations

import types as _types

from . import camskit_native as _native


class Response:
    """A successful CAMS answer: HTTP 2xx and ``Code`` ``OK`` (or absent).

    ``raw`` is the whole JSON body as a dict (integers exact, any size; key order kept);
    ``body`` is the same dict, typed for checkers as the operation's ``camskit.answers``
    TypedDict (``Response[ListChatappTemplateResponseBody]``); ``data`` is its ``Data`` member
    (or None); ``response["Field"]`` reads any member.
    """

    __slots__ = ("status", "request_id", "code", "message", "access_denied_detail", "raw")

    # Response[ListChatappTemplateResponseBody] in annotations evaluated at run time.
    __class_getitem__ = classmethod(_types.GenericAlias)

    def __init__(self, status, request_id, code, message, access_denied_detail, raw):  # type: ignore[no-untyped-def]
        self.status = status
        self.request_id = request_id
        self.code = code
        self.message = message
        self.access_denied_detail = access_denied_detail
        self.raw = raw

    @property
    def body(self):  # type: ignore[no-untyped-def]
        return self.raw

    @property
    def data(self):  # type: ignore[no-untyped-def]
        return self.raw.get("Data")

    def __getitem__(self, field):  # type: ignore[no-untyped-def]
        return self.raw[field]

    def get(self, field, default=None):  # type: ignore[no-untyped-def]
        return self.raw.get(field, default)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(status={self.status}, code={self.code!r}, request_id={self.request_id!r})"


def _snake(api_name: str) -> str:
    out = []
    for i, ch in enumerate(api_name):
        if ch.isupper() and i and not api_name[i - 1].isupper():
            out.append("_")
        out.append(ch.lower())
    return "".join(out)


class _DataView:
    """The ``Data`` dict of a migration answer, read through the fields its generated model
    (``camskit.answers``) declares: ``data.phone_number`` is ``data["PhoneNumber"]`` (None
    when absent). Nothing is copied; ``data["Key"]`` reads any member, declared or not."""

    __slots__ = ("_raw",)
    #: The camskit.answers model (TypedDict) of the ``Data`` member.
    _model = ""
    #: snake name -> API name, from that model on first use (``import camskit`` does not
    #: import camskit.answers).
    _fields: dict | None = None  # type: ignore[type-arg]

    def __init__(self, raw: dict) -> None:  # type: ignore[type-arg]
        self._raw = raw

    @classmethod
    def _declared(cls) -> dict:  # type: ignore[type-arg]
        fields = cls.__dict__.get("_fields")
        if fields is None:
            from . import answers

            fields = {_snake(k): k for k, _type in answers._MODELS[cls._model][1]}
            cls._fields = fields
        return fields  # type: ignore[no-any-return]

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        api = type(self)._declared().get(name)
        if api is None:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        return self._raw.get(api)

    def __getitem__(self, key: str):  # type: ignore[no-untyped-def]
        return self._raw[key]

    def __eq__(self, other):  # type: ignore[no-untyped-def]
        if type(other) is not type(self):
            return NotImplemented
        return self._raw == other._raw

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        shown = ", ".join(f"{f}={self._raw.get(k)!r}" for f, k in type(self)._declared().items())
        return f"{type(self).__name__}({shown})"


class MigrationInitiateData(_DataView):
    """``Data`` of ``CreateChatappMigrationInitiate``'s answer (``id``, ``phone_number``,
    ``status``: its generated model ``CreateChatappMigrationInitiateResponseBodyData``)."""

    __slots__ = ()
    _model = "CreateChatappMigrationInitiateResponseBodyData"


class MigrationData(_DataView):
    """``Data`` of ``GetMigrationVerifyCode``'s and ``ChatappMigrationVerified``'s answers
    (``id``, ``phone_number``: their generated models ``...ResponseBodyData``)."""

    __slots__ = ()
    _model = "GetMigrationVerifyCodeResponseBodyData"


class _MigrationResponse(Response):
    __slots__ = ()
    _data_view: type | None = None

    @property
    def data(self):  # type: ignore[no-untyped-def]
        data = self.raw.get("Data")
        view = self._data_view
        return data if view is None or not isinstance(data, dict) else view(data)


class CreateChatappMigrationInitiateResponse(_MigrationResponse):
    """Answer of CreateChatappMigrationInitiate: ``body`` is
    ``answers.CreateChatappMigrationInitiateResponseBody``; ``data`` a ``MigrationInitiateData``
    or None."""

    __slots__ = ()
    _data_view = MigrationInitiateData


class GetMigrationVerifyCodeResponse(_MigrationResponse):
    """Answer of GetMigrationVerifyCode: ``body`` is
    ``answers.GetMigrationVerifyCodeResponseBody``; ``data`` a ``MigrationData`` or None."""

    __slots__ = ()
    _data_view = MigrationData


class ChatappMigrationVerifiedResponse(_MigrationResponse):
    """Answer of ChatappMigrationVerified: ``body`` is
    ``answers.ChatappMigrationVerifiedResponseBody``; ``data`` a ``MigrationData`` or None."""

    __slots__ = ()
    _data_view = MigrationData


class ChatappMigrationRegisterResponse(_MigrationResponse):
    """Answer of ChatappMigrationRegister: ``body`` is
    ``answers.ChatappMigrationRegisterResponseBody`` (the envelope only); ``data`` is the raw
    ``Data`` member, as on any ``Response``."""

    __slots__ = ()


for _cls in (MigrationInitiateData, MigrationData, CreateChatappMigrationInitiateResponse,
             GetMigrationVerifyCodeResponse, ChatappMigrationVerifiedResponse,
             ChatappMigrationRegisterResponse):
    _cls.__module__ = "camskit"

#: action -> the class of its answer, for the operations with one of their own (the native
#: module lists them, with their camskit-answers model); any other action: ``Response``.
_TYPED: dict = {action: globals()[action + "Response"] for action, _model in _native.typed_answers()}


def answer(action: str, row: tuple) -> Response:  # type: ignore[type-arg]
    """The answer of ``action`` from the native ``(status, request_id, code, message,
    access_denied_detail, raw)``: its class, built once from the same dict."""
    return _TYPED.get(action, Response)(*row)  # type: ignore[no-any-return]


def parse_response(status, body, action=None, headers=None):  # type: ignore[no-untyped-def]
    """Parses a CAMS answer (``body`` as bytes or str; ``headers`` the answer's, optional: a
    mapping or pairs, which let a redirect's error name its target).

    Returns a ``Response``; with ``action`` one of the migration workflow's operations, its
    class (``ChatappMigrationRegisterResponse``, ...). Raises ``ApiError`` (a subclass per kind)
    or ``ParseError``; given the ``action``, a 5xx to an operation that changes state is
    ``OutcomeUnknownApiError`` (core's ``parse_response_for``: it may have taken effect, not
    retryable).
    """
    if action is None:
        return Response(*_native.parse_response(status, body, headers))
    if not (isinstance(action, str) and action in _TYPED):
        # Any other operation: the generic response (an unknown name is a ValidationError).
        return Response(*_native.parse_response(status, body, headers, _native.operation(action)[0]))
    return answer(action, _native.parse_response(status, body, headers, action))
