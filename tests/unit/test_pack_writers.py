"""Writers take a lock (issue 15): concurrent adds and publishes queue, none reports a write that did not land;
writes go through symbolic links; a killed writer's scratch files are cleaned by the next write.

The races run in two real processes.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from lnrs_toolkit.plugin.core.errors import PackError
from lnrs_toolkit.plugin.core.pack import write_lock
from lnrs_toolkit.plugin.core.pack.gpkg import read_pack
from lnrs_toolkit.plugin.core.versions.publish import list_versions
from lnrs_toolkit.tests.unit.packs import add_sites, build_small_pack

ROOT = Path(__file__).resolve().parents[2]
PKGROOT = ROOT / "build" / "pkgroot"

WRITER = textwrap.dedent("""
    import sys, time
    sys.path.insert(0, {pkgroot!r})
    from pathlib import Path
    import numpy as np
    from shapely.geometry import box
    from lnrs_toolkit.plugin.core.pack.builder import FieldMapping, map_rows
    from lnrs_toolkit.plugin.core.pack.store import add_rows
    from lnrs_toolkit.plugin.core.versions.publish import publish_version
    from lnrs_toolkit.plugin.core.errors import LnrsError

    what, pack, pause = sys.argv[1], sys.argv[2], float(sys.argv[3])
    def slow():  # called by add_rows while it holds the pack: widens the race window
        print("holding", flush=True)
        time.sleep(pause)
        return False
    try:
        if what == "publish":
            v = publish_version(pack, "from another process")
            print(f"published {{v.version}}")
        else:
            rows = map_rows(what, [{{"n": f"{{what}} area"}}], np.asarray([box(0, 500, 50, 550)], dtype=object),
                            __import__("lnrs_toolkit.plugin.core.pack.builder", fromlist=["x"]).FieldMapping(
                                name_field="n"), what, ["n"], "polygon")
            r = add_rows(pack, rows, is_cancelled=slow)
            print(f"added {{r.rows_added}} to {{r.table}}")
    except LnrsError as exc:
        print(f"refused: {{exc}}")
        sys.exit(2)
""")


def start(what: str, pack: Path, pause: float = 0.0) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", WRITER.format(pkgroot=str(PKGROOT)), what, str(pack), str(pause)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(proc: subprocess.Popen[str]) -> tuple[int, str]:
    out, err = proc.communicate(timeout=120)
    assert "Traceback" not in err, err
    return proc.returncode, "\n".join(line for line in out.splitlines() if line != "holding")


@pytest.fixture()
def pack(tmp_path):
    path = tmp_path / "pack.gpkg"
    build_small_pack(path)
    return path


def wait_for_lock(proc: subprocess.Popen[str]) -> None:
    """Until the first writer is in the middle of its add (it holds the pack's write lock)."""
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "holding", "the first writer never got going"


def test_two_adds_at_once_both_land(pack):
    first = start("interim", pack, pause=1.5)
    wait_for_lock(first)
    second = start("area", pack)
    assert finish(first) == (0, "added 1 to interim_strategy")
    assert finish(second) == (0, "added 1 to strategy_area")
    layers = read_pack(pack).layers
    assert len(layers["interim_strategy"]) == 1 and len(layers["strategy_area"]) == 1
    assert len(layers["designated_sites"]) == 3


def test_a_publish_during_an_add_is_not_erased(pack):
    add = start("interim", pack, pause=1.5)
    wait_for_lock(add)
    publish = start("publish", pack)
    assert finish(add)[0] == 0
    code, out = finish(publish)
    assert code == 0 and out.startswith("published ")
    number = int(out.split()[1])
    assert [v.version for v in list_versions(pack)] == [number]
    assert len(read_pack(pack).layers["interim_strategy"]) == 1


def test_a_writer_that_waits_too_long_is_refused_and_changes_nothing(pack, monkeypatch):
    monkeypatch.setattr(write_lock, "WRITE_LOCK_SECONDS", 0.5)
    before = hashlib.sha256(pack.read_bytes()).hexdigest()
    holder = start("interim", pack, pause=8)
    wait_for_lock(holder)
    with pytest.raises(PackError, match="Another user or program is writing to the pack pack.gpkg"):
        add_sites(pack, source="more")
    holder.kill()
    holder.communicate()
    assert hashlib.sha256(pack.read_bytes()).hexdigest() == before


def test_a_pack_reached_through_a_symbolic_link_is_written_in_place(tmp_path):
    shared = tmp_path / "shared" / "pack.gpkg"
    shared.parent.mkdir()
    build_small_pack(shared)
    link = tmp_path / "mine.gpkg"
    link.symlink_to(shared)
    add_sites(link, source="more")
    assert link.is_symlink() and link.resolve() == shared
    assert len(read_pack(shared).layers["designated_sites"]) == 6
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.gpkg", "shared"]


def test_a_killed_writers_scratch_copy_and_journal_are_cleaned_by_the_next_write(pack):
    leftovers = [pack.with_name(f".{pack.name}.999999.tmp"), pack.with_name(f".{pack.name}.999999.tmp-journal")]
    for path in leftovers:
        path.write_bytes(b"left by a killed writer")
    add_sites(pack, source="more")
    assert sorted(p.name for p in pack.parent.iterdir()) == ["pack.gpkg"]


def test_a_check_in_during_an_add_waits_and_writes_into_the_new_file(pack):
    from lnrs_toolkit.plugin.core.editing.gpkg_store import GpkgOpportunityStore

    add = start("interim", pack, pause=1.5)
    wait_for_lock(add)
    with GpkgOpportunityStore(pack, busy_timeout=60).transaction() as tx:
        tables = {r[0] for r in tx.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert finish(add)[0] == 0
    assert "interim_strategy" in tables  # it waited for the add and opened the file the add left


def test_a_check_in_that_cannot_wait_is_refused_with_a_sentence(pack):
    from lnrs_toolkit.plugin.core.editing.gpkg_store import GpkgOpportunityStore

    holder = start("interim", pack, pause=8)
    wait_for_lock(holder)
    with pytest.raises(PackError, match="Another user or program is writing to the pack"), \
            GpkgOpportunityStore(pack, busy_timeout=0.5).transaction():
        pass
    holder.kill()
    holder.communicate()
