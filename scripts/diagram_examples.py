"""Render the example diagrams of docs/diagrams/ from scenarios of the default pack.

    .venv/bin/python scripts/diagram_examples.py

Each example is a scenario of rules/scenarios/ drawn as PNG and Mermaid, with the project name
given here; run it again after changing the drawing or the pack.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "diagrams"
EXAMPLES = {  # scenario id -> (file stem, project name)
    "marketplace-team-per-app": ("marketplace", "Acme Marketplace"),
    "saas-web-public-api": ("b2b-saas", "Ledgerly (B2B SaaS with a public API)"),
    "nextjs-monorepo-startup": ("startup", "Tiny Invoices"),
}


def main() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "advisor.settings")
    os.environ.setdefault("SECRET_KEY", "examples-only-" + "x" * 40)
    import django

    django.setup()
    from advisor.engine import evaluate, load_pack
    from advisor.exports import diagrams

    pack = load_pack(ROOT / "rules")
    OUT.mkdir(parents=True, exist_ok=True)
    for scenario in pack.scenarios:
        if scenario.id not in EXAMPLES:
            continue
        stem, name = EXAMPLES[scenario.id]
        rec = evaluate(pack, scenario.answers)
        png = diagrams.rendered_diagram(rec, pack=pack, fmt="png", project_name=name)
        if not png.ok:
            sys.exit(f"{scenario.id}: {png.message}")
        (OUT / f"{stem}.png").write_bytes(png.content)
        mermaid = diagrams.mermaid_source(rec, pack=pack, project_name=name)
        (OUT / f"{stem}.mmd").write_text(mermaid)
        print(f"docs/diagrams/{stem}.png and .mmd: {scenario.title}")


if __name__ == "__main__":
    main()
