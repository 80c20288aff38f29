"""The ``zhijian`` command: offline review of IFC files, no database.

Exit codes: 0 no mandatory failure, 1 mandatory failures, 2 bad input (one-line reason).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from zhijian.domain.demo.variants import PREFAB_VARIANTS
from zhijian.domain.errors import InputError

EXIT_OK, EXIT_MANDATORY_FAILED, EXIT_BAD_INPUT = 0, 1, 2


def _fail(message: str) -> int:
    print(f"zhijian: error: {message}", file=sys.stderr)
    return EXIT_BAD_INPUT


def _progress_bar(total_hint: int = 0):
    """A tqdm progress callback on a terminal, None otherwise."""
    if not sys.stderr.isatty():
        return None, lambda: None
    from tqdm import tqdm

    bar = tqdm(total=total_hint or 1, unit="rule", file=sys.stderr, leave=False)

    def update(done: int, total: int, label: str) -> None:
        bar.total = total
        bar.n = done
        bar.set_description(label[:40])
        bar.refresh()

    return update, bar.close


def cmd_check(args: argparse.Namespace) -> int:
    from zhijian.domain.bim.index import load_index
    from zhijian.domain.reports import writers
    from zhijian.domain.review.engine import run_review
    from zhijian.domain.review.packs import UnknownPackError, select_packs

    formats = [f.strip() for f in args.format.split(",") if f.strip()]
    available = writers()
    unknown = [f for f in formats if f not in available]
    if unknown:
        return _fail(f"unknown format {', '.join(unknown)}; available: {', '.join(available)}")
    for ids_path in args.ids:
        if not Path(ids_path).is_file():
            return _fail(f"no such IDS file: {ids_path}")
    if args.ids:
        from zhijian.domain.review.ids import open_ids

        try:
            for ids_path in args.ids:
                open_ids(Path(ids_path))  # fail fast, before a large model is read and checked
        except InputError as exc:
            return _fail(str(exc))
    try:
        packs = select_packs(args.pack)
    except UnknownPackError as exc:
        return _fail(str(exc.args[0]))
    try:
        index = load_index(Path(args.model), max_bytes=args.max_bytes)
        update, close = _progress_bar()
        try:
            report = run_review(
                index,
                packs,
                building_use=args.use,
                new_build=not args.existing,
                ids_files=[Path(p) for p in args.ids], progress=update
            )
        finally:
            close()
    except InputError as exc:
        return _fail(str(exc))
    out = Path(args.out)
    written = [available[f](report, out, args.lang) for f in formats]
    summary = report["summary"]
    print(
        f"{report['model']['file']}: {summary['rules']} rules, {summary['elements_checked']} elements checked, "
        f"{summary['failed']} failed ({summary['mandatory_failed']} mandatory), "
        f"{summary['missing_data']} missing data, {summary['duration_s']:.2f} s"
    )
    for path in written:
        print(f"  {path}")
    return EXIT_MANDATORY_FAILED if summary["mandatory_failed"] else EXIT_OK


def cmd_rules(args: argparse.Namespace) -> int:
    from zhijian.domain.review.packs import all_packs

    for pack in all_packs():
        print(f"{pack.info.id}  v{pack.info.version}  {pack.info.title_zh}  ({len(pack.rules)} rules)")
        for rule in pack.rules:
            meta = rule.meta
            flags = ("M" if meta.mandatory else "-") + ("A" if meta.advisory else "-")
            title = meta.title_zh if args.lang == "zh" else meta.title_en
            print(f"  {flags} {meta.rule_id:<40} {meta.clause:<10} {title}")
    return EXIT_OK


def cmd_demo_model(args: argparse.Namespace) -> int:
    from zhijian.domain.demo.building import demo_declaration_path, write_demo_building

    path = write_demo_building(Path(args.output), unit=args.unit, schema=args.schema, prefab=args.prefab)
    print(path)
    print(f"declarations for zhijian assembly-rate --declare: {demo_declaration_path(args.prefab)}", file=sys.stderr)
    return EXIT_OK


def cmd_assembly_rate(args: argparse.Namespace) -> int:
    """Assembly rate (装配率, GB/T 51129) of one building: assembly-rate.json and .html."""
    from zhijian.domain.bim.index import load_index
    from zhijian.domain.prefab.assembly_rate import evaluate_assembly_rate
    from zhijian.domain.prefab.declaration import NO_DECLARATIONS, load_declarations
    from zhijian.domain.prefab.precast import NO_OVERRIDES, load_overrides
    from zhijian.domain.prefab.scoring_table import load_table
    from zhijian.domain.prefab.sheet import write_html, write_json

    try:
        # Side files first: a typo in a declaration fails before a large model is read.
        table = load_table(args.table)
        declarations = load_declarations(args.declare, table) if args.declare else NO_DECLARATIONS
        overrides = load_overrides(args.override) if args.override else NO_OVERRIDES
        index = load_index(Path(args.model), max_bytes=args.max_bytes)
        result = evaluate_assembly_rate(
            index, table=table, building=args.building, declarations=declarations, overrides=overrides
        )
    except InputError as exc:
        return _fail(str(exc))
    out = Path(args.out)
    data = result.to_dict()  # once for both files
    written = [write_json(data, out), write_html(data, out, args.lang)]
    scores = ", ".join(f"{k} {v:.1f}" for k, v in result.scores.items())
    p = "—" if result.p is None else f"{result.p:.1f} %"
    flags = [f for f, on in (("advisory", result.advisory), ("incomplete", not result.complete)) if on]
    print(
        f"{index.path.name if index.path else args.model} [{result.building or '-'}]: P = {p} ({scores}); "
        f"prefabricated building: {'yes' if result.recognised else 'no'}; grade: {result.grade or 'none'}"
        + (f" ({', '.join(flags)})" if flags else "")
    )
    for line in result.not_evaluated:
        print(f"  not evaluated: {line}")
    for path in written:
        print(f"  {path}")
    if result.blocking:
        return _fail("cannot compute the assembly rate: " + "; ".join(result.blocking))
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    from zhijian.domain.bim.model_file import DEFAULT_MAX_BYTES

    parser = argparse.ArgumentParser(prog="zhijian", description="Zhijian (智建) BIM review tools")
    sub = parser.add_subparsers(dest="command", required=True)

    check = sub.add_parser("check", help="review an IFC model against the rule catalogue")
    check.add_argument("model", help=".ifc or .ifczip file")
    check.add_argument("--pack", action="append", default=[], help="rule pack id (repeatable; default: all)")
    check.add_argument("--ids", action="append", default=[], help="IDS 1.0 file run as an extra pack (repeatable)")
    check.add_argument("--out", default="zhijian-report", help="output directory")
    check.add_argument("--format", default="json,html,bcf,csv", help="comma-separated: json,html,bcf,csv")
    check.add_argument("--lang", choices=("zh", "en"), default="zh")
    check.add_argument("--use", choices=("residential", "public"), default="residential", help="building use")
    check.add_argument(
        "--existing", action="store_true", help="the model is the renovation of an existing building"
    )
    check.add_argument("--max-bytes", type=int, default=DEFAULT_MAX_BYTES, help="refuse larger files")
    check.set_defaults(func=cmd_check)

    rules = sub.add_parser("rules", help="list rule packs and rules")
    rules.add_argument("--lang", choices=("zh", "en"), default="zh")
    rules.set_defaults(func=cmd_rules)

    demo = sub.add_parser("demo-model", help="write the demo residential building as IFC")
    demo.add_argument("output")
    demo.add_argument("--unit", choices=("mm", "m"), default="mm")
    demo.add_argument("--schema", choices=("IFC2X3", "IFC4", "IFC4X3"), default="IFC4")
    demo.add_argument(
        "--prefab", choices=tuple(PREFAB_VARIANTS), default="baseline",
        help="prefabrication variant: baseline (not a prefabricated building), grade_a, grade_aa",
    )
    demo.set_defaults(func=cmd_demo_model)

    rate = sub.add_parser("assembly-rate", help="assembly rate (装配率, GB/T 51129) of one building")
    rate.add_argument("model", help=".ifc or .ifczip file")
    rate.add_argument("--building", help="IfcBuilding name or GlobalId (required when the model has several)")
    rate.add_argument("--declare", help="declaration file (.toml or .json): fit-out, kitchens, bathrooms …")
    rate.add_argument("--override", help="precast override file (.json or .csv): GlobalId, precast, reason")
    rate.add_argument("--table", default="gbt51129_2017", help="scoring table name or path (default: gbt51129_2017)")
    rate.add_argument("--out", default="zhijian-report", help="output directory")
    rate.add_argument("--lang", choices=("zh", "en"), default="zh")
    rate.add_argument("--max-bytes", type=int, default=DEFAULT_MAX_BYTES, help="refuse larger files")
    rate.set_defaults(func=cmd_assembly_rate)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        return 130
    except OSError as exc:  # unwritable --out and the like: still one line, no traceback
        return _fail(str(exc))


if __name__ == "__main__":
    sys.exit(main())
