"""Reliability (issue 8), QGIS tier: the same bad inputs and faults at the dock and in Processing,
PostGIS unreachable or refusing the password, hostile names in the PDF, and no secrets in settings.

Each test is one row of docs/reliability.md; keep the two in step.
"""

from __future__ import annotations

import errno
import hashlib
import shutil
import socket
import sqlite3
import subprocess
import time
from dataclasses import fields

import pytest
from lnrs_toolkit.plugin.core.errors import PackError
from lnrs_toolkit.plugin.core.screening.index_cache import clear_cache
from lnrs_toolkit.tests.qgis import test_add_to_habitat_map as add_alg
from lnrs_toolkit.tests.qgis import test_screen_sites_alg as screen_alg
from lnrs_toolkit.tests.qgis.postgis_server import running_server, unavailable
from lnrs_toolkit.tests.qgis.test_add_to_habitat_map import existing_pack  # noqa: F401 - fixture
from lnrs_toolkit.tests.qgis.test_dock import HOSTILE, X, Y, checked, dock, pack  # noqa: F401 - fixtures
from qgis.core import (
    QgsApplication,
    QgsAuthMethodConfig,
    QgsDataSourceUri,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProviderRegistry,
    QgsSettings,
)

WRONG_PASSWORD = "s3cret-Wrong-pa55word"  # a test value that must never be shown


def sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def copy_of(source, tmp_path, name="copy.gpkg"):
    target = tmp_path / name
    shutil.copyfile(source, target)
    clear_cache()
    return target


def set_schema_version(path, value):
    conn = sqlite3.connect(path)
    conn.execute("UPDATE pack_metadata SET value = ? WHERE key = 'schema_version'", (value,))
    conn.commit()
    conn.close()


def one_site():
    return screen_alg.sites_layer(geoms=[("S", screen_alg.wkt_box(X, Y, X + 100, Y + 100))])


# --------------------------------------------------------------------------- damaged packs: Processing and dock
@pytest.mark.parametrize("keep", [0.05, 0.5, 0.95])
def test_processing_refuses_a_truncated_pack_with_a_sentence(lnrs_provider, pack, tmp_path, keep):  # noqa: F811
    bad = copy_of(pack, tmp_path)
    bad.write_bytes(pack.read_bytes()[: int(pack.stat().st_size * keep)])
    with pytest.raises(QgsProcessingException, match="damaged|not a readable|cannot be read|not an LNRS"):
        screen_alg.run({"INPUT": one_site(), "PACK": str(bad), "OUTPUT": "memory:"})


def test_processing_refuses_a_newer_pack(lnrs_provider, pack, tmp_path):  # noqa: F811
    newer = copy_of(pack, tmp_path)
    set_schema_version(newer, "9")
    with pytest.raises(QgsProcessingException, match="update the plugin"):
        screen_alg.run({"INPUT": one_site(), "PACK": str(newer), "OUTPUT": "memory:"})


def test_processing_locked_pack_is_a_message_not_a_hang(lnrs_provider, pack, tmp_path):  # noqa: F811
    locked = copy_of(pack, tmp_path)
    holder = sqlite3.connect(locked, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    start = time.monotonic()
    try:
        with pytest.raises(QgsProcessingException, match="locked"):
            screen_alg.run({"INPUT": one_site(), "PACK": str(locked), "OUTPUT": "memory:"})
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert time.monotonic() - start < 30


@pytest.mark.parametrize("damage", ["truncated", "newer"])
def test_dock_refuses_a_damaged_pack_with_a_sentence(dock, pack, tmp_path, damage):  # noqa: F811
    bad = copy_of(pack, tmp_path)
    if damage == "truncated":
        bad.write_bytes(pack.read_bytes()[:3000])
    else:
        set_schema_version(bad, "9")
    assert not dock.set_pack_path(str(bad))
    assert dock.last_message.startswith("The habitat map could not be loaded:")
    assert "Traceback" not in dock.last_message
    if damage == "newer":
        assert "update the plugin" in dock.last_message


def test_processing_cancelled_batch_keeps_previous_json(lnrs_provider, pack, tmp_path):  # noqa: F811
    out = tmp_path / "out.json"
    out.write_text("previous\n", encoding="utf-8")
    fb = QgsProcessingFeedback()
    fb.cancel()
    import processing

    processing.run("lnrs:screensites", {"INPUT": one_site(), "PACK": str(pack), "OUTPUT": "memory:",
                                        "JSON": str(out)}, feedback=fb)
    assert out.read_text(encoding="utf-8") == "previous\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]


# --------------------------------------------------------------------------- pack builds: read-only, full disk
def test_add_to_read_only_folder_is_refused_and_pack_untouched(existing_pack, monkeypatch):  # noqa: F811
    from lnrs_toolkit.plugin.core.pack import store as pack_store

    before = sha(existing_pack)
    real_access = pack_store.os.access
    monkeypatch.setattr(pack_store.os, "access", lambda p, mode: False if mode == pack_store.os.W_OK
                        else real_access(p, mode))
    with pytest.raises(QgsProcessingException, match="not writable"):
        add_alg.run(add_alg._params(existing_pack))
    assert sha(existing_pack) == before


def test_add_to_truncated_pack_is_refused_and_file_untouched(existing_pack):  # noqa: F811
    existing_pack.write_bytes(existing_pack.read_bytes()[:5000])
    before = sha(existing_pack)
    with pytest.raises(QgsProcessingException, match="damaged|not a readable|cannot be read"):
        add_alg.run(add_alg._params(existing_pack))
    assert sha(existing_pack) == before


def test_disk_full_on_replace_keeps_previous_pack(existing_pack, monkeypatch):  # noqa: F811
    from lnrs_toolkit.plugin.core.pack import store as pack_store

    before = sha(existing_pack)

    def disk_full(*_a, **_k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pack_store.os, "replace", disk_full)
    with pytest.raises((QgsProcessingException, OSError), match="No space left"):
        add_alg.run(add_alg._params(existing_pack))
    assert sha(existing_pack) == before
    assert [p.name for p in existing_pack.parent.iterdir()] == ["pack.gpkg"]


# --------------------------------------------------------------------------- dock exports: full disk, hostile text
@pytest.mark.parametrize("kind", ["json", "html", "pdf"])
def test_dock_export_on_a_full_disk_keeps_previous_file(checked, tmp_path, monkeypatch, kind):  # noqa: F811
    from lnrs_toolkit.plugin.core.reports import json_report as report_json
    from lnrs_toolkit.plugin.gui import report_export

    target = tmp_path / f"report.{kind}"
    target.write_bytes(b"previous report")

    def disk_full(*_a, **_k):
        raise OSError(errno.ENOSPC, "No space left on device")

    module = {"json": report_json, "html": report_json, "pdf": report_export}[kind]
    monkeypatch.setattr(module.os, "replace", disk_full)
    results = checked.results_panel
    export = {"json": results.export_json, "html": results.export_html, "pdf": results.export_pdf}[kind]
    try:
        assert export(str(target)) == ""
    except OSError:
        pytest.fail("the export let an OSError escape to the user")
    assert target.read_bytes() == b"previous report"
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]
    assert "No space left" in checked.last_message or "could not" in checked.last_message.lower()


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler-utils)")
def test_hostile_names_are_plain_text_in_the_pdf(checked, tmp_path):  # noqa: F811
    out = tmp_path / "report.pdf"
    assert checked.results_panel.export_pdf(str(out)) == str(out), checked.last_message
    raw = out.read_bytes()
    assert b"/JavaScript" not in raw and b"/JS " not in raw and b"/Launch" not in raw
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "<script>alert(1)</script>" in text.replace("\n", "")  # drawn as the literal characters


def test_hostile_names_are_escaped_in_the_dock(checked):  # noqa: F811
    view = checked.results_panel.results_view
    assert "<script>" not in view.banner.text()
    for item in view.finding_items():
        view.tree.setCurrentItem(item)
        html = view.detail.toHtml()
        assert "<script>" not in html
    assert "<script>" not in checked.pack_chooser.pack_info.text()


# --------------------------------------------------------------------------- PostGIS unreachable / wrong password
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture()
def saved_connection(qgis_app):
    """Save a PostgreSQL connection whose credentials live in the auth manager; remove it afterwards."""
    made = []

    def make(name, host, port, dbname, user, password):
        auth = QgsApplication.authManager()
        if not auth.masterPasswordIsSet():
            assert auth.setMasterPassword("lnrs-test-master-password", True)
        cfg = QgsAuthMethodConfig("Basic")
        cfg.setName(name)
        cfg.setConfig("username", user)
        cfg.setConfig("password", password)
        assert auth.storeAuthenticationConfig(cfg)
        uri = QgsDataSourceUri()
        uri.setConnection(host, str(port), dbname, "", "", QgsDataSourceUri.SslDisable, cfg.id())
        uri.setParam("connect_timeout", "5")
        md = QgsProviderRegistry.instance().providerMetadata("postgres")
        md.saveConnection(md.createConnection(uri.uri(False), {}), name)
        made.append((name, cfg.id()))
        return name

    yield make
    md = QgsProviderRegistry.instance().providerMetadata("postgres")
    for name, cfg_id in made:
        md.deleteConnection(name)
        QgsApplication.authManager().removeAuthenticationConfig(cfg_id)


@pytest.fixture()
def log_messages():
    seen: list[str] = []

    def record(message, tag, level):
        seen.append(f"{tag}: {message}")

    QgsApplication.messageLog().messageReceived.connect(record)
    yield seen
    QgsApplication.messageLog().messageReceived.disconnect(record)


def _assert_no_secret(text: str) -> None:
    assert WRONG_PASSWORD not in text


def test_postgis_unreachable_is_a_sentence(saved_connection, log_messages):
    from lnrs_toolkit.plugin.adapters.pack_source import load_postgis_pack

    name = saved_connection("lnrs-unreachable", "127.0.0.1", free_port(), "nodb", "someone", WRONG_PASSWORD)
    start = time.monotonic()
    with pytest.raises(PackError) as err:
        load_postgis_pack(name, "lhm")
    assert time.monotonic() - start < 60
    message = str(err.value)
    assert "Traceback" not in message and message
    _assert_no_secret(message)
    for line in log_messages:
        _assert_no_secret(line)


@pytest.mark.postgis
def test_postgis_wrong_password_is_a_sentence_without_the_password(saved_connection, log_messages):
    reason = unavailable()
    if reason:
        pytest.skip(f"PostGIS tests need a local server: {reason}")
    from lnrs_toolkit.plugin.adapters.pack_source import load_postgis_pack

    with running_server() as server:
        name = saved_connection("lnrs-wrong-password", server.host, server.port, server.dbname, server.user,
                                WRONG_PASSWORD)
        with pytest.raises(PackError) as err:
            load_postgis_pack(name, "lhm")
    message = str(err.value)
    assert message and "Traceback" not in message
    _assert_no_secret(message)
    for line in log_messages:
        _assert_no_secret(line)
    _assert_no_secret(" ".join(str(QgsSettings().value(k)) for k in QgsSettings().allKeys()
                               if "lnrs" in k.lower()))


# --------------------------------------------------------------------------- no secrets in settings or project
def test_plugin_settings_hold_no_secret_fields(dock):  # noqa: F811
    from lnrs_toolkit.plugin.settings import PluginSettings

    names = [f.name for f in fields(PluginSettings)]
    assert not [n for n in names if any(w in n.lower() for w in ("pass", "secret", "token", "key", "auth"))]
    dock.settings.save()
    store = QgsSettings("lnrs_toolkit_tests", "dock")
    for key in store.allKeys():
        assert not any(w in key.lower() for w in ("password", "secret", "token"))
