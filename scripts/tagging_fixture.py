"""What the tagging scripts share: the fixture, the passages as `mbc export --all` gives them,
and finding the passage a fixture entry names (by file, section and first words, as
`tests/integration/tagging.rs` does)."""
import json
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def read_fixture():
    """The fixture's entries (tests/fixtures/tagging.toml), in file order."""
    return tomllib.loads((ROOT / "tests/fixtures/tagging.toml").read_text())["passage"]


def exported_passages(mbc=None):
    """Every passage of the bundled corpus, as `mbc export --all` writes it (building the index
    if there is none)."""
    mbc = mbc or str(ROOT / "target/release/mbc")
    out = subprocess.run([mbc, "export", "--all"], cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout
    return [json.loads(line) for line in out.splitlines()]


def names(passage, label):
    """True when the fixture entry `label` names `passage`."""
    return (passage["doc_id"] == label["file"]
            and (passage["section"] == label["section"]
                 or passage["section"].endswith("› " + label["section"]))
            and passage["text"].startswith(label["starts"]))


def passage_named(passages, label):
    """The one passage `label` names; exits with a message when it names none or several."""
    found = [p for p in passages if names(p, label)]
    if len(found) != 1:
        sys.exit(f"{label['file']} › {label['starts']!r} names {len(found)} passages")
    return found[0]
