//! Files users hand back to spheres never make it panic: any bytes as a sweep slice (merge), an
//! output folder (report), or SALib parameter, sample and output tables (sample, analyze) give
//! results or an error. The input is split at 0xFF bytes into the files of one case; its first
//! byte picks the surface, unless SPHERES_FUZZ_SURFACE (0 merge, 1 report, 2 sample/analyze)
//! does.
#![no_main]

use libfuzzer_sys::fuzz_target;
use spheres::experiments::{sensitivity, sweep};
use std::path::Path;

fn write_parts(dir: &Path, names: &[&str], data: &[u8]) {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).unwrap();
    let mut parts = data.split(|&b| b == 0xFF);
    for name in names {
        std::fs::write(dir.join(name), parts.next().unwrap_or(&[])).unwrap();
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let root = std::env::temp_dir().join(format!("spheres-fuzz-{}", std::process::id()));
    let dir = root.join("case");
    // SPHERES_FUZZ_SURFACE=0, 1 or 2 fuzzes one surface only (scripts/fuzz.sh).
    let surface = std::env::var("SPHERES_FUZZ_SURFACE")
        .ok()
        .and_then(|v| v.parse::<u8>().ok())
        .unwrap_or(pick % 3);
    match surface {
        0 => {
            write_parts(
                &dir,
                &["manifest.json", "sweep.toml", "points.csv", "results.csv"],
                rest,
            );
            let out = root.join("merged");
            let _ = sweep::merge(&[dir.clone()], &out, true, "fuzz");
        }
        1 => {
            write_parts(
                &dir,
                &["manifest.json", "summary.csv", "scenario.resolved.toml", "events.csv", "comparison.csv", "levers.csv"],
                rest,
            );
            let _ = spheres::report::write(&dir);
        }
        _ => {
            write_parts(&dir, &["params.txt", "x.csv", "y.csv"], rest);
            if let Ok(factors) = sensitivity::read_params(&dir.join("params.txt")) {
                for method in [sensitivity::Method::Sobol, sensitivity::Method::Morris] {
                    let _ = sensitivity::sample(method, &factors, 4, 4, 1);
                    let _ = sensitivity::analyze(method, &factors, &dir.join("x.csv"), &dir.join("y.csv"), 1);
                }
            }
        }
    }
});
