"""The fuzz loop shared by tests/test_fuzz_api.py and bench/fuzz_api.py: Schemathesis cases for every
operation of the app's OpenAPI schema, valid and malformed, each sent and checked against the schema."""

from __future__ import annotations

import base64
from collections import Counter
from dataclasses import dataclass, field

import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

# Not checked: "a schema-valid request is accepted". A question or topic the schema allows may still be
# refused with 422 on meaning (blank after cleaning, or in neither Vietnamese nor French): a rule no schema states.


@dataclass
class FuzzReport:
    cases: int = 0
    statuses: Counter = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    @property
    def server_errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status >= 500)


def basic_auth(user: str, password: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


def fuzz_app(app, examples_per_mode: int, headers: dict[str, str] | None = None) -> FuzzReport:
    """Fuzz an ASGI app in process."""
    return fuzz_schema(schemathesis.openapi.from_asgi("/openapi.json", app), examples_per_mode, headers)


def fuzz_server(url: str, examples_per_mode: int, headers: dict[str, str] | None = None) -> FuzzReport:
    """Fuzz a running server over HTTP, from the schema it publishes."""
    return fuzz_schema(schemathesis.openapi.from_url(f"{url}/openapi.json"), examples_per_mode, headers, url)


def fuzz_schema(schema, examples_per_mode: int, headers: dict[str, str] | None = None,
                base_url: str | None = None) -> FuzzReport:
    """Run positive and negative cases with these (auth) headers; collect every check failure instead of
    stopping at the first."""
    report = FuzzReport()
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in GenerationMode:
            _fuzz_operation(operation, mode, examples_per_mode, report, headers, base_url)
    return report


def _not_checked(status: int) -> list:
    """413 is how an oversized body is refused: a rejection, though not one Schemathesis lists."""
    return [positive_data_acceptance, negative_data_rejection] if status == 413 else [positive_data_acceptance]


def _fuzz_operation(operation, mode: GenerationMode, examples: int, report: FuzzReport, headers: dict[str, str] | None,
                    base_url: str | None) -> None:
    @given(operation.as_strategy(generation_mode=mode))
    @settings(max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    def send(case) -> None:
        response = case.call(base_url=base_url, headers=headers)
        report.cases += 1
        report.statuses[response.status_code] += 1
        try:
            case.validate_response(response, headers=headers, excluded_checks=_not_checked(response.status_code))
        except (Exception, BaseExceptionGroup) as failure:  # a check failed: keep it and go on
            report.failures.append(f"{operation.label} [{mode.value}] {type(failure).__name__}: {str(failure)[:300]}")

    try:
        send()
    except Unsatisfiable:  # no malformed request exists for an operation without parameters or body
        report.skipped.append(f"{operation.label} [{mode.value}]")
