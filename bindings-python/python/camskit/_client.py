"""``Client``: core's signer (``_NativeClient``) with the host's credentials chain, HTTP and
clock; its typed helpers (one per catalog operation, built on first use) and ``client.calls``."""

from __future__ import annotations

import time as _time

from . import _call, _http
from . import camskit_native as _native
from ._credentials import CredentialsCache as _CredentialsCache
from ._credentials import DefaultCredentialsProvider
from ._errors import ValidationError

# Options every typed helper takes besides the operation's own parameters (an operation's
# parameter of the same snake name wins).
_HELPER_OPTIONS = ("timestamp", "nonce", "signature", "headers")
# Options every calling helper (client.calls.<operation>) takes besides the operation's own
# parameters.
_CALL_OPTIONS = ("session", "timeout", "max_attempts", "retry", "allow_insecure_http", "signature",
                 "headers")

# POLICY kept in this binding (marked for issue #23): ``timeout=30.0`` per attempt of ``call``,
# ``acall`` and the page walks is this package's own default, while core's ``Call`` now carries
# one (``Call::timeout_ms``, ``CAMS_TIMEOUT_MS`` = 10 s, given to the host in
# ``Call::http_request``). Switching to core's changes the default a caller gets, so it is left
# for a decision; every other rule here (retries, backoff, clock offset, next page, the page cap,
# credentials refresh) is core's.


def _choose_provider(access_key_id, access_key_secret, security_token, environ, profile, credentials):  # type: ignore[no-untyped-def]
    """The provider whose credentials a client (or a receipts consumer) uses: ``credentials=``,
    else the default chain (``profile=``) when no key, ``environ`` or token is given; None when
    the keys or the environment are given."""
    provider = None
    if access_key_id is None and access_key_secret is None:
        if credentials is not None:
            provider = credentials
        elif environ is None and security_token is None:
            provider = DefaultCredentialsProvider(profile=profile)
    if (profile is not None or credentials is not None) and provider is None:
        raise ValidationError(
            "profile= and credentials= choose where the keys come from: give them without "
            "access_key_id/access_key_secret/environ/security_token",
            code="invalid_input", category="validation")
    if provider is not None and profile is not None and credentials is not None:
        raise ValidationError("give profile= to the DefaultCredentialsProvider passed as credentials=",
                              code="invalid_input", category="validation")
    return provider


class Client(_native._NativeClient):
    """Signs CAMS requests, and sends them when asked (``call``).

    ``Client(access_key_id=None, access_key_secret=None, security_token=None,
    region_id=None, endpoint=None, *, signature="1.0", environ=None,
    allow_insecure_http=False, profile=None, credentials=None)``.

    Credentials: given keys win. Without keys, ``environ=`` reads exactly that mapping
    (core's ``Credentials::from_env``, as before); otherwise the default chain
    (``DefaultCredentialsProvider``: the environment first, then OIDC, ``~/.aliyun/config.json``
    — ``profile=`` picks its profile —, ``~/.alibabacloud/credentials.ini``, the ECS RAM role,
    the credentials URI) or the provider given as ``credentials=``. Temporary keys are cached
    and refreshed before they expire. None found raises ``CredentialsError``.

    ``region_id`` and ``endpoint`` (neither: ap-southeast-1) must agree when both are given;
    an endpoint that is probably not a CAMS host is warned about (``CamsWarning``); plain HTTP
    to a host other than loopback needs ``allow_insecure_http``.

    ``client.sign(action, params, ...)`` signs (nothing sent); every catalog operation also
    has a typed signing helper in snake case (``client.chatapp_migration_register(...)``).
    ``client.call(action, params, ...)`` sends with retries and returns the answer;
    ``client.calls.<operation>(...)`` is its typed form; ``client.paginate`` and
    ``client.iter_items`` walk pages; ``await client.acall(...)``, ``async for`` over
    ``client.apaginate(...)`` / ``client.aiter_items(...)`` with an ``httpx.AsyncClient``.
    """

    __slots__ = ("_creds", "_source", "_clock_offset", "_calls")

    def __new__(
        cls,
        access_key_id=None,
        access_key_secret=None,
        security_token=None,
        region_id=None,
        endpoint=None,
        *,
        signature=None,
        environ=None,
        allow_insecure_http=False,
        profile=None,
        credentials=None,
    ):  # type: ignore[no-untyped-def]
        provider = _choose_provider(access_key_id, access_key_secret, security_token, environ, profile, credentials)
        resolved = provider.resolve() if provider is not None else None
        self = super().__new__(cls, access_key_id, access_key_secret, security_token, region_id, endpoint,
                               signature=signature, environ=environ, allow_insecure_http=allow_insecure_http,
                               resolved=resolved)
        self._creds = None if resolved is None or resolved.expiration is None else _CredentialsCache(provider, resolved)
        if self._creds is not None:
            # The native client asks it before each signature and call (no Python wrapper).
            self._set_refresher(self._creds)
        self._source = resolved.source if resolved is not None else ("given" if access_key_id is not None else "env")
        self._clock_offset = 0
        self._calls = None
        return self

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

    # -------------------------------------------------------------------- credentials

    def _fresh_credentials(self) -> None:
        creds = self._creds
        if creds is not None:
            new = creds.fresh()
            if new is not None:
                self._set_credentials(new)

    @property
    def credentials_source(self) -> str:
        """Where the credentials came from: ``given``, ``env``, ``cli_profile:<name>/<kind>``,
        ``profile:<section>/<kind>``, ``oidc_role_arn``, ``ecs_ram_role``,
        ``credentials_uri``."""
        creds = self._creds
        return creds.resolved.source if creds is not None else self._source

    # -------------------------------------------------------------------- calls

    def _start(self, action, params, retry, max_attempts, allow_insecure_http, options):  # type: ignore[no-untyped-def]
        # The native client refreshes expiring credentials first (see _set_refresher).
        return self._start_call(action, params, policy=_call.policy_tuple(retry, max_attempts),
                                clock_offset=self._clock_offset,
                                allow_insecure_http=allow_insecure_http, **options)

    def call(self, action, params=None, *, session=None, timeout=30.0, max_attempts=None, retry=None,
             allow_insecure_http=False, signature=None, headers=None, method=None, raw=False,
             api_version=None, form=None):  # type: ignore[no-untyped-def]
        """Sends one CAMS request and returns the answer (a ``Response``; core's typed answer
        for the migration steps), retrying as core's call machine decides.

        ``session``: None (the standard library's ``http.client``), a ``requests.Session``
        or an ``httpx.Client``; redirects are never followed. ``timeout``: seconds per
        attempt. ``retry``: a ``RetryPolicy`` (default core's: 4 attempts, backoff from
        200 ms, 60 s deadline), ``False`` for one attempt; ``max_attempts`` overrides its
        count. Raises ``ApiError`` subclasses, ``ParseError``, ``TransportError``; a request
        that may have taken effect without an answer raises ``OutcomeUnknownError``.
        """
        native_call = self._start(action, params, retry, max_attempts, allow_insecure_http, dict(
            signature=signature, headers=headers, method=method, raw=raw, api_version=api_version, form=form))
        try:
            return _call.run(native_call, action, _http.sender(session), timeout)
        finally:
            self._clock_offset = native_call.clock_offset_secs

    async def acall(self, action, params=None, *, session, timeout=30.0, max_attempts=None, retry=None,
                    allow_insecure_http=False, signature=None, headers=None, method=None, raw=False,
                    api_version=None, form=None):  # type: ignore[no-untyped-def]
        """``call`` with an ``httpx.AsyncClient`` (``asyncio.sleep`` between attempts)."""
        send = _http.async_sender(session)
        await self._afresh_credentials()
        native_call = self._start_call(
            action, params, policy=_call.policy_tuple(retry, max_attempts), clock_offset=self._clock_offset,
            allow_insecure_http=allow_insecure_http, signature=signature, headers=headers, method=method,
            raw=raw, api_version=api_version, form=form)
        try:
            return await _call.run_async(native_call, action, send, timeout)
        finally:
            self._clock_offset = native_call.clock_offset_secs

    def _pages(self, action, params, options):  # type: ignore[no-untyped-def]
        session = options.pop("session", None)
        timeout = options.pop("timeout", 30.0)
        retry = options.pop("retry", None)
        max_attempts = options.pop("max_attempts", None)
        allow = options.pop("allow_insecure_http", False)
        send = _http.sender(session)
        walk = None  # core's PageWalk: the next page's parameters, and its MAX_PAGES cap
        while True:
            native_call = self._start(action, params, retry, max_attempts, allow, dict(options))
            try:
                page = _call.run(native_call, action, send, timeout)
            finally:
                self._clock_offset = native_call.clock_offset_secs
            if walk is None:
                walk = native_call.page_walk()
            yield native_call, page
            if not native_call.advance_walk(walk):
                return
            params = walk.params()

    async def _apages(self, action, params, options):  # type: ignore[no-untyped-def]
        # _pages with an httpx.AsyncClient: the same walk (core's PageWalk decides the next
        # page and the cap), each page one acall. Cancelling the iteration (its task) stops
        # it where it waits (a send or a retry's sleep); nothing more is sent.
        send = _http.async_sender(options.pop("session", None))
        timeout = options.pop("timeout", 30.0)
        retry = options.pop("retry", None)
        max_attempts = options.pop("max_attempts", None)
        allow = options.pop("allow_insecure_http", False)
        walk = None
        while True:
            await self._afresh_credentials()
            native_call = self._start(action, params, retry, max_attempts, allow, dict(options))
            try:
                page = await _call.run_async(native_call, action, send, timeout)
            finally:
                self._clock_offset = native_call.clock_offset_secs
            if walk is None:
                walk = native_call.page_walk()
            yield native_call, page
            if not native_call.advance_walk(walk):
                return
            params = walk.params()

    async def _afresh_credentials(self) -> None:
        if self._creds is not None and self._creds.resolved.needs_refresh(int(_time.time())):
            # A refresh is a few blocking requests: off the event loop.
            import asyncio as _asyncio

            loop = _asyncio.get_running_loop()
            await loop.run_in_executor(None, self._fresh_credentials)

    async def apaginate(self, action, params=None, *, session, **options):  # type: ignore[no-untyped-def]
        """``paginate`` with an ``httpx.AsyncClient``: ``async for page in
        client.apaginate("ListChatappTemplate", {...}, session=http)``. Each page is one
        ``acall``; core's ``PageWalk`` chooses the next page and says when the last is read."""
        pages = self._apages(action, params, dict(options, session=session))
        try:
            async for _native_call, page in pages:
                yield page
        finally:
            await pages.aclose()

    async def aiter_items(self, action, params=None, *, session, **options):  # type: ignore[no-untyped-def]
        """``iter_items`` with an ``httpx.AsyncClient``: ``async for template in
        client.aiter_items("ListChatappTemplate", {...}, session=http)`` (core's
        ``page_items``). An operation whose pages have no typed items is a
        ``ValidationError`` before anything is sent."""
        _check_items(action)
        pages = self._apages(action, params, dict(options, session=session))
        try:
            async for native_call, _page in pages:
                for item in native_call.page_items() or ():
                    yield item
        finally:
            await pages.aclose()

    def paginate(self, action, params=None, **options):  # type: ignore[no-untyped-def]
        """Every page of a list operation, one ``call`` each (the options of ``call``): core's
        ``next_page`` chooses the next page's parameters and says when the last is reached.
        An operation without paging gives one page."""
        for _native_call, page in self._pages(action, params, options):
            yield page

    def iter_items(self, action, params=None, **options):  # type: ignore[no-untyped-def]
        """The items of every page (core's ``page_items``: ``ListTemplate`` of
        ``ListChatappTemplate``, ...). An operation whose pages have no typed items is a
        ``ValidationError`` before anything is sent."""
        _check_items(action)
        for native_call, _page in self._pages(action, params, options):
            yield from native_call.page_items() or ()

    # The untyped twins (the same methods at run time): any action name and any parameters,
    # for an API outside the catalog (with ``raw=True``) or a name the checker cannot see. The
    # stub types ``sign``, ``call``, ... by action, so a misspelt action or parameter is a
    # mypy / pyright error there.
    sign_raw = _native._NativeClient.sign
    call_raw = call
    acall_raw = acall
    paginate_raw = paginate
    iter_items_raw = iter_items
    apaginate_raw = apaginate
    aiter_items_raw = aiter_items

    @property
    def calls(self) -> "_Calls":
        """The typed calling helpers: ``client.calls.chatapp_migration_register(...)`` is
        ``client.call("ChatappMigrationRegister", {...})``."""
        calls = self._calls
        if calls is None:
            calls = self._calls = _Calls(self)
        return calls


def _check_items(action) -> None:  # type: ignore[no-untyped-def]
    if not isinstance(action, str) or _native.items_path(action) is None:
        raise ValidationError(
            f"{action!r} has no typed page items (not a paged operation, or its items are untyped): "
            "use client.paginate()", code="invalid_input", category="validation")


class _Calls:
    """``client.calls.<operation>(**params, **call options)``: one typed calling helper per
    CAMS operation (the stub lists them)."""

    __slots__ = ("_client",)

    def __init__(self, client: Client) -> None:
        self._client = client

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        info = _native.operation_by_snake(name) if not name.startswith("_") else None
        if info is None:
            raise AttributeError(f"'calls' has no operation {name!r}")
        helper = _make_call_helper(name, *info)
        setattr(_Calls, name, helper)
        return helper.__get__(self, type(self))

    def __dir__(self):  # type: ignore[no-untyped-def]
        return sorted(o[1] for o in _native.operations())

    def __repr__(self) -> str:
        return f"<calls of {self._client!r}>"


def _make_call_helper(snake: str, action: str, param_snakes: list[str]):  # type: ignore[no-untyped-def]
    options = frozenset(o for o in _CALL_OPTIONS if o not in param_snakes)

    def helper(self, **kwargs):  # type: ignore[no-untyped-def]
        opts = {o: kwargs.pop(o) for o in options if o in kwargs}
        return self._client.call(action, kwargs, **opts)

    helper.__name__ = snake
    helper.__qualname__ = f"calls.{snake}"
    helper.__doc__ = f"Calls {action}: keyword arguments are its parameters, plus the options of Client.call."
    return helper


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


for _cls in (Client, _Calls):
    _cls.__module__ = "camskit"
