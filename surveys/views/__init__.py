"""Pages of the surveys app, one module per part: ``journey`` (the lead's appraisal), ``cycles`` (NHSCC's
cycle pages) and ``imports`` (the admin's file imports, their progress, and the CSV templates)."""
