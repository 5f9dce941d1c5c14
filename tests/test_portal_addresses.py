"""The portal's e-mail address of a patient becomes trusted for secure mail (issue 18)."""

from __future__ import annotations

from sqlalchemy import select

from workbench.services import fhir
from workbench.services.portal_client import PortalClient
from workbench.services.sync import SyncService
from workbench.store.blobs import BlobStore
from workbench.store.models import EConsult, MailAddress, MailAddressSource, Patient


def _patient(telecom):
    return {"resourceType": "Patient", "id": "p1", "meta": {"versionId": "1"},
            "name": [{"text": "Anna de Vries"}], "telecom": telecom}


def test_the_home_address_is_taken_lower_case_and_a_non_address_is_left_out():
    parsed = fhir.parse_patient(_patient([
        {"system": "email", "value": "Werk@Bedrijf.nl", "use": "work"},
        {"system": "email", "value": " Anna.de.Vries@Example.NL ", "use": "home"},
        {"system": "phone", "value": "06-12345678"}]))
    assert parsed.email == "anna.de.vries@example.nl"
    assert fhir.parse_patient(_patient([{"system": "email", "value": "geen adres"}])).email \
        is None
    assert fhir.parse_patient(_patient([{"system": "email", "value": "a b@c.nl"}])).email \
        is None


def test_a_pull_trusts_the_portal_addresses_of_adults_and_follows_a_change(
        start_portal, migrated_engine, tmp_path):
    """The demo gives adults an address (children write through a parent): after a pull each
    adult patient has one address trusted on the portal's word. When the portal changes it,
    the old one is no longer trusted; an address a person verified stays."""
    engine = migrated_engine
    portal = start_portal(seed=3, consults=40, photo_share=0.0)
    sync = lambda: SyncService(PortalClient(portal.base_url), engine,  # noqa: E731
                               BlobStore(tmp_path / "blobs"), page_size=25).run()
    assert sync().ok
    with engine.connect() as connection:
        rows = connection.execute(select(MailAddress.address, MailAddress.patient_id,
                                         MailAddress.source)).all()
        patients = dict(connection.execute(select(Patient.portal_id, Patient.id)).all())
    assert rows and all(r.source is MailAddressSource.PORTAL for r in rows)
    assert len({r.patient_id for r in rows}) == len(rows)
    assert all(r.address.endswith("@example.nl") for r in rows)
    assert len(rows) < len(patients)  # not the children

    portal_id, patient_id = next((pid, dbid) for pid, dbid in patients.items()
                                 if dbid in {r.patient_id for r in rows})
    with engine.begin() as connection:
        connection.execute(MailAddress.__table__.insert().values(
            address="ook.van.anna@example.nl", patient_id=patient_id,
            source=MailAddressSource.VERIFIED))
    resource = portal.dataset.get("Patient", portal_id)
    resource["telecom"] = [t for t in resource["telecom"] if t["system"] != "email"] + [
        {"system": "email", "value": "Nieuw.Adres@Example.nl", "use": "home"}]
    portal.dataset.new_version("Patient", portal_id, res=resource)
    # A patient comes with their messages: the change arrives with the next one.
    with engine.connect() as connection:
        thread = connection.scalar(select(EConsult.portal_id).where(
            EConsult.patient_id == patient_id))
    portal.add_patient_reply(thread, "Nog een vraag: mag ik dit ook per mail sturen?")
    assert sync().ok
    with engine.connect() as connection:
        now = set(connection.execute(select(MailAddress.address, MailAddress.source).where(
            MailAddress.patient_id == patient_id)).all())
    assert now == {("nieuw.adres@example.nl", MailAddressSource.PORTAL),
                   ("ook.van.anna@example.nl", MailAddressSource.VERIFIED)}
