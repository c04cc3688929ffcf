//! Typo hints: the known name nearest to one that is not known, for keys, codes, ids, choices
//! and scenario names alike.

/// The known name `word` most likely stands for: the same name in other letter case, or the
/// nearest by edit distance when it is close enough to be a typo.
pub fn suggestion<'a>(word: &str, known: &[&'a str]) -> Option<&'a str> {
    if known.contains(&word) {
        return None;
    }
    known
        .iter()
        .find(|k| **k != word && k.eq_ignore_ascii_case(word))
        .copied()
        .or_else(|| nearest(word, known))
}

/// ` (did you mean `X`?)` when [`suggestion`] finds one, or nothing.
pub fn did_you_mean(word: &str, known: &[&str]) -> String {
    suggestion(word, known)
        .map(|k| format!(" (did you mean `{k}`?)"))
        .unwrap_or_default()
}

/// The known name closest to `word` by edit distance, if it is close enough to be a typo.
pub fn nearest<'a>(word: &str, known: &[&'a str]) -> Option<&'a str> {
    let prefix = |k: &str| k.len() >= 4 && (word.starts_with(k) || k.starts_with(word));
    known
        .iter()
        .filter(|k| **k != word)
        .map(|k| (edit_distance(word, k), *k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 4) && *d < k.len().max(word.len()) || prefix(k))
        .min()
        .map(|(_, k)| k)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_find_their_key() {
        assert_eq!(
            nearest("gas_shar_russia", &["gas_share_russia", "name"]),
            Some("gas_share_russia")
        );
        assert_eq!(nearest("zzzz", &["gas_share_russia", "name"]), None);
    }

    #[test]
    fn codes_find_theirs_in_any_case() {
        let codes = ["ALB", "MNE", "SRB", "XKX"];
        assert_eq!(suggestion("SRBB", &codes), Some("SRB"));
        assert_eq!(suggestion("srb", &codes), Some("SRB"));
        assert_eq!(
            suggestion("SRB", &codes),
            None,
            "a known name needs no hint"
        );
        assert_eq!(suggestion("ZZZ", &["AAA", "BBB"]), None);
        assert_eq!(did_you_mean("MNX", &codes), " (did you mean `MNE`?)");
        assert_eq!(did_you_mean("QQQQQ", &codes), "");
        assert_eq!(
            suggestion("X", &["A", "B"]),
            None,
            "one letter is no typo of another"
        );
    }
}
