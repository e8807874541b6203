"""Plan → ``plan.json`` (read back with :func:`her2quiz.plan.read_plan`)."""

from __future__ import annotations

from . import Job, Rendered


def render(job: Job) -> Rendered:
    if job.plan is None:
        raise ValueError("plan.json is rendered from a plan")
    return Rendered(((job.target, job.plan.to_json().encode("utf-8")),))
