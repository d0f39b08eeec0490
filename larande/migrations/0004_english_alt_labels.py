"""One English term per concept, and the other English labels in a field of their own.

Editors used to list several English words in the English term, separated by semicolons ("logic
model; results chain; theory of change"), which SKOS exports as several preferred labels in one
language (forbidden, integrity condition S14). The first becomes the English term, the rest the
new "andra engelska benämningar" (one per line), in the pages and in every revision of a concept,
so a draft published or a revision restored later does not bring the old form back.
"""

from django.db import migrations, models

SEPARATOR = ";"


def split_english_term(english_term: str, alt_labels: str = "") -> tuple[str, str]:
    """("a; b; c", "") -> ("a", "b\\nc"); labels already in `alt_labels` are kept first and not repeated."""
    parts = [" ".join(part.split()) for part in (english_term or "").split(SEPARATOR)]
    parts = [part for part in parts if part]
    if len(parts) <= 1 and SEPARATOR not in (english_term or ""):
        return english_term, alt_labels
    term, others = (parts[0], parts[1:]) if parts else ("", [])
    existing = [line.strip() for line in (alt_labels or "").splitlines() if line.strip()]
    seen = {term.lower(), *(label.lower() for label in existing)}
    added = []
    for label in others:
        if label.lower() not in seen:
            seen.add(label.lower())
            added.append(label)
    return term, "\n".join(existing + added)


def join_english_labels(english_term: str, alt_labels: str) -> tuple[str, str]:
    labels = [english_term.strip()] if english_term.strip() else []
    labels += [line.strip() for line in (alt_labels or "").splitlines() if line.strip()]
    return "; ".join(labels)[:200], ""


def _concept_revisions(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Revision = apps.get_model("wagtailcore", "Revision")
    content_type = ContentType.objects.filter(app_label="larande", model="conceptpage").first()
    if content_type is None:
        return Revision.objects.none()
    return Revision.objects.filter(content_type=content_type)


def _apply(apps, change):
    ConceptPage = apps.get_model("larande", "ConceptPage")
    for page in ConceptPage.objects.only("pk", "english_term", "english_alt_labels").iterator():
        term, alt = change(page.english_term, page.english_alt_labels)
        if (term, alt) != (page.english_term, page.english_alt_labels):
            ConceptPage.objects.filter(pk=page.pk).update(english_term=term, english_alt_labels=alt)
    for revision in _concept_revisions(apps).only("pk", "content").iterator():
        content = revision.content or {}
        if "english_term" not in content:
            continue
        term, alt = change(content.get("english_term") or "", content.get("english_alt_labels") or "")
        if (term, alt) != (content.get("english_term"), content.get("english_alt_labels", "")):
            revision.content = {**content, "english_term": term, "english_alt_labels": alt}
            revision.save(update_fields=["content"])


def forwards(apps, schema_editor):
    _apply(apps, split_english_term)


def backwards(apps, schema_editor):
    _apply(apps, join_english_labels)


class Migration(migrations.Migration):
    dependencies = [
        ("larande", "0003_protect_used_records"),
        ("wagtailcore", "0098_apitoken"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AddField(
            model_name="conceptpage",
            name="english_alt_labels",
            field=models.TextField(
                blank=True,
                help_text="Engelska synonymer och varianter, en per rad eller kommaseparerade. Visas på sidan och "
                "hittas i sökningen.",
                verbose_name="andra engelska benämningar",
            ),
        ),
        migrations.AlterField(
            model_name="conceptpage",
            name="english_term",
            field=models.CharField(
                blank=True,
                help_text="En term: den engelska motsvarigheten som rekommenderas. Andra engelska ord skrivs nedanför.",
                max_length=200,
                verbose_name="engelsk term",
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
