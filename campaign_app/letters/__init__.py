"""Letters and cards to prisoners: occasions, phrasebook, composer, printable PDFs."""

from flask import Blueprint

bp = Blueprint("letters", __name__, url_prefix="/letters", cli_group="letters")
