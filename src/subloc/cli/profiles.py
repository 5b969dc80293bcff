"""``subloc profiles``: the delivery profiles, their rules, limits and severities."""

from __future__ import annotations

import click

from subloc.cli.app import main


@main.group()
def profiles() -> None:
    """Delivery profiles: limits and severities of the QA rules."""


@profiles.command("list")
def profiles_list() -> None:
    """Built-in profiles with their main limits."""
    from subloc.qa.profiles import builtin_names, load_profile

    for name in builtin_names():
        profile = load_profile(name)
        click.echo(f"{name:<18} cpl {profile.limit('cpl-max'):g}, "
                   f"cps {_number(profile.limit('cps-max'))}, "
                   f"wpm {_number(profile.limit('wpm-max'))}, "
                   f"min gap {_number(profile.limit('gap-min'))} frames")


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"


@profiles.command("show")
@click.argument("name")
def profiles_show(name: str) -> None:
    """Every rule with its description, severity and limit, and per-language overrides.
    NAME is a built-in profile or a .toml profile file."""
    from subloc.qa.profiles import load_profile
    from subloc.qa.rules import RULES, CheckContext

    profile = load_profile(name)
    context = CheckContext(profile, None)
    click.echo(f"profile {profile.name}")
    for rule_id, rule in RULES.items():
        limit = profile.limit(rule_id)
        shown = "" if limit is None else f" [limit {limit:g}]"
        click.echo(f"  {rule_id:<22} {context.severity(rule_id):<8} {rule.description}{shown}")
    for language, overrides in sorted(profile.languages.items()):
        values = ", ".join(f"{k} {v:g}" for k, v in overrides.items())
        click.echo(f"  [{language}] {values}")
