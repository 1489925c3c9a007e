"""Before the decision (国务院令第713号 第二章、第三章): expert review, risk assessment, legality review,
collective discussion, and hearings with their representatives, record and report."""
