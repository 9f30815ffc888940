"""Known vulnerabilities in the pinned dependencies (``pip-audit`` on requirements.lock).

Fails on any known vulnerability not listed in ``EXCEPTIONS`` (each with the reason it
is accepted). When the vulnerability service cannot be reached — this project's build
machine only reaches a package mirror that serves no vulnerability data — nothing could
be audited: that is said plainly and does not fail the build, since it proves nothing
either way.

    .venv/bin/python .ci/audit.py
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "requirements.lock"

# Accepted findings: vulnerability id -> why it does not apply here. None today.
EXCEPTIONS: dict[str, str] = {}


def main() -> int:
    command = [sys.executable, "-m", "pip_audit", "-r", str(LOCK), "--no-deps", "--disable-pip",
               "--format", "json", "--progress-spinner", "off", "--timeout", "30"]  # fmt: skip
    for vuln_id in EXCEPTIONS:
        command += ["--ignore-vuln", vuln_id]
    run = subprocess.run(command, capture_output=True, text=True, check=False)
    try:
        report = json.loads(run.stdout)
    except json.JSONDecodeError:
        print(f"audit des dépendances impossible : {run.stderr.strip().splitlines()[-1:]}")
        return 0
    dependencies = report["dependencies"]
    audited = [dep for dep in dependencies if "skip_reason" not in dep]
    findings = [(dep["name"], dep["version"], vuln["id"]) for dep in audited for vuln in dep.get("vulns", [])]
    for name, version, vuln_id in findings:
        print(f"vulnérabilité connue : {name} {version} ({vuln_id})")
    if not audited:
        print(f"audit des dépendances : service de vulnérabilités injoignable, 0 sur {len(dependencies)} "
              "paquets audités (rien de prouvé ; à relancer avec accès à pypi.org)")  # fmt: skip
        return 0
    print(f"audit des dépendances : {len(audited)} paquets audités, {len(findings)} vulnérabilité(s) "
          f"connue(s), {len(EXCEPTIONS)} exception(s) documentée(s)")  # fmt: skip
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
