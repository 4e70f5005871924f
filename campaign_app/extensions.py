"""Flask extensions, created unbound here and bound to the app in ``create_app``."""

from __future__ import annotations

from flask_babel import Babel
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

from campaign_app.db import Base
from campaign_app.security import client_address

db = SQLAlchemy(model_class=Base)
babel = Babel()
limiter = Limiter(key_func=client_address)
login_manager = LoginManager()
# Every POST needs the session's CSRF token, also the button-only forms (sign out, unlock...).
csrf = CSRFProtect()
