"""The nginx example for the city server is a configuration nginx accepts (`nginx -t`), with its
certificate paths pointed at a throwaway self-signed pair."""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "packaging" / "nginx" / "zwgk-city.conf"


def test_nginx_accepts_the_city_example(tmp_path):
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=zwgk.test",
         "-keyout", str(tmp_path / "key.pem"), "-out", str(tmp_path / "cert.pem")],
        check=True,
        capture_output=True,
    )  # fmt: skip
    site = EXAMPLE.read_text(encoding="utf-8")
    for path, stand_in in (
        ("/etc/ssl/zwgk/fullchain.pem", "cert.pem"),
        ("/etc/ssl/zwgk/privkey.pem", "key.pem"),
    ):
        assert path in site
        site = site.replace(path, str(tmp_path / stand_in))
    (tmp_path / "site.conf").write_text(site, encoding="utf-8")
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log stderr;\nevents {{}}\n"
        f"http {{ access_log off; include {tmp_path}/site.conf; }}\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        ["nginx", "-t", "-c", str(tmp_path / "nginx.conf")], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr
