//! Any bytes as a link's query: parsing never panics, the scenario it gives is valid and runs, and the
//! link printed from it parses back to the same scenario without notices.
#![no_main]

use libfuzzer_sys::fuzz_target;
use steplab_core::link;
use steplab_core::num::print as rust_fmt;
use steplab_core::Lab;

fuzz_target!(|data: &[u8]| {
    let query = String::from_utf8_lossy(data);
    let parsed = link::parse(&query);
    for notice in &parsed.notices {
        let _ = notice.text(&rust_fmt);
    }
    let mut lab = Lab::new(parsed.scenario.clone());
    lab.seek(30);
    for panel in 0..3 {
        let record = lab.shown(panel);
        assert!(record.x.iter().all(|c| c.is_finite()) && record.loss.is_finite());
    }
    let again = link::parse(&parsed.to_query(&rust_fmt));
    assert!(again.notices.is_empty(), "{:?}", again.notices);
    // A preset's title that describes its panel comes back as the same words chosen by the link (a printed
    // link never names its preset); everything else comes back as it was.
    let as_written = |scenario: &steplab_core::Scenario| {
        let mut written = scenario.clone();
        for panel in &mut written.panels {
            if let steplab_core::Title::Describes(text) = &panel.title {
                panel.title = steplab_core::Title::Chosen(text.clone());
            }
        }
        written
    };
    assert_eq!(as_written(&again.scenario), as_written(&parsed.scenario));
});
