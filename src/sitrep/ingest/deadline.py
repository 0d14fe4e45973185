"""A total deadline per HTTP request, on top of httpx's timeout per connect, read and write.

httpx's timeouts bound each socket operation: a server that sends one byte every few
seconds never trips them and can hold a request for hours. Here every socket operation
gets at most the time left until the deadline of the request being made in that thread
(``with deadline(seconds): ...``), and none starts after it: connecting, TLS, headers and
body alike. The network layer is httpcore's own, wrapped (httpx has no hook for it).
"""

from __future__ import annotations

import threading
import time
import typing
from collections.abc import Iterator
from contextlib import contextmanager

import httpcore
import httpx

_local = threading.local()
_SLACK = 0.05  # seconds: a timeout this close to the deadline is the deadline's doing


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Requests made in this block, in this thread, end at most ``seconds`` from now."""
    due = time.monotonic() + seconds
    _local.due, _local.passed = due, False
    try:
        yield
    except httpx.TimeoutException:
        _local.passed = time.monotonic() >= due - _SLACK
        raise
    finally:
        _local.due = None


def past_deadline() -> bool:
    """Whether the last request in this thread timed out because its deadline passed."""
    return bool(getattr(_local, "passed", False))


def _budget(timeout: float | None) -> float | None:
    """The timeout for one socket operation: the request's own, cut to the time left."""
    due: float | None = getattr(_local, "due", None)
    if due is None:
        return timeout
    left = due - time.monotonic()
    if left <= 0:
        raise httpcore.ReadTimeout("the request's deadline has passed")
    return left if timeout is None else min(timeout, left)


class _Stream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _budget(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _budget(timeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: typing.Any,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        return _Stream(self._inner.start_tls(ssl_context, server_hostname, _budget(timeout)))

    def get_extra_info(self, info: str) -> typing.Any:
        return self._inner.get_extra_info(info)


class _Backend(httpcore.NetworkBackend):
    def __init__(self) -> None:
        self._inner = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[typing.Any] | None = None,
    ) -> httpcore.NetworkStream:
        budget = _budget(timeout)
        return _Stream(self._inner.connect_tcp(host, port, budget, local_address, socket_options))

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: typing.Iterable[typing.Any] | None = None,
    ) -> httpcore.NetworkStream:
        return _Stream(self._inner.connect_unix_socket(path, _budget(timeout), socket_options))

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


class DeadlineTransport(httpx.HTTPTransport):
    """httpx's transport over a network layer that keeps each request's deadline."""

    def __init__(self) -> None:  # the parent's __init__ only builds the pool built here
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            max_connections=100,
            max_keepalive_connections=20,
            keepalive_expiry=5.0,
            network_backend=_Backend(),
        )
