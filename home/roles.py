"""Roles and moderation: the Swedish editor groups, their permissions and the review workflow.

Three groups besides Wagtail's administrators (superusers):

- **Redaktör** edits the framework's guidance, concepts and chains; submits pages for review but
  cannot publish.
- **Kommunikatör** edits evaluation results (and with them their answers, lessons and reported
  indicator values); submits for review but cannot publish.
- **Granskare** reviews: approves the workflow task, and may publish in every content section.

The supporting records (evaluation questions, indicators with their values, regions, RUS
priorities) have no drafts: a saved record is public at once, on the question pages, in search,
in the open data and in the framework document. So only Granskare add, change and delete them;
Redaktör and Kommunikatör may view them (list, inspect, and choose them in page forms). What
editors and communicators change reaches visitors through pages, and so through review: a
result's answers and reported indicator values are part of the result page.

Visitors' concept suggestions (Begreppsförslag, never published) are handled by Redaktör and
Granskare, who may view them and change their status, note and concept; only Granskare may
delete one, and Kommunikatör does not see them. Nobody adds one in the admin: they come from
the public form.

Only Granskare may open a collection (Öppna samlingar, home.CollectionVisibility): its files are then
shown to every visitor, which is a publishing decision.

The workflow **Granskning** has one step, an approval by Granskare. It is assigned to every
content section, so nothing that Redaktör or Kommunikatör writes is published unreviewed. Wagtail's
own defaults, the English workflow "Moderators approval" (on the tree's root) and the empty groups
"Moderators" and "Editors", are removed (`remove_wagtail_defaults`): the root gets Granskning
instead, so every page, also outside the sections, is reviewed the same way, and the admin shows
only the portal's own workflow and groups. A member of a removed group keeps a matching role.

Everything here works both in a data migration (pass the migration's historical `apps`) and at
run time (the demo build and `manage.py setup_roles`), and is idempotent: it adds what is
missing and, on the records above (`GOVERNED_MODELS`), takes away what a role is not given, so a
database migrated from the time when Redaktör and Kommunikatör could change questions and
indicators ends up with the same permissions as a new one. Page permissions and workflow
assignments attach to the section pages that exist when it runs, so it must run again after the
sections are created.
"""

from django.apps import apps as global_apps

REDAKTOR = "Redaktör"
KOMMUNIKATOR = "Kommunikatör"
GRANSKARE = "Granskare"
ROLES = (REDAKTOR, KOMMUNIKATOR, GRANSKARE)

WORKFLOW_NAME = "Granskning"
TASK_NAME = "Godkännande av Granskare"

# What Wagtail's own migrations create, and the role a member of each default group gets instead.
WAGTAIL_DEFAULT_WORKFLOW = "Moderators approval"
WAGTAIL_DEFAULT_TASK = "Moderators approval"
WAGTAIL_DEFAULT_GROUPS = {"Moderators": GRANSKARE, "Editors": REDAKTOR}

# Section page models (app_label, model) and the page permissions each role has over their subtrees.
FRAMEWORK = ("larande", "frameworkindexpage")
GLOSSARY = ("larande", "glossaryindexpage")
CHAINS = ("larande", "chainindexpage")
RESULTS = ("larande", "resultindexpage")
LESSONS = ("larande", "lessonindexpage")
SECTIONS = (FRAMEWORK, GLOSSARY, CHAINS, RESULTS, LESSONS)

WRITE = ("add", "change")
REVIEW = ("add", "change", "publish", "lock", "unlock")
PAGE_PERMISSIONS = {
    REDAKTOR: {FRAMEWORK: WRITE, GLOSSARY: WRITE, CHAINS: WRITE},
    KOMMUNIKATOR: {RESULTS: WRITE, LESSONS: ("change",)},
    GRANSKARE: dict.fromkeys(SECTIONS, REVIEW),
}
WORKFLOW_SECTIONS = SECTIONS

# Model permissions: (app_label, model, codename, readable name).
ACCESS_ADMIN = ("wagtailadmin", "admin", "access_admin", "Can access Wagtail admin")


def _model_permissions(model: str, verbose: str, actions) -> list[tuple[str, str, str, str]]:
    return [("larande", model, f"{action}_{model}", f"Can {action} {verbose}") for action in actions]


_READ_RECORDS = [
    *_model_permissions("evaluationquestion", "utvärderingsfråga", ("view",)),
    *_model_permissions("indicator", "indikator", ("view",)),
    *_model_permissions("region", "region", ("view",)),
    *_model_permissions("ruspriority", "RUS-prioritering", ("view",)),
]

MODEL_PERMISSIONS = {
    REDAKTOR: [
        ACCESS_ADMIN,
        *_READ_RECORDS,
        *_model_permissions("conceptsuggestion", "begreppsförslag", ("change", "view")),
        *_model_permissions("questionsuggestion", "frågeförslag", ("change", "view")),
    ],
    KOMMUNIKATOR: [ACCESS_ADMIN, *_READ_RECORDS],
    GRANSKARE: [
        ACCESS_ADMIN,
        *_model_permissions("evaluationquestion", "utvärderingsfråga", ("add", "change", "delete", "view")),
        *_model_permissions("indicator", "indikator", ("add", "change", "delete", "view")),
        *_model_permissions("region", "region", ("add", "change", "delete", "view")),
        *_model_permissions("ruspriority", "RUS-prioritering", ("add", "change", "delete", "view")),
        *_model_permissions("conceptsuggestion", "begreppsförslag", ("change", "delete", "view")),
        *_model_permissions("questionsuggestion", "frågeförslag", ("change", "delete", "view")),
        # Opening a collection publishes its files, so it is the reviewers' decision.
        *[
            ("home", "collectionvisibility", f"{action}_collectionvisibility", f"Can {action} öppen samling")
            for action in ("add", "change", "delete", "view")
        ],
    ],
}

# The models whose permissions the roles set exactly: a permission on them that a role is not given
# above is taken away. (Indicator values are edited with their indicator; none of the roles has
# permissions of their own on them.)
GOVERNED_MODELS = (
    "evaluationquestion",
    "indicator",
    "indicatorvalue",
    "region",
    "ruspriority",
    "conceptsuggestion",
    "questionsuggestion",
)

# Image and document permissions on the root collection: writers upload and choose (and so edit
# what they uploaded themselves); reviewers may also edit and delete anyone's.
_MEDIA_WRITE = [
    ("wagtailimages", "image", "add_image", "Can add image"),
    ("wagtailimages", "image", "choose_image", "Can choose image"),
    ("wagtaildocs", "document", "add_document", "Can add document"),
    ("wagtaildocs", "document", "choose_document", "Can choose document"),
]
_MEDIA_REVIEW = _MEDIA_WRITE + [
    ("wagtailimages", "image", "change_image", "Can change image"),
    ("wagtailimages", "image", "delete_image", "Can delete image"),
    ("wagtaildocs", "document", "change_document", "Can change document"),
    ("wagtaildocs", "document", "delete_document", "Can delete document"),
]
COLLECTION_PERMISSIONS = {REDAKTOR: _MEDIA_WRITE, KOMMUNIKATOR: _MEDIA_WRITE, GRANSKARE: _MEDIA_REVIEW}


def _permission(apps, app_label: str, model: str, codename: str, name: str):
    """The permission, created if the app's post-migrate step has not made it yet (fresh database)."""
    content_type_model = apps.get_model("contenttypes", "ContentType")
    permission_model = apps.get_model("auth", "Permission")
    content_type, _ = content_type_model.objects.get_or_create(app_label=app_label, model=model)
    permission, _ = permission_model.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": name}
    )
    return permission


def _page_permission(apps, action: str):
    return _permission(apps, "wagtailcore", "page", f"{action}_page", f"Can {action} page")


def _section_pages(apps, section) -> list:
    """The pages of a section model that exist (at most one each in the portal)."""
    app_label, model = section
    return list(apps.get_model(app_label, model).objects.order_by("path"))


def ensure_groups(apps=global_apps) -> dict:
    """The three role groups with their model and media permissions (exactly those on the governed
    records); returns {name: group}."""
    group_model = apps.get_model("auth", "Group")
    collection_model = apps.get_model("wagtailcore", "Collection")
    collection_permission_model = apps.get_model("wagtailcore", "GroupCollectionPermission")
    root_collection = collection_model.objects.filter(depth=1).order_by("path").first()
    groups = {}
    for name in ROLES:
        group, _ = group_model.objects.get_or_create(name=name)
        granted = [_permission(apps, *spec) for spec in MODEL_PERMISSIONS[name]]
        group.permissions.add(*granted)
        not_granted = group.permissions.filter(
            content_type__app_label="larande", content_type__model__in=GOVERNED_MODELS
        ).exclude(pk__in=[permission.pk for permission in granted])
        group.permissions.remove(*not_granted)
        if root_collection is not None:
            for spec in COLLECTION_PERMISSIONS[name]:
                collection_permission_model.objects.get_or_create(
                    group=group, collection=root_collection, permission=_permission(apps, *spec)
                )
        groups[name] = group
    return groups


def ensure_workflow(apps=global_apps, reviewers=None):
    """The workflow "Granskning" with its one approval task for Granskare; returns the workflow."""
    content_type_model = apps.get_model("contenttypes", "ContentType")
    workflow_model = apps.get_model("wagtailcore", "Workflow")
    workflow_task_model = apps.get_model("wagtailcore", "WorkflowTask")
    task_model = apps.get_model("wagtailcore", "GroupApprovalTask")
    if reviewers is None:
        reviewers = apps.get_model("auth", "Group").objects.get_or_create(name=GRANSKARE)[0]

    task = task_model.objects.filter(name=TASK_NAME).first()
    if task is None:
        content_type, _ = content_type_model.objects.get_or_create(app_label="wagtailcore", model="groupapprovaltask")
        task = task_model.objects.create(name=TASK_NAME, content_type=content_type, active=True)
    elif not task.active:
        task.active = True
        task.save(update_fields=["active"])
    task.groups.add(reviewers)

    workflow, _ = workflow_model.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    if not workflow.active:
        workflow.active = True
        workflow.save(update_fields=["active"])
    if not workflow_task_model.objects.filter(workflow=workflow, task_id=task.pk).exists():
        workflow_task_model.objects.create(workflow=workflow, task_id=task.pk, sort_order=0)
    return workflow


def ensure_section_permissions(apps=global_apps, groups=None, workflow=None) -> dict:
    """Attach each role's page permissions, and the workflow, to the section pages that exist.

    Returns counts: {"permissions": added, "workflow_pages": assigned}.
    """
    group_permission_model = apps.get_model("wagtailcore", "GroupPagePermission")
    workflow_page_model = apps.get_model("wagtailcore", "WorkflowPage")
    groups = groups or ensure_groups(apps)
    workflow = workflow or ensure_workflow(apps, groups[GRANSKARE])
    added = assigned = 0
    for role, sections in PAGE_PERMISSIONS.items():
        for section, actions in sections.items():
            for page in _section_pages(apps, section):
                for action in actions:
                    _, created = group_permission_model.objects.get_or_create(
                        group=groups[role], page_id=page.pk, permission=_page_permission(apps, action)
                    )
                    added += created
    for section in WORKFLOW_SECTIONS:
        for page in _section_pages(apps, section):
            existing = workflow_page_model.objects.filter(page_id=page.pk).first()
            if existing is None:
                workflow_page_model.objects.create(page_id=page.pk, workflow=workflow)
                assigned += 1
            elif existing.workflow_id != workflow.pk:
                existing.workflow = workflow
                existing.save(update_fields=["workflow"])
                assigned += 1
    return {"permissions": added, "workflow_pages": assigned}


def remove_wagtail_defaults(apps=global_apps, groups=None, workflow=None) -> dict:
    """Remove Wagtail's default workflow and groups; returns counts {"workflows": …, "groups": …}.

    Pages that had the default workflow get Granskning. A default workflow that pages have already
    been through is kept, disabled, so that their history stays (Wagtail lists disabled workflows
    only on request); its task likewise. Members of a default group are added to the matching role.
    """
    group_model = apps.get_model("auth", "Group")
    workflow_model = apps.get_model("wagtailcore", "Workflow")
    workflow_page_model = apps.get_model("wagtailcore", "WorkflowPage")
    workflow_state_model = apps.get_model("wagtailcore", "WorkflowState")
    workflow_task_model = apps.get_model("wagtailcore", "WorkflowTask")
    task_model = apps.get_model("wagtailcore", "Task")
    task_state_model = apps.get_model("wagtailcore", "TaskState")
    groups = groups or ensure_groups(apps)
    workflow = workflow or ensure_workflow(apps, groups[GRANSKARE])
    removed = {"workflows": 0, "groups": 0}

    for old in workflow_model.objects.filter(name=WAGTAIL_DEFAULT_WORKFLOW).exclude(pk=workflow.pk):
        workflow_page_model.objects.filter(workflow=old).update(workflow=workflow)
        task_ids = list(workflow_task_model.objects.filter(workflow=old).values_list("task_id", flat=True))
        if workflow_state_model.objects.filter(workflow=old).exists():
            old.active = False
            old.save(update_fields=["active"])
        else:
            old.delete()
        removed["workflows"] += 1
        for task in task_model.objects.filter(pk__in=task_ids, name=WAGTAIL_DEFAULT_TASK):
            if workflow_task_model.objects.filter(task_id=task.pk).exists():
                continue
            if task_state_model.objects.filter(task_id=task.pk).exists():
                task.active = False
                task.save(update_fields=["active"])
            else:
                task.delete()

    for name, role in WAGTAIL_DEFAULT_GROUPS.items():
        for old in group_model.objects.filter(name=name):
            groups[role].user_set.add(*old.user_set.all())
            old.delete()
            removed["groups"] += 1
    return removed


def ensure_roles_and_workflow(apps=global_apps) -> dict:
    """Groups, permissions and the review workflow, attached to the sections that exist. Idempotent.

    Call it after the section pages are created (the demo build does); `manage.py setup_roles`
    runs it on its own. Returns counts of what was added.
    """
    groups = ensure_groups(apps)
    workflow = ensure_workflow(apps, groups[GRANSKARE])
    remove_wagtail_defaults(apps, groups, workflow)
    return ensure_section_permissions(apps, groups, workflow)
