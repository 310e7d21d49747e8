"""Writes of the framework: the idempotent seed of behaviours, roles and statements."""

from dataclasses import dataclass

from django.db import transaction

from ways_of_working.framework import BEHAVIOURS, ROLES, STATEMENTS
from ways_of_working.models import Behaviour, Role, Statement


@dataclass(frozen=True)
class FrameworkSeedResult:
    behaviours: int
    roles: int
    statements: int
    created: int
    updated: int


def _upsert(model, code: str, values: dict) -> tuple[object, int, int]:
    obj = model.objects.filter(code=code).first()
    if obj is None:
        return model.objects.create(code=code, **values), 1, 0
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    if changed:
        obj.save(update_fields=changed)
    return obj, 0, int(bool(changed))


@transaction.atomic
def framework_seed() -> FrameworkSeedResult:
    """Create or bring up to date the behaviours, roles and statements of ``framework.py``.

    Safe to run any number of times: rows already as written are left alone, and nothing is deleted
    (a retired statement may still be asked in an earlier cycle).
    """
    created = updated = 0
    behaviours, roles = {}, {}
    for order, spec in enumerate(BEHAVIOURS, start=1):
        behaviours[spec.code], c, u = _upsert(
            Behaviour, spec.code, {"name": spec.name, "description": spec.description, "order": order}
        )
        created, updated = created + c, updated + u
    for order, spec in enumerate(ROLES, start=1):
        roles[spec.code], c, u = _upsert(
            Role, spec.code, {"name": spec.name, "description": spec.description, "order": order}
        )
        created, updated = created + c, updated + u
    for order, spec in enumerate(STATEMENTS, start=1):
        _, c, u = _upsert(
            Statement,
            spec.code,
            {
                "text": spec.text,
                "behaviour": behaviours[spec.behaviour] if spec.behaviour else None,
                "role": roles[spec.role] if spec.role else None,
                "positively_worded": spec.positively_worded,
                "order": order,
            },
        )
        created, updated = created + c, updated + u
    return FrameworkSeedResult(
        behaviours=len(BEHAVIOURS), roles=len(ROLES), statements=len(STATEMENTS), created=created, updated=updated
    )
