//! The code map of ARCHITECTURE.md read: its rows, and the file names each row matches.

/// A row of the code map.
#[derive(Clone, Debug)]
pub struct Row {
    /// The path column as written, e.g. `src/model/{arms,energy}.rs`.
    pub pattern: String,
    /// The entries of the "may use" column, as paths.
    pub may_use: Vec<Vec<String>>,
}

impl Row {
    pub fn matches(&self, file: &str) -> bool {
        expand_braces(&self.pattern)
            .iter()
            .any(|p| glob(p.as_bytes(), file.as_bytes()))
    }

    pub fn allows(&self, path: &[String]) -> bool {
        self.may_use.iter().any(|e| path.starts_with(e))
    }

    pub fn describe(&self) -> String {
        let list: Vec<String> = self
            .may_use
            .iter()
            .map(|e| format!("`{}`", e.join("::")))
            .collect();
        format!(
            "row `{}` (may use: {})",
            self.pattern,
            if list.is_empty() {
                "nothing else".to_string()
            } else {
                list.join(", ")
            }
        )
    }
}

/// `a{b,c}d` → `abd`, `acd` (any number of groups, not nested).
pub fn expand_braces(pattern: &str) -> Vec<String> {
    let (Some(open), Some(close)) = (pattern.find('{'), pattern.find('}')) else {
        return vec![pattern.to_string()];
    };
    let (head, alternatives, tail) = (
        &pattern[..open],
        &pattern[open + 1..close],
        &pattern[close + 1..],
    );
    alternatives
        .split(',')
        .flat_map(|a| expand_braces(&format!("{head}{}{tail}", a.trim())))
        .collect()
}

/// `*` matches any run of characters but `/`.
pub fn glob(pattern: &[u8], name: &[u8]) -> bool {
    match pattern.split_first() {
        None => name.is_empty(),
        Some((b'*', rest)) => (0..=name.len())
            .take_while(|&k| k == 0 || name[k - 1] != b'/')
            .any(|k| glob(rest, &name[k..])),
        Some((c, rest)) => name.first() == Some(c) && glob(rest, &name[1..]),
    }
}

pub fn path_of(s: &str) -> Vec<String> {
    s.split("::").map(str::to_string).collect()
}

/// The rows of the table under "## Code map" in ARCHITECTURE.md.
pub fn parse_code_map(markdown: &str) -> Result<Vec<Row>, String> {
    let section = markdown
        .split("\n## ")
        .find(|s| s.starts_with("Code map"))
        .ok_or("ARCHITECTURE.md has no section `## Code map`")?;
    let mut rows = Vec::new();
    for line in section.lines().filter(|l| l.starts_with('|')).skip(2) {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        if cells.len() != 5 {
            return Err(format!(
                "ARCHITECTURE.md: a code map row needs three cells (path | job | may use), without `|` inside: {line}"
            ));
        }
        let pattern = cells[1]
            .strip_prefix('`')
            .and_then(|p| p.strip_suffix('`'))
            .filter(|p| p.starts_with("src/") && !p.contains('`'))
            .ok_or_else(|| {
                format!("ARCHITECTURE.md: the path `src/…` of a code map row, in backticks: {line}")
            })?;
        let mut may_use = Vec::new();
        for (k, entry) in cells[3].split('`').enumerate() {
            if k % 2 == 0 {
                continue;
            }
            let ok = entry
                .split("::")
                .all(|s| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'));
            if !ok {
                return Err(format!(
                    "ARCHITECTURE.md: `{entry}` in the may-use column of `{pattern}` is not a path such as `model` or `statistics::Scale`"
                ));
            }
            may_use.push(path_of(entry));
        }
        rows.push(Row {
            pattern: pattern.to_string(),
            may_use,
        });
    }
    Ok(rows)
}
