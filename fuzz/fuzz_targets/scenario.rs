//! Scenario parsing and validation never panic: any bytes give a scenario or an error.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(s) = spheres::scenario::from_text("fuzz.toml", text) {
        // A valid scenario compiles, and its resolved form loads back to the same scenario.
        let model = spheres::model::Model::compile(&s).expect("a validated scenario compiles");
        let _ = spheres::model::indicators::Layout::new(&model);
        let resolved = s.to_toml().expect("a validated scenario serialises");
        let again = spheres::scenario::from_text("resolved.toml", &resolved).expect("the resolved form loads");
        assert_eq!(s, again);
    }
});
