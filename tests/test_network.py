"""The one network probe (``resizer_lib.network``): a clear no, at once, when offline."""

from __future__ import annotations

import time

import pytest

from resizer_lib.network import can_reach, head_status

pytestmark = pytest.mark.multibackend


@pytest.mark.parametrize("url", ["https://127.0.0.1:9/x", "https://no-such-host.invalid/x"],
                         ids=["closed port", "unknown host"])
def test_no_answer_is_a_no_within_the_timeout(url):
    start = time.perf_counter()
    assert head_status(url, timeout=0.5) is None
    assert not can_reach(url, timeout=0.5) and not can_reach(url, timeout=0.5, require_ok=False)
    assert time.perf_counter() - start < 5


class _Answer:
    def __init__(self, status):
        self.status = status

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


@pytest.mark.parametrize("status, ok, reachable", [(200, True, True), (404, False, True),
                                                    (503, False, True)])
def test_an_http_answer_is_read_by_its_status(monkeypatch, status, ok, reachable):
    import urllib.error
    import urllib.request

    def fake_urlopen(request, timeout):
        assert request.get_method() == "HEAD"
        if status >= 400:
            raise urllib.error.HTTPError(request.full_url, status, "x", {}, None)
        return _Answer(status)

    monkeypatch.setattr(urllib.request, "urlopen", fake_urlopen)
    assert head_status("https://example.org/f", timeout=1) == status
    assert can_reach("https://example.org/f", timeout=1) is ok
    assert can_reach("https://example.org/f", timeout=1, require_ok=False) is reachable
