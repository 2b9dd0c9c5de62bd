"""``async for`` page walks (client.apaginate / client.aiter_items) against tests/mock-cams over
real loopback HTTP with an httpx.AsyncClient: the same pages and items as the synchronous walk
(core's PageWalk chooses each next page and stops), an error in the middle of a walk, and a walk
cancelled while it waits."""

from __future__ import annotations

import asyncio
import json
import time
import urllib.request

import httpx
import pytest

import camskit
from conftest import MOCK_KEY_ID, MOCK_SECRET, VECTORS

PAGES = json.loads((VECTORS / "call-scenarios.json").read_text(encoding="utf-8"))["pages"]


def script(mock, body: dict) -> None:
    req = urllib.request.Request(mock.url + "/__mock/script", data=json.dumps(body).encode(), method="POST",
                                 headers={"content-type": "application/json"})
    urllib.request.urlopen(req, timeout=10).read()


def list_requests(mock) -> list[dict]:
    return [r for r in mock.requests() if r["action"] == "ListChatappTemplate"]


def without_id(body: dict) -> dict:
    return {k: v for k, v in body.items() if k != "RequestId"}


def page_index(request: dict) -> int:
    return json.loads(request["params"]["Page"])["Index"]


@pytest.mark.parametrize("walk", PAGES, ids=lambda w: json.dumps(w["params"]["Page"]))
def test_async_walk_matches_the_sync_walk(mock_cams, walk):
    client = camskit.Client(MOCK_KEY_ID, MOCK_SECRET, endpoint=mock_cams.url)
    mock_cams.reset()
    sync_pages = [without_id(p.body) for p in client.paginate(walk["action"], walk["params"])]
    sync_asked = [page_index(r) for r in list_requests(mock_cams)]

    async def main():  # type: ignore[no-untyped-def]
        async with httpx.AsyncClient() as http:
            pages = [p async for p in client.apaginate(walk["action"], walk["params"], session=http)]
            items = [i async for i in client.aiter_items(walk["action"], walk["params"], session=http)]
            return pages, items

    mock_cams.reset()
    pages, items = asyncio.run(main())
    assert len(pages) == walk["pages"] and all(isinstance(p, camskit.Response) for p in pages)
    assert [without_id(p.body) for p in pages] == sync_pages
    # The walk asked for the same pages as the synchronous one (twice: pages, then items).
    asked = [page_index(r) for r in list_requests(mock_cams)]
    assert asked == sync_asked * 2
    assert len(items) == walk["items"]
    assert items == [t for body in sync_pages for t in body["ListTemplate"]]
    codes = [t["TemplateCode"] for t in items]
    assert len(set(codes)) == len(codes)


def test_async_multi_page_walk_asks_each_next_page(mock_cams):
    mock_cams.reset()
    client = camskit.Client(MOCK_KEY_ID, MOCK_SECRET, endpoint=mock_cams.url)

    async def main():  # type: ignore[no-untyped-def]
        async with httpx.AsyncClient() as http:
            seen = []
            async for page in client.apaginate("ListChatappTemplate",
                                               {"CustSpaceId": "cs", "Page": {"Index": 1, "Size": 10}}, session=http):
                seen.append((page.body["Total"], len(page.body["ListTemplate"])))
            return seen

    assert asyncio.run(main()) == [(25, 10), (25, 10), (25, 5)]
    assert [page_index(r) for r in list_requests(mock_cams)] == [1, 2, 3]


def test_an_error_mid_walk_ends_the_iteration_with_it(mock_cams):
    mock_cams.reset()
    client = camskit.Client(MOCK_KEY_ID, MOCK_SECRET, endpoint=mock_cams.url)

    async def main():  # type: ignore[no-untyped-def]
        got = []
        async with httpx.AsyncClient() as http:
            with pytest.raises(camskit.ServerError) as info:
                async for item in client.aiter_items("ListChatappTemplate",
                                                     {"CustSpaceId": "cs", "Page": {"Index": 1, "Size": 10}},
                                                     session=http, max_attempts=1):
                    got.append(item)
                    if len(got) == 10:
                        # The first page is read: the next request fails with a 500.
                        script(mock_cams, {"faults": [{"action": "ListChatappTemplate",
                                                       "mode": "error500_before_effect"}]})
        return got, info.value

    got, error = asyncio.run(main())
    assert len(got) == 10
    assert error.status == 500 and error.code == "ServiceUnavailable"
    # Page 1, then page 2 once (max_attempts=1), and nothing after the error.
    assert [page_index(r) for r in list_requests(mock_cams)] == [1, 2]


def test_cancelling_the_walk_stops_it_where_it_waits(mock_cams):
    mock_cams.reset()
    client = camskit.Client(MOCK_KEY_ID, MOCK_SECRET, endpoint=mock_cams.url)
    first_page = asyncio.Event

    async def main():  # type: ignore[no-untyped-def]
        got_first = first_page()
        pages = []

        async def walk(http):  # type: ignore[no-untyped-def]
            async for page in client.apaginate("ListChatappTemplate",
                                               {"CustSpaceId": "cs", "Page": {"Index": 1, "Size": 10}}, session=http):
                pages.append(page)
                # Page 2 is throttled with a 10 s retry hint: the walk then sleeps in core's wait.
                script(mock_cams, {"faults": [{"action": "ListChatappTemplate", "mode": "throttle",
                                               "retry_after_ms": 10_000}]})
                got_first.set()

        async with httpx.AsyncClient() as http:
            task = asyncio.create_task(walk(http))
            await got_first.wait()
            await asyncio.sleep(0.5)  # page 2 is asked, throttled; the walk waits
            started = time.monotonic()
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            return pages, time.monotonic() - started

    pages, took = asyncio.run(main())
    assert len(pages) == 1
    assert took < 2.0  # cancelled in its wait, not after the 10 s
    time.sleep(0.3)
    # Page 1, page 2 (throttled), and no retry after the cancellation.
    assert [page_index(r) for r in list_requests(mock_cams)] == [1, 2]


def test_async_walks_need_an_async_client_and_paged_items(mock_cams):
    client = camskit.Client(MOCK_KEY_ID, MOCK_SECRET, endpoint=mock_cams.url)

    async def first(agen):  # type: ignore[no-untyped-def]
        return await agen.__anext__()

    mock_cams.reset()
    with pytest.raises(TypeError, match="AsyncClient"):
        asyncio.run(first(client.apaginate("ListChatappTemplate", {"CustSpaceId": "cs"}, session=httpx.Client())))
    with pytest.raises(camskit.ValidationError, match="paginate"):
        asyncio.run(first(client.aiter_items("ChatappMigrationRegister", {"CustSpaceId": "cs"},
                                             session=httpx.AsyncClient())))
    assert mock_cams.requests() == []
