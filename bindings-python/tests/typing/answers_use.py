# pyright: strict
"""Typed answers, checked with `mypy --strict` and `pyright` (strict) against the installed package, and run
(tests/test_answers.py): three answers read as CAMS sends them, through parse_response, call,
calls.<operation>, paginate and iter_items. Nothing here is sent: the functions that take a
client are only type-checked."""

from __future__ import annotations

import json
from typing import Iterator, List, Optional

import camskit
from camskit.answers import (
    GetChatappTemplateDetailResponseBody,
    ListChatappTemplateResponseBody,
    ListChatappTemplateResponseBodyListTemplate,
    ListMarketingFlowResponseBodyData,
)

# 1. A list: ListChatappTemplate's ListTemplate.
listed = camskit.parse_response(200, json.dumps({
    "RequestId": "r1", "Code": "OK", "Total": 2,
    "ListTemplate": [{"TemplateCode": "744c4b5c79c9432497a075bdfca3****", "TemplateName": "hello",
                      "LastUpdateTime": 1693810000000}],
}), "ListChatappTemplate")
body: ListChatappTemplateResponseBody = listed.body
codes: List[str] = [t.get("TemplateCode", "") for t in listed.body.get("ListTemplate", [])]
total: Optional[int] = listed.body.get("Total")
updated: Optional[int] = next((t.get("LastUpdateTime") for t in listed.body.get("ListTemplate", [])), None)

# 2. A nested object: GetChatappTemplateDetail.Data.Components[].Buttons[].
detail = camskit.parse_response(200, json.dumps({
    "Code": "OK",
    "Data": {"Name": "hello", "Components": [{"Type": "BUTTONS", "Buttons": [{"Type": "URL", "Url": "https://x"}]}]},
}), "GetChatappTemplateDetail")
same_detail: GetChatappTemplateDetailResponseBody = detail.body
components = detail.body.get("Data", {}).get("Components", [])
buttons = components[0].get("Buttons", []) if components else []
url: Optional[str] = buttons[0].get("Url") if buttons else None

# 3. A 64-bit id as int: ListMarketingFlow.Data[].Id beyond 2**53 (exact).
flows = camskit.parse_response(200, b'{"Code":"OK","TotalCount":1,"Data":[{"Id":9007199254740993,"ActivityName":"f"}]}',
                               "ListMarketingFlow")
flow: ListMarketingFlowResponseBodyData = flows.body.get("Data", [])[0]
flow_id: Optional[int] = flow.get("Id")

# The generic form keeps working: no action, or one the checker cannot see.
generic: camskit.Response = camskit.parse_response(200, b'{"Code":"OK"}')
anything = generic.body.get("Whatever")
typed_alias: camskit.Response[ListChatappTemplateResponseBody] = listed
steps: camskit.ChatappMigrationRegisterResponse = camskit.parse_response(200, b"{}", "ChatappMigrationRegister")
step_code: Optional[str] = steps.body.get("Code")


def templates(client: camskit.Client, cs: str) -> Iterator[ListChatappTemplateResponseBodyListTemplate]:
    answer = client.call("ListChatappTemplate", {"CustSpaceId": cs})
    first: List[ListChatappTemplateResponseBodyListTemplate] = answer.body.get("ListTemplate", [])
    page_total: Optional[int] = client.calls.list_chatapp_template(cust_space_id=cs).body.get("Total")
    print(first, page_total)
    for page in client.paginate("ListChatappTemplate", {"CustSpaceId": cs}):
        yield from page.body.get("ListTemplate", [])
    for template in client.iter_items("ListChatappTemplate", {"CustSpaceId": cs}):
        name: Optional[str] = template.get("TemplateName")
        print(name)


async def flow_ids(client: camskit.Client, session: object) -> List[int]:
    answer = await client.acall("ListMarketingFlow", {"PageIndex": "1"}, session=session)
    return [f["Id"] for f in answer.body.get("Data", []) if "Id" in f]


if __name__ == "__main__":
    # Run time: plain dicts with PascalCase keys, integers exact.
    assert type(listed.body) is dict and listed.body is listed.raw
    assert codes == ["744c4b5c79c9432497a075bdfca3****"] and total == 2 and updated == 1693810000000
    assert url == "https://x" and type(detail.body.get("Data")) is dict
    assert flow_id == 9007199254740993 and type(flow_id) is int
    assert anything is None and step_code is None
    print("answers_use: ok")
