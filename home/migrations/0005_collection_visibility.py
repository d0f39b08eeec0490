"""Öppna samlingar: a collection an editor marks public shows its files to every visitor.

Also lets Granskare manage the marks (`home.roles.ensure_roles_and_workflow()`, idempotent).
"""

import django.db.models.deletion
from django.db import migrations, models


def grant_collection_visibility_permissions(apps, schema_editor):
    from home.roles import ensure_roles_and_workflow

    ensure_roles_and_workflow(apps)


class Migration(migrations.Migration):

    dependencies = [
        ('home', '0004_suggestion_permissions'),
        ('wagtailcore', '0098_apitoken'),
    ]

    operations = [
        migrations.CreateModel(
            name='CollectionVisibility',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('is_public', models.BooleanField(default=False, help_text='Dokument och bilder i samlingen får visas och laddas ned av alla besökare, även om ingen publicerad sida använder dem. Gäller inte undersamlingar.', verbose_name='Öppen samling: filerna får visas för alla')),
                ('collection', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='visibility', to='wagtailcore.collection', verbose_name='samling')),
            ],
            options={
                'verbose_name': 'öppen samling',
                'verbose_name_plural': 'öppna samlingar',
            },
        ),
        migrations.RunPython(grant_collection_visibility_permissions, migrations.RunPython.noop),
    ]
