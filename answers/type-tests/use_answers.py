"""Type-checked by answers/check-types.sh (mypy --strict): three answers read as CAMS sends them."""

from typing import List, Optional

from answers import (
    Action,
    GetChatappTemplateDetailResponseBody,
    ListChatappTemplateAnswer,
    ListChatappTemplateResponseBody,
    ListMarketingFlowResponseBody,
    answer_type,
)

# A list: ListChatappTemplate.
listed: ListChatappTemplateAnswer = {
    "RequestId": "r1",
    "Code": "OK",
    "Total": 2,
    "ListTemplate": [{"TemplateCode": "744c****", "LastUpdateTime": 1693810000000}],
}
codes: List[str] = [t.get("TemplateCode", "") for t in listed.get("ListTemplate", [])]
same: ListChatappTemplateResponseBody = listed

# A nested object: GetChatappTemplateDetail.Data.Components[].Buttons[].
detail: GetChatappTemplateDetailResponseBody = {
    "Data": {"Name": "hello", "Components": [{"Type": "BUTTONS", "Buttons": [{"Type": "URL", "Url": "https://x"}]}]}
}
components = detail.get("Data", {}).get("Components", [])
buttons = components[0].get("Buttons", []) if components else []
first_button: Optional[str] = buttons[0].get("Url") if buttons else None

# A 64-bit id: a Python int is exact at any size.
flows: ListMarketingFlowResponseBody = {"TotalCount": 1, "Data": [{"Id": 9007199254740993, "ActivityName": "f"}]}
flow_id: Optional[int] = next((f.get("Id") for f in flows.get("Data", [])), None)

# The action -> TypedDict map.
action: Action = "ListChatappTemplate"
cls = answer_type("ListChatappTemplate")
typed: ListChatappTemplateResponseBody = cls(Total=1)
