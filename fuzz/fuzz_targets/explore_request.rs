//! Any bytes as the body of an explorer request (`POST /api/compare`) give a request or a
//! `BadRequest`, never a panic: the request parser checked against the main job's sliders.
#![no_main]

use libfuzzer_sys::fuzz_target;
use spheres::experiments::explore::{ExploreOptions, Explorer};
use std::sync::OnceLock;

fn explorer() -> &'static Explorer {
    static EXPLORER: OnceLock<Explorer> = OnceLock::new();
    EXPLORER.get_or_init(|| {
        Explorer::new(ExploreOptions {
            baseline: "nobody-steps-in".into(),
            variant: "eu-steps-in".into(),
            citizens: false,
            threads: Some(1),
            out: std::env::temp_dir(),
        })
        .expect("the main job's pair loads")
    })
}

fuzz_target!(|data: &[u8]| {
    if let Ok(request) = explorer().request(data) {
        // A request that parses yields a command line.
        assert!(explorer().command(&request).starts_with("spheres compare "));
    }
});
