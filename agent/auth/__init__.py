"""Who is at the console: the operator roster, password hashing, identities and roles.

Pure (no Streamlit): the console and the CLI both call it, and tests drive it directly.
"""
