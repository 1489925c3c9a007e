"""consult: major-decision pre-disclosure and public consultation."""
