from pathlib import Path

import pytest
from pydantic import ValidationError

from assistant.settings import Settings


def test_defaults() -> None:
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.store == Path("data/store")
    assert settings.embedding_model == "multilingual-e5-small"
    assert settings.host == "127.0.0.1" and settings.port == 7860
    assert settings.allow_download is False


def test_environment_and_dotenv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".env").write_text("ASSISTANT_TOP_K=7\nASSISTANT_STORE=/srv/index\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ASSISTANT_TOP_K", "9")
    settings = Settings()
    assert settings.top_k == 9  # the environment wins over .env
    assert settings.store == Path("/srv/index")


def test_invalid_values_are_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSISTANT_PORT", "0")
    with pytest.raises(ValidationError):
        Settings(_env_file=None)  # type: ignore[call-arg]


def test_fusion_weights_over_one_are_rejected_in_french(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSISTANT_LEXICAL_WEIGHT", "0.9")
    monkeypatch.setenv("ASSISTANT_SENTENCE_SEARCH_WEIGHT", "0.2")
    with pytest.raises(ValidationError, match="doivent totaliser au plus 1"):
        Settings(_env_file=None)  # type: ignore[call-arg]
