"""Settings layers and the pull schedule."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest

from workbench.config import ConfigError, Settings, describe_options, load_settings, validate
from workbench.services.schedule import PullSchedule


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_layers_in_order_machine_user_environment_command_line(tmp_path):
    machine = write(tmp_path / "etc.toml", 'portal_url = "https://portaal.example.nl/fhir"\n'
                                           'page_size = 100\nlanguage = "nl"\n')
    user = write(tmp_path / "user.toml", 'language = "en"\n')
    settings = load_settings(machine_file=machine, user_file=user,
                             environ={"WORKBENCH_PAGE_SIZE": "300"})
    assert settings.portal_url == "https://portaal.example.nl/fhir"
    assert settings.language == "en"
    assert settings.page_size == 300
    settings = load_settings({"page_size": 5, "portal_url": None}, machine_file=machine,
                             user_file=user, environ={"WORKBENCH_PAGE_SIZE": "300"})
    assert settings.page_size == 5 and settings.portal_url.startswith("https://portaal")


def test_a_user_may_not_override_what_it_sets(tmp_path):
    user = write(tmp_path / "user.toml", 'portal_url = "https://elders.example/fhir"\n')
    with pytest.raises(ConfigError, match="may only be set by IT"):
        load_settings(machine_file=tmp_path / "none.toml", user_file=user, environ={})


@pytest.mark.parametrize("text, problem", [
    ("page_size = 'veel'\n", "invalid value"),
    ("colour = 'blue'\n", "unknown option 'colour'"),
    ("page_size = \n", "cannot be read"),
])
def test_bad_configuration_names_the_file_and_option(tmp_path, text, problem):
    machine = write(tmp_path / "etc.toml", text)
    with pytest.raises(ConfigError, match=problem) as info:
        load_settings(machine_file=machine, user_file=tmp_path / "none.toml", environ={})
    assert str(machine) in str(info.value)


def test_default_store_is_a_sqlite_file_in_the_data_folder(tmp_path):
    settings = load_settings({"data_dir": str(tmp_path / "data")}, environ={})
    assert settings.resolved_database_url() == \
        f"sqlite:///{tmp_path / 'data' / 'workbench.sqlite3'}"


MONDAY = datetime(2026, 11, 23, 9, 0)


def test_pulls_every_interval_during_practice_hours():
    schedule = PullSchedule()
    assert schedule.next_pull(None, MONDAY) == MONDAY
    assert schedule.next_pull(MONDAY, MONDAY + timedelta(minutes=1)) == \
        MONDAY + timedelta(minutes=10)
    assert schedule.next_pull(MONDAY, MONDAY + timedelta(minutes=25)) == \
        MONDAY + timedelta(minutes=25)


def test_outside_hours_the_next_pull_is_at_the_next_opening():
    schedule = PullSchedule()
    evening = datetime(2026, 11, 23, 17, 5)
    assert schedule.next_pull(evening, evening) == datetime(2026, 11, 24, 8, 0)
    early = datetime(2026, 11, 24, 6, 30)
    assert schedule.next_pull(None, early) == datetime(2026, 11, 24, 8, 0)
    friday_evening = datetime(2026, 11, 27, 18, 0)
    assert schedule.next_pull(None, friday_evening) == datetime(2026, 11, 30, 8, 0)


def test_schedule_from_settings():
    settings = load_settings(environ={"WORKBENCH_PULL_INTERVAL_MINUTES": "30",
                                      "WORKBENCH_PRACTICE_HOURS_START": "07:30",
                                      "WORKBENCH_PRACTICE_DAYS": "1,3"})
    schedule = PullSchedule.from_settings(settings)
    tuesday = datetime(2026, 11, 24, 10, 0)
    assert schedule.next_pull(None, tuesday) == datetime(2026, 11, 25, 7, 30)


def test_every_option_is_documented_for_it_in_the_readme():
    from pathlib import Path

    from workbench.config import describe_options
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    missing = [name for name, *_rest in describe_options() if f"| `{name}` |" not in readme]
    assert not missing


def test_example_config_lists_every_option_at_its_default(tmp_path):
    from workbench.config import example_config
    text = example_config()
    # Uncommenting every option line must give a valid file that changes nothing.
    options = [line[2:] for line in text.splitlines() if re.match(r"# [a-z_]+ = ", line)]
    assert len(options) == len(describe_options())
    machine = tmp_path / "example.toml"
    machine.write_text("\n".join(options), encoding="utf-8")
    assert load_settings(machine_file=machine, user_file=tmp_path / "none.toml",
                         environ={}) == Settings()


@pytest.mark.parametrize("environ, words", [
    ({"WORKBENCH_PRACTICE_HOURS_START": "25:00"}, "practice_hours_start '25:00' is not a time"),
    ({"WORKBENCH_PRACTICE_HOURS_END": "17 uur"}, "practice_hours_end '17 uur' is not a time"),
    ({"WORKBENCH_PRACTICE_DAYS": ""}, "practice_days [] must name days"),
    ({"WORKBENCH_PRACTICE_DAYS": "0,8"}, "practice_days [0, 8] must name days"),
])
def test_a_schedule_that_cannot_be_kept_is_a_configuration_error(environ, words):
    # validate() refuses these up front; the schedule itself names the option all the same.
    settings = load_settings(environ=environ)
    with pytest.raises(ConfigError, match=re.escape(words)):
        PullSchedule.from_settings(settings)
    assert any(problem.startswith(words) for problem in validate(settings, needs_portal=False))
