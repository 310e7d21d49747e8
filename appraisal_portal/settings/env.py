"""The one ``environ.Env`` every settings module reads from."""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
# A local .env is convenient in development; real deployments set the environment.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)
