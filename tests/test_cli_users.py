"""`workbench users ...` and the sign-in on the terminal, as IT and the praktijkmanager use them:
the first praktijkmanager at install, then everything after a sign-in."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pyotp
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench import cli
from workbench.services.accounts import AccountService
from workbench.services.billing import BillingService, SegmentDraft, read_export
from workbench.services.triage import Actor
from workbench.store import database
from workbench.store.models import AuditEvent, EConsult, Patient, Practitioner, Role

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
MANAGER_PASSWORD = "beheer-wachtwoord"


class Terminal:
    """What the person types: answers to input() and to getpass(), in order."""

    def __init__(self, monkeypatch) -> None:
        self.lines: list[str] = []
        self.secrets: list[str] = []
        self.prompts: list[str] = []
        monkeypatch.setattr("builtins.input", self._input)
        monkeypatch.setattr("getpass.getpass", self._getpass)
        # The authenticator secret a new account gets: fixed, so the test's "app" knows it.
        monkeypatch.setattr(pyotp, "random_base32", lambda *args, **kwargs: SECRET)

    def _input(self, prompt: str = "") -> str:
        if prompt:
            self.prompts.append(prompt)
        return self.lines.pop(0)

    def _getpass(self, prompt: str = "Password: ", stream=None) -> str:
        self.prompts.append(prompt)
        return self.secrets.pop(0)

    def types(self, *lines: str, secrets: tuple[str, ...] = ()) -> Terminal:
        self.lines, self.secrets = list(lines), list(secrets)
        self.prompts = []
        return self

    def manager_signs_in(self, *more_lines: str, more_secrets: tuple[str, ...] = ()):
        return self.types("beheer", code(), *more_lines,
                          secrets=(MANAGER_PASSWORD, *more_secrets))


def code() -> str:
    return pyotp.TOTP(SECRET).now()


@pytest.fixture
def terminal(monkeypatch):
    return Terminal(monkeypatch)


@pytest.fixture
def url(tmp_path):
    return f"sqlite:///{tmp_path / 'store.sqlite3'}"


def run(capsys, url, *argv) -> tuple[int, str, str]:
    status = cli.main([*argv, "--database", url])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.fixture
def with_manager(capsys, url, terminal):
    terminal.types(code(), secrets=(MANAGER_PASSWORD, MANAGER_PASSWORD))
    status, out, err = run(capsys, url, "users", "add", "--username", "beheer", "--name",
                           "Mia Beheer", "--role", "praktijkmanager")
    assert status == 0, err
    return out


def test_the_first_account_is_the_praktijkmanager_with_an_authenticator(
        capsys, url, terminal, with_manager):
    assert "this account becomes the first" in with_manager
    assert f"secret={SECRET}" in with_manager and "Account beheer (praktijkmanager) added" \
        in with_manager
    assert "Wachtwoord: " not in terminal.prompts  # nobody to sign in yet
    engine = database.make_engine(url)
    [manager] = AccountService(engine).accounts()
    engine.dispose()
    assert (manager.role, manager.totp_required, manager.totp_enrolled) == \
        (Role.MANAGER, True, True)


def test_without_a_praktijkmanager_no_other_account_can_be_made(capsys, url, terminal):
    terminal.types(secrets=("een lang wachtwoord",) * 2)
    status, _out, err = run(capsys, url, "users", "add", "--username", "anna", "--name",
                            "Anna", "--role", "assistent")
    assert status == cli.EXIT_CONFIG and "first account must be theirs" in err


def test_a_wrong_authenticator_code_makes_no_account(capsys, url, terminal):
    terminal.types("000000", "000001", "000002", secrets=(MANAGER_PASSWORD,) * 2)
    status, _out, err = run(capsys, url, "users", "add", "--username", "beheer", "--name",
                            "Mia Beheer", "--role", "praktijkmanager")
    assert status == cli.EXIT_CONFIG and "did not match" in err
    engine = database.make_engine(url)
    assert AccountService(engine).accounts() == []
    engine.dispose()


def test_the_praktijkmanager_adds_lists_disables_and_resets(capsys, url, terminal,
                                                           with_manager):
    terminal.manager_signs_in(more_secrets=("een lang wachtwoord", "een lang wachtwoord"))
    status, out, err = run(capsys, url, "users", "add", "--username", "Anna", "--name",
                           "Anna de Wit", "--role", "assistent", "--agb", "01012345")
    assert status == 0, err
    assert "Account anna (doktersassistent) added" in out
    assert err.startswith("Gebruikersnaam: Code uit de authenticator-app: ")
    assert terminal.prompts[0] == "Wachtwoord: "

    terminal.manager_signs_in()
    status, out, err = run(capsys, url, "users", "list")
    assert status == 0, err
    header, *rows = out.splitlines()[1:]
    assert header.split() == ["user", "name", "name", "role", "active", "locked", "PIN", "2FA",
                              "portal"]
    anna = next(r for r in rows if r.startswith("anna"))
    assert anna.split()[-6:] == ["doktersassistent", "yes", "no", "no", "no", "no"]
    assert "argon2" not in out and SECRET not in out

    terminal.manager_signs_in()
    assert run(capsys, url, "users", "disable", "anna")[0] == 0
    engine = database.make_engine(url)
    accounts = AccountService(engine)
    assert "anna" not in accounts.usernames()
    terminal.manager_signs_in()
    assert run(capsys, url, "users", "enable", "anna")[0] == 0
    terminal.manager_signs_in(more_secrets=("nog een lang wachtwoord",) * 2)
    status, out, _err = run(capsys, url, "users", "reset-password", "anna")
    assert status == 0 and "Password of anna reset" in out
    assert accounts.sign_in("anna", "nog een lang wachtwoord").name == "Anna de Wit"
    engine.dispose()

    # Someone else than a praktijkmanager is refused before anything is shown.
    terminal.types("anna", secrets=("nog een lang wachtwoord",))
    status, out, err = run(capsys, url, "users", "list")
    assert status == cli.EXIT_CREDENTIALS and "Your role does not allow this" in err
    assert "Anna de Wit" not in out
    terminal.types("beheer", secrets=("verkeerd wachtwoord",))
    status, _out, err = run(capsys, url, "users", "disable", "anna")
    assert status == cli.EXIT_CREDENTIALS and "Wrong user name or password" in err

    # A person sets their own PIN after their own password.
    terminal.types(secrets=("nog een lang wachtwoord", "2468", "2468"))
    status, out, err = run(capsys, url, "users", "set-pin", "anna")
    assert status == 0, err
    engine = database.make_engine(url)
    assert AccountService(engine).find("anna").has_pin
    engine.dispose()


def test_export_declarations_runs_in_the_name_of_who_signs_in(capsys, url, terminal,
                                                              with_manager, tmp_path):
    engine = database.make_engine(url)
    now = datetime(2026, 11, 24, 10, 0, tzinfo=timezone.utc)
    with Session(engine) as session, session.begin():
        patient = Patient(portal_id="p1", name="Anna Jansen", bsn="111222333")
        gp = Practitioner(portal_id="gp1", name="Dr. Visser", role=Role.GP)
        consult = EConsult(portal_id="e1", patient=patient, subject="Vraag",
                           portal_status="in-progress", received_at=now,
                           last_patient_message_at=now, portal_version="1")
        session.add_all([patient, gp, consult])
        session.flush()
        ids = (patient.id, gp.id, consult.id)
    accounts = AccountService(engine)
    manager = accounts.find("beheer").id
    accounts.add(Actor(manager), "visser", "Dr. Visser", Role.GP, "een lang wachtwoord",
                 portal_practitioner_id="gp1")
    billing = BillingService(engine, lambda: now)
    billing.record_segments(ids[1], [SegmentDraft(ids[2], ids[0], now,
                                                  now + timedelta(minutes=7))])
    billing.declare(billing.propose(ids[2], ids[1]), Actor(ids[1]))
    output = tmp_path / "declaraties.csv"
    period = ["export", "declarations", "--from", "2026-11-01", "--to", "30-11-2026", "-o",
              str(output)]

    terminal.types("visser", secrets=("een lang wachtwoord",))
    status, _out, err = run(capsys, url, *period)
    assert status == cli.EXIT_CREDENTIALS and "Your role does not allow this" in err
    assert not output.exists()

    terminal.manager_signs_in()
    status, out, err = run(capsys, url, *period[:-2])  # to standard output: the CSV alone
    assert status == 0, err
    assert out.startswith("\ufeffdatum;") and "Gebruikersnaam" in err
    terminal.manager_signs_in()
    status, out, err = run(capsys, url, *period)
    assert status == 0, err
    [row] = read_export(output.read_text(encoding="utf-8-sig"))
    assert "12011" in row.values() and "Anna Jansen" in row.values()
    with Session(engine) as session:
        exports = session.scalars(select(AuditEvent).where(
            AuditEvent.event == "export_declarations")).all()
        assert [(e.patient_id, e.user_id) for e in exports] == [(ids[0], manager)] * 2
    engine.dispose()

    with pytest.raises(SystemExit) as info:  # the typed name is gone
        run(capsys, url, "export", "declarations", "--from", "2026-11-01", "--to",
            "2026-11-30", "--user", "Dr. Visser")
    assert info.value.code == 2 and "unrecognized arguments: --user" in capsys.readouterr().err


def test_a_role_changes_and_the_last_praktijkmanager_keeps_theirs(capsys, url, terminal,
                                                                  with_manager):
    terminal.manager_signs_in(more_secrets=("een lang wachtwoord", "een lang wachtwoord"))
    assert run(capsys, url, "users", "add", "--username", "anna", "--name", "Anna de Wit",
               "--role", "assistent")[0] == 0
    terminal.manager_signs_in()
    status, out, err = run(capsys, url, "users", "set-role", "anna", "poh")
    assert status == 0 and "Role of anna: poh." in out, err
    engine = database.make_engine(url)
    accounts = AccountService(engine)
    assert next(a for a in accounts.accounts() if a.username == "anna").role is Role.POH
    # Routed work may go to her now; a praktijkmanager stays one while the practice has no other.
    terminal.manager_signs_in()
    status, _out, err = run(capsys, url, "users", "set-role", "beheer", "huisarts")
    assert status != 0 and "last" in err
    assert next(a for a in accounts.accounts() if a.username == "beheer").role is Role.MANAGER
    # Becoming praktijkmanager sets up the authenticator app first.
    terminal.manager_signs_in(code())
    status, out, err = run(capsys, url, "users", "set-role", "anna", "praktijkmanager")
    assert status == 0, err
    anna = next(a for a in accounts.accounts() if a.username == "anna")
    assert (anna.role, anna.totp_required) == (Role.MANAGER, True)
    engine.dispose()
