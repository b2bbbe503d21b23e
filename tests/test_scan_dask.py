"""The Dask engine runs the same per-file function on a real (small, in-process) LocalCluster."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("dask.distributed")

FILES = Path(__file__).resolve().parent.parent / "corpus" / "deliverables" / "files"
TEST_HASHES = FILES.parent / "test_insignia_hashes.yaml"


def test_dask_local_cluster_equals_local_engine(tmp_path):
    from clauselint.scan.analyse import Options
    from clauselint.scan.engine import run_scan
    from clauselint.scan.firms import load_firms
    from clauselint.scan.imagehashes import load_references
    from clauselint.scan.inputs import expand
    from clauselint.scan.store import Store

    options = Options(firms=load_firms(), ner=True, extra_insignia=load_references(TEST_HASHES))
    files = expand([str(FILES)]).files
    local, dask = Store(tmp_path / "local.db"), Store(tmp_path / "dask.db")
    a = run_scan(files, options, local, jobs=1)
    b = run_scan(files, options, dask, jobs=1, engine="dask",
                 local_cluster={"processes": False, "n_workers": 1, "threads_per_worker": 2})
    assert b.analysed == len(files) and b.cached == 0
    assert list(dask.entries(b.run)) == list(local.entries(a.run))
    local.close()
    dask.close()


def test_unreachable_scheduler_is_a_french_error(cli, tmp_path):
    result = cli("scan", FILES / "benchmark-ey.docx", "--engine", "dask", "--scheduler", "tcp://127.0.0.1:9",
                 "--db", tmp_path / "s.db")
    assert result.exit_code == 2
    assert "ordonnanceur Dask injoignable" in result.stderr
