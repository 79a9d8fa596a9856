"""The one network probe, ``can_reach``: an HTTPS ``HEAD`` in a daemon thread, never longer than ``timeout`` (a
bare TCP connect is not enough behind some proxies). Run before TFDS or Keras downloads, so an offline machine
gets a clear message at once."""

from __future__ import annotations

import threading
import urllib.error
import urllib.request

__all__ = ["PROBE_TIMEOUT_S", "can_reach", "head_status"]

PROBE_TIMEOUT_S = 2.0


def head_status(url: str, timeout: float = PROBE_TIMEOUT_S) -> int | None:
    """The HTTP status of a ``HEAD`` of ``url``, or ``None`` when no HTTP answer came in time (no network, DNS,
    TLS or proxy failure, timeout)."""
    result: list[int | None] = [None]

    def probe() -> None:
        try:
            with urllib.request.urlopen(urllib.request.Request(url, method="HEAD"), timeout=timeout) as response:
                result[0] = int(response.status)
        except urllib.error.HTTPError as err:  # the server answered, with an error status
            result[0] = int(err.code)
        except Exception:  # DNS, TLS, connection, proxies, timeouts: no answer
            pass

    thread = threading.Thread(target=probe, daemon=True, name="resizer_lib-network-probe")
    thread.start()
    thread.join(timeout)
    return result[0]


def can_reach(url: str, timeout: float = PROBE_TIMEOUT_S, require_ok: bool = True) -> bool:
    """Whether ``url``'s server gives an HTTP answer within ``timeout`` s (never longer): with ``require_ok`` a
    success (status < 400: the file is there), else any answer (the server is reachable; the path may vary)."""
    status = head_status(url, timeout)
    return status is not None and (status < 400 or not require_ok)
