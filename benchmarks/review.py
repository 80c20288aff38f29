"""How much a full ``zhijian check`` costs over a plain ``ifcopenshell.open`` of the same file.

    uv run python benchmarks/review.py [MODEL ...] [--repeat N] [--no-generated]

Default models: the largest ``.ifc`` in ``../shared/data/ifc`` (next to the repository, or
``$ZHIJIAN_SHARED/data/ifc``) and the generated tower of ``benchmarks/large_model.py``.

Measured in one run, as ratios against a baseline measured in the same run:

* time: ``ifcopenshell.open`` vs the ``zhijian check --format json`` path (open with input
  checks and SHA-256, index, every rule pack, JSON report), alternating run by run so both
  see the same machine load, best of N each. Target: check ÷ open ≤ 2.0. Wall time is the
  target; CPU time (all threads) is printed too, as it is steadier on a shared machine.
  Neither includes dropping the model afterwards (printed as "release"). The check time is
  broken down into its phases (each best of N), and the real CLI is timed as well (its time
  includes argument parsing and releasing the model).
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


@dataclass
class Best:
    """Best wall and CPU seconds seen."""

    wall: float = float("inf")
    cpu: float = float("inf")

    def add(self, wall: float, cpu: float) -> None:
        self.wall, self.cpu = min(self.wall, wall), min(self.cpu, cpu)


class Clock:
    def __init__(self) -> None:
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def lap(self) -> tuple[float, float]:
        wall, cpu = time.perf_counter(), time.process_time()
        lap = (wall - self.wall, cpu - self.cpu)
        self.wall, self.cpu = wall, cpu
        return lap


# -- what is timed ------------------------------------------------------------------------
def open_plain(path: Path) -> Any:
    import ifcopenshell

    return ifcopenshell.open(str(path))


def check_cli(path: Path, out_dir: Path) -> int:
    """The real command, as a user runs it, with its one-line summary swallowed."""
    from zhijian.cli import main

    with contextlib.redirect_stdout(io.StringIO()):
        return main(["check", str(path), "--format", "json", "--out", str(out_dir)])


def check_phases(
    path: Path, out_dir: Path
) -> tuple[dict[str, tuple[float, float]], float, tuple[Any, ...]]:
    """The path :func:`check_cli` takes, one timed (wall, cpu) phase at a time.

    Returns the phase times; the wall time the rules spent in the index reading property and
    quantity sets on first use (part of "rules"); and what was built, so that the caller drops
    it untimed.
    """
    from zhijian.domain.bim import index as index_module
    from zhijian.domain.bim.index import build_index
    from zhijian.domain.bim.model_file import open_ifc_hashed
    from zhijian.domain.reports.json_report import write_json
    from zhijian.domain.review.engine import run_review
    from zhijian.domain.review.packs import select_packs

    # Wrap the (private) reader of the index for the duration of this run only.
    reader = index_module._SetsReader
    read, sets_read = reader.read, [0.0]

    def timed_read(self: Any, *args: Any) -> Any:
        started = time.perf_counter()
        try:
            return read(self, *args)
        finally:
            sets_read[0] += time.perf_counter() - started

    reader.read = timed_read  # type: ignore[method-assign]
    try:
        clock = Clock()
        model, sniff, sha256 = open_ifc_hashed(path)
        times = {"open+sha256": clock.lap()}
        index = build_index(model, path=path, sha256=sha256, sniff=sniff)
        times["index"] = clock.lap()
        report = run_review(index, select_packs())
        times["rules"] = clock.lap()
        write_json(report, out_dir)
        times["report"] = clock.lap()
    finally:
        reader.read = read  # type: ignore[method-assign]
    return times, sets_read[0], (model, index, report)


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
    elif mode == "stages":  # the peak after each stage of a check, to see what takes memory
        from zhijian.domain.bim.index import load_index
        from zhijian.domain.review.engine import run_review
        from zhijian.domain.review.packs import select_packs

        packs = select_packs()
        print(f"VmHWM-imports {_vm_hwm_mb():.1f}")
        index = load_index(Path(path))
        print(f"VmHWM-index {_vm_hwm_mb():.1f}")
        run_review(index, packs)
        print(f"VmHWM-rules {_vm_hwm_mb():.1f}")
    else:
        raise SystemExit(f"unknown child mode {mode}")
    print(f"VmHWM {_vm_hwm_mb():.1f}")


def peak_rss_mb(mode: str, path: Path) -> float:
    """Peak RSS (MB) of a fresh interpreter that does one thing."""
    return _child_peaks(mode, path)["VmHWM"]


def _child_peaks(mode: str, path: Path) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", mode, str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    peaks = {
        line.split()[0]: float(line.split()[1])
        for line in done.stdout.splitlines()
        if line.startswith("VmHWM")
    }
    if done.returncode != 0 or "VmHWM" not in peaks:
        raise RuntimeError(f"{mode} child failed on {path}: {done.stderr.strip()[-500:]}")
    return peaks


def stage_peaks_mb(path: Path) -> dict[str, float]:
    """Peak RSS after the imports, after load_index and after the rules, in one fresh process."""
    peaks = _child_peaks("stages", path)
    return {name.removeprefix("VmHWM-"): mb for name, mb in peaks.items() if name != "VmHWM"}


# -- the run ------------------------------------------------------------------------------
@dataclass
class Result:
    model: Path
    size_mb: float
    entities: int
    products: int
    open: Best
    check: Best
    phases: dict[str, Best]
    release_s: float
    sets_read_s: float
    cli_s: float
    import_mb: float
    stages_mb: dict[str, float]
    open_mb: float
    check_mb: float

    @property
    def time_ratio(self) -> float:
        return self.check.wall / self.open.wall

    @property
    def cpu_ratio(self) -> float:
        return self.check.cpu / self.open.cpu

    @property
    def rss_ratio(self) -> float:
        return self.check_mb / self.open_mb


def measure(path: Path, repeat: int) -> Result:
    from zhijian.domain.review.packs import select_packs

    select_packs()  # import the rule catalogue before anything is timed
    model = open_plain(path)
    entities, products = len(model.entity_names()), len(model.by_type("IfcProduct"))
    del model
    opened, checked, phases = Best(), Best(), dict[str, Best]()
    release = sets_read = float("inf")
    with tempfile.TemporaryDirectory() as out:
        for _ in range(repeat):
            gc.collect()
            clock = Clock()
            model = open_plain(path)
            opened.add(*clock.lap())
            del model
            release = min(release, clock.lap()[0])
            gc.collect()
            times, sets_s, built = check_phases(path, Path(out))
            del built
            sets_read = min(sets_read, sets_s)
            checked.add(sum(w for w, _ in times.values()), sum(c for _, c in times.values()))
            for name, (wall, cpu) in times.items():
                phases.setdefault(name, Best()).add(wall, cpu)
        cli_s = best_of(repeat, lambda: check_cli(path, Path(out)))
    return Result(
        model=path,
        size_mb=path.stat().st_size / 1e6,
        entities=entities,
        products=products,
        open=opened,
        check=checked,
        phases=phases,
        release_s=release,
        sets_read_s=sets_read,
        cli_s=cli_s,
        import_mb=peak_rss_mb("import", path),
        open_mb=peak_rss_mb("open", path),
        check_mb=peak_rss_mb("check", path),
        stages_mb=stage_peaks_mb(path),
    )


def verdict(value: float, target: float) -> str:
    return "ok" if value <= target else "OVER"


def print_results(results: list[Result], repeat: int) -> None:
    print(f"\nzhijian check vs ifcopenshell.open — best of {repeat}, {os.cpu_count()} cores\n")
    header = (
        f"{'model':<26} {'MB':>5} {'entities':>8} {'products':>8} │ {'open s':>6} {'check s':>7} "
        f"{'ratio':>5}      {'cpu ratio':>9} │ {'open MB':>7} {'check MB':>8} {'ratio':>5}"
    )
    print(header)
    print("─" * (len(header) + 5))
    for r in results:
        print(
            f"{r.model.name[:26]:<26} {r.size_mb:>5.1f} {r.entities:>8} {r.products:>8} │ "
            f"{r.open.wall:>6.3f} {r.check.wall:>7.3f} {r.time_ratio:>5.2f} {verdict(r.time_ratio, TIME_TARGET):<4} "
            f"{r.cpu_ratio:>9.2f} │ "
            f"{r.open_mb:>7.0f} {r.check_mb:>8.0f} {r.rss_ratio:>5.2f} {verdict(r.rss_ratio, RSS_TARGET)}"
        )
    print(
        f"\ntargets: check time ÷ open time ≤ {TIME_TARGET}; check peak RSS ÷ open-only peak RSS ≤ {RSS_TARGET}"
    )
    print("\nwhere the check time goes (wall s, best of N; ×open = phase ÷ plain open time):")
    for r in results:
        parts = "  ".join(
            f"{name} {b.wall:.3f} (×{b.wall / r.open.wall:.2f})" for name, b in r.phases.items()
        )
        print(f"  {r.model.name[:26]:<26} {parts}")
        print(
            f"  {'':<26} of the rules' time, reading property/quantity sets on first use:"
            f" {r.sets_read_s:.3f} (×{r.sets_read_s / r.open.wall:.2f})"
        )
    print("\nalso (wall s): the CLI end to end in-process, and dropping a plain opened model:")
    for r in results:
        print(
            f"  {r.model.name[:26]:<26} cli {r.cli_s:.3f} (×{r.cli_s / r.open.wall:.2f})  release {r.release_s:.3f}"
        )
    print(
        "\npeak RSS (MB) of a process that only imports ifcopenshell (in both RSS columns), and of a"
    )
    print("check process after its imports, after load_index and after the rules:")
    for r in results:
        stages = "  ".join(f"{name} {mb:.0f}" for name, mb in r.stages_mb.items())
        print(f"  {r.model.name[:26]:<26} ifcopenshell only {r.import_mb:.0f}   {stages}")


def default_models(generated: bool) -> list[Path]:
    models = []
    shared = (
        sorted(SHARED_IFC.glob("*.ifc"), key=lambda p: p.stat().st_size)
        if SHARED_IFC.is_dir()
        else []
    )
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
    parser.add_argument(
        "models", nargs="*", type=Path, help="IFC files (default: see the module docstring)"
    )
    parser.add_argument(
        "--repeat", type=int, default=5, help="runs per timing, best kept (≥ 5 advised)"
    )
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
