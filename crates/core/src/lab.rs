//! The triptych as a model: a scenario (one loss, one start, three panels each with an optimizer), the
//! three runs it makes, and the one clock they share. The page only renders this and reports intent.

use crate::clock::MAX_STEP;
use crate::loss::{Loss, LossFn, Objective};
use crate::num::{Point, View};
use crate::optimizer::{Optimizer, OptimizerKind};
use crate::run::{DivergeReason, Record, Run, Status};

/// How many panels a scenario has.
pub const PANELS: usize = 3;

/// One panel: its title and its optimizer.
#[derive(Clone, Debug, PartialEq)]
pub struct PanelSpec {
    pub title: String,
    pub optimizer: Optimizer,
}

/// Everything needed to reproduce a page: the loss, the start and the three panels.
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    pub loss: LossFn,
    /// The window shown, when the link chose one (zoomed in, or a typed expression's range).
    pub view: Option<View>,
    /// The loss is multiplied by this (1 unless a link says otherwise).
    pub scale: f64,
    pub start: Point,
    pub panels: [PanelSpec; PANELS],
}

impl Scenario {
    /// The seed's three graphs on the smooth bowl: a fixed rate that is too large keeps bouncing between
    /// ±0.75, a fixed rate that is too small crawls, and Adagrad converges.
    pub fn seed() -> Scenario {
        let sgd = Optimizer::new(OptimizerKind::Sgd);
        let adagrad = Optimizer::new(OptimizerKind::Adagrad);
        let panel = |title: &str, optimizer: Optimizer| PanelSpec { title: title.to_owned(), optimizer };
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
        }
    }

    /// The scaled loss the runs minimise.
    pub fn objective(&self) -> Objective {
        Objective { loss: self.loss.clone(), scale: self.scale }
    }

    /// The window a page shows: the link's, or the (scaled) loss's own.
    pub fn view(&self) -> View {
        self.view.unwrap_or_else(|| self.objective().view())
    }
}

/// Three runs and their shared clock `t`. Runs are computed lazily up to the clock; a run that diverged
/// stays at its last finite step while the clock goes on.
#[derive(Clone, Debug)]
pub struct Lab {
    scenario: Scenario,
    runs: [Run; PANELS],
    t: u32,
}

impl Lab {
    pub fn new(scenario: Scenario) -> Lab {
        let runs = scenario.panels.each_ref().map(|p| Run::new(scenario.objective(), p.optimizer, scenario.start));
        Lab { scenario, runs, t: 0 }
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
    }

    /// Shows another window (zoom, pan; `None` for the loss's own). The runs are not affected.
    pub fn set_view(&mut self, view: Option<View>) {
        self.scenario.view = view;
    }

    /// Back to step 0 from the same start.
    pub fn reset(&mut self) {
        self.set_start(self.scenario.start);
    }

    /// Replaces the whole scenario and starts from step 0.
    pub fn load(&mut self, scenario: Scenario) {
        *self = Lab::new(scenario);
    }

    /// Gives panel `panel` a new optimizer; every panel restarts so they stay in step.
    pub fn set_optimizer(&mut self, panel: usize, optimizer: Optimizer) {
        if let Some(spec) = self.scenario.panels.get_mut(panel) {
            spec.optimizer = optimizer;
            self.runs[panel] = Run::new(self.scenario.objective(), optimizer, self.scenario.start);
            self.reset();
        }
    }
}

/// The status of `record` in plain words for the badge under a panel, e.g. "crawling — 12% of the way
/// after 40 steps" or "diverged at step 7: |x| > 1e6".
pub fn status_text(run: &Run, record: &Record) -> String {
    let steps = |n: u32| if n == 1 { "1 step".to_owned() } else { format!("{n} steps") };
    match record.status {
        Status::Converged { step: 0 } => "converged: it started at a minimum".to_owned(),
        Status::Converged { step } => format!("converged in {}", steps(step)),
        Status::Bouncing { period: 2, .. } => "bouncing back and forth, never settling".to_owned(),
        Status::Bouncing { period, .. } => format!("bouncing in a {period}-step cycle, never settling"),
        Status::Diverged { step, reason: DivergeReason::TooFar } => format!("diverged at step {step}: |x| > 1e6"),
        Status::Diverged { step, reason: DivergeReason::NotFinite } => {
            format!("diverged at step {step}: the loss is not a finite number there")
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
                format!("{word} — {percent}% of the way after {}", steps(record.n))
            }
            None => format!("running — {}", steps(record.n)),
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
        assert_eq!(status_text(lab.run(0), lab.shown(0)), "ready");
        lab.seek(40);
        let texts: Vec<String> = (0..PANELS).map(|p| status_text(lab.run(p), lab.shown(p))).collect();
        assert_eq!(texts[0], "bouncing back and forth, never settling");
        assert!(
            texts[1].starts_with("crawling — ") && texts[1].ends_with("% of the way after 40 steps"),
            "{}",
            texts[1]
        );
        assert_eq!(texts[2], "converged in 7 steps");
        lab.seek(1);
        assert!(status_text(lab.run(0), lab.shown(0)).starts_with("moving — "));
    }
}
