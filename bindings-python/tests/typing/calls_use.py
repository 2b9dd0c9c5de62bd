"""Calls by action name, typed (issue 26): five real CAMS operations sent through
``client.call`` with their parameters by API name, their answers read through the generated
TypedDicts; the async page walks; and the ``*_raw`` twins for a name the checker cannot see.
Must check clean under ``mypy --strict`` and pyright strict (tests/test_typed_calls.py).
Nothing here is sent."""
# pyright: strict

from __future__ import annotations

from typing import AsyncIterator, List, Optional

import camskit
from camskit.answers import ListChatappTemplateResponseBodyListTemplate


def five_calls(client: camskit.Client, cs: str) -> None:
    sent = client.call("SendChatappMessage", {"CustSpaceId": cs, "ChannelType": "whatsapp", "Type": "message",
                                              "From": "8613800001234", "To": "447700900123",
                                              "Content": '{"text":"hi"}'}, max_attempts=1)
    message_id: Optional[str] = sent.body.get("MessageId")

    listed = client.call("ListChatappTemplate", {"CustSpaceId": cs, "Page": {"Index": 1, "Size": 50}})
    templates: List[ListChatappTemplateResponseBodyListTemplate] = listed.body.get("ListTemplate", [])
    total: Optional[int] = listed.body.get("Total")
    codes: List[str] = [t["TemplateCode"] for t in templates if "TemplateCode" in t]

    detail = client.call("GetChatappTemplateDetail", {"CustSpaceId": cs, "TemplateCode": "t1", "Language": "en"})
    data = detail.body.get("Data")
    allow_send: Optional[bool] = data.get("AllowSend") if data is not None else None

    numbers = client.call("QueryChatappPhoneNumbers", {"CustSpaceId": cs})
    phones: List[str] = [n["PhoneNumber"] for n in numbers.body.get("PhoneNumbers", []) if "PhoneNumber" in n]

    step: camskit.ChatappMigrationRegisterResponse = client.call(
        "ChatappMigrationRegister", {"CustSpaceId": cs, "PhoneNumber": "8613800001234"})
    step_code: Optional[str] = step.body.get("Code")

    signed: camskit.SignedRequest = client.sign("ListChatappTemplate", {"CustSpaceId": cs}, signature="v3")
    print(message_id, total, codes, allow_send, phones, step_code, signed.url)


def untyped(client: camskit.Client, action: str) -> None:
    # A name the checker cannot see (read from a config, say), or an API outside the catalog.
    anything: camskit.Response = client.call_raw(action, {"Whatever": 1})
    other = client.sign_raw("DescribeRegions", {"AcceptLanguage": "en"}, raw=True, api_version="2014-05-26")
    pages: List[camskit.Response] = list(client.paginate_raw(action))
    print(anything.raw, other.url, len(pages), sum(1 for _ in client.iter_items_raw(action)))


async def walk(client: camskit.Client, http: object, cs: str) -> List[str]:
    totals: List[int] = []
    async for page in client.apaginate("ListChatappTemplate", {"CustSpaceId": cs}, session=http):
        totals.append(page.body.get("Total", 0))
    names: List[str] = []
    items: AsyncIterator[ListChatappTemplateResponseBodyListTemplate] = client.aiter_items(
        "ListChatappTemplate", {"CustSpaceId": cs}, session=http)
    async for template in items:
        names.append(template.get("TemplateName", ""))
    answer = await client.acall("ListMarketingFlow", {"PageIndex": "1", "PageSize": "20"}, session=http)
    print(totals, [f.get("Id") for f in answer.body.get("Data", [])])
    return names
