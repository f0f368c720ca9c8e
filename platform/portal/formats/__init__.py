"""The portal's date formats per language (settings.FORMAT_MODULE_PATH), overriding Django's locale defaults.

Django's English formats write "Dec. 7, 2026" and "Dec. 7, 2026, 2:30 p.m.": American, and a sentence that ends in a
time ends in "p.m..". The portal writes "7 Dec 2026" and 24-hour times without periods in English, and Django's own
"2026年12月7日 14:30" in Chinese. Templates use only the named formats (DATE_FORMAT, DATETIME_FORMAT,
SHORT_DATETIME_FORMAT), never a fixed pattern, so a page reads in its reader's language.
"""
