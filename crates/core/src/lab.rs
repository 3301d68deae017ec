//! The triptych as a model: a scenario (one loss, one start, three panels each with an optimizer), the
//! three runs it makes, and the one clock they share. The page only renders this and reports intent.

use crate::clock::MAX_STEP;
use crate::ensemble::{Ensemble, DEFAULT_RUNS};
use crate::loss::{Loss, LossFn, Objective};
use crate::noise::Noise;
use crate::num::{round_significant, NumberFormat, Point, View};
use crate::optimizer::{Optimizer, OptimizerKind};
use crate::run::{DivergeReason, Quantity, Record, Run, Status};
use crate::sparse::{Data, Spread};
use crate::sweep::SweepSpec;

/// How many panels a scenario has.
pub const PANELS: usize = 3;

/// One panel: its title and its optimizer.
#[derive(Clone, Debug, PartialEq)]
pub struct PanelSpec {
    pub title: Title,
    pub optimizer: Optimizer,
}

/// A panel's title, and whether it stays when the panel changes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Title {
    /// Written for the scenario it came with (the seed's "Too fast!", a preset's "SGD 0.4: crawls"): it
    /// describes the panel's setting, so it gives way to [`Title::Neutral`] once the panel's optimizer or
    /// its settings, or the loss, change.
    Describes(String),
    /// Chosen by the link's own `ta`/`tb`/`tc` or typed by the reader: it stays whatever changes.
    Chosen(String),
    /// The optimizer and its rate ("Adam, lr 0.001"), following them.
    Neutral,
}

impl PanelSpec {
    /// The title as shown.
    pub fn title(&self, fmt: NumberFormat) -> String {
        match &self.title {
            Title::Describes(text) | Title::Chosen(text) => text.clone(),
            Title::Neutral => format!("{}, lr {}", self.optimizer.kind().name(), fmt(self.optimizer.lr())),
        }
    }

    /// What the title does not say about the optimizer: "Adagrad · lr 1.5 · eps 0" (the name, the rate
    /// and every other setting that differs from its default), or without the name and rate when the
    /// title is [`Title::Neutral`] and says them already ("eps 0", or nothing).
    pub fn caption(&self, fmt: NumberFormat) -> String {
        let neutral = self.title == Title::Neutral;
        let mut parts: Vec<String> = Vec::new();
        if !neutral {
            parts.push(self.optimizer.kind().name().to_owned());
        }
        for (spec, value) in self.optimizer.params() {
            let is_lr = spec.name == "lr";
            if (is_lr && !neutral) || (!is_lr && value != spec.default) {
                parts.push(format!("{} {}", spec.name, fmt(value)));
            }
        }
        parts.join(" · ")
    }

    /// The panel's setting changed: a title that described the old one gives way to a neutral one.
    pub fn setting_changed(&mut self) {
        if matches!(self.title, Title::Describes(_)) {
            self.title = Title::Neutral;
        }
    }
}

/// Everything needed to reproduce a page: the loss, the start, the three panels, the gradients' noise,
/// and the learning-rate sweep's settings.
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    pub loss: LossFn,
    /// The window shown, when the link chose one (zoomed in, or a typed expression's range).
    pub view: Option<View>,
    /// The loss is multiplied by this (1 unless a link says otherwise).
    pub scale: f64,
    pub start: Point,
    pub panels: [PanelSpec; PANELS],
    /// The noise every optimizer's gradients carry (none unless a link says so).
    pub noise: Noise,
    /// With noise, how many seeds the ensemble runs (the link's seed and the next ones).
    pub runs: u32,
    /// The rates and the horizon of the learning-rate sweep.
    pub sweep: SweepSpec,
    /// The sparse-feature lab instead of the triptych (the loss, the start and the view are then unused).
    pub sparse: Option<SparseSetup>,
}

/// The sparse-feature lab's data, as a link sets it (the seed is the scenario's noise seed).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SparseSetup {
    pub features: usize,
    /// The rarest feature's share of the examples, in percent.
    pub rare_percent: f64,
    pub spread: Spread,
    pub label_noise: f64,
    /// The example from which the data drift (see [`crate::sparse::Data::shift_at`]).
    pub shift: Option<u32>,
}

impl Default for SparseSetup {
    /// One common, one rare: the data of [`Data::one_rare`].
    fn default() -> SparseSetup {
        SparseSetup { features: 3, rare_percent: 3.0, spread: Spread::OneRare, label_noise: 0.3, shift: None }
    }
}

impl SparseSetup {
    /// The lab's three default panels: gradient descent at a rate safe for the common features, at a rate
    /// large enough for the rare one, and Adagrad.
    pub fn default_panels() -> [PanelSpec; PANELS] {
        let sgd = Optimizer::new(OptimizerKind::Sgd);
        let adagrad = Optimizer::new(OptimizerKind::Adagrad);
        let panel = |title: &str, optimizer: Option<Optimizer>, fallback: Optimizer| PanelSpec {
            title: Title::Describes(title.to_owned()),
            optimizer: optimizer.unwrap_or(fallback),
        };
        [
            panel("Safe rate: the rare weight crawls", sgd.with("lr", 0.05).ok(), sgd),
            panel("Fast rate: the common weights jitter", sgd.with("lr", 1.0).ok(), sgd),
            panel(
                "Adagrad: a rate per feature",
                adagrad.with("lr", 1.0).and_then(|o| o.with("eps", 1e-8)).ok(),
                adagrad,
            ),
        ]
    }
}

impl Scenario {
    /// The seed's three graphs on the smooth bowl: a fixed rate that is too large keeps bouncing between
    /// ±0.75, a fixed rate that is too small crawls, and Adagrad converges.
    pub fn seed() -> Scenario {
        let sgd = Optimizer::new(OptimizerKind::Sgd);
        let adagrad = Optimizer::new(OptimizerKind::Adagrad);
        let panel =
            |title: &str, optimizer: Optimizer| PanelSpec { title: Title::Describes(title.to_owned()), optimizer };
        Scenario {
            loss: Loss::SmoothAbs.into(),
            view: None,
            scale: 1.0,
            start: Loss::SmoothAbs.default_start(),
            panels: [
                panel("Too fast!", sgd.with("lr", 2.5).unwrap_or(sgd)),
                panel("Too slow!", sgd.with("lr", 0.05).unwrap_or(sgd)),
                panel("Spot on!", adagrad.with("lr", 1.5).and_then(|o| o.with("eps", 0.0)).unwrap_or(adagrad)),
            ],
            noise: Noise::NONE,
            runs: DEFAULT_RUNS,
            sweep: SweepSpec::default(),
            sparse: None,
        }
    }

    /// The sparse lab's data, when the scenario is the sparse lab.
    pub fn sparse_data(&self) -> Option<Data> {
        let setup = self.sparse?;
        let mut data =
            Data::new(setup.features, setup.rare_percent / 100.0, setup.spread, setup.label_noise, self.noise.seed);
        data.shift_at = setup.shift;
        Some(data)
    }

    /// Whether the page runs an ensemble: noisy gradients and more than one seed.
    pub fn has_ensemble(&self) -> bool {
        self.noise.is_on() && self.runs > 1
    }

    /// The scaled loss the runs minimise.
    pub fn objective(&self) -> Objective {
        Objective { loss: self.loss.clone(), scale: self.scale }
    }

    /// The window a page shows: the link's, or the (scaled) loss's own.
    pub fn view(&self) -> View {
        self.view.unwrap_or_else(|| self.objective().view())
    }

    /// The same panels on another loss, from its default start and window; titles that described the
    /// panels on the old loss give way to neutral ones.
    pub fn with_loss(&self, loss: LossFn) -> Scenario {
        let mut scenario = self.clone();
        scenario.start = loss.default_start();
        scenario.loss = loss;
        scenario.view = None;
        scenario.panels.iter_mut().for_each(PanelSpec::setting_changed);
        scenario
    }
}

/// Three runs and their shared clock `t`, and with noise an ensemble per panel. Runs are computed lazily
/// up to the clock; a run that diverged stays at its last finite step while the clock goes on.
#[derive(Clone, Debug)]
pub struct Lab {
    scenario: Scenario,
    runs: [Run; PANELS],
    ensembles: Option<Box<[Ensemble; PANELS]>>,
    t: u32,
}

impl Lab {
    pub fn new(scenario: Scenario) -> Lab {
        let runs = scenario.panels.each_ref().map(|p| Lab::run_for(&scenario, p.optimizer));
        let mut lab = Lab { scenario, runs, ensembles: None, t: 0 };
        lab.restart_ensembles();
        lab
    }

    fn run_for(scenario: &Scenario, optimizer: Optimizer) -> Run {
        Run::noisy(scenario.objective(), optimizer, scenario.start, scenario.noise)
    }

    /// The ensembles from step 0 (none without noise).
    fn restart_ensembles(&mut self) {
        let scenario = &self.scenario;
        self.ensembles = scenario.has_ensemble().then(|| {
            Box::new(scenario.panels.each_ref().map(|p| {
                Ensemble::new(scenario.objective(), p.optimizer, scenario.start, scenario.noise, scenario.runs)
            }))
        });
    }

    /// Panel `panel`'s ensemble, when the gradients are noisy.
    pub fn ensemble(&self, panel: usize) -> Option<&Ensemble> {
        self.ensembles.as_ref().map(|e| &e[panel])
    }

    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// The shared clock: the step every panel shows.
    pub fn t(&self) -> u32 {
        self.t
    }

    pub fn run(&self, panel: usize) -> &Run {
        &self.runs[panel]
    }

    /// The record panel `panel` shows now.
    pub fn shown(&self, panel: usize) -> &Record {
        let run = &self.runs[panel];
        run.record(self.t).unwrap_or(run.current())
    }

    /// Moves the clock to `t` (clamped to 0..=MAX_STEP), computing whatever steps are missing.
    pub fn seek(&mut self, t: u32) {
        self.t = t.min(MAX_STEP);
        for run in &mut self.runs {
            run.advance_to(self.t);
        }
        for ensemble in self.ensembles.iter_mut().flat_map(|e| e.iter_mut()) {
            ensemble.advance_to(self.t);
        }
    }

    /// Moves the clock by `k` steps, forward or back.
    pub fn step_by(&mut self, k: i64) {
        let t = (i64::from(self.t) + k).clamp(0, i64::from(MAX_STEP));
        self.seek(t as u32);
    }

    /// Whether the clock has reached its end.
    pub fn at_end(&self) -> bool {
        self.t >= MAX_STEP
    }

    /// Every panel starts again from `start`, at step 0.
    pub fn set_start(&mut self, start: Point) {
        for run in &mut self.runs {
            run.restart(start);
        }
        self.scenario.start = self.runs[0].start();
        self.t = 0;
        self.restart_ensembles();
    }

    /// Shows another window (zoom, pan; `None` for the loss's own). The runs are not affected.
    pub fn set_view(&mut self, view: Option<View>) {
        self.scenario.view = view;
    }

    /// Back to step 0 from the same start.
    pub fn reset(&mut self) {
        self.set_start(self.scenario.start);
    }

    /// Gives panel `panel` another title (the clock and the runs go on).
    pub fn set_title(&mut self, panel: usize, title: Title) {
        if let Some(spec) = self.scenario.panels.get_mut(panel) {
            spec.title = title;
        }
    }

    /// Replaces the whole scenario and starts from step 0.
    pub fn load(&mut self, scenario: Scenario) {
        *self = Lab::new(scenario);
    }

    /// Gives panel `panel` a new optimizer; every panel restarts so they stay in step.
    pub fn set_optimizer(&mut self, panel: usize, optimizer: Optimizer) {
        if let Some(spec) = self.scenario.panels.get_mut(panel) {
            if spec.optimizer != optimizer {
                spec.setting_changed();
            }
            spec.optimizer = optimizer;
            self.runs[panel] = Lab::run_for(&self.scenario, optimizer);
            self.reset();
        }
    }
}

fn distance(a: Point, b: Point) -> f64 {
    (a[0] - b[0]).hypot(a[1] - b[1])
}

/// The status of `record` in plain words for the badge under a panel, e.g. "crawling — 12% of the way
/// after 40 steps" or "diverged at step 7: |x| > 1e6". Numbers in it are printed by `fmt`.
pub fn status_text(run: &Run, record: &Record, fmt: NumberFormat) -> String {
    let steps = |n: u32| if n == 1 { "1 step".to_owned() } else { format!("{n} steps") };
    let objective = run.objective();
    let at = |p: Point| {
        let coordinate = |c: f64| fmt(round_significant(c, 4));
        if objective.dim() == 2 {
            format!("({}, {})", coordinate(p[0]), coordinate(p[1]))
        } else {
            coordinate(p[0])
        }
    };
    match record.status {
        Status::Converged { step } => {
            // The minimum it converged to is the nearest known one; it is a local one when another is lower.
            let minimizers = objective.minimizers();
            let lowest = minimizers.iter().map(|m| objective.value(*m)).fold(f64::INFINITY, f64::min);
            let reached = minimizers
                .iter()
                .min_by(|a, b| distance(**a, record.x).total_cmp(&distance(**b, record.x)))
                .map_or(lowest, |m| objective.value(*m));
            let above = reached - lowest;
            if lowest.is_finite() && above > 1e-6 * (1.0 + lowest.abs()) {
                let above = fmt(round_significant(above, 2));
                if step == 0 {
                    format!("converged: it started at a local minimum, {above} above the lowest one")
                } else {
                    format!("converged to a local minimum in {}, {above} above the lowest one", steps(step))
                }
            } else if step == 0 {
                "converged: it started at a minimum".to_owned()
            } else {
                format!("converged in {}", steps(step))
            }
        }
        Status::Bouncing { period: 2, .. } => "bouncing back and forth, never settling".to_owned(),
        Status::Bouncing { period, .. } => format!("bouncing in a {period}-step cycle, never settling"),
        Status::BlowingUp { .. } => {
            let growth = run.growth().map_or("fast".to_owned(), |g| format!("×{}", fmt(round_significant(g, 2))));
            if objective.minimizers().is_empty() {
                format!("blowing up: each step {growth} longer than the last")
            } else {
                format!("blowing up: the distance to the minimum grows {growth} per step")
            }
        }
        Status::Diverged { step, reason: DivergeReason::TooFar } => format!("diverged at step {step}: |x| > 1e6"),
        Status::Diverged { step, reason: DivergeReason::Undefined(quantity) } => {
            let landing = [record.x[0] + record.step[0], record.x[1] + record.step[1]];
            match quantity {
                Quantity::Step => format!("diverged at step {step}: the step is not a finite number"),
                Quantity::Loss | Quantity::Gradient => {
                    format!("diverged at step {step}: {} is not defined at x = {}", quantity.name(), at(landing))
                }
            }
        }
        Status::Undefined { quantity } => {
            let loss = if quantity == Quantity::Gradient && record.loss.is_finite() {
                format!(" (the loss is {} there)", fmt(round_significant(record.loss, 4)))
            } else {
                String::new()
            };
            format!("cannot start: {} is not defined at x = {}{loss}", quantity.name(), at(record.x))
        }
        Status::Running if record.n == 0 => "ready".to_owned(),
        Status::Running => match run.progress(record.n) {
            Some(progress) => {
                let percent = (progress * 100.0).floor() as u32;
                // Less than 2% of the way per step on average is a crawl, until the end is in sight.
                let word = if progress >= 0.9 {
                    "nearly there"
                } else if record.n >= 5 && progress < 0.02 * f64::from(record.n) {
                    "crawling"
                } else {
                    "moving"
                };
                let target = if objective.minimizers().len() > 1 { " to the nearest minimum" } else { "" };
                format!("{word} — {percent}% of the way{target} after {}", steps(record.n))
            }
            None => format!("still descending — {}", steps(record.n)),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seed_scenario_shows_the_three_behaviours() {
        let mut lab = Lab::new(Scenario::seed());
        lab.seek(60);
        assert!(matches!(lab.shown(0).status, Status::Bouncing { period: 2, .. }));
        assert_eq!(lab.shown(1).status, Status::Running);
        assert!(matches!(lab.shown(2).status, Status::Converged { .. }));
        for panel in 0..PANELS {
            assert_eq!(lab.shown(panel).n, 60);
        }
    }

    #[test]
    fn the_clock_moves_both_ways_and_stays_in_range() {
        let mut lab = Lab::new(Scenario::seed());
        lab.step_by(5);
        assert_eq!(lab.t(), 5);
        let x5 = lab.shown(1).x;
        lab.step_by(3);
        lab.step_by(-3);
        assert_eq!(lab.shown(1).x, x5);
        lab.step_by(-100);
        assert_eq!(lab.t(), 0);
        lab.step_by(i64::MAX);
        assert_eq!(lab.t(), MAX_STEP);
        assert!(lab.at_end());
    }

    #[test]
    fn moving_the_start_restarts_every_panel_from_it() {
        let mut lab = Lab::new(Scenario::seed());
        lab.seek(10);
        lab.set_start([-2.0, 0.0]);
        assert_eq!(lab.t(), 0);
        for panel in 0..PANELS {
            assert_eq!(lab.shown(panel).x, [-2.0, 0.0]);
        }
        assert_eq!(lab.scenario().start, [-2.0, 0.0]);
    }

    #[test]
    fn badges_say_what_the_panels_do() {
        let mut lab = Lab::new(Scenario::seed());
        assert_eq!(status_text(lab.run(0), lab.shown(0), &crate::num::print), "ready");
        lab.seek(40);
        let texts: Vec<String> =
            (0..PANELS).map(|p| status_text(lab.run(p), lab.shown(p), &crate::num::print)).collect();
        assert_eq!(texts[0], "bouncing back and forth, never settling");
        assert!(
            texts[1].starts_with("crawling — ") && texts[1].ends_with("% of the way after 40 steps"),
            "{}",
            texts[1]
        );
        assert_eq!(texts[2], "converged in 7 steps");
        lab.seek(1);
        assert!(status_text(lab.run(0), lab.shown(0), &crate::num::print).starts_with("moving — "));
    }
}
