"""NEGATIVE: mypy --strict must refuse this file: a field name CAMS does not send (must name: ListTemplates)."""

from answers import ListChatappTemplateResponseBody

listed: ListChatappTemplateResponseBody = {"ListTemplates": []}
