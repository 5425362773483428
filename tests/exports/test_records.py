"""Decision records as a reader of the Markdown sees them: headings, numbers, index, revisit."""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from advisor.engine import load_pack
from advisor.engine.loader import read_pack_files
from advisor.exports.markdown import escape_markdown
from advisor.exports.records import (
    Earlier,
    ExportContext,
    ExportError,
    download_name,
    records,
    records_zip,
    report,
)
from tests.exports.helpers import (
    CONTEXT,
    HOSTILE_NAMES,
    SAAS,
    default_pack,
    headings,
    html,
    is_record,
    mini_pack,
    quick_svg,
    result_of,
    split_front_matter,
)
from tests.support import MINI

MADR_SECTIONS = [
    (2, "Context and Problem Statement"),
    (2, "Decision Drivers"),
    (2, "Considered Options"),
    (2, "Decision Outcome"),
    (3, "Consequences"),
    (3, "Confirmation"),
    (2, "Pros and Cons of the Options"),
]
MADR_END = [(2, "More Information"), (3, "Revisit when"), (3, "Rules that applied")]
NYGARD_SECTIONS = [(2, "Status"), (2, "Context"), (2, "Decision"), (2, "Consequences")]


def saas_records(fmt: str = "madr", start: int = 1, **context: object) -> dict[str, str]:
    result = result_of(default_pack(), SAAS)
    ctx = ExportContext(**{"date": CONTEXT.date, "permalink": CONTEXT.permalink, **context})
    files = records(pack=default_pack(), result=result, context=ctx, fmt=fmt, start=start)
    return {name: data.decode() for name, data in files.items() if name.endswith(".md")}


@pytest.fixture(autouse=True)
def _quick_svg(monkeypatch) -> None:
    quick_svg(monkeypatch)


def only_records(files: dict[str, str] | dict[str, bytes]) -> list[str]:
    return sorted(name for name in files if is_record(name))


def test_madr_records_have_the_madr_4_sections_in_order() -> None:
    result = result_of(default_pack(), SAAS)
    files = saas_records()

    assert len(only_records(files)) == len(result["decisions"])
    for name, decision in zip(only_records(files), result["decisions"], strict=True):
        found = headings(files[name])
        options = [o.title for o in default_pack().compiled.decisions[decision["id"]].options]
        title = f"{decision['title']}: {decision['option_title']}"
        assert found == [
            (1, title),
            *MADR_SECTIONS,
            *[(3, option) for option in options],
            *MADR_END,
        ]


def test_madr_front_matter_and_outcome_sentence() -> None:
    name = only_records(saas_records(decision_makers=("Ada Lovelace", "Grace Hopper")))[0]
    text = saas_records(decision_makers=("Ada Lovelace", "Grace Hopper"))[name]
    front, body = split_front_matter(text)

    assert front == {
        "status": "proposed",
        "date": __import__("datetime").date(2026, 3, 14),
        "decision-makers": "Ada Lovelace, Grace Hopper",
    }
    assert re.search(r'^Chosen option: "[^"]+", because .+\.$', body, re.MULTILINE)


def test_decision_makers_are_left_out_when_not_given() -> None:
    text = saas_records()[only_records(saas_records())[0]]

    assert "decision-makers" not in split_front_matter(text)[0]


def test_nygard_records_are_laid_out_as_adr_tools_writes_them() -> None:
    files = saas_records("nygard", start=7)

    for number, name in enumerate(only_records(files), start=7):
        text = files[name]
        found = headings(text)
        assert found[0][0] == 1
        assert found[0][1].startswith(f"{number}. ")
        assert found[1:] == NYGARD_SECTIONS
        assert text.splitlines()[2] == f"Date: {CONTEXT.date}"
        status = text.split("## Status\n\n", 1)[1].split("\n", 1)[0]
        assert status == "Proposed"


@pytest.mark.parametrize("start", [1, 42])
def test_files_are_numbered_from_start_with_kebab_titles(start: int) -> None:
    names = only_records(saas_records(start=start))

    numbers = [int(name[:4]) for name in names]
    assert numbers == list(range(start, start + len(names)))
    assert all(re.fullmatch(r"\d{4}-[a-z0-9]+(-[a-z0-9]+)*\.md", n) for n in names)
    assert names[0] == f"{start:04d}-backend-for-frontend-clients-call-the-api-directly.md"


def test_the_index_lists_every_record_with_its_link_and_status() -> None:
    files = saas_records(start=42)
    index = files["README.md"]
    rows = re.findall(r"^\| \[(\d{4})\]\(([^)]+)\) \| (.+) \| (\w+) \|$", index, re.MULTILINE)

    assert [row[1] for row in rows] == only_records(files)
    assert [row[0] for row in rows] == [name[:4] for name in only_records(files)]
    assert {row[3] for row in rows} == {"proposed"}
    assert headings(index)[0] == (1, "Architecture decision records for Acme Invoicing")
    assert "supersede" not in index.lower()


def test_starting_past_9999_is_refused_with_the_option_named() -> None:
    with pytest.raises(ExportError) as refused:
        saas_records(start=9995)

    assert refused.value.field == "start"


def test_revisit_when_names_the_changes_in_words_for_a_decision_with_known_flips() -> None:
    pack = mini_pack()
    result = result_of(pack, {"clients": ["web"], "backend_teams": 1, "async_jobs": False})
    files = records(pack=pack, result=result, context=CONTEXT)
    messaging = files["0001-messaging-none.md"].decode()

    revisit = messaging.split("### Revisit when\n\n", 1)[1].split("\n\n", 1)[0]
    assert revisit.splitlines() == [
        "* Revisit when the answer to “Background jobs?” becomes “yes”: "
        "the advice would then be “Queue”.",
        "* Revisit when the answer to “How many backend teams?” reaches 3 (now 1): "
        "the advice would then be “Stream”.",
    ]


def test_revisit_when_uses_labels_of_multi_answers() -> None:
    files = saas_records()
    bff = files[only_records(files)[0]]

    assert (
        "* Revisit when the answer to “Does each client app have its own team?” becomes “yes”: "
        "the advice would then be “One Backend-for-Frontend per client experience”." in bff
    )
    assert "frontend_team_per_client" not in bff
    public_api = files[only_records(files)[2]]
    assert "no longer includes “Partners or public developers building on your API”" in public_api
    assert "third_party" not in public_api


def test_drivers_are_answers_in_words() -> None:
    files = saas_records()
    drivers = files[only_records(files)[0]].split("## Decision Drivers\n\n")[1].split("\n\n")[0]

    assert "* Does each client app have its own team? — no" in drivers.splitlines()
    assert "somewhat" not in drivers


@pytest.mark.parametrize("name", HOSTILE_NAMES)
@pytest.mark.parametrize("fmt", ["madr", "nygard"])
def test_a_hostile_project_name_stays_one_escaped_line(name: str, fmt: str) -> None:
    pack = default_pack()
    result = result_of(pack, SAAS, project_name=name)
    files = records(pack=pack, result=result, context=CONTEXT, fmt=fmt)
    expected = saas_records(fmt)

    markdown = {n: data for n, data in files.items() if n.endswith(".md")}
    assert sorted(markdown) == sorted(expected)  # file names never come from the project name
    one_line = " ".join(name.split())
    for file_name, data in markdown.items():
        text = data.decode()
        plain = [
            (n, h.replace("Acme Invoicing", one_line)) for n, h in headings(expected[file_name])
        ]
        assert headings(text) == plain
        assert file_name == "README.md" or f"decisions for {escape_markdown(name)}." in text
        rendered = html(text)
        assert set(re.findall(r"<img src=\"([^\"]*)\"", rendered)) <= {"architecture.svg"}
        assert rendered.count("<img") == (file_name == "README.md")
        assert "onerror=" not in rendered.replace("onerror=alert(1)&gt;", "")
        assert "<script" not in rendered
        assert set(re.findall(r"href=\"([^\"]*)\"", rendered)) <= {
            CONTEXT.permalink,
            "architecture.mmd",
            *(f for f in files if is_record(f)),
        }


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_a_hostile_project_name_in_the_report_is_text(name: str) -> None:
    pack = default_pack()
    text = report(pack=pack, result=result_of(pack, SAAS, project_name=name), context=CONTEXT)
    plain = report(pack=pack, result=result_of(pack, SAAS), context=CONTEXT)

    assert [h[0] for h in headings(text)] == [h[0] for h in headings(plain)]
    assert headings(text)[0] == (1, "Architecture report for " + " ".join(name.split()))
    assert "<img" not in html(text)  # CONTEXT has no diagram_url: the Mermaid block only
    assert "```mermaid" in text


def test_hostile_decision_makers_stay_in_the_front_matter() -> None:
    makers = ("Eve\n---\nstatus: accepted", "Mallory\n## Decision Outcome")
    text = saas_records(decision_makers=makers)[only_records(saas_records())[0]]
    front, body = split_front_matter(text)

    assert front["status"] == "proposed"
    assert front["decision-makers"] == "Eve --- status: accepted, Mallory ## Decision Outcome"
    assert headings(text)[:2] == [headings(text)[0], (2, "Context and Problem Statement")]


@pytest.mark.parametrize(
    ("name", "download"),
    [
        ("Acme Invoicing", "acme-invoicing-decisions.zip"),
        ("../../etc/cron.d/evil", "etc-cron-d-evil-decisions.zip"),
        ("Acme\"; filename*=UTF-8''evil.html", "acme-filename-utf-8-evil-html-decisions.zip"),
        ("東京の配達アプリ", "architecture-decisions.zip"),
        ("a" * 300, "a" * 60 + "-decisions.zip"),
    ],
)
def test_download_names_are_slugs_of_the_project_name(name: str, download: str) -> None:
    assert download_name({"answers": {"project_name": name}}, "decisions.zip") == download


def test_the_zip_holds_the_files_under_docs_decisions_and_is_reproducible() -> None:
    pack = default_pack()
    files = records(pack=pack, result=result_of(pack, SAAS), context=CONTEXT)
    first = records_zip(files, date=CONTEXT.date)
    archive = zipfile.ZipFile(io.BytesIO(first))

    assert sorted(archive.namelist()) == sorted(f"docs/decisions/{n}" for n in files)
    assert all(archive.read(f"docs/decisions/{n}") == data for n, data in files.items())
    assert records_zip(files, date=CONTEXT.date) == first


def _rerun(pack, before: dict, after: dict) -> tuple[dict, Earlier]:
    earlier = Earlier(result=result_of(pack, before), first_number=1)
    return result_of(pack, after), earlier


def test_a_rerun_records_only_changed_decisions_each_superseding_its_earlier_record() -> None:
    pack = mini_pack()
    before = {"clients": ["web"], "async_jobs": True, "backend_teams": 1}
    after = {**before, "async_jobs": False, "backend_teams": 4}
    result, earlier = _rerun(pack, before, after)

    files = records(pack=pack, result=result, context=CONTEXT, start=3, earlier=earlier)

    assert sorted(files) == [
        "0003-messaging-stream.md",
        "README.md",
        "architecture.mmd",
        "architecture.svg",
    ]
    front, body = split_front_matter(files["0003-messaging-stream.md"].decode())
    assert front["status"] == "proposed, supersedes ADR-0001"
    assert "[ADR-0001](0001-messaging-queue.md)" in body
    index = files["README.md"].decode()
    assert "ADR-0003 supersedes ADR-0001" in index
    assert "* ADR-0002: BFF: None" in index


def test_a_rerun_without_supersedes_invents_no_link() -> None:
    pack = mini_pack()
    result, _ = _rerun(pack, {"clients": ["web"], "async_jobs": True}, {"clients": ["web"]})

    files = records(pack=pack, result=result, context=CONTEXT, start=3)

    assert len(only_records(files)) == 2
    assert all("supersede" not in data.decode().lower() for data in files.values())


def test_new_records_may_not_reuse_the_earlier_numbers() -> None:
    pack = mini_pack()
    result, earlier = _rerun(pack, {"clients": ["web"], "async_jobs": True}, {"clients": ["web"]})

    with pytest.raises(ExportError) as refused:
        records(pack=pack, result=result, context=CONTEXT, start=2, earlier=earlier)

    assert refused.value.field == "start"
    assert "start=3" in refused.value.message


def hostile_pack():
    """The mini pack with decision and option titles a careless or hostile consultant wrote."""
    files = {
        name: body.decode() if isinstance(body, bytes) else body
        for name, body in read_pack_files(MINI).items()
    }
    titles = {
        "title: Messaging": 'title: "../../etc/cron.d/evil"',
        "title: BFF\n": "title: 東京の配達アプリ\n",
        "title: None, description: No messaging.": "title: '..', description: x",
        "title: None, description: Direct.": "title: 東京, description: x",
    }
    for plain, hostile in titles.items():
        files["decisions.yaml"] = files["decisions.yaml"].replace(plain, hostile)
    return load_pack(files)


@pytest.mark.parametrize(
    ("answers", "messaging"),
    [
        ({"clients": ["web"]}, "0009-etc-cron-d-evil.md"),
        ({"clients": ["web"], "async_jobs": True}, "0009-etc-cron-d-evil-queue.md"),
    ],
)
def test_every_zip_entry_name_is_safe_whatever_the_titles(answers: dict, messaging: str) -> None:
    pack = hostile_pack()
    files = records(pack=pack, result=result_of(pack, answers), context=CONTEXT, start=9)
    names = zipfile.ZipFile(io.BytesIO(records_zip(files, date=CONTEXT.date))).namelist()

    assert sorted(names) == [
        f"docs/decisions/{messaging}",
        "docs/decisions/0010-decision.md",
        "docs/decisions/README.md",
        "docs/decisions/architecture.mmd",
        "docs/decisions/architecture.svg",
    ]
    for name in names:
        assert ".." not in name
        assert re.fullmatch(r"docs/decisions/(\d{4}-[a-z0-9]+(-[a-z0-9]+)*\.md|[\w.]+)", name)
