"""The ``bench`` section's tables, printed from its result (this run's or a file's), and what
``precision="auto"`` chose against the faster precision."""

from nst_helpers.method.precision import choose as choose_precision


def precision_choice(rows, sizes):
    """What ``precision="auto"`` chooses at each size, why, and how far it is from the faster of
    float32 and bfloat16 as timed in ``rows`` (the target: within 5 %)."""
    out = []
    for size in sizes:
        timed = {r["precision"]: r["seconds_per_eval"] for r in rows if r["size"].startswith(f"{size}×")
                 or r["size"].endswith(f"×{size}")}
        chosen, reason = choose_precision("auto", size)
        best = min(timed.values())
        out.append({"size": size, "chosen": chosen, "reason": reason,
                    "chosen_over_best": round(timed[chosen] / best, 3)})
        print(f"  {size} px: auto chose {chosen} ({reason}); {timed[chosen] / best:.2f}× the faster one",
              flush=True)
    return out


def print_table(report):
    """The tables for whichever sections the report holds."""
    if report.get("time_to_quality"):
        _print_quality(report)
    if report.get("throughput"):
        _print_throughput(report)
    if report.get("memory"):
        print("\n| transfer | peak resident memory |\n|---|---|")
        for r in report["memory"]:
            print(f"| {r['size']} px | {r.get('peak_rss_gib', r.get('error'))} GiB |")


def _print_quality(report):
    print(f"\nOn {report.get('cpu', '?')}, TensorFlow {report.get('tensorflow', '?')}, {report.get('date', '')}")
    print("\n| pair | size | recipe (Adam) | loss | package reaches it | speed-up | high freq. recipe / package "
          "| package precision |")
    print("|---|---|---|---|---|---|---|---|")
    for r in report["time_to_quality"]:
        reach = f"{r['package_seconds_to_target']} s" if r["package_seconds_to_target"] else "not reached"
        hf = f"{r.get('recipe_high_frequency', '–')} / {r.get('package_high_frequency') or '–'}"
        print(f"| {r['pair']} | {r['size']} px | {r['recipe_steps']} steps, {r['recipe_seconds']} s | "
              f"{r['recipe_loss']:.4g} | {reach} | {r['speedup'] or '–'}× | {hf} | "
              f"{r.get('package_precision', '?')} |")
    precision = {r.get("package_precision_reason") for r in report["time_to_quality"]} - {None}
    for reason in sorted(precision):
        print(f"package precision: {reason}")
    for row in report.get("startup", []):
        laps = row.get("laps", {})
        steps, last = [], 0.0
        for name, t in laps.items():
            steps.append(f"{name} {t - last:.1f} s")
            last = t
        print(f"start-up, {row.get('cache')} cache (fresh process, 256 px): " + ", ".join(steps))
    first = report.get("first_picture")
    if first:
        print("\n| first picture: `python -m nst_helpers transfer` at 256 px | cache | seconds | loss | "
              "recipe's 500-step loss | high freq. | ended by |\n|---|---|---|---|---|---|---|")
        for f in first if isinstance(first, list) else [first]:
            print(f"| {f['pair']} | {f.get('cache', '?')} | {f.get('seconds', f.get('error'))} | "
                  f"{f.get('loss', 0):.4g} | {f.get('recipe_500_loss', 0):.4g} | {f.get('high_frequency')} | "
                  f"{f.get('ended')} |")


def _print_throughput(report):
    print("\n| size | precision | s / evaluation | GFLOP / evaluation | GFLOP/s | of fp32 matmul peak |")
    print("|---|---|---|---|---|---|")
    for r in report["throughput"]:
        share = f"{r['of_matmul_peak']:.0%}" if r["of_matmul_peak"] is not None else "–"
        print(f"| {r['size']} | {r['precision']} | {r['seconds_per_eval']} | {r['gflop_per_eval']} | "
              f"{r['gflops']} | {share} |")
    print(f"\nfp32 peak: {report['peak']['matmul_gflops']} GFLOP/s measured (4096² matmul); "
          f"theoretical at the nominal clock {report['peak']['theoretical_gflops']} "
          f"({report['peak']['theoretical_how']}; the CPU boosts above it)")
    for r in report.get("precision_choice", []):
        print(f"auto at {r['size']} px: {r['chosen']}, {r['chosen_over_best']}× the faster precision — {r['reason']}")
