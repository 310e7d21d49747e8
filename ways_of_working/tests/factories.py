"""What the framework's tests and the surveys' questionnaire tests both check: the reported statements."""

REQUIRED = {
    "AT-EFFECTIVE": "My local area team works effectively with my CCG.",
    "PC-EFFECTIVE": "NHS England works effectively with my CCG as commissioner of primary care.",
    "PC-VISION": "NHS England shares my CCG's vision for primary care.",
    "PC-POWERS": "NHS England understands its decision-making powers in primary care commissioning.",
    "SUPPORT": "NHS England offers the support and development my CCG needs.",
    "NATIONAL": "NHS England works effectively with CCGs at national level.",
}
