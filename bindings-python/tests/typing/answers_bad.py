"""Mistakes the typed answers must catch: each marked line must fail `mypy --strict` (and
pyright), naming what is wrong (after "# E<n>: ")."""

from __future__ import annotations

import camskit

client = camskit.Client("id", "secret")
listed = camskit.parse_response(200, b"{}", "ListChatappTemplate")
listed.body["ListTemplates"]  # E1: ListTemplates
listed.body.get("ListTemplate", [])[0]["TemplateCod"]  # E2: TemplateCod
client.call("ListChatappTemplate").body["Totl"]  # E3: Totl
client.calls.list_chatapp_template(cust_space_id="cs").body["listTemplate"]  # E4: listTemplate
for page in client.paginate("GetChatappTemplateDetail", {"CustSpaceId": "cs", "Language": "en"}):
    page.body.get("Data", {})["Component"]  # E5: Component
for item in client.iter_items("ListMarketingFlow", {"PageIndex": "1"}):
    flow_id: str = item["Id"]  # E6: int
