"""NEGATIVE: mypy --strict must refuse this file: not a CAMS action (must name: ListChatAppTemplates)."""

from answers import Action

action: Action = "ListChatAppTemplates"
