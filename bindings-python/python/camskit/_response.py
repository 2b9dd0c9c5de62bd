"""Successful CAMS answers (errors are raised as camskit.ApiError subclasses)."""

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


def _data_class(name: str, fields: list[str]) -> type:
    """A plain class with exactly the fields of one of core's ``Data`` types."""

    def __init__(self, **values):  # type: ignore[no-untyped-def]
        for f in fields:
            setattr(self, f, values.get(f))

    def __repr__(self) -> str:  # type: ignore[no-untyped-def]
        shown = ", ".join(f"{f}={getattr(self, f)!r}" for f in fields)
        return f"{name}({shown})"

    def __eq__(self, other):  # type: ignore[no-untyped-def]
        if type(other) is not type(self):
            return NotImplemented
        return all(getattr(self, f) == getattr(other, f) for f in fields)

    return type(name, (), {
        "__slots__": tuple(fields),
        "__init__": __init__,
        "__repr__": __repr__,
        "__eq__": __eq__,
        "__hash__": None,
        "__module__": "camskit",
        "__doc__": f"``Data`` of a migration answer, as core's ``camskit::ops::{name}``: "
                   + ", ".join(f"``{f}``" for f in fields) + ".",
    })


class _TypedResponse(Response):
    """Core's typed answer to one migration step (``camskit::ops``), field for field:
    ``request_id``, ``code``, ``message``, ``access_denied_detail``, ``raw``, and ``data`` when
    core's type has one (``status`` is the HTTP status, as on any ``Response``)."""

    __slots__ = ()

    def __init__(self, status, fields):  # type: ignore[no-untyped-def]
        super().__init__(status, fields["request_id"], fields["code"], fields["message"],
                         fields["access_denied_detail"], fields["raw"])


class _TypedResponseWithData(_TypedResponse):
    __slots__ = ("_data",)
    _data_class: type = object

    def __init__(self, status, fields):  # type: ignore[no-untyped-def]
        super().__init__(status, fields)
        data = fields.get("data")
        self._data = None if data is None else self._data_class(**data)

    @property
    def data(self):  # type: ignore[no-untyped-def]
        return self._data


#: action -> core's typed answer class for it (one per migration step).
_TYPED: dict = {}
_DATA_CLASSES: dict = {}
for _action, _name, _data_name, _fields in _native.typed_responses():
    if _data_name is None:
        _cls = type(_name, (_TypedResponse,), {
            "__slots__": (), "__module__": "camskit",
            "__doc__": f"Answer of {_action} (core's ``{_name}``): the envelope only; ``data`` is "
                       "the raw ``Data`` member, as on any ``Response``.",
        })
    else:
        if _data_name not in _DATA_CLASSES:
            _DATA_CLASSES[_data_name] = _data_class(_data_name, list(_fields))
        _cls = type(_name, (_TypedResponseWithData,), {
            "__slots__": (), "__module__": "camskit", "_data_class": _DATA_CLASSES[_data_name],
            "__doc__": f"Answer of {_action} (core's ``{_name}``): ``data`` is a "
                       f"``{_data_name}`` or None.",
        })
    _TYPED[_action] = _cls
    globals()[_name] = _cls
globals().update(_DATA_CLASSES)


def parse_response(status, body, action=None, headers=None):  # type: ignore[no-untyped-def]
    """Parses a CAMS answer (``body`` as bytes or str; ``headers`` the answer's, optional: a
    mapping or pairs, which let a redirect's error name its target).

    Returns a ``Response``; with ``action`` one of the migration workflow's operations, core's
    typed answer for it. Raises ``ApiError`` (a subclass per kind) or ``ParseError``; given the
    ``action``, a 5xx to an operation that changes state is ``OutcomeUnknownApiError`` (core's
    ``parse_response_for``: it may have taken effect, not retryable).
    """
    if action is None:
        return Response(*_native.parse_response(status, body, headers))
    cls = _TYPED.get(action) if isinstance(action, str) else None
    if cls is None:
        # Any other operation: the generic response (an unknown name is a ValidationError).
        op = _native.operation(action)
        return Response(*_native.parse_response(status, body, headers, op[0]))
    return cls(*_native.parse_typed(action, status, body, headers))
