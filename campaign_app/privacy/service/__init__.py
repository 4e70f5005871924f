"""Privacy use cases, one module each: an organiser erases a signer (``erasing``), a signer
asks by e-mail (``self_service``), an organiser has a closed petition anonymised
(``anonymising``).

They run on the request side and may queue work (``privacy.jobs``); the jobs never import
them, only the building blocks (``privacy.erasure``, ``privacy.retention``, ``privacy.tokens``).
"""
