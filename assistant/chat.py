"""Chat-model adapters: LangChain chat models behind the small ``ChatModel`` interface.

The only module that imports a chat-model integration. Two back ends, chosen by
settings: any OpenAI-compatible endpoint (hosted APIs, vLLM, llama.cpp's server,
Ollama's ``/v1``) through ``langchain-openai``, and Ollama's native API through
``langchain-ollama``.

Any failure of the model (server down, no reply within ``llm_timeout``, an HTTP
error, a reply that cannot be read or that stops before its end) becomes one
``ModelUnavailable`` whose reason ``fault_reason`` names in plain French; the
answer then falls back to the extractive one. ``llm_timeout`` bounds each wait on
the server (connecting, the first token, every next one), so a stream that stalls
mid-way is caught too. Requests are not retried: a retry after a timeout would
double the wait and queue the same question twice on a busy server. After a
timeout the model rests for ``REST_SECONDS`` (its calls fail at once), so that a
follow-up's rewrite and its answer do not wait twice on a server that hangs.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from assistant.generation import ModelUnavailable
from assistant.prompts import Message

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from assistant.settings import Settings

NO_KEY = "sans-cle"  # OpenAI's client insists on a key; local servers ignore it

# What went wrong, as the notice above the extractive answer says it.
DOWN = "indisponible"
TIMEOUT = "délai dépassé"
DENIED = "accès refusé"
SERVER = "erreur du serveur"
UNREADABLE = "réponse illisible"
CUT = "réponse interrompue"

REST_SECONDS = 30.0


class LangChainChat:
    """Streams a LangChain chat model's reply as plain text pieces.

    ``errors`` are the exceptions that count as the model failing (a malformed reply
    surfaces as anything from deep inside the client, hence ``Exception`` for real
    back ends); ``expects_end``: a reply must end with the server's end mark
    (``finish_reason``, Ollama's ``done``), else it was cut.
    """

    def __init__(
        self,
        model: BaseChatModel,
        where: str,
        errors: tuple[type[BaseException], ...] = (Exception,),
        *,
        expects_end: bool = False,
    ) -> None:
        self.model = model
        self.where = where
        self._errors = errors
        self._expects_end = expects_end
        self._rest_until = 0.0

    def stream(self, messages: Sequence[Message]) -> Iterator[str]:
        if time.monotonic() < self._rest_until:
            raise self._failure(TIMEOUT, f"pas de réponse au dernier essai, il y a < {REST_SECONDS:.0f} s")
        ended = streamed = False
        try:
            for chunk in self.model.stream(list(messages)):
                ended = ended or has_ended(chunk.response_metadata)
                if text := chunk.text:
                    streamed = True
                    yield text
        except self._errors as exc:
            reason = fault_reason(exc, streamed)
            if reason == TIMEOUT:
                self._rest_until = time.monotonic() + REST_SECONDS
            raise self._failure(reason, _detail(exc)) from exc
        if self._expects_end and not ended:
            raise self._failure(CUT if streamed else UNREADABLE, "flux terminé sans marque de fin")

    def _failure(self, reason: str, detail: str) -> ModelUnavailable:
        message = f"Le modèle de langue ({self.where}) n'a pas répondu : {reason} ({detail})"
        return ModelUnavailable(message, reason)


def has_ended(metadata: Mapping[str, Any]) -> bool:
    """Whether a chunk carries the server's end mark (OpenAI's ``finish_reason``, Ollama's ``done``)."""
    return bool(metadata.get("finish_reason") or metadata.get("done_reason") or metadata.get("done"))


def fault_reason(exc: BaseException, streamed: bool = False) -> str:
    """The kind of a model failure in plain French, from the exception and whether part of
    the reply had already come (a connection lost then is a cut reply, not a server down)."""
    import httpx
    import openai

    if isinstance(exc, TimeoutError | httpx.TimeoutException | openai.APITimeoutError):
        return TIMEOUT
    if isinstance(exc, openai.APIConnectionError | httpx.TransportError | ConnectionError):
        return CUT if streamed else DOWN
    if isinstance(exc, openai.APIResponseValidationError):
        return UNREADABLE
    status = _status(exc)
    if status in (401, 403):
        return DENIED
    if status is not None or isinstance(exc, openai.APIError):
        return SERVER
    return UNREADABLE  # JSON that does not parse, or parses into the wrong shape


def _status(exc: BaseException) -> int | None:
    """The HTTP status an exception carries (openai, Ollama, httpx), if any."""
    status = getattr(exc, "status_code", None)
    if status is None:
        status = getattr(getattr(exc, "response", None), "status_code", None)
    return status if isinstance(status, int) else None


def _detail(exc: BaseException) -> str:
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
    from langchain_openai import ChatOpenAI

    model = ChatOpenAI(
        model=settings.llm_model,
        base_url=settings.llm_base_url or None,
        api_key=settings.llm_api_key.get_secret_value() or NO_KEY,
        temperature=settings.llm_temperature,
        # `max_tokens` in the body, as llama.cpp, vLLM and Ollama read it (langchain-openai
        # would send only `max_completion_tokens`, which some of these servers ignore).
        extra_body={"max_tokens": settings.llm_max_tokens},
        timeout=settings.llm_timeout,  # per read: also catches a stream that stalls
        max_retries=0,
        streaming=True,
    )
    where = f"{settings.llm_model} sur {settings.llm_base_url or 'api.openai.com'}"
    return LangChainChat(model, where, expects_end=True)


def _ollama(settings: Settings) -> LangChainChat:
    from langchain_ollama import ChatOllama

    base_url = settings.llm_base_url or "http://127.0.0.1:11434"
    model = ChatOllama(
        model=settings.llm_model,
        base_url=base_url,
        temperature=settings.llm_temperature,
        num_predict=settings.llm_max_tokens,
        client_kwargs={"timeout": settings.llm_timeout},
    )
    return LangChainChat(model, f"{settings.llm_model} sur {base_url} (Ollama)", expects_end=True)
