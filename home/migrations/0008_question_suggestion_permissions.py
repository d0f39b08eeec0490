"""Let Redaktör and Granskare handle visitors' question suggestions (Frågeförslag) as they handle
concept suggestions.

Runs `home.roles.ensure_roles_and_workflow()` again (idempotent: only adds what is missing), after
larande's migrations that made those models. The roles are home's: a larande migration that needed
home's groups would tie larande's history to home's, and an archive from before home 0006 could no
longer be restored and migrated.
"""

from django.db import migrations


def grant_question_suggestion_permissions(apps, schema_editor):
    from home.roles import ensure_roles_and_workflow

    ensure_roles_and_workflow(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0007_only_the_portals_workflow_and_groups"),
        ("larande", "0006_merge_evidence_and_tracker"),
    ]

    operations = [migrations.RunPython(grant_question_suggestion_permissions, migrations.RunPython.noop)]
