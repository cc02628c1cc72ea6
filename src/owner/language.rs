//! The language place names are shown in.

/// Display language for country and city names.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Language {
    #[default]
    English,
    Japanese,
}

impl Language {
    /// The MaxMind `names` key for this language.
    pub fn code(self) -> &'static str {
        match self {
            Language::English => "en",
            Language::Japanese => "ja",
        }
    }
}

/// The language of the user interface, from the POSIX locale variables:
/// Japanese when the locale in effect for messages starts with `ja`.
pub fn ui_language() -> Language {
    language_from_locale(|name| std::env::var(name).ok())
}

/// [`ui_language`] with the environment supplied by the caller (for tests).
///
/// POSIX precedence: the first of `LC_ALL`, `LC_MESSAGES`, `LANG` that is set
/// and non-empty decides, so `LC_ALL=C LANG=ja_JP.UTF-8` is English.
pub fn language_from_locale(var: impl Fn(&str) -> Option<String>) -> Language {
    let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
        .into_iter()
        .filter_map(&var)
        .find(|value| !value.is_empty());
    match locale {
        Some(value) if value.starts_with("ja") => Language::Japanese,
        _ => Language::English,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn locale_precedence() {
        assert_eq!(language_from_locale(env(&[])), Language::English);
        assert_eq!(
            language_from_locale(env(&[("LANG", "ja_JP.UTF-8")])),
            Language::Japanese
        );
        assert_eq!(
            language_from_locale(env(&[("LC_ALL", "C"), ("LANG", "ja_JP.UTF-8")])),
            Language::English
        );
        assert_eq!(
            language_from_locale(env(&[("LC_ALL", ""), ("LC_MESSAGES", "ja_JP")])),
            Language::Japanese
        );
        assert_eq!(
            language_from_locale(env(&[("LANG", "en_US.UTF-8")])),
            Language::English
        );
    }
}
