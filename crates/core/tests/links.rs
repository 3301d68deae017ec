//! The link grammar is a public contract: links in course pages must keep working. A scenario survives
//! the round trip through a link, every preset parses cleanly and shows what its note promises, and no
//! input, however hostile, makes the parser panic or hand out an invalid scenario.

use proptest::prelude::*;
use steplab_core::expr::Expr;
use steplab_core::link::{self, Hide, Link, NoticeKind};
use steplab_core::loss::LossFn;
use steplab_core::num::print as rust_fmt;
use steplab_core::presets::PRESETS;
use steplab_core::{Lab, Loss, Objective, OptimizerKind, Scenario, Status, Title, View};

mod common;
use common::any_optimizer;

/// Titles as a link can give them: chosen ones (no control characters, no outer spaces, at most 40
/// characters), neutral ones, or the seed's own (which go without saying).
fn any_title() -> impl Strategy<Value = Option<Title>> {
    prop_oneof![
        "[a-zA-Z0-9 &=#%+?,:;!()'\"<>/\\\\éü€😀-]{1,40}"
            .prop_map(|t| t.trim().to_owned())
            .prop_filter("empty", |t| !t.is_empty())
            .prop_map(|t| Some(Title::Chosen(t))),
        Just(Some(Title::Neutral)),
        Just(None),
    ]
}

/// A built-in loss or one of a few typed expressions (1-D and 2-D).
fn any_loss() -> impl Strategy<Value = LossFn> {
    let typed = ["x^2/2 - cos(3*x)", "(x-1)^2*(y+2)^2 + y^2", "abs(x) + 0.5*y^2", "exp(x/3) - x", "max(x, -x)^1.5"];
    prop_oneof![
        proptest::sample::select(Loss::ALL.to_vec()).prop_map(LossFn::from),
        proptest::sample::select(typed.to_vec()).prop_map(|text| LossFn::custom(Expr::parse(text).unwrap())),
    ]
}

/// No window, or a window inside the loss's own.
fn any_view() -> impl Strategy<Value = Option<(f64, f64)>> {
    proptest::option::of((0.0f64..0.4, 0.6f64..1.0))
}

fn any_scenario() -> impl Strategy<Value = Scenario> {
    (
        any_loss(),
        any_view(),
        prop_oneof![Just(1.0), Objective::MIN_SCALE..Objective::MAX_SCALE],
        0.0f64..=1.0,
        0.0f64..=1.0,
        [any_optimizer(), any_optimizer(), any_optimizer()],
        [any_title(), any_title(), any_title()],
    )
        .prop_map(|(loss, window, scale, u, v, optimizers, titles)| {
            let mut scenario = Scenario::seed();
            scenario.loss = loss;
            scenario.scale = scale;
            if let Some((a, b)) = window {
                let full = scenario.objective().view();
                let part = |(lo, hi): (f64, f64)| (lo + a * (hi - lo), lo + b * (hi - lo));
                scenario.view = Some(View { x: part(full.x), y: part(full.y) });
            }
            let view = scenario.view();
            let x = view.x.0 + u * (view.x.1 - view.x.0);
            let y = if scenario.loss.dim() == 2 { view.y.0 + v * (view.y.1 - view.y.0) } else { 0.0 };
            scenario.start = [x, y];
            let seed = Scenario::seed();
            let same_loss = scenario.loss == seed.loss && scenario.scale == seed.scale;
            for (((panel, optimizer), title), own) in
                scenario.panels.iter_mut().zip(optimizers).zip(titles).zip(&seed.panels)
            {
                panel.optimizer = optimizer;
                match title {
                    Some(title) => panel.title = title,
                    // The seed's title describes the seed's setting only.
                    None if !(same_loss && panel.optimizer == own.optimizer) => panel.title = Title::Neutral,
                    None => {}
                }
            }
            scenario
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn scenario_to_link_to_scenario_is_the_identity(
        scenario in any_scenario(),
        t in proptest::option::of(0u32..=1000),
        speed in proptest::option::of(0.5f64..=60.0),
        embed in any::<bool>(),
        overlay in any::<bool>(),
        hidden in prop::collection::vec(any::<bool>(), 4),
    ) {
        let mut hide = Hide::default();
        for (name, on) in Hide::NAMES.iter().zip(hidden) {
            hide.set(name, on);
        }
        // Only a surface can be overlaid.
        let overlay = overlay && scenario.loss.dim() == 2;
        let link = Link { scenario, t, speed, preset: None, embed, hide, overlay, notices: Vec::new() };
        let query = link.to_query(&rust_fmt);
        let back = link::parse(&query);
        prop_assert!(back.notices.is_empty(), "{query}: {:?}", back.notices);
        prop_assert_eq!(back, link);
    }

    #[test]
    fn any_text_parses_to_a_valid_scenario(query in ".{0,300}") {
        check_valid(&link::parse(&query));
    }

    #[test]
    fn any_mix_of_grammar_pieces_parses_to_a_valid_scenario(
        pieces in prop::collection::vec(
            prop_oneof![
                Just("loss=".to_owned()), Just("x0=".to_owned()), Just("a=".to_owned()), Just("c=adam:".to_owned()),
                Just("lr=".to_owned()), Just(",".to_owned()), Just("&".to_owned()), Just("=".to_owned()),
                Just("%".to_owned()), Just("NaN".to_owned()), Just("1e999".to_owned()), Just("-".to_owned()),
                Just("preset=".to_owned()), Just("hide=".to_owned()), Just("t=".to_owned()), "[a-z0-9.]{1,6}",
                Just("noise=".to_owned()), Just("seed=".to_owned()), Just("runs=".to_owned()),
                Just("horizon=".to_owned()), Just("lrs=".to_owned()), Just("lab=sparse".to_owned()),
                Just("features=".to_owned()), Just("rare=".to_owned()), Just("spread=".to_owned()),
                Just("label_noise=".to_owned()), Just("shift=".to_owned()),
            ],
            0..40,
        )
    ) {
        check_valid(&link::parse(&pieces.concat()));
    }
}

/// The scenario with every preset-described title read as the same words chosen by a link.
fn as_written(scenario: &Scenario) -> Scenario {
    let mut written = scenario.clone();
    for panel in &mut written.panels {
        if let Title::Describes(text) = &panel.title {
            panel.title = Title::Chosen(text.clone());
        }
    }
    written
}

/// What every parsed link must satisfy, whatever the input.
fn check_valid(link: &Link) {
    let s = &link.scenario;
    let view = s.view();
    assert!(s.start.iter().all(|c| c.is_finite()));
    assert!(view.x.0 <= s.start[0] && s.start[0] <= view.x.1, "{:?}", s.start);
    assert!((Objective::MIN_SCALE..=Objective::MAX_SCALE).contains(&s.scale));
    assert!((0.0..=steplab_core::noise::MAX_SIGMA).contains(&s.noise.sigma));
    assert!((1..=steplab_core::ensemble::MAX_RUNS).contains(&s.runs));
    let (shortest, longest) = steplab_core::sweep::HORIZON_LIMITS;
    assert!((shortest..=longest).contains(&s.sweep.horizon));
    let (low, high) = steplab_core::sweep::RATE_LIMITS;
    assert!(low <= s.sweep.from && s.sweep.to <= high && s.sweep.to >= 10.0 * s.sweep.from);
    for panel in &s.panels {
        let title = panel.title(&rust_fmt);
        assert!(title.chars().count() <= link::MAX_TITLE);
        assert!(!title.chars().any(char::is_control));
        for (spec, value) in panel.optimizer.params() {
            assert!(spec.accepts(value), "{} = {value}", spec.name);
        }
    }
    if let Some(speed) = link.speed {
        assert!((0.5..=60.0).contains(&speed));
    }
    assert!(link.t.is_none_or(|t| t <= 1000));
    // What it says survives a round trip through the link it prints. (A preset's title that describes its
    // panel comes back as the same words chosen by the link: a printed link never names its preset.)
    let again = link::parse(&link.to_query(&rust_fmt));
    assert!(again.notices.is_empty(), "{:?}", again.notices);
    assert_eq!(as_written(&again.scenario), as_written(s));
    // A page can be built from it and run.
    let mut lab = Lab::new(s.clone());
    lab.seek(50);
    if let Some(data) = s.sparse_data() {
        let mut sparse = steplab_core::sparse::SparseLab::new(data, [0, 1, 2].map(|p| s.panels[p].optimizer));
        sparse.seek(50);
        assert!((0..3).all(|p| sparse.shown(p).w.iter().all(|w| w.is_finite())));
    }
}

#[test]
fn a_corpus_of_bad_links_gives_valid_scenarios_and_says_what_it_ignored() {
    let long = "9".repeat(10_000);
    let corpus: Vec<(String, &str)> = vec![
        (String::new(), ""),
        ("?".into(), ""),
        ("&&&==&".into(), "="),
        ("garbage".into(), "garbage"),
        ("loss=quadratic&loss=quartic".into(), "loss"),
        ("x0=NaN".into(), "x0"),
        ("x0=inf".into(), "x0"),
        ("x0=-Infinity".into(), "x0"),
        ("x0=1e400".into(), "x0"),
        ("x0=1e300".into(), "x0"),
        (format!("x0={long}"), "x0"),
        (format!("ta={long}"), "ta"),
        ("a=sgd:lr=1e-300".into(), "a.lr"),
        ("a=sgd:lr=nan".into(), "a.lr"),
        ("a=sgd:lr".into(), "a.lr"),
        ("a=sgd:lr=1,lr=2".into(), "a.lr"),
        ("a=rocket".into(), "a"),
        ("a=adam:bogus=1".into(), "a"),
        ("c=adagrad:eps_in_sqrt=7".into(), "c.eps_in_sqrt"),
        ("speed=0".into(), "speed"),
        ("speed=1e9".into(), "speed"),
        ("t=-1".into(), "t"),
        ("t=1.5e12".into(), "t"),
        ("scale=0".into(), "scale"),
        ("preset=nope".into(), "preset"),
        ("noise=-1".into(), "noise"),
        ("noise=1e308".into(), "noise"),
        ("noise=NaN".into(), "noise"),
        ("seed=-5".into(), "seed"),
        ("seed=1e20".into(), "seed"),
        ("seed=0.5".into(), "seed"),
        ("seed=0x10".into(), "seed"),
        ("runs=0".into(), "runs"),
        ("runs=1e9".into(), "runs"),
        ("horizon=1".into(), "horizon"),
        ("horizon=inf".into(), "horizon"),
        ("lrs=1".into(), "lrs"),
        ("lrs=1,1".into(), "lrs"),
        ("lrs=0,1".into(), "lrs"),
        ("lrs=1e-9,1".into(), "lrs"),
        ("lrs=0.01,1e9".into(), "lrs"),
        ("lrs=,,,".into(), "lrs"),
        (format!("lrs={long},1"), "lrs"),
        ("lab=quantum".into(), "lab"),
        ("features=5".into(), "features"),
        ("lab=sparse&features=1".into(), "features"),
        ("lab=sparse&features=99".into(), "features"),
        ("lab=sparse&features=3.5".into(), "features"),
        ("lab=sparse&rare=0".into(), "rare"),
        ("lab=sparse&rare=1e300".into(), "rare"),
        ("lab=sparse&rare=NaN".into(), "rare"),
        ("lab=sparse&spread=zipf".into(), "spread"),
        ("lab=sparse&label_noise=-3".into(), "label_noise"),
        ("lab=sparse&shift=0".into(), "shift"),
        ("lab=sparse&shift=1e9".into(), "shift"),
        ("hide=everything".into(), "hide"),
        ("embed=maybe".into(), "embed"),
        // Found by the fuzzer: a window that leaves out the default start.
        ("p&view=-3,3,-2,2&overlay=1".into(), "p"),
        ("view=-3,3,-2,2&x0=2oops".into(), "x0"),
        (format!("ta={}x", "ab ".repeat(13) + "c  "), "ta"),
        ("%E0%A4%A".into(), "\u{FFFD}"),
        ("loss=%FF%FE".into(), "loss"),
    ];
    for (query, key) in &corpus {
        let link = link::parse(query);
        check_valid(&link);
        if !key.is_empty() {
            assert!(link.notices.iter().any(|n| n.key.starts_with(key)), "{query:.60}: {:?}", link.notices);
        }
        for notice in &link.notices {
            let text = notice.text(&rust_fmt);
            assert!(text.chars().count() < 160, "a notice stays short: {text}");
        }
    }
}

#[test]
fn a_link_that_changes_a_setting_does_not_keep_the_title_that_described_it() {
    // The seed's "Too fast!" describes sgd at 2.5 on the smooth bowl.
    let changed = link::parse("a=sgd:lr=1&loss=expr:log(x)&x0=0.5");
    assert!(changed.scenario.panels.iter().all(|p| p.title == Title::Neutral), "{:?}", changed.scenario.panels);
    let one = link::parse("b=adam");
    assert_eq!(one.scenario.panels[0].title, Title::Describes("Too fast!".into()));
    assert_eq!(one.scenario.panels[1].title, Title::Neutral);
    assert_eq!(one.scenario.panels[1].title(&rust_fmt), "Adam, lr 0.001");
    // A preset's titles describe the preset's own setting; a link's own title stays whatever changed.
    let tweaked = link::parse("preset=ellipse&loss=himmelblau&tc=Mine");
    assert_eq!(tweaked.scenario.panels[0].title, Title::Neutral);
    assert_eq!(tweaked.scenario.panels[2].title, Title::Chosen("Mine".into()));
    let kept = link::parse("preset=ellipse&t=5");
    assert!(matches!(kept.scenario.panels[0].title, Title::Describes(_)));
}

#[test]
fn titles_with_markup_stay_plain_text() {
    let link = link::parse("ta=%3Cscript%3Ealert(1)%3C%2Fscript%3E&tb=%3Cb%3Ebold%3C%2Fb%3E");
    assert_eq!(link.scenario.panels[0].title, Title::Chosen("<script>alert(1)</script>".into()));
    assert_eq!(link.scenario.panels[1].title, Title::Chosen("<b>bold</b>".into()));
    let long = link::parse(&format!("tc={}", "ab".repeat(100)));
    assert_eq!(long.scenario.panels[2].title(&rust_fmt).chars().count(), link::MAX_TITLE);
    assert!(long.notices.iter().any(|n| n.kind == NoticeKind::TitleCut));
}

#[test]
fn every_preset_parses_cleanly_and_keys_after_it_override_it() {
    let mut ids: Vec<&str> = PRESETS.iter().map(|p| p.id).collect();
    ids.dedup();
    assert_eq!(ids.len(), PRESETS.len());
    assert!(PRESETS.len() >= 6);
    for preset in &PRESETS {
        let direct = link::parse(preset.query);
        assert!(direct.notices.is_empty(), "{}: {:?}", preset.id, direct.notices);
        let by_id = link::parse(&format!("preset={}", preset.id));
        assert!(by_id.notices.is_empty());
        // The same scenario, but a preset's titles describe it (they give way when a panel changes),
        // where the same words written in a link are the author's.
        let shown = |s: &Scenario| s.panels.iter().map(|p| p.title(&rust_fmt)).collect::<Vec<_>>();
        assert_eq!(shown(&by_id.scenario), shown(&direct.scenario), "{}", preset.id);
        let mut described = direct.scenario.clone();
        for (panel, by_id) in described.panels.iter_mut().zip(&by_id.scenario.panels) {
            if let (Title::Chosen(text), Title::Describes(_)) = (&panel.title, &by_id.title) {
                panel.title = Title::Describes(text.clone());
            }
        }
        assert_eq!(by_id.scenario, described, "{}", preset.id);
        assert_eq!(by_id.preset, Some(preset.id));
    }
    let tweaked = link::parse("preset=double-well&b=sgd:lr=0.01&ta=Mine");
    assert_eq!(tweaked.scenario.loss, Loss::DoubleWell);
    assert_eq!(tweaked.scenario.panels[1].optimizer.kind(), OptimizerKind::Sgd);
    assert_eq!(tweaked.scenario.panels[0].title, Title::Chosen("Mine".into()));
    assert_eq!(tweaked.scenario.panels[1].title, Title::Neutral, "the link changed what the preset's title said");
    assert!(matches!(tweaked.scenario.panels[2].title, Title::Describes(_)), "the preset's own title");
}

fn lab_at(preset: &str, t: u32) -> Lab {
    let mut lab = Lab::new(link::parse(&format!("preset={preset}")).scenario);
    lab.seek(t);
    lab
}

/// For each of 100 seeds, the sparse lab of `preset` up to example `n`: each panel's absolute error on
/// each feature's weight, averaged over the last 50 examples. Returns the share of seeds for which
/// `claim` holds.
fn sparse_share(preset: &str, n: u32, claim: impl Fn(&[[f64; 8]; 3]) -> bool) -> f64 {
    let holds = (1..=100u32)
        .filter(|seed| {
            let scenario = link::parse(&format!("preset={preset}&seed={seed}")).scenario;
            let data = scenario.sparse_data().expect("a sparse preset");
            let mut lab = steplab_core::sparse::SparseLab::new(data, [0, 1, 2].map(|p| scenario.panels[p].optimizer));
            lab.seek(n);
            // Averaged over the last 50 examples, so that one lucky or unlucky example does not decide.
            let errors = [0, 1, 2].map(|p| {
                let mut e = [0.0; 8];
                for k in n - 49..=n {
                    let (record, truth) = (lab.run(p).record(k).expect("kept"), data.weights_at(k));
                    for (i, slot) in e.iter_mut().enumerate() {
                        *slot += (record.w[i] - truth[i]).abs() / 50.0;
                    }
                }
                e
            });
            claim(&errors)
        })
        .count();
    holds as f64 / 100.0
}

#[test]
fn sparse_presets_show_what_their_notes_say_over_100_seeds() {
    // One common, one rare (rare = feature 2): Adagrad's rare weight is nearer than the safe rate's; the fast
    // rate's common weight jitters farther off than Adagrad's.
    assert!(sparse_share("sparse", 500, |e| e[2][2] < e[0][2]) >= 0.95);
    assert!(
        sparse_share("sparse", 500, |e| e[0][2] > 0.5) >= 0.95,
        "the safe rate has not come three quarters of the way"
    );
    assert!(sparse_share("sparse", 500, |e| e[1][0] > 2.0 * e[2][0]) >= 0.8);
    // Rare words: with one rate, the rarest weight is farther off than a common one; Adagrad's and RMSProp's
    // rarest weights are nearer than gradient descent's.
    assert!(sparse_share("rare-words", 1000, |e| e[0][5] > e[0][3]) >= 0.95);
    assert!(sparse_share("rare-words", 1000, |e| e[2][5] < e[0][5] && e[1][5] < e[0][5]) >= 0.95);
    // Adagrad's memory: after the shift the formerly common feature 0 (now rare, its weight flipped) is
    // learnt again faster by RMSProp than by Adagrad.
    assert!(sparse_share("adagrad-memory", 1000, |e| e[1][0] < e[0][0]) >= 0.9);
}

#[test]
fn presets_show_what_their_notes_say() {
    // seed: bouncing, crawling (running), converged.
    let lab = lab_at("seed", 40);
    assert!(matches!(lab.shown(0).status, Status::Bouncing { .. }));
    assert_eq!(lab.shown(1).status, Status::Running);
    assert!(matches!(lab.shown(2).status, Status::Converged { .. }));
    // bounce: rate 1 on x² keeps ±4 for ever; 0.9 and Adagrad converge.
    let lab = lab_at("bounce", 200);
    assert_eq!(lab.shown(0).x[0].abs(), 4.0);
    assert!(matches!(lab.shown(0).status, Status::Bouncing { period: 2, .. }));
    assert!(matches!(lab.shown(1).status, Status::Converged { .. }));
    assert!(matches!(lab.shown(2).status, Status::Converged { .. }));
    // vanishing: after 100 steps Adagrad's rate is far below RMSProp's, which has risen again.
    let lab = lab_at("vanishing", 100);
    let adagrad = lab.run(0);
    let first_rate = adagrad.record(0).unwrap().effective_lr[0];
    assert!(lab.shown(0).effective_lr[0] < first_rate);
    assert!(lab.shown(1).effective_lr[0] > 10.0 * lab.shown(0).effective_lr[0]);
    assert!(lab.shown(0).x[0] > 0.2, "Adagrad still crawls");
    // scale: sgd 0.05 explodes on 100·x², Adagrad's path equals its path on x² (the bounce preset).
    let scaled = lab_at("scale", 60);
    assert!(matches!(scaled.shown(0).status, Status::Diverged { .. }));
    let plain = lab_at("bounce", 60);
    for (a, b) in scaled.run(2).history().zip(plain.run(2).history()) {
        assert!((a.x[0] - b.x[0]).abs() <= 1e-12 * (1.0 + b.x[0].abs()));
    }
    assert!(scaled.run(2).history().count() > 50);
    // double well: sgd and Adam stay in the shallow minimum, momentum finds the deep one.
    let lab = lab_at("double-well", 300);
    assert!((lab.shown(0).x[0] - 1.1309).abs() < 1e-3);
    assert!((lab.shown(1).x[0] + 1.3008).abs() < 1e-3);
    assert!((lab.shown(2).x[0] - 1.1309).abs() < 1e-3);
    // Adam against Adagrad: Adagrad converges first; Adam without momentum ends up bouncing.
    let lab = lab_at("adam-vs-adagrad", 400);
    let converged_at = |p: usize| match lab.run(p).record(200).unwrap().status {
        Status::Converged { step } => step,
        other => panic!("panel {p}: {other:?}"),
    };
    assert!(converged_at(0) < converged_at(1));
    assert!(matches!(lab.shown(2).status, Status::Bouncing { .. }));
    // noise (over 100 seeds): gradient descent at 0.1 sits at its floor, lr·σ²/(4(1 − lr)) for the mean
    // loss (the median of a squared normal is 0.455 of its mean); 0.01 is still far above at step 100;
    // Adagrad's loss keeps falling and its rate falls like 1/√t.
    let mut scenario = link::parse("preset=noise").scenario;
    assert_eq!(scenario.runs, 20, "the page shows 20 seeds");
    scenario.runs = 100;
    let mut lab = Lab::new(scenario);
    lab.seek(1000);
    // The median loss, averaged over the ten steps up to `n` (one step's median over 100 seeds is noisy).
    let median = |panel: usize, n: u32| {
        (n - 9..=n).map(|k| lab.ensemble(panel).unwrap().band(k).unwrap()[1]).sum::<f64>() / 10.0
    };
    let floor = 0.455 * 0.1 / (4.0 * 0.9);
    for n in [300, 600, 1000] {
        assert!(median(0, n) > 0.5 * floor && median(0, n) < 2.0 * floor, "step {n}: {} vs {floor}", median(0, n));
    }
    assert!(median(1, 100) > 10.0 * median(2, 100), "rate 0.01 is still on its way down");
    assert!(median(2, 1000) < 0.5 * median(2, 100), "Adagrad keeps falling");
    assert!(median(2, 1000) < median(0, 1000) / 3.0, "below the fixed rate's floor");
    let rate = |n: u32| lab.run(2).record(n).unwrap().effective_lr[0];
    let ratio = rate(1000) / rate(250);
    assert!((ratio - 0.5).abs() < 0.1, "1/√t: a quarter of the steps, twice the rate ({ratio})");
    // 2-D: on the ellipse Adagrad converges first and sgd 0.4 has killed x₂ but not x₁ after 10 steps.
    let lab = lab_at("ellipse", 10);
    assert!(lab.shown(0).x[1].abs() < 0.02 && lab.shown(0).x[0] < -2.0);
    assert!(lab.shown(1).x[1].abs() > 1.0, "0.49 still zig-zags across");
    let lab = lab_at("ellipse", 30);
    assert!(matches!(lab.shown(2).status, Status::Converged { .. }));
    // Rosenbrock: momentum gets furthest along the valley.
    let lab = lab_at("rosenbrock", 200);
    let distance = |p: usize| (lab.shown(p).x[0] - 1.0).hypot(lab.shown(p).x[1] - 1.0);
    assert!(distance(1) < distance(0) && distance(1) < distance(2));
    // Saddle: after 20 steps sgd is still near the ridge, Adagrad and Adam have left it.
    let lab = lab_at("saddle", 20);
    assert!(lab.shown(0).x[1].abs() < 0.1);
    assert!(lab.shown(1).x[1].abs() > 1.0 && lab.shown(2).x[1].abs() > 1.0);
    // Himmelblau: sgd and Adam at (3, 2), momentum at (3.58, −1.85).
    let lab = lab_at("himmelblau", 300);
    assert!((lab.shown(0).x[0] - 3.0).abs() < 1e-3 && (lab.shown(0).x[1] - 2.0).abs() < 1e-3);
    assert!((lab.shown(1).x[0] - 3.5844).abs() < 1e-3 && (lab.shown(1).x[1] + 1.8481).abs() < 1e-3);
    assert!((lab.shown(2).x[0] - 3.0).abs() < 1e-3 && (lab.shown(2).x[1] - 2.0).abs() < 1e-3);
    // Beale: after 200 steps Adagrad and Adam are much closer to (3, 0.5) than sgd.
    let lab = lab_at("beale", 200);
    let distance = |p: usize| (lab.shown(p).x[0] - 3.0).hypot(lab.shown(p).x[1] - 0.5);
    assert!(distance(1) < 0.5 * distance(0) && distance(2) < 0.5 * distance(0));
}

/// The fuzzer's committed corpus (fuzz/corpus/link) replays here on every test run: each input parses to a
/// valid scenario that runs and round-trips.
#[test]
fn the_fuzz_corpus_replays_cleanly() {
    let folder = concat!(env!("CARGO_MANIFEST_DIR"), "/../../fuzz/corpus/link");
    let entries = std::fs::read_dir(folder).expect("the committed corpus");
    let mut count = 0;
    for entry in entries.flatten() {
        let bytes = std::fs::read(entry.path()).expect("a corpus file");
        check_valid(&link::parse(&String::from_utf8_lossy(&bytes)));
        count += 1;
    }
    assert!(count > 1000, "{count} inputs");
}
