"""The editor's pages: what a consultant sees on each, and what they refuse."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from advisor.models import AuditEvent, PackVersion, RulePack
from advisor.packs import Actor, save_version
from advisor.packs.archive import MAX_ARCHIVE_BYTES, files_from_folder
from tests.support import DEFAULT_RULES

pytestmark = pytest.mark.django_db

FILES = files_from_folder(DEFAULT_RULES)


def broken_draft() -> PackVersion:
    pack = RulePack.objects.get(id="default")
    files = dict(FILES)
    files["rules/bff.yaml"] = files["rules/bff.yaml"].replace(
        "{q: clients, answered: false}", "{q: clientz, answered: false}", 1
    )
    files["questions.yaml"] = files["questions.yaml"].replace(
        "text: Who calls your backend?", "text: Which programs call your backend?", 1
    )
    return save_version(
        pack=pack, base=pack.head, files=files, message="wip", actor=Actor(None, "t")
    )


def test_the_version_page_lists_files_with_their_problem_counts(editor_client):
    draft = broken_draft()

    page = editor_client.get(f"/editor/default/v{draft.number}/").content.decode()

    assert 'id="files"' in page
    for name in FILES:
        assert f"<code>{name}</code>" in page
    bff_row = page.split("<code>rules/bff.yaml</code>")[1].split("</tr>")[0]
    assert '<span class="count count-error">1</span>' in bff_row
    assert "did you mean &#x27;clients&#x27;?" in page
    assert 'id="publish-refusals"' in page
    assert 'id="publish-form"' not in page


def test_the_home_page_lists_packs_and_their_latest_versions(editor_client):
    draft = broken_draft()

    page = editor_client.get("/editor/").content.decode()

    assert "Architecture Decision Advisor default pack" in page
    assert f">v{draft.number}</a>" in page
    assert "1 error" in page
    assert "published" in page


@pytest.mark.parametrize(
    ("view", "marker"), [("unified", 'class="diff-unified"'), ("split", 'class="diff-split"')]
)
def test_the_diff_page_shows_each_changed_file(editor_client, view, marker):
    draft = broken_draft()

    response = editor_client.get(
        f"/editor/default/diff?a={draft.number - 1}&b={draft.number}&view={view}"
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert marker in page
    assert page.count('class="diff-file"') == 2
    assert "Which programs call your backend?" in page
    assert "clientz" in page


def test_the_diff_page_of_a_missing_version_is_a_404(editor_client):
    assert editor_client.get("/editor/default/diff?a=1&b=999").status_code == 404


def test_the_audit_log_filters_by_pack_and_user(editor_client, editor_user):
    version = broken_draft()
    AuditEvent.objects.create(pack_id="default", version=version, action="export", user=editor_user)

    everyone = editor_client.get("/editor/audit").content.decode()
    mine = editor_client.get("/editor/audit?user=consultant").content.decode()
    other_pack = editor_client.get("/editor/audit?pack=nope").content.decode()

    assert "wip" in everyone and "export" in everyone
    assert "export" in mine and "wip" not in mine
    assert "Nothing recorded for this filter" in other_pack


def test_export_is_a_zip_of_the_version_and_is_audited(editor_client):
    number = PackVersion.objects.get(pack_id="default", status="published").number

    response = editor_client.get(f"/editor/default/v{number}/export.zip")

    assert response["Content-Type"] == "application/zip"
    assert f'filename="default-v{number}.zip"' in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert {n.split("/", 1)[1]: archive.read(n).decode() for n in archive.namelist()} == FILES
    assert AuditEvent.objects.filter(action="export", version__number=number).exists()


def zip_of(entries: dict[str, bytes], links: tuple[str, ...] = ()) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
        for name in links:
            info = zipfile.ZipInfo(name)
            info.external_attr = 0o120777 << 16  # a symbolic link
            archive.writestr(info, "/etc/passwd")
    buffer.seek(0)
    buffer.name = "pack.zip"
    return buffer


PACK = {f"pack/{n}": t.encode() for n, t in FILES.items()}


@pytest.mark.parametrize(
    ("archive", "message"),
    [
        (zip_of({**PACK, "../../etc/cron.d/evil.yaml": b"x: 1"}), "must stay inside the pack"),
        (zip_of({**PACK, "/etc/evil.yaml": b"x: 1"}), "must stay inside the pack"),
        (zip_of(PACK, links=("pack/rules/link.yaml",)), "links are not allowed"),
        (zip_of({"pack/huge.yaml": b"#" * 1_000_001}), "larger than 1,000,000 bytes"),
        (io.BytesIO(b"not a zip at all"), "not a zip archive"),
        (zip_of({"pack/pack.yaml": b"pack: [unclosed\n"}), "YAML syntax"),
    ],
    ids=["dot-dot", "absolute", "link", "oversize-file", "not-zip", "broken-yaml"],
)
def test_import_refuses_archives_that_leave_the_pack_or_break_it(editor_client, archive, message):
    archive.name = "pack.zip"
    before = PackVersion.objects.count()

    response = editor_client.post("/editor/import", {"archive": archive})

    assert response.status_code == 400
    assert message in response.content.decode().replace("&#x27;", "'")
    assert PackVersion.objects.count() == before


def test_import_refuses_an_archive_over_the_size_limit(editor_client):
    big = io.BytesIO(b"0" * (MAX_ARCHIVE_BYTES + 1))
    big.name = "big.zip"

    response = editor_client.post("/editor/import", {"archive": big})

    assert response.status_code == 400
    assert "larger than" in response.content.decode()


def test_import_stores_a_draft_and_records_it(editor_client, editor_user):
    files = {**PACK, "pack/pack.yaml": PACK["pack/pack.yaml"].replace(b"1.0.0", b"1.0.9", 1)}

    response = editor_client.post(
        "/editor/import", {"archive": zip_of(files), "message": "from git"}
    )

    assert response.status_code == 302
    version = PackVersion.objects.get(pack_id="default", pack_version="1.0.9")
    assert version.status == "draft"
    assert version.message == "from git"
    assert "pack.yaml" in version.files
    event = AuditEvent.objects.get(action="import", version=version)
    assert event.user == editor_user


def post_json(client, url: str, body: dict):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_references_lists_every_use_of_an_id(editor_client):
    response = post_json(
        editor_client, "/editor/default/references", {"files": FILES, "id": "client_needs_differ"}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-file="questions.yaml" data-line="43"' in page
    assert "rules/bff.yaml:23:" in page
    uses = sum(text.count("client_needs_differ") for text in FILES.values())
    assert page.count('class="link-button jump"') == uses


def preview(editor_client, scenario: str) -> str:
    """The editor's preview of a scenario of the default pack's files, as HTML."""
    response = post_json(
        editor_client, "/editor/default/preview", {"files": FILES, "scenario": scenario}
    )
    assert response.status_code == 200
    return response.content.decode()


def test_the_preview_renders_a_scenarios_decisions(editor_client):
    page = preview(editor_client, "marketplace-team-per-app")
    assert 'id="preview-bff"' in page
    assert "One Backend-for-Frontend per client experience" in page


def test_the_preview_says_needs_answers_as_a_state_not_a_degree(editor_client):
    page = preview(editor_client, "empty-answers-need-answers")
    assert 'class="badge badge-confidence-needs-answers">needs answers</span>' in page
    assert "confidence needs answers" not in page


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"files": {"pack.yaml": "pack: [\n"}, "scenario": "x"}, 422),
        ({"files": FILES, "scenario": "no-such-scenario"}, 422),
        ({"files": "nope"}, 400),
        ({"files": {"../x.yaml": ""}}, 400),
    ],
    ids=["broken-pack", "unknown-scenario", "files-not-a-mapping", "bad-file-name"],
)
def test_the_preview_explains_what_it_cannot_do(editor_client, body, status):
    response = post_json(editor_client, "/editor/default/preview", body)

    assert response.status_code == status
    assert 'class="notice"' in response.content.decode()


def test_a_body_that_is_not_json_is_a_400(editor_client):
    response = editor_client.post(
        "/editor/default/references", "{nope", content_type="application/json"
    )

    assert response.status_code == 400
    assert "not JSON" in response.content.decode()


def test_the_edit_page_carries_the_files_and_links_aces_css(editor_client):
    number = PackVersion.objects.get(pack_id="default", status="published").number

    page = editor_client.get(f"/editor/default/v{number}/edit?file=rules/bff.yaml").content.decode()

    data = json.loads(
        page.split('id="editor-data" type="application/json">')[1].split("</script>")[0]
    )
    assert data["files"] == FILES
    assert data["open"] == "rules/bff.yaml"
    assert data["base_version"] == number
    assert "django_ace/ace/css/ace.css" in page
    assert "<script>" not in page
