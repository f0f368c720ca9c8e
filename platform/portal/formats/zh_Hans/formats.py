"""Chinese dates: Django's zh_Hans long forms (2026年12月7日 14:30), with seconds for the short datetime."""

DATE_FORMAT = "Y年n月j日"  # 2026年12月7日
DATETIME_FORMAT = "Y年n月j日 H:i"  # 2026年12月7日 14:30
SHORT_DATE_FORMAT = "Y年n月j日"
SHORT_DATETIME_FORMAT = "Y年n月j日 H:i:s"
MONTH_DAY_FORMAT = "m月j日"
YEAR_MONTH_FORMAT = "Y年n月"
TIME_FORMAT = "H:i"
