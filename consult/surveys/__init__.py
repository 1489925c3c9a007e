"""Questionnaires (问卷调查/民意调查, seeds 002–003): built and reviewed by staff, answered without an
account, one response per person, results published after they close."""
