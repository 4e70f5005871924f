# Load the petitions package before the accounts one: importing campaign_app.accounts first
# currently runs into an import cycle (accounts -> audit -> access -> petitions -> exports ->
# access) in the shared tree; reported to the lead.
import campaign_app.petitions  # noqa: F401
