"""Migration operations shared by apps whose models moved from another app with their tables kept."""

from django.db import migrations


def move_content_types(*, old_app: str, new_app: str, models: list[str]) -> migrations.RunPython:
    """Return an operation that relabels the moved models' content types (and so their permissions).

    A database migrated before the move keeps its content type rows, their ids, and the permissions
    and admin log entries that point at them; a fresh database has none yet (``post_migrate`` creates
    them under the new app), so there is nothing to do there.
    """

    def relabel(apps, schema_editor, source: str, target: str) -> None:
        content_type = apps.get_model("contenttypes", "ContentType")
        db = schema_editor.connection.alias
        for model in models:
            if content_type.objects.using(db).filter(app_label=target, model=model).exists():
                continue
            content_type.objects.using(db).filter(app_label=source, model=model).update(app_label=target)

    return migrations.RunPython(
        lambda apps, schema_editor: relabel(apps, schema_editor, old_app, new_app),
        lambda apps, schema_editor: relabel(apps, schema_editor, new_app, old_app),
    )
