//! Scenario parsing and validation never panic: any bytes give a scenario or an error.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(s) = spheres::scenario::from_text("fuzz.toml", text) {
        // A valid scenario compiles (or is refused because its present cannot be held), and its
        // resolved form loads back to the same scenario.
        let model = match spheres::model::Model::compile(&s) {
            Ok(m) => m,
            Err(spheres::Error::Input(msg)) if msg.contains("the present cannot be held") => return,
            Err(e) => panic!("a validated scenario does not compile: {e}"),
        };
        let _ = spheres::model::indicators::Layout::new(&model);
        let resolved = s.to_toml().expect("a validated scenario serialises");
        let again = spheres::scenario::from_text("resolved.toml", &resolved).expect("the resolved form loads");
        assert_eq!(s, again);
    }
});
