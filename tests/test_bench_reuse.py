"""A small-N smoke run of the reuse benchmark (generator/tools/bench_reuse.py): both
workloads build, the stage runs cold and again after one new document, and every figure
is reported. No timing is asserted (speed is measured in the benchmark, never in a test)."""

from __future__ import annotations

from conftest import SEEDS

from generator.tools.bench_reuse import planted, recombined, run_one


def test_workloads_are_what_they_say() -> None:
    pool = ["某某县要加快推进高质量发展，持续优化营商环境，扎实做好民生保障工作。" * 3,
            "全面推进乡村振兴，巩固拓展脱贫攻坚成果，守住不发生规模性返贫底线。" * 3]
    docs = planted(pool, 30)
    assert len({d.id for d in docs}) == 30 and all(d.value("date") for d in docs)
    assert all(p in pool for d in recombined(pool, 5) for p in d.paragraphs)


def test_bench_reports_every_figure() -> None:
    for kind in ("recombined", "planted"):
        res = run_one(kind, 40, SEEDS)
        for key in ("cold_s", "cold_cpu_s", "rebuild_s", "rebuild_cpu_s", "peak_added_mb", "chars"):
            assert key in res, key
        assert res["docs"] == 40
        # the rebuild aligns only the new document's pairs; the rest come from the cache
        assert res["rebuild_stats"]["cached_alignments"] >= res["stats"]["aligned_pairs"] - 5
