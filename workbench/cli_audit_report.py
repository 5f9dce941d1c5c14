"""`workbench audit report --patient BSN --from YYYY-MM-DD --to YYYY-MM-DD [-o FILE]`: a patient's
access report (services/access_report.py), made in the name of the person who signs in here.

Without -o the Dutch text goes to the screen; with -o it is written, readable by its owner only,
as CSV for a .csv name and as text otherwise."""

from __future__ import annotations

import argparse
from datetime import datetime, timezone
from pathlib import Path

from workbench.config import Settings
from workbench.services.errors import ActionRefused, AuditUnavailable

REFUSALS = {
    "bsn_invalid": "--patient must be the patient's BSN: 9 digits.",
    "period_invalid": "--to lies before --from.",
}


def cmd_audit_report(args: argparse.Namespace, settings: Settings) -> int:
    from workbench.bootstrap import open_store
    from workbench.cli import (
        EXIT_CONFIG,
        EXIT_OK,
        CommandError,
        _check_output_file,
        _parse_day,
        _refused,
    )
    from workbench.cli_users import Refusal, refusal, signed_in_actor
    from workbench.services.access_report import AccessReportService, normalise_bsn
    from workbench.services.rights import Permission

    output = getattr(args, "output", None)
    output = None if output in (None, "-") else Path(output).expanduser()
    try:  # the arguments first: a mistake on the line costs no sign-in
        bsn = normalise_bsn(args.patient)
    except ActionRefused as exc:
        raise CommandError(REFUSALS[exc.code], EXIT_CONFIG) from exc
    day_from, day_to = _parse_day(args.date_from), _parse_day(args.date_to)
    if day_to < day_from:
        raise CommandError(REFUSALS["period_invalid"], EXIT_CONFIG)
    if output is not None:
        _check_output_file(output)
        if output.suffix.lower() not in (".txt", ".csv"):
            raise CommandError(f"-o {output}: the name must end in .txt (text) or .csv "
                               "(spreadsheet).", EXIT_CONFIG)
    store = open_store(settings, migrate_sqlite=False)
    try:
        # Signed in and allowed before anything is read; the service checks the right too.
        try:
            actor = signed_in_actor(store.engine, Permission.AUDIT_REPORT)
        except Refusal as exc:
            raise _refused(exc) from exc
        service = AccessReportService(store.engine, names=settings.access_report_names,
                                      practice=settings.practice_name,
                                      clock=lambda: datetime.now(timezone.utc))
        try:
            report = service.make(bsn, day_from, day_to, actor)
        except AuditUnavailable:
            raise  # the command line's own words (no audit key on this workstation)
        except ActionRefused as exc:
            raise _refused(refusal(exc)) from exc
        if output is None:
            print(report.text(), end="")
            return EXIT_OK
        try:
            service.write(report, output)
        except OSError as exc:
            raise CommandError(f"Cannot write {output} (-o): {exc.strerror or exc}.",
                               EXIT_CONFIG) from exc
        print(f"Access report for BSN {bsn}, {day_from:%d-%m-%Y} to {day_to:%d-%m-%Y}: "
              f"{len(report.lines)} events, written to {output}.")
    finally:
        store.close()
    return EXIT_OK
