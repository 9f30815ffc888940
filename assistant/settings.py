"""The one settings object, read from ``ASSISTANT_*`` variables and an optional ``.env``.

Built once by an entry point (CLI, web app) and passed down; no other module
reads the environment.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ASSISTANT_", env_file=".env", extra="ignore")

    store: Path = Field(Path("data/store"), description="Dossier de l'index Chroma.")
    chroma_url: str = Field(
        "",
        description="Serveur Chroma (ex. http://10.0.0.5:8000) ; vide = index local dans le dossier store.",
    )
    chroma_namespace: str = Field(
        "", description="Préfixe des collections sur le serveur Chroma (plusieurs index par serveur)."
    )
    embedding_model: str = Field(
        "multilingual-e5-small",
        description="Modèle d'embeddings : multilingual-e5-small (fourni, 4 bits, sans torch), "
        "un autre modèle sentence-transformers (nom ou dossier local), "
        "ou le nom du modèle sur le serveur d'embeddings.",
    )
    embedding_base_url: str = Field(
        "",
        description="Serveur d'embeddings compatible OpenAI (ex. http://127.0.0.1:8000/v1) ; "
        "vide = modèle local.",
    )
    embedding_api_key: SecretStr = Field(SecretStr(""), description="Clé d'API du serveur d'embeddings.")
    embedding_timeout: float = Field(
        30.0, gt=0, description="Délai maximal d'une réponse du serveur d'embeddings, en secondes."
    )
    embedding_threads: int = Field(
        0, ge=0, description="Cœurs utilisés par le modèle d'embeddings fourni (0 = tous)."
    )
    model_cache: Path = Field(
        default_factory=lambda: Path.home() / ".cache" / "assistant-fabrique",
        description="Cache des vecteurs déjà calculés (par modèle et texte), partagé par les index "
        "de la machine.",
    )
    allow_download: bool = Field(False, description="Autoriser le téléchargement du modèle depuis un hub.")
    chunk_size: int = Field(2000, ge=50, description="Taille maximale d'un passage (caractères).")
    chunk_overlap: int = Field(200, ge=0, description="Recouvrement entre passages découpés (caractères).")
    retrieval: Literal["hybrid", "dense", "lexical"] = Field(
        "hybrid", description="Recherche : hybride (BM25 + vecteurs), vecteurs seuls, ou BM25 seul."
    )
    fusion: Literal["rrf", "convex"] = Field(
        "convex", description="Fusion hybride : rangs réciproques (rrf) ou scores normalisés (convex)."
    )
    lexical_weight: float = Field(0.5, ge=0.0, le=1.0, description="Poids de BM25 dans la fusion (0 à 1).")
    sentence_search_weight: float = Field(
        0.2,
        ge=0.0,
        le=1.0,
        description="Poids, dans la fusion, du classement des passages par leur phrase la plus proche "
        "de la question (0 = sans) ; avec celui de BM25, au plus 1.",
    )
    sentence_weight: float = Field(
        2.0,
        ge=0.0,
        le=10.0,
        description="Poids du sens de la meilleure phrase d'un passage dans le classement final (0 = sans).",
    )
    candidates: int = Field(40, ge=1, le=500, description="Candidats de chaque recherche avant fusion.")
    reranker: str = Field(
        "", description="Modèle cross-encoder de reclassement (nom ou dossier local) ; vide = désactivé."
    )
    ingest_timeout: float = Field(
        120.0, ge=0, description="Durée maximale de lecture d'un fichier, en secondes (0 = sans limite)."
    )
    ingest_memory_mb: int = Field(
        2048, ge=0, description="Mémoire maximale du lecteur de fichiers, en Mio (0 = sans limite)."
    )
    max_file_mb: float = Field(
        200.0, ge=0, description="Taille maximale d'un fichier indexé, en Mio (0 = sans limite)."
    )
    max_pages: int = Field(2000, ge=0, description="Nombre maximal de pages d'un PDF (0 = sans limite).")
    llm_model: str = Field(
        "", description="Modèle de langue (nom côté serveur) ; vide = réponses extractives, sans modèle."
    )
    llm_provider: Literal["openai", "ollama"] = Field(
        "openai", description="API du modèle : compatible OpenAI (/v1) ou Ollama native."
    )
    llm_base_url: str = Field(
        "", description="Adresse du serveur du modèle (ex. http://127.0.0.1:8080/v1) ; vide = défaut."
    )
    llm_api_key: SecretStr = Field(SecretStr(""), description="Clé d'API du serveur du modèle, si requise.")
    llm_timeout: float = Field(60.0, gt=0, description="Délai maximal d'une réponse du modèle, en secondes.")
    llm_max_tokens: int = Field(512, ge=16, le=8192, description="Longueur maximale d'une réponse du modèle.")
    llm_temperature: float = Field(0.1, ge=0.0, le=2.0, description="Température du modèle de langue.")
    top_k: int = Field(5, ge=1, le=50, description="Passages retrouvés par question.")
    max_question_chars: int = Field(1000, ge=10, description="Longueur maximale d'une question.")
    auth: Path | None = Field(
        None, description="Fichier d'utilisateurs (nom:rôle:empreinte) : active la connexion et les dépôts."
    )
    login_attempts: int = Field(
        5, ge=1, description="Connexions manquées d'un nom avant blocage (quatre fois plus par adresse)."
    )
    login_lockout: float = Field(
        300.0, gt=0, description="Durée du blocage après trop d'essais manqués, en secondes."
    )
    session_hours: float = Field(
        10.0, gt=0, description="Durée d'une session de l'interface web, en heures (puis reconnexion)."
    )
    max_upload_mb: int = Field(
        20, ge=1, le=2048, description="Taille maximale d'un fichier déposé dans l'interface web, en Mio."
    )
    host: str = Field("127.0.0.1", description="Adresse d'écoute de l'interface web.")
    trusted_proxies: list[str] = Field(
        default_factory=list,
        description=(
            "Adresses des proxys dont l'en-tête X-Forwarded-For est cru (en JSON) ; sans elles, "
            "les essais de connexion sont comptés par adresse de connexion."
        ),
    )
    allowed_hosts: list[str] = Field(
        default_factory=list,
        description=(
            "Noms d'hôte publics sous lesquels l'interface web est servie (derrière un proxy), "
            'en JSON : ["bilan.exemple.fr"] ; les adresses locales sont toujours acceptées.'
        ),
    )
    api_docs: bool = Field(
        False,
        description=(
            "Ouvrir la description de l'API (/gradio_api/openapi.json) à qui peut utiliser "
            "l'interface ; fermée par défaut."
        ),
    )
    port: int = Field(7860, ge=1, le=65535, description="Port de l'interface web.")
    concurrency: int = Field(4, ge=1, description="Questions traitées en parallèle par l'interface web.")
    debug: bool = Field(False, description="Afficher la trace complète des erreurs.")

    @model_validator(mode="after")
    def _fusion_weights_fit(self) -> Settings:
        """The dense side of the fusion gets what BM25 and the sentences leave."""
        if self.lexical_weight + self.sentence_search_weight > 1.0:
            raise ValueError(
                f"ASSISTANT_LEXICAL_WEIGHT ({self.lexical_weight}) et ASSISTANT_SENTENCE_SEARCH_WEIGHT "
                f"({self.sentence_search_weight}) doivent totaliser au plus 1"
            )
        return self
