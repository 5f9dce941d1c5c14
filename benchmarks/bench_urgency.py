"""Urgency advice ("Mogelijk spoed") against an independent evaluation set.

Reads a set of e-consults in JSON lines (default tests/data/urgency_eval.jsonl; fields id, text,
subject, patient_age_days, writer, urgent, group, life_threatening, kind), builds the advice
pipeline once (timed and measured on its own), then times the advice on every message and prints

- recall on the urgent messages, on the life-threatening ones and per group (with counts);
- the false-positive rate on the routine messages, on the hard routine ones (every routine message
  whose kind is not "routine": negations, past events, hypotheticals, family history, idioms,
  breastfeeding, medication and administrative mentions...) and on the plain ones;
- every miss (id, group, the first 100 characters of subject + text) and every false positive
  (id, kind, the groups and words the advice gave);
- the median and 95th percentile time per message and the pipeline's memory (RSS increase from
  before its import to after its build);

each figure beside its goal: life-threatening recall >= 98 %, urgent recall >= 95 %,
false positives <= 10 %, median <= 5 ms, memory <= 120 MB. Quality and speed are measured here,
never asserted in the tests.

    python benchmarks/bench_urgency.py                 # the real API, in process
    python benchmarks/bench_urgency.py --cli           # through `workbench advise` in a subprocess,
                                                       # compared answer by answer with the API
    python benchmarks/bench_urgency.py --file PATH     # another set in the same format (the
                                                       # practice's own, or the one kept outside)
    python benchmarks/bench_urgency.py --fake          # a crude keyword stand-in (no workbench)
    options: --strict (exit 1 when a goal is missed), --quiet (no lists of misses and false
    positives), --by-kind (recall and false positives per kind as well)

For routine messages "group" names the alarm group the message could be mistaken for (or null);
it is used only to print false positives per group.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

DEFAULT_SET = Path(__file__).resolve().parent.parent / "tests" / "data" / "urgency_eval.jsonl"

GOAL_LT_RECALL = 98.0       # % of life-threatening messages flagged
GOAL_RECALL = 95.0          # % of urgent messages flagged
GOAL_FP = 10.0              # % of routine messages flagged (at most)
GOAL_MEDIAN_MS = 5.0        # median advice time per message
GOAL_MEMORY_MB = 120.0      # RSS increase for importing and building the pipeline

REQUEST_FIELDS = ("text", "subject", "patient_age_days", "writer")


# --------------------------------------------------------------------------- the set

def load_set(path: Path) -> list[dict]:
    """The messages of a set; exits with a message naming the line when one is malformed."""
    items, seen = [], set()
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except ValueError as error:
                sys.exit(f"{path}:{number}: not JSON ({error})")
            if not isinstance(item, dict) or not isinstance(item.get("text"), str):
                sys.exit(f"{path}:{number}: not an object with a text")
            if not isinstance(item.get("urgent"), bool):
                sys.exit(f"{path}:{number}: 'urgent' must be true or false")
            item.setdefault("id", f"line{number}")
            if item["id"] in seen:
                sys.exit(f"{path}:{number}: id {item['id']} twice")
            seen.add(item["id"])
            item.setdefault("subject", "")
            item.setdefault("patient_age_days", None)
            item.setdefault("writer", "patient")
            item.setdefault("group", None)
            item["life_threatening"] = bool(item.get("life_threatening")) and item["urgent"]
            item.setdefault("kind", "routine" if not item["urgent"] else "")
            items.append(item)
    if not items:
        sys.exit(f"{path}: no messages")
    return items


def request_of(item: dict) -> dict:
    return {field: item[field] for field in REQUEST_FIELDS}


def is_hard(item: dict) -> bool:
    return not item["urgent"] and (item.get("kind") or "routine") != "routine"


# --------------------------------------------------------------------------- measuring

def rss_mb() -> float:
    """The resident set size of this process now, in MB (peak RSS where /proc is missing)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (share 0..1) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(share * len(ordered) + 0.5)))
    return ordered[rank - 1]


# --------------------------------------------------------------------------- the stand-in

# A crude keyword matcher to develop the benchmark with while the real API is being written.
# It knows nothing of negation, history or idioms: expect poor precision.
_FAKE_WORDS = {
    "chest_pain": r"pijn op (de|mn|m'n|mijn) bo?rst|drukk?end gevoel op|beklemmend|knelt op",
    "pulmonary_embolism": r"hoest (een beetje )?bloed|dikke kuit",
    "breathing": r"benau?wd|geen lucht|kortademig|adem niet|blaft|piep",
    "stroke": r"mondhoek hangt|scheef|praat raar|verlamd|woorden niet",
    "unconscious": r"flauwgevallen|buiten bewustzijn|niet wakker|stuip|weggeraakt",
    "bleeding": r"bloed gebraakt|bloed overgeven|pikzwart|koffiedik|bloed spuit",
    "anaphylaxis": r"tong (wordt dik|zwelt)|keel (zit dicht|zwelt|voelt dicht)|lippen zwellen",
    "suicidality": r"niet meer leven|eind aan (te )?maken|zelfmoord|dood wil|wil dood",
    "infant_fever": r"(weken|weekjes|wkn)\b.*\b38[,.]\d",
    "ill_child": r"suf|slap|niet wakker|droge luiers|luiers zijn droog",
    "meningitis": r"stijve nek|niet wegdrukken|wegdrukken",
    "sepsis": r"in de war|verward.*koorts|koorts.*verward|rillingen",
    "acute_abdomen": r"hard als een plank|keihard",
    "testicular_torsion": r"\b(zaad)?bal\b|testikel",
    "cauda_equina": r"niet (goed )?plassen|rijbroek",
    "eye": r"gordijn voor|knalrood|lichtflitsen",
    "pregnancy": r"zwanger.*(bloed|hoofdpijn|niet meer bewegen)",
    "ingestion": r"batterij|magneet|ingenomen|ingeslikt|ontstopper",
    "glucose": r"hypo|suiker is|glucose \d",
    "burns": r"verbrand|blaren",
    "limb_ischaemia": r"koud.*wit|ijskoud",
    "confusion_elderly": r"verward|in de war",
}


class FakeAdvisor:
    def __init__(self) -> None:
        self.patterns = {group: re.compile(words, re.IGNORECASE)
                         for group, words in _FAKE_WORDS.items()}

    def advise(self, request: dict) -> dict:
        text = f"{request.get('subject') or ''}\n{request.get('text') or ''}"
        groups, words = [], []
        for group, pattern in self.patterns.items():
            found = pattern.search(text)
            if found:
                groups.append(group)
                words.append(found.group(0))
        return {"urgent": bool(groups), "groups": groups, "words": words}


# --------------------------------------------------------------------------- running

def run_in_process(items: list[dict], fake: bool) -> dict:
    """Answers, per-message times and build cost of the advice in this process."""
    before_import = rss_mb()
    started = time.perf_counter()
    if fake:
        imported = time.perf_counter()
        after_import = rss_mb()
        advisor = FakeAdvisor()
        advise = advisor.advise
    else:
        try:
            from workbench.services.urgency import advise_request, default_advisor
        except ImportError as error:
            sys.exit(f"the urgency API is not importable ({error}); "
                     "use --fake to try the benchmark")
        imported = time.perf_counter()
        after_import = rss_mb()
        default_advisor()
        advise = advise_request
    built = time.perf_counter()
    after_build = rss_mb()

    answers, times_ms, errors = [], [], []
    for item in items:
        request = request_of(item)
        began = time.perf_counter_ns()
        try:
            answer = advise(request)
        except Exception as error:  # a crash on one message is a finding, not the end of the run
            answer = {"urgent": False, "groups": [], "words": [], "error": repr(error)}
            errors.append((item["id"], repr(error)))
        times_ms.append((time.perf_counter_ns() - began) / 1e6)
        answers.append(answer)
    return {
        "answers": answers, "times_ms": times_ms, "errors": errors,
        "import_s": imported - started, "build_s": built - imported,
        "import_mb": after_import - before_import, "build_mb": after_build - after_import,
    }


def cli_command() -> list[str]:
    script = Path(sys.executable).with_name("workbench")
    if script.exists():
        return [str(script), "advise"]
    return [sys.executable, "-m", "workbench.cli", "advise"]


def run_cli(items: list[dict]) -> dict:
    """Answers of `workbench advise` for the whole set in one subprocess."""
    command = cli_command()
    payload = "".join(json.dumps(request_of(item), ensure_ascii=False) + "\n" for item in items)
    started = time.perf_counter()
    done = subprocess.run(command, input=payload.encode("utf-8"), capture_output=True,
                          timeout=600, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)} exited with {done.returncode}:\n"
                 f"{done.stderr.decode('utf-8', 'replace')[-2000:]}")
    lines = [line for line in done.stdout.decode("utf-8").splitlines() if line.strip()]
    if len(lines) != len(items):
        sys.exit(f"{' '.join(command)} printed {len(lines)} lines for {len(items)} messages")
    answers = [json.loads(line) for line in lines]
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    peak_mb = peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024
    return {"answers": answers, "seconds": seconds, "peak_mb": peak_mb,
            "command": " ".join(command)}


def comparable(answer: dict) -> tuple:
    return (bool(answer.get("urgent")), sorted(answer.get("groups") or []),
            sorted(answer.get("words") or []))


# --------------------------------------------------------------------------- report

def mark(ok: bool) -> str:
    return "OK" if ok else "MISSED"


def pct(part: int, whole: int) -> float:
    return 100.0 * part / whole if whole else float("nan")


def excerpt(item: dict, width: int = 100) -> str:
    subject = (item.get("subject") or "").strip()
    text = f"[{subject}] {item['text']}" if subject else item["text"]
    return " ".join(text.split())[:width]


def report(items: list[dict], answers: list[dict], args: argparse.Namespace) -> list[bool]:
    """Prints the quality figures; returns whether each quality goal was met."""
    flagged = [bool(answer.get("urgent")) for answer in answers]
    urgent = [i for i, item in enumerate(items) if item["urgent"]]
    lt = [i for i in urgent if items[i]["life_threatening"]]
    routine = [i for i, item in enumerate(items) if not item["urgent"]]
    hard = [i for i in routine if is_hard(items[i])]
    plain = [i for i in routine if not is_hard(items[i])]

    def hits(indices):
        return sum(flagged[i] for i in indices)

    recall, lt_recall = pct(hits(urgent), len(urgent)), pct(hits(lt), len(lt))
    fp, fp_hard = pct(hits(routine), len(routine)), pct(hits(hard), len(hard))
    fp_plain = pct(hits(plain), len(plain))
    ok = [not lt or lt_recall >= GOAL_LT_RECALL, not urgent or recall >= GOAL_RECALL,
          not routine or fp <= GOAL_FP]
    print(f"recall, life-threatening   {hits(lt):4d}/{len(lt):<4d} {lt_recall:6.1f} %"
          f"   goal >= {GOAL_LT_RECALL:.0f} %  {mark(ok[0])}")
    print(f"recall, urgent             {hits(urgent):4d}/{len(urgent):<4d} {recall:6.1f} %"
          f"   goal >= {GOAL_RECALL:.0f} %  {mark(ok[1])}")
    print(f"false positives, routine   {hits(routine):4d}/{len(routine):<4d} {fp:6.1f} %"
          f"   goal <= {GOAL_FP:.0f} %  {mark(ok[2])}")
    print(f"  hard routine             {hits(hard):4d}/{len(hard):<4d} {fp_hard:6.1f} %")
    print(f"  plain routine            {hits(plain):4d}/{len(plain):<4d} {fp_plain:6.1f} %")

    print("\nper group              urgent   found  recall   life-thr. found   decoys  flagged")
    groups = sorted({item["group"] for item in items if item["group"]})
    for group in groups:
        g_urgent = [i for i in urgent if items[i]["group"] == group]
        g_lt = [i for i in g_urgent if items[i]["life_threatening"]]
        g_decoy = [i for i in routine if items[i]["group"] == group]
        recall_text = f"{pct(hits(g_urgent), len(g_urgent)):6.1f} %" if g_urgent else "     -  "
        print(f"  {group:20s} {len(g_urgent):6d} {hits(g_urgent):7d} {recall_text}"
              f" {len(g_lt):8d} {hits(g_lt):6d} {len(g_decoy):9d} {hits(g_decoy):8d}")

    if args.by_kind:
        print("\nper kind               urgent   found   routine  flagged")
        for kind in sorted({item.get("kind") or "" for item in items}):
            k_urgent = [i for i in urgent if items[i].get("kind") == kind]
            k_routine = [i for i in routine if items[i].get("kind") == kind]
            print(f"  {kind or '-':20s} {len(k_urgent):6d} {hits(k_urgent):7d}"
                  f" {len(k_routine):9d} {hits(k_routine):8d}")

    if not args.quiet:
        misses = [i for i in urgent if not flagged[i]]
        print(f"\nmisses ({len(misses)}): id, group, life-threatening, kind, text")
        for i in sorted(misses, key=lambda i: (not items[i]["life_threatening"], items[i]["id"])):
            item = items[i]
            lt_mark = "LT" if item["life_threatening"] else "  "
            print(f"  {item['id']:6s} {item['group'] or '-':18s} {lt_mark}"
                  f" {item.get('kind') or '-':14s} {excerpt(item)}")
        false_pos = [i for i in routine if flagged[i]]
        print(f"\nfalse positives ({len(false_pos)}): id, kind, groups and words of the advice")
        for i in false_pos:
            item, answer = items[i], answers[i]
            print(f"  {item['id']:6s} {item.get('kind') or '-':20s} groups={answer.get('groups')}"
                  f" words={answer.get('words')}")
            print(f"         {excerpt(item)}")
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, default=DEFAULT_SET,
                        help="a set in the same JSON-lines format (default: %(default)s)")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--cli", action="store_true",
                      help="run the set through `workbench advise` in a subprocess")
    mode.add_argument("--fake", action="store_true",
                      help="a keyword stand-in instead of the real API (to develop the benchmark)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a goal is missed")
    parser.add_argument("--quiet", action="store_true",
                        help="no lists of misses and false positives")
    parser.add_argument("--by-kind", action="store_true", help="figures per kind as well")
    args = parser.parse_args(argv)

    items = load_set(args.file)
    n_urgent = sum(item["urgent"] for item in items)
    goals: list[bool] = []

    if args.cli:
        cli = run_cli(items)
        answers = cli["answers"]
        print(f"Urgency advice through `{cli['command']}`: {len(items)} messages "
              f"({n_urgent} urgent) from {args.file}")
        per_message = 1000 * cli["seconds"] / len(items)
        print(f"whole run {cli['seconds']:.2f} s including start-up and build, "
              f"{per_message:.2f} ms per message on average (per-message times: run without --cli)")
        print(f"peak RSS of the command {cli['peak_mb']:.1f} MB (the whole process, interpreter "
              f"included; the pipeline's own increase: run without --cli)")
        # The command path must give the API's answers, message for message.
        try:
            from workbench.services.urgency import advise_request, default_advisor
        except ImportError as error:
            print(f"API not importable ({error}): answers not compared")
        else:
            default_advisor()
            by_api = [advise_request(request_of(item)) for item in items]
            differ = [(item, answer, api) for item, answer, api in zip(items, answers, by_api)
                      if comparable(answer) != comparable(api)]
            goals.append(not differ)
            print(f"answers identical to the API: {len(items) - len(differ)}/{len(items)}"
                  f"  {mark(not differ)}")
            for item, by_cli, by_api in differ[:50]:
                print(f"  {item['id']:6s} cli={comparable(by_cli)} api={comparable(by_api)}")
        print()
    else:
        run = run_in_process(items, args.fake)
        answers = run["answers"]
        source = "keyword stand-in (--fake)" if args.fake else "workbench.services.urgency"
        print(f"Urgency advice by {source}: {len(items)} messages ({n_urgent} urgent) "
              f"from {args.file}")
        memory = run["import_mb"] + run["build_mb"]
        median, p95 = statistics.median(run["times_ms"]), percentile(run["times_ms"], 0.95)
        goals += [memory <= GOAL_MEMORY_MB, median <= GOAL_MEDIAN_MS]
        print(f"build: import {run['import_s']:.3f} s"
              f" + build (default_advisor()) {run['build_s']:.3f} s")
        print(f"memory (RSS increase)      {memory:8.1f} MB     goal <= {GOAL_MEMORY_MB:.0f} MB"
              f"  {mark(goals[0])}   (import {run['import_mb']:+.1f},"
              f" build {run['build_mb']:+.1f})")
        print(f"time per message, median   {median:8.3f} ms     goal <= {GOAL_MEDIAN_MS:.0f} ms"
              f"  {mark(goals[1])}")
        print(f"time per message, p95      {p95:8.3f} ms     (max {max(run['times_ms']):.3f} ms,"
              f" total {sum(run['times_ms']) / 1000:.2f} s)")
        if run["errors"]:
            print(f"errors ({len(run['errors'])}), counted as not urgent:")
            for item_id, error in run["errors"]:
                print(f"  {item_id}: {error}")
        print()

    malformed = [item["id"] for item, answer in zip(items, answers)
                 if not isinstance(answer, dict) or not isinstance(answer.get("urgent"), bool)
                 or not isinstance(answer.get("groups"), list)
                 or not isinstance(answer.get("words"), list)]
    if malformed:
        print(f"answers not of the form {{urgent: bool, groups: [...], words: [...]}}: "
              f"{', '.join(malformed[:20])}{' ...' if len(malformed) > 20 else ''}\n")
        goals.append(False)

    goals += report(items, answers, args)
    if args.strict and not all(goals):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
