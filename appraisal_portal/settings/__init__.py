"""Settings, split by concern and read from the environment (see the README's table).

Each module below reads its own variables through ``env`` and may use names defined by the
modules before it; the order matters.
"""

from .core import *  # noqa: F403
from .database import *  # noqa: F403
from .security import *  # noqa: F403
from .frontend import *  # noqa: F403
from .tasks import *  # noqa: F403
from .api import *  # noqa: F403
from .email import *  # noqa: F403
from .logging import *  # noqa: F403
from .appraisal import *  # noqa: F403
