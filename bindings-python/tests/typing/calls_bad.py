"""Mistakes in calls by action name (issue 26): each marked line must give exactly the error
named after "# E<n>:" under `mypy --strict` and pyright strict (tests/test_typed_calls.py), and no
other line any error. Nothing here runs."""
# pyright: strict

from __future__ import annotations

import camskit


def mistakes(client: camskit.Client, http: object) -> None:
    client.call("ListChatappTemplat", {"CustSpaceId": "cs"})  # E1: action
    client.sign("ChatappMigrationRegistr", {"CustSpaceId": "cs", "PhoneNumber": "86"})  # E2: action
    client.paginate("ListChatAppTemplate", {"CustSpaceId": "cs"})  # E3: action
    client.apaginate("ListChatappTemplates", {"CustSpaceId": "cs"}, session=http)  # E4: action
    client.call("ListChatappTemplate", {"CustSpaceID": "cs"})  # E5: param CustSpaceID
    client.call("ListChatappTemplate", {"CustSpaceId": "cs"}).body["ListTemplates"]  # E6: field ListTemplates
