"""content/'s Messages are put into the language in use where kiosk shows them: the imported issue's name
in `kiosk content import-gazette`, a channel key refused inside an enrolment file."""

from __future__ import annotations

import json
import re

import pytest

from kiosk import cli as kiosk_cli
from kiosk import enrolment, i18n
from kiosk.library import bundled_gazette_path


@pytest.fixture
def english():
    yield
    i18n.set_language(i18n.SOURCE)


def test_the_imported_issue_is_named_in_the_configured_language(cli_env, capsys, english):
    seed = str(bundled_gazette_path())
    assert kiosk_cli.main(["content", "import-gazette", seed]) == 0
    chinese = capsys.readouterr().out.splitlines()[0]
    assert re.fullmatch(r"已导入 \S+ \d{4}年第\d+号：16 篇文件，14 篇解读", chinese), chinese
    config = cli_env / "kiosk.toml"
    config.write_text(config.read_text(encoding="utf-8") + '[kiosk]\nlanguage = "en"\n', encoding="utf-8")
    assert kiosk_cli.main(["content", "import-gazette", seed]) == 0
    english_line = capsys.readouterr().out.splitlines()[0]
    name, year, number = re.fullmatch(r"已导入 (\S+) (\d{4})年第(\d+)号：.*", chinese).groups()
    assert english_line == f"Imported {name} {year}, No. {number}: 16 documents, 14 interpretations"


def test_a_refused_channel_key_in_an_enrolment_file_is_in_the_language_in_use(speak_english):
    document = {
        "type": enrolment.ENROLMENT_TYPE,
        "format": 1,
        "kiosk_id": "k1",
        "channel": "dingzhou",
        "channel_url": "http://127.0.0.1/channel",
        "upload_url": "http://127.0.0.1/upload",
        "issued": "2024-05-01T08:00:00+08:00",
        "trusted_keys": {"0" * 16: "11" * 32},
    }
    data = json.dumps(document).encode()
    with pytest.raises(enrolment.EnrolmentError) as chinese:
        enrolment.parse(data)
    assert chinese.value.zh == f"登记文件 不是有效的登记文件：密钥编号 {'0' * 16} 与公钥不符"
    speak_english({"密钥编号 {kid} 与公钥不符": "key id {kid} does not match its public key"})
    with pytest.raises(enrolment.EnrolmentError) as english_error:
        enrolment.parse(data)
    assert english_error.value.zh.endswith(f"：key id {'0' * 16} does not match its public key")
