"""Chat-model adapters: LangChain chat models behind the small ``ChatModel`` interface.

The only module that imports a chat-model integration. Two back ends, chosen by
settings: any OpenAI-compatible endpoint (hosted APIs, vLLM, llama.cpp's server,
Ollama's ``/v1``) through ``langchain-openai``, and Ollama's native API through
``langchain-ollama``. Network failures become one French ``UserFacingError``;
a timeout and a single retry keep an unreachable server from hanging a question.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from assistant.errors import UserFacingError
from assistant.prompts import Message

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from assistant.settings import Settings

NO_KEY = "sans-cle"  # OpenAI's client insists on a key; local servers ignore it


class LangChainChat:
    """Streams a LangChain chat model's reply as plain text pieces."""

    def __init__(self, model: BaseChatModel, where: str, errors: tuple[type[BaseException], ...]) -> None:
        self.model = model
        self.where = where
        self._errors = errors

    def stream(self, messages: Sequence[Message]) -> Iterator[str]:
        try:
            for chunk in self.model.stream(list(messages)):
                if text := chunk.text:
                    yield text
        except self._errors as exc:
            reason = _reason(exc)
            raise UserFacingError(f"Le modèle de langue ({self.where}) n'a pas répondu : {reason}") from exc


def _reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:200]


def build_chat_model(settings: Settings) -> LangChainChat | None:
    """The configured chat model, or ``None`` when ``ASSISTANT_LLM_MODEL`` is empty (extractive mode)."""
    if not settings.llm_model:
        return None
    if settings.llm_provider == "ollama":
        return _ollama(settings)
    return _openai_compatible(settings)


def _openai_compatible(settings: Settings) -> LangChainChat:
    import openai
    from langchain_openai import ChatOpenAI

    model = ChatOpenAI(
        model=settings.llm_model,
        base_url=settings.llm_base_url or None,
        api_key=settings.llm_api_key.get_secret_value() or NO_KEY,
        temperature=settings.llm_temperature,
        # `max_tokens` in the body, as llama.cpp, vLLM and Ollama read it (langchain-openai
        # would send only `max_completion_tokens`, which some of these servers ignore).
        extra_body={"max_tokens": settings.llm_max_tokens},
        timeout=settings.llm_timeout,
        max_retries=1,
        streaming=True,
    )
    where = f"{settings.llm_model} sur {settings.llm_base_url or 'api.openai.com'}"
    return LangChainChat(model, where, (openai.OpenAIError,))


def _ollama(settings: Settings) -> LangChainChat:
    import httpx
    import ollama
    from langchain_ollama import ChatOllama

    base_url = settings.llm_base_url or "http://127.0.0.1:11434"
    model = ChatOllama(
        model=settings.llm_model,
        base_url=base_url,
        temperature=settings.llm_temperature,
        num_predict=settings.llm_max_tokens,
        client_kwargs={"timeout": settings.llm_timeout},
    )
    errors = (ollama.ResponseError, httpx.HTTPError, ConnectionError)
    return LangChainChat(model, f"{settings.llm_model} sur {base_url} (Ollama)", errors)
