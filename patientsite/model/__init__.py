"""The model stage: loaded values -> the frozen `Site` (URLs, translations, navigation, what each page uses)."""
