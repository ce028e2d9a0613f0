"""Make docs/report.png: the seed's HTML report in headless Chromium, one highlight's card open.

    .venv/bin/python scripts/screenshot_report.py [--out docs/report.png]

Needs Debian's Chromium at /usr/bin/chromium and CJK fonts (``bash scripts/install_browser.sh``).
The briefing is made offline from the seed's reference recording, as the README's quick start does.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from summarizer.pipeline import brief_file
from summarizer.settings import load_settings

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "seeds" / "000_4e8de9e190906468.txt"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
HIGHLIGHT = 'mark[data-claims^="a0-m6"]'  # 累计建成5G基站13.3万个: a figure with its period and status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "report.png")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        settings = load_settings({"out_dir": Path(scratch), "offline": True}, env={}, cwd=Path(scratch))
        report = brief_file(SEED, settings, formats="html").outputs[0]
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1150})
            page.goto(report.resolve().as_uri())
            page.locator(HIGHLIGHT).first.hover()
            page.screenshot(path=str(args.out))
            browser.close()
    print(args.out)


if __name__ == "__main__":
    main()
