//! The column dictionary every output folder carries (`columns.csv`: file, column, unit,
//! meaning): one row per column of each file the folder holds, written from [`DICTIONARY`]
//! (`dictionary.csv` beside this file). A
//! column a scenario or design names is one row with a pattern in angle brackets
//! (`<unit>_<indicator>`, `<key path>`). Tests hold the dictionary to every header of
//! `columns.rs` and to the files a run, a comparison and a lever table write.

use crate::error::Result;

/// Every column of every file spheres writes, as CSV (file, column, unit, meaning; the
/// folder's manifest lists which files it holds).
pub const DICTIONARY: &str = include_str!("dictionary.csv");

/// columns.csv for a folder holding `files` (as its manifest lists them: `<scenario>/summary.csv`
/// stands for summary.csv): the dictionary's header and its rows of those files, in its order.
pub fn columns_csv(files: &[String]) -> Result<Vec<u8>> {
    let held = |file: &str| {
        files
            .iter()
            .any(|f| f == file || f.ends_with(&format!("/{file}")))
    };
    let mut r = csv::Reader::from_reader(DICTIONARY.as_bytes());
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(r.headers()?)?;
    for row in r.records() {
        let row = row?;
        if held(&row[0]) {
            w.write_record(&row)?;
        }
    }
    Ok(w.into_inner()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::columns::*;

    #[test]
    fn every_header_is_in_the_dictionary() {
        let indicators = header::<IndicatorRow>().unwrap();
        let fixed: Vec<(&str, Vec<&str>)> = vec![
            ("summary.csv", SUMMARY.to_vec()),
            (
                "indicators.csv",
                indicators.iter().map(String::as_str).collect(),
            ),
            ("outcomes.csv", OUTCOMES.to_vec()),
            ("events.csv", EVENTS.to_vec()),
            ("trajectories.csv", TRAJECTORIES.to_vec()),
            ("draws.csv", vec![DRAW]),
            ("comparison.csv", COMPARISON.to_vec()),
            ("robust.csv", ROBUST.to_vec()),
            ("levers.csv", LEVERS.to_vec()),
            ("responses.csv", RESPONSES.to_vec()),
            ("hindcast.csv", HINDCAST.to_vec()),
            ("continuous.csv", CONTINUOUS.to_vec()),
            ("reliability.csv", RELIABILITY.to_vec()),
            ("nowcast.csv", NOWCAST.to_vec()),
            ("filtered.csv", FILTERED.to_vec()),
            ("forecast.csv", FORECAST.to_vec()),
            ("channels.csv", CHANNELS.to_vec()),
            ("scores.csv", SCORES.to_vec()),
            ("skill.csv", SKILL.to_vec()),
            ("pit.csv", PIT.to_vec()),
            ("observations.csv", OBSERVATIONS.to_vec()),
            ("generations.csv", GENERATIONS.to_vec()),
            ("marginals.csv", MARGINALS.to_vec()),
            ("points.csv", vec![POINT]),
            ("results.csv", vec![POINT, ERROR]),
            ("runs.csv", RUNS.to_vec()),
            ("series.csv", SERIES.to_vec()),
            ("sensitivity.csv", [&SOBOL[..], &MORRIS[..]].concat()),
        ];
        for (file, names) in fixed {
            for name in names {
                assert!(
                    DICTIONARY
                        .lines()
                        .any(|l| l.starts_with(&format!("{file},{name},"))),
                    "{file}: `{name}` has no row in the dictionary"
                );
            }
        }
    }

    #[test]
    fn columns_csv_lists_the_folders_files_only() {
        let text =
            String::from_utf8(columns_csv(&["<scenario>/summary.csv".into()]).unwrap()).unwrap();
        assert!(text.starts_with("file,column,unit,meaning\nsummary.csv,date,"));
        assert!(text.lines().skip(1).all(|l| l.starts_with("summary.csv,")));
    }
}
