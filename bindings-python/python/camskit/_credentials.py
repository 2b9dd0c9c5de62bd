"""The default credentials chain, walked with the host's file reads and HTTP.

Core's ``provider::Plan`` decides everything (the order of the sources, which file, which
request, how to read the answers, when temporary keys must be refreshed); this file reads the
files it names and sends the requests it builds (``http.client``, no redirects), then hands
back what it got.
"""

from __future__ import annotations

import os
import _thread
import time
TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only
    from typing import Any, Mapping, Optional

from . import _http
from . import camskit_native as _native
from ._errors import CamsError, CredentialsError


def _uuid4() -> str:
    import uuid  # on first use: ``import camskit`` stays light

    return str(uuid.uuid4())



#: The most bytes read of a file the chain names (core's ``provider::MAX_FILE_BYTES``).
MAX_FILE_BYTES: int = _native.MAX_FILE_BYTES


def _refuse(path: str, why: str) -> CredentialsError:
    problem = f"credentials file {path}: {why}; refused without reading"
    return CredentialsError(f"credentials: {problem}", code="credentials", category="credentials")


def _kind(mode: int) -> str:
    import stat

    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _read_text(path: str) -> Optional[str]:
    """The text of a file the chain names, or None when it does not exist or cannot be read.
    Anything but a regular file (a FIFO, a device such as /dev/zero, a directory) and a file
    larger than ``MAX_FILE_BYTES`` raise ``CredentialsError`` naming it, at once: never a read
    that hangs or grows without end, never a silent cut."""
    import stat

    try:
        st = os.stat(path)  # looked at before opening: opening a FIFO waits for a writer
    except (OSError, ValueError):
        return None
    if not stat.S_ISREG(st.st_mode):
        raise _refuse(path, f"not a regular file ({_kind(st.st_mode)})")
    if st.st_size > MAX_FILE_BYTES:
        raise _refuse(path, f"more than {MAX_FILE_BYTES} bytes")
    try:
        # O_NONBLOCK: if the path was replaced by a FIFO meanwhile, opening it does not wait.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except (OSError, ValueError):
        return None
    with os.fdopen(fd, "rb") as f:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise _refuse(path, f"not a regular file ({_kind(st.st_mode)})")
        try:
            data = f.read(MAX_FILE_BYTES + 1)
        except OSError:
            return None
    if len(data) > MAX_FILE_BYTES:
        raise _refuse(path, f"more than {MAX_FILE_BYTES} bytes")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


class DefaultCredentialsProvider:
    """Alibaba Cloud's default credentials chain, as ``alibabacloud-credentials`` walks it:
    the environment (``ALIBABA_CLOUD_ACCESS_KEY_ID`` / ``_SECRET`` / ``_SECURITY_TOKEN``), OIDC
    (RRSA), the ``~/.aliyun/config.json`` profile, the ``~/.alibabacloud/credentials.ini``
    section, the ECS RAM role (metadata service), the credentials URI.

    ``profile`` picks a profile of config.json / a section of credentials.ini (default:
    ``ALIBABA_CLOUD_PROFILE``, else the file's current one). ``environ`` (default
    ``os.environ``) and ``home`` (default ``environ["HOME"]``, else ``~``) say where to look;
    ``sts_endpoint`` and ``ecs_metadata_endpoint`` redirect STS and the metadata service
    (tests, private networks). How long each request may take is core's choice (its
    ``timeout_ms``: 1 s for the ECS metadata service, as the official client, 10 s for the
    rest); ``timeout`` caps it. ``metadata_timeout`` is deprecated and no longer used (core's
    1 s applies to the metadata service): giving another value warns (``DeprecationWarning``).
    """

    def __init__(
        self,
        *,
        profile: Optional[str] = None,
        environ: Optional[Mapping[str, str]] = None,
        home: Optional[str] = None,
        sts_endpoint: Optional[str] = None,
        ecs_metadata_endpoint: Optional[str] = None,
        timeout: float = 10.0,
        metadata_timeout: float = 1.0,
    ) -> None:
        self.profile = profile
        self.environ = environ
        self.home = home
        self.sts_endpoint = sts_endpoint
        self.ecs_metadata_endpoint = ecs_metadata_endpoint
        self.timeout = timeout
        self.metadata_timeout = metadata_timeout
        if metadata_timeout != 1.0:
            import warnings

            warnings.warn("DefaultCredentialsProvider(metadata_timeout=...) is deprecated and no longer used: "
                          "core chooses each request's timeout (1 s for the ECS metadata service)",
                          DeprecationWarning, stacklevel=2)

    def __repr__(self) -> str:
        return f"DefaultCredentialsProvider(profile={self.profile!r})"

    def _home(self) -> str:
        if self.home is not None:
            return self.home
        env = os.environ if self.environ is None else self.environ
        home = env.get("HOME")
        return home if isinstance(home, str) and home else os.path.expanduser("~")

    def resolve(self) -> Any:
        """Walks the chain; returns the resolved credentials (an opaque object whose secret
        stays in Rust). Raises ``CredentialsError`` listing every source's reason."""
        plan = _native._NativePlan(
            self.environ, self._home(), int(time.time()), _uuid4(), profile=self.profile,
            sts_endpoint=self.sts_endpoint, ecs_metadata_endpoint=self.ecs_metadata_endpoint)
        return self._walk(plan)

    def refresh(self, resolved: Any) -> Any:
        """Fetches ``resolved`` again from the same source (core's ``refresh``)."""
        plan = resolved.refresh(int(time.time()), _uuid4())
        return resolved if plan is None else self._walk(plan)

    def _walk(self, plan: Any) -> Any:
        while True:
            step = plan.next()
            if step[0] == "read_file":
                plan.feed_file(_read_text(step[1]))
            elif step[0] == "fetch":
                _, method, url, headers, body, _purpose, timeout_ms = step
                # Core chooses the timeout per request (HttpRequest.timeout_ms); ``timeout``
                # only caps it.
                timeout = min(timeout_ms / 1000, self.timeout)
                try:
                    status, _headers, data = _http.send_stdlib(
                        method, url, headers, None if body is None else body.encode("utf-8"), timeout)
                except _http.Failure as f:
                    plan.feed_transport_error(f.kind, f.message)
                    continue
                plan.feed_response(status, data.decode("utf-8", "replace"))
            else:
                return step[1]


class CredentialsCache:
    """What a client keeps: the provider and its last credentials. When to refresh them and
    what a failed refresh means are core's rule (``provider::CredentialsCache``): a failure
    while the cached key is still valid keeps the key, with one warning (logger ``camskit``);
    once it has expired, the failure is raised. This class only walks the plans core names."""

    __slots__ = ("provider", "resolved", "lock", "native")

    def __init__(self, provider: Any, resolved: Any) -> None:
        self.provider = provider
        self.resolved = resolved
        self.lock = _thread.allocate_lock()
        self.native = _native._NativeCredentialsCache(resolved)

    def fresh(self) -> Optional[Any]:
        """New credentials when a refresh was due and succeeded, else None."""
        now = int(time.time())
        # The cheap check before each signature is core's rule too (needs_refresh).
        if not self.resolved.needs_refresh(now):
            return None
        with self.lock:
            step = self.native.next(now, _uuid4())
            if step[0] == "ready":
                return None  # another thread refreshed them meanwhile
            try:
                walk = getattr(self.provider, "_walk", None)
                if step[0] == "refresh":
                    new = walk(step[1]) if walk is not None else self.provider.refresh(self.resolved)
                else:
                    new = self.provider.resolve()
            except CamsError as e:
                kept = self.native.refresh_failed(now, str(e))
                if kept is None:
                    raise
                if kept[1] is not None:
                    import logging

                    logging.getLogger("camskit").warning("%s", kept[1])
                return None
            self.native.refreshed(new)
            self.resolved = new
            return new
