"""The CAMS catalog as Python values: ``Operation`` and its ``Param``s (core's catalog)."""

from __future__ import annotations

from . import camskit_native as _native


class Param:
    """One parameter of a CAMS operation, as the catalog describes it."""

    __slots__ = ("name", "snake_name", "camel_name", "location", "type", "item_type", "style", "required")

    def __init__(self, fields: tuple) -> None:  # type: ignore[type-arg]
        (self.name, self.snake_name, self.camel_name, self.location, self.type, self.item_type,
         self.style, self.required) = fields

    def __repr__(self) -> str:
        req = ", required" if self.required else ""
        return f"Param({self.name!r}, {self.type}{req}, in {self.location})"


class Operation:
    """A CAMS operation of the catalog (``camskit.operation("ChatappMigrationRegister")``)."""

    __slots__ = ("name", "snake_name", "camel_name", "method", "params")

    def __init__(self, fields: tuple) -> None:  # type: ignore[type-arg]
        self.name, self.snake_name, self.camel_name, self.method, params = fields
        self.params = tuple(Param(p) for p in params)

    def __repr__(self) -> str:
        return f"Operation({self.name!r}, {self.method}, {len(self.params)} params)"


def operations() -> list[Operation]:
    """Every CAMS operation of the catalog, sorted by name."""
    return [Operation(o) for o in _native.operations()]


def operation(name: str) -> Operation:
    """One operation by API name (``"ChatappMigrationRegister"``) or snake name; raises
    ``ValidationError`` (with suggestions) for an unknown one."""
    return Operation(_native.operation(name))


for _cls in (Param, Operation):
    _cls.__module__ = "camskit"
