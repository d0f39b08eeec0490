"""Only the portal's workflow and groups: Wagtail's "Moderators approval" and its groups
"Moderators" and "Editors" are removed (`home.roles.remove_wagtail_defaults`).

The tree's root had "Moderators approval": it gets Granskning, so pages outside the sections go
through the same review. A default workflow with history is kept disabled rather than deleted;
members of a removed group get the matching role (Moderators → Granskare, Editors → Redaktör).
Idempotent; `manage.py setup_roles` does the same.
"""

from django.db import migrations


def only_the_portals_workflow_and_groups(apps, schema_editor):
    from home.roles import ensure_groups, ensure_workflow, remove_wagtail_defaults

    groups = ensure_groups(apps)
    remove_wagtail_defaults(apps, groups, ensure_workflow(apps, groups["Granskare"]))


class Migration(migrations.Migration):
    dependencies = [("home", "0006_records_reviewed_by_granskare")]

    operations = [migrations.RunPython(only_the_portals_workflow_and_groups, migrations.RunPython.noop)]
