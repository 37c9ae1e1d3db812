"""``make demo`` tells the whole story against the running stack, in English and in Hindi."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from local.walkthrough import main
from tests.e2e.conftest import Stack

pytestmark = pytest.mark.e2e


def _run(stack: Stack, tmp_path: Path, *args: str) -> tuple[int, list[str]]:
    outputs = tmp_path / "outputs.json"
    outputs.write_text(json.dumps(stack.outputs), encoding="utf-8")
    lines: list[str] = []
    code = main(["--outputs", str(outputs), *args], out=lines.append)
    return code, lines


def test_the_walkthrough_tells_the_story_from_registration_to_refused_re_registration(
    local_only: Stack, tmp_path: Path
) -> None:
    code, lines = _run(local_only, tmp_path)

    assert code == 0, lines
    text = "\n".join(lines)
    assert "Status: pending_documents" in text
    # In the officer's own language: other tests on the shared stack may have set it to English.
    assert re.search(
        r"The officers of Lucknow, his district, find it in their inbox: "
        r'"(सत्यापन के लिए नया आवेदन|New verification request)"',
        text,
    )
    assert "Sunil is now verified" in text
    assert "Sunil's phone gets an SMS" in text
    assert "he replies by SMS: HAAN " in text
    assert "The booking is accepted." in text
    assert "An overcharge complaint opened by itself" in text
    assert "1 request waiting for him" in text  # found in his own list, not handed an id
    assert "Now they can reach each other" in text
    assert 'her address, "House 7, Lane 2' in text
    assert "An officer finds it among the open overcharge complaints" in text
    assert re.search(
        r'a lifetime ban awaits his confirmation: "(प्रतिबंध की पुष्टि बाकी|A ban awaits confirmation)"', text
    )
    assert "Sunil is now banned, permanently" in text
    assert "banned = True (Sunil Verma, overcharge, since " in text
    assert "The same search no longer finds him" in text
    assert "HTTP 403 banned" in text
    assert "permanently banned from Seva Mitra" in text
    assert "HTTP 422 below_minimum_wage. The floor for skilled work is Rs 13,579.58 a month" in text
    assert "Engaged full-time, he is out of on-demand search even when online: findable = False." in text
    assert "2 days present, Rs 1,076.93 due at the posted wage, 1 day disputed" in text
    assert "Sunil is told of the complaint and answers it in the app before " in text
    assert "declares only Rs 150 at completion: complaints opened = 0" in text
    assert "an overcharge complaint opens on her word: cmp_" in text
    assert "the officer deciding the complaint downloads it from a link that lives 5 minutes" in text
    assert "the same she uploaded: True" in text
    assert (
        "The customer rates 5 stars through the buyer app; every callback was signed by Seva Mitra: True"
        in text
    )
    assert "Accepted -> In-progress -> Completed" in text
    assert lines[-1].startswith("Done:")


def test_the_walkthrough_in_hindi_narrates_and_shows_the_apis_hindi_messages(
    local_only: Stack, tmp_path: Path
) -> None:
    code, lines = _run(local_only, tmp_path, "--lang", "hi")

    assert code == 0, lines
    text = "\n".join(lines)
    assert "पंजीकरण" in text
    assert "बिजली फ़िटिंग: पंखा लगवाना" in text  # the service's Hindi name from /services
    assert "सेवा मित्र: नया काम" in text  # the SMS, in Hindi by default
    assert "यह पहचान सेवा मित्र से स्थायी रूप से प्रतिबंधित है।" in text  # the API's own Hindi message
    assert "1 अनुरोध प्रतीक्षा में" in text
    assert "मकान 7, गली 2" in text
    assert "लखनऊ के अधिकारियों को यह उनके इनबॉक्स में मिलता है" in text
    assert "वही जो उन्होंने अपलोड की: हाँ" in text
    assert "न्यूनतम मज़दूरी ₹13,579.58 मासिक" in text
    assert lines[-1].startswith("पूर्ण:")


def test_the_walkthrough_says_how_to_start_the_stack_when_it_is_not_running(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["--outputs", str(tmp_path / "missing.json")])

    assert code == 1
    assert "make dev" in capsys.readouterr().err
