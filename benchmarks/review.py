"""How much a full ``zhijian check`` costs over a plain ``ifcopenshell.open`` of the same file.

    uv run python benchmarks/review.py [MODEL ...] [--repeat N] [--no-generated]

Default models: the largest ``.ifc`` in ``../shared/data/ifc`` (next to the repository, or
``$ZHIJIAN_SHARED/data/ifc``) and the generated tower of ``benchmarks/large_model.py``.

Measured in one run, as ratios against a baseline measured in the same run:

* time: ``ifcopenshell.open`` (best of N) vs the ``zhijian check --format json`` path
  (open with input checks and SHA-256, index, every rule pack, JSON report; best of N).
  Target: check ÷ open ≤ 2.0. The check time is then broken down into its phases
  (each phase best of N, so the phases need not add up exactly to the total).
* memory: peak RSS of a fresh process that only opens the file vs a fresh process that runs
  the check. Target: check ÷ open-only ≤ 1.5. Both include the interpreter and the
  imported libraries; the RSS of a process that only imports ifcopenshell is printed too.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import io
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SHARED_IFC = Path(os.environ.get("ZHIJIAN_SHARED", REPO.parent / "shared")) / "data" / "ifc"
TIME_TARGET = 2.0
RSS_TARGET = 1.5


def best_of(repeat: int, run: Callable[[], Any]) -> float:
    """Shortest wall time of ``repeat`` runs; results are dropped between runs."""
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        started = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - started)
        del result
    gc.collect()
    return best


# -- what is timed ------------------------------------------------------------------------
def open_plain(path: Path) -> Any:
    import ifcopenshell

    return ifcopenshell.open(str(path))


def check_cli(path: Path, out_dir: Path) -> int:
    """The real command, as a user runs it, with its one-line summary swallowed."""
    from zhijian.cli import main

    with contextlib.redirect_stdout(io.StringIO()):
        return main(["check", str(path), "--format", "json", "--out", str(out_dir)])


def check_phases(path: Path, out_dir: Path) -> dict[str, float]:
    """The same path as :func:`check_cli`, one timed phase at a time."""
    from zhijian.domain.bim.index import build_index
    from zhijian.domain.bim.model_file import open_ifc_hashed
    from zhijian.domain.reports.json_report import write_json
    from zhijian.domain.review.engine import run_review
    from zhijian.domain.review.packs import select_packs

    times: dict[str, float] = {}
    started = time.perf_counter()
    model, sniff, sha256 = open_ifc_hashed(path)
    times["open+sha256"] = time.perf_counter() - started
    started = time.perf_counter()
    index = build_index(model, path=path, sha256=sha256, sniff=sniff)
    times["index"] = time.perf_counter() - started
    started = time.perf_counter()
    report = run_review(index, select_packs())
    times["rules"] = time.perf_counter() - started
    started = time.perf_counter()
    write_json(report, out_dir)
    times["report"] = time.perf_counter() - started
    return times


# -- peak memory in fresh processes -------------------------------------------------------
# Not getrusage(RUSAGE_CHILDREN) / wait4: on Linux a child's ru_maxrss starts from the
# parent's RSS at fork (exec folds the old address space's high-water mark in), so children of
# this process, which holds big models, would all report its size. VmHWM is the peak of the
# child's own address space after exec.
def _vm_hwm_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status (Linux only)")


def _child(mode: str, path: str) -> None:
    if mode == "import":
        import ifcopenshell  # noqa: F401
    elif mode == "open":
        open_plain(Path(path))
    elif mode == "check":
        with tempfile.TemporaryDirectory() as out:
            check_cli(Path(path), Path(out))
    else:
        raise SystemExit(f"unknown child mode {mode}")
    print(f"VmHWM {_vm_hwm_mb():.1f}")


def peak_rss_mb(mode: str, path: Path) -> float:
    """Peak RSS (MB) of a fresh interpreter that does one thing."""
    done = subprocess.run(
        [sys.executable, __file__, "--child", mode, str(path)], capture_output=True, text=True, check=False
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("VmHWM ")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"{mode} child failed on {path}: {done.stderr.strip()[-500:]}")
    return float(lines[-1].split()[1])


# -- the run ------------------------------------------------------------------------------
@dataclass
class Result:
    model: Path
    size_mb: float
    entities: int
    products: int
    open_s: float
    check_s: float
    phases: dict[str, float]
    import_mb: float
    open_mb: float
    check_mb: float

    @property
    def time_ratio(self) -> float:
        return self.check_s / self.open_s

    @property
    def rss_ratio(self) -> float:
        return self.check_mb / self.open_mb


def measure(path: Path, repeat: int) -> Result:
    model = open_plain(path)
    entities, products = len(model.entity_names()), len(model.by_type("IfcProduct"))
    del model
    with tempfile.TemporaryDirectory() as out:
        open_s = best_of(repeat, lambda: open_plain(path))
        check_s = best_of(repeat, lambda: check_cli(path, Path(out)))
        phases: dict[str, float] = {}
        for _ in range(repeat):
            gc.collect()
            for name, seconds in check_phases(path, Path(out)).items():
                phases[name] = min(phases.get(name, float("inf")), seconds)
    return Result(
        model=path,
        size_mb=path.stat().st_size / 1e6,
        entities=entities,
        products=products,
        open_s=open_s,
        check_s=check_s,
        phases=phases,
        import_mb=peak_rss_mb("import", path),
        open_mb=peak_rss_mb("open", path),
        check_mb=peak_rss_mb("check", path),
    )


def verdict(value: float, target: float) -> str:
    return "ok" if value <= target else "OVER"


def print_results(results: list[Result], repeat: int) -> None:
    print(f"\nzhijian check vs ifcopenshell.open — best of {repeat}, {os.cpu_count()} cores\n")
    header = (
        f"{'model':<34} {'MB':>6} {'entities':>9} {'products':>8} │ {'open s':>7} {'check s':>8} "
        f"{'ratio':>6}      │ {'open MB':>8} {'check MB':>9} {'ratio':>6}"
    )
    print(header)
    print("─" * len(header))
    for r in results:
        print(
            f"{r.model.name[:34]:<34} {r.size_mb:>6.1f} {r.entities:>9} {r.products:>8} │ "
            f"{r.open_s:>7.3f} {r.check_s:>8.3f} {r.time_ratio:>6.2f} {verdict(r.time_ratio, TIME_TARGET):<4} │ "
            f"{r.open_mb:>8.0f} {r.check_mb:>9.0f} {r.rss_ratio:>6.2f} {verdict(r.rss_ratio, RSS_TARGET)}"
        )
    print(f"\ntargets: check time ÷ open time ≤ {TIME_TARGET}; check peak RSS ÷ open-only peak RSS ≤ {RSS_TARGET}")
    print("\nwhere the check time goes (each phase best of N; ×open = phase ÷ plain open time)")
    for r in results:
        parts = "  ".join(f"{name} {s:.3f} s (×{s / r.open_s:.2f})" for name, s in r.phases.items())
        print(f"  {r.model.name[:34]:<34} {parts}")
    print("\npeak RSS of a process that only imports ifcopenshell (included in both columns):")
    for r in results:
        print(f"  {r.model.name[:34]:<34} {r.import_mb:.0f} MB")


def default_models(generated: bool) -> list[Path]:
    models = []
    shared = sorted(SHARED_IFC.glob("*.ifc"), key=lambda p: p.stat().st_size) if SHARED_IFC.is_dir() else []
    if shared:
        models.append(shared[-1])
    else:
        print(f"(no shared models at {SHARED_IFC}; only the generated model is measured)")
    if generated:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from large_model import ensure_large_model

        models.append(ensure_large_model())
    return models


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("models", nargs="*", type=Path, help="IFC files (default: see the module docstring)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per timing, best kept (≥ 5 advised)")
    parser.add_argument("--no-generated", action="store_true", help="skip the generated tower")
    parser.add_argument("--child", nargs=2, metavar=("MODE", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(*args.child)
        return 0
    models = args.models or default_models(not args.no_generated)
    results = []
    for path in models:
        print(f"measuring {path} …", file=sys.stderr, flush=True)
        results.append(measure(path, args.repeat))
    print_results(results, args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
