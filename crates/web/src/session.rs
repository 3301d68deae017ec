//! The page's model, with no web-sys in it: the lab and its clock (ticker, playing, speed), the page's
//! modes (overlay, embed, hidden parts), the drag previews, and what the reader is editing. Input reaches
//! it as [`Intent`]s; applying one returns [`Changes`], which say what the views must redraw or rewrite and
//! how the address bar follows. Tested natively (`cargo test -p steplab-web`).

use crate::fmt;
use steplab_core::lab::SparseSetup;
use steplab_core::lab::PANELS;
use steplab_core::link::{Hide, Link};
use steplab_core::loss::LossFn;
use steplab_core::noise::MAX_SIGMA;
use steplab_core::run::preview_path;
use steplab_core::sparse::{Data, SparseLab};
use steplab_core::sweep::{self, Curve, Outcome, SweepSpec};
use steplab_core::{clamp, Lab, Loss, Optimizer, OptimizerKind, Point, Scenario, Ticker, Title, View};

/// The default speed, steps per second: slow enough to follow one step with the eye.
pub const DEFAULT_SPEED: f64 = 8.0;
/// How many upcoming steps the drag preview shows.
pub const PREVIEW_STEPS: usize = 50;
/// What the expression field holds when the reader picks "Your own" with nothing typed yet.
pub const EXAMPLE_EXPRESSION: &str = "x^4 - 3*x^2 + x";

/// What the reader asks for.
#[derive(Clone, Debug, PartialEq)]
pub enum Intent {
    TogglePlay,
    Play,
    Pause,
    /// Pause and move the clock by this many steps (negative goes back).
    Step(i64),
    /// Pause and show this step (the scrub slider).
    Seek(u32),
    /// Back to step 0 from the same start.
    Reset,
    SetSpeed(f64),
    /// A pointer started moving the start: pause, and preview the paths while it moves.
    BeginDrag,
    /// Every panel restarts from here (a drag, the arrow keys on a plot, the API).
    MoveStart(Point),
    /// The pointer let go: previews go, playing resumes if it was.
    EndDrag,
    /// Gradient noise of this σ (0: none), from the scenario's seed.
    SetNoise(f64),
    /// The noise's seed (and the sparse lab's data's).
    SetSeed(u32),
    /// The sparse-feature lab's data (features, rare share, spread, label noise, shift).
    SetSparse(SparseSetup),
    /// The drag was taken back (the browser took the touch to scroll, or a second finger came down to
    /// zoom): the start and the clock go back to where they were when it began, and so does playing.
    CancelDrag,
    SetLoss(Loss),
    /// "Your own function" in the loss menu.
    ChooseCustom,
    /// The expression field's text, as the reader typed it.
    TypeExpression(String),
    /// The reader committed the expression (Enter, or left the field after a change).
    CommitExpression,
    /// A field took or lost the focus: while it has it, its text is the reader's.
    Editing(Field),
    DoneEditing(Field),
    SetOptimizer {
        panel: usize,
        kind: OptimizerKind,
    },
    /// A title typed into a panel's settings (empty: the optimizer and its rate).
    SetTitle {
        panel: usize,
        title: String,
    },
    /// A hyperparameter from a panel's settings; `commit` when the reader is done with it (change, not
    /// input), so the field may then show the value in use.
    SetHyper {
        panel: usize,
        name: String,
        value: f64,
        commit: bool,
    },
    SetView(View),
    ResetView,
    SetOverlay(bool),
    /// A link, a preset or `steplab.load()`: a new history entry.
    Load(Box<Link>),
    /// Back or forward: the address bar already holds this link.
    Restore(Box<Link>),
    SetDark(bool),
    DismissNotices,
}

/// A field whose text belongs to the reader while it has the focus.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Field {
    Expression,
    Hyper { panel: usize, name: String },
    Title { panel: usize },
}

/// How the address bar follows a change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum UrlWrite {
    /// Replace the current entry, at most a few times a second (dragging, typing, zooming).
    Replace,
    /// A new history entry for a discrete change (a preset, a loss, an optimizer).
    Push,
}

/// What a panel's settings need.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub enum Settings {
    #[default]
    Keep,
    /// Write the values, except into the field the reader is editing.
    Values,
    /// Write every value, the edited field's too (the reader committed it).
    Commit,
    /// Build the settings again (another optimizer).
    Rebuild,
}

/// What applying an intent changed, for the views and the address bar. Changes add up (`merge`) until the
/// next frame draws them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Changes {
    /// The canvases.
    pub plots: bool,
    /// Readouts, badges, the step slider and label, the live note.
    pub texts: bool,
    pub charts: bool,
    /// The learning-rate sweep strip (its curves, or only the panels' dots).
    pub sweep: bool,
    /// Titles, captions, the loss menu and formula, the surface controls, every panel's settings.
    pub scenario: bool,
    pub captions: bool,
    pub settings: [Settings; PANELS],
    /// The play button and the speed slider.
    pub transport: bool,
    /// The line under the expression field.
    pub expression_status: bool,
    /// The expression field shows the session's text (never asked for while the reader edits it).
    pub expression_text: bool,
    pub focus_expression: bool,
    pub url: Option<UrlWrite>,
    /// Said to screen readers.
    pub announce: Option<String>,
    pub notices: bool,
    /// Embed mode, hidden parts, the overlay layout.
    pub layout: bool,
    /// The noise fields.
    pub noise: bool,
}

impl Changes {
    pub fn merge(&mut self, other: Changes) {
        self.plots |= other.plots;
        self.texts |= other.texts;
        self.charts |= other.charts;
        self.sweep |= other.sweep;
        self.scenario |= other.scenario;
        self.captions |= other.captions;
        for (mine, theirs) in self.settings.iter_mut().zip(other.settings) {
            *mine = (*mine).max(theirs);
        }
        self.transport |= other.transport;
        self.expression_status |= other.expression_status;
        self.expression_text |= other.expression_text;
        self.focus_expression |= other.focus_expression;
        self.url = self.url.max(other.url);
        if let Some(text) = other.announce {
            match &mut self.announce {
                Some(mine) => {
                    mine.push(' ');
                    mine.push_str(&text);
                }
                None => self.announce = Some(text),
            }
        }
        self.notices |= other.notices;
        self.layout |= other.layout;
        self.noise |= other.noise;
    }

    /// Whether anything needs doing.
    pub fn any(&self) -> bool {
        *self != Changes::default()
    }
}

/// What the line under the expression field says.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum ExpressionStatus {
    #[default]
    Empty,
    /// It parsed: a function of x (1) or of x and y (2).
    Accepted { dim: usize },
    /// The parser's message; the last good function is still shown.
    Refused(String),
}

/// The page's state.
pub struct Session {
    lab: Lab,
    ticker: Ticker,
    playing: bool,
    reduced_motion: bool,
    dark: bool,
    overlay: bool,
    embed: bool,
    hide: Hide,
    previews: [Vec<Point>; PANELS],
    /// A start drag in progress, with what it would put back if cancelled.
    drag: Option<Drag>,
    editing: Option<Field>,
    expression: String,
    expression_status: ExpressionStatus,
    /// The furthest step reached since the last restart (the step slider's end).
    reached: u32,
    /// The status kinds last announced, so screen readers hear only changes.
    announced: [&'static str; PANELS],
    /// What the last link could not use, as sentences.
    notices: Vec<String>,
    /// Each panel's last learning rate in the usual sense, kept while the panel runs Adadelta (whose lr is
    /// a multiplier of its own step), so that switching back restores it.
    learning_rates: [Option<f64>; PANELS],
    /// Per panel, what the settings say about the last value typed (a clamp, a value that is no number).
    setting_notes: [String; PANELS],
    sweep: Sweep,
    /// The sparse-feature lab, when the scenario is one: its data, the panels' optimizers, and its runs
    /// (on the same clock as the lab's).
    sparse: Option<(Data, [Optimizer; PANELS], SparseLab)>,
}

/// Whether a noise intent would leave the scenario as it is.
fn sigma_or_seed_unchanged(intent: &Intent, scenario: &Scenario) -> bool {
    match *intent {
        Intent::SetNoise(sigma) => sigma == scenario.noise.sigma,
        Intent::SetSeed(seed) => seed == scenario.noise.seed,
        _ => false,
    }
}

/// While the start is dragged, the sweep is computed again at most this often (seconds): a full one takes
/// a few milliseconds, more than a frame can spare on every pointer move.
const SWEEP_DRAG_INTERVAL: f64 = 0.2;

/// The learning-rate sweep of each panel and what it was computed for, and each panel's own rate's
/// outcome (its dot on the strip).
#[derive(Default)]
struct Sweep {
    curves: [Option<(SweepKey, Curve)>; PANELS],
    dots: [Option<(SweepKey, f64, Outcome)>; PANELS],
    /// Something it depends on changed during a drag, and the time since it was last computed.
    stale: bool,
    waited: f64,
    /// How many panel sweeps were computed (for the benchmark and the tests).
    computed: u32,
}

/// What a panel's sweep depends on: everything but its learning rate.
#[derive(Clone, Debug, PartialEq)]
struct SweepKey {
    objective: steplab_core::Objective,
    optimizer: Optimizer,
    start: Point,
    noise: steplab_core::Noise,
    spec: SweepSpec,
}

/// A start drag under way: whether the clock was playing when it began, and the start, step and furthest
/// step it would go back to if cancelled.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Drag {
    was_playing: bool,
    start: Point,
    t: u32,
    reached: u32,
}

impl Session {
    /// The session a page opens with: `link` applied, playing unless the reader prefers reduced motion or
    /// the link names a step. The changes redraw everything; the address bar keeps the link as it is.
    pub fn new(link: Link, reduced_motion: bool, dark: bool) -> (Session, Changes) {
        let mut session = Session {
            lab: Lab::new(Scenario::seed()),
            ticker: Ticker::new(DEFAULT_SPEED),
            playing: false,
            reduced_motion,
            dark,
            overlay: false,
            embed: false,
            hide: Hide::default(),
            previews: Default::default(),
            drag: None,
            editing: None,
            expression: String::new(),
            expression_status: ExpressionStatus::Empty,
            reached: 0,
            announced: [""; PANELS],
            notices: Vec::new(),
            learning_rates: [None; PANELS],
            setting_notes: Default::default(),
            sweep: Sweep::default(),
            sparse: None,
        };
        let had_notices = !link.notices.is_empty();
        let mut changes = session.open(link);
        session.sync_sparse();
        session.refresh_sweep(&mut changes, true);
        changes.transport = true;
        // The address bar holds the link as opened, unless some of it could not be used: then the link of
        // what is shown replaces it, so that what a reader copies or reloads is the page they see.
        changes.url = had_notices.then_some(UrlWrite::Replace);
        (session, changes)
    }

    pub fn lab(&self) -> &Lab {
        &self.lab
    }

    pub fn playing(&self) -> bool {
        self.playing
    }

    pub fn speed(&self) -> f64 {
        self.ticker.speed()
    }

    pub fn dark(&self) -> bool {
        self.dark
    }

    /// One surface with the three paths (2-D only; the flag is kept for when a surface comes back).
    pub fn overlay(&self) -> bool {
        self.overlay
    }

    /// Whether the overlay figure shows now.
    pub fn overlaid(&self) -> bool {
        self.overlay && self.dim() == 2
    }

    pub fn embed(&self) -> bool {
        self.embed
    }

    pub fn hide(&self) -> Hide {
        self.hide
    }

    pub fn dim(&self) -> usize {
        self.lab.scenario().loss.dim()
    }

    /// The window the plots show.
    pub fn view(&self) -> View {
        self.lab.scenario().view()
    }

    pub fn previews(&self) -> &[Vec<Point>; PANELS] {
        &self.previews
    }

    pub fn dragging(&self) -> bool {
        self.drag.is_some()
    }

    pub fn editing(&self) -> Option<&Field> {
        self.editing.as_ref()
    }

    pub fn expression(&self) -> &str {
        &self.expression
    }

    pub fn expression_status(&self) -> &ExpressionStatus {
        &self.expression_status
    }

    pub fn reached(&self) -> u32 {
        self.reached
    }

    pub fn notices(&self) -> &[String] {
        &self.notices
    }

    /// What panel `panel`'s settings say about the last value typed into them (empty: nothing).
    pub fn setting_note(&self, panel: usize) -> &str {
        &self.setting_notes[panel]
    }

    /// The last step an exported file covers: the step shown or the furthest reached, and at least 100
    /// (so that a file exported at step 0 still holds a trajectory).
    pub fn export_horizon(&self) -> u32 {
        self.reached.max(self.lab.t()).clamp(100, steplab_core::MAX_STEP)
    }

    /// A file name for an export, after what is shown and when: `steplab-bounce-t10.csv` for a preset
    /// shown as it is, else the loss's id (`custom` for a typed function) and the step.
    pub fn export_name(&self, extension: &str) -> String {
        let scenario = self.lab.scenario();
        let shown = |s: &Scenario| {
            let titles: Vec<String> = s.panels.iter().map(|p| p.title(&fmt::short)).collect();
            let optimizers: Vec<Optimizer> = s.panels.iter().map(|p| p.optimizer).collect();
            (s.loss.clone(), s.view, s.scale, s.start, optimizers, titles, s.sparse)
        };
        let preset = steplab_core::presets::PRESETS.iter().find(|preset| {
            shown(&steplab_core::link::parse_with(preset.query, &fmt::read).scenario) == shown(scenario)
        });
        let name = match (preset, scenario.loss.builtin()) {
            (Some(preset), _) => preset.id,
            (None, Some(loss)) => loss.id(),
            (None, None) => "custom",
        };
        format!("steplab-{name}-t{}.{extension}", self.lab.t())
    }

    /// How far the balls have glided along their next step, 0 to 1 (ease-out over 80% of the interval;
    /// 0 when paused or with reduced motion).
    pub fn glide(&self) -> f64 {
        const GLIDE_SHARE: f64 = 0.8;
        if !self.playing || self.reduced_motion {
            return 0.0;
        }
        let t = (self.ticker.fraction() / GLIDE_SHARE).min(1.0);
        1.0 - (1.0 - t) * (1.0 - t)
    }

    /// The link of the current state: the scenario, the step when paused, the speed when not the default,
    /// and the embedding options.
    pub fn link(&self) -> Link {
        let t = self.lab.t();
        Link {
            scenario: self.lab.scenario().clone(),
            t: (!self.playing && t > 0).then_some(t),
            speed: (self.ticker.speed() != DEFAULT_SPEED).then_some(self.ticker.speed()),
            preset: None,
            embed: self.embed,
            hide: self.hide,
            overlay: self.overlay,
            notices: Vec::new(),
        }
    }

    /// The link an export is made from: the current state with its step, whether playing or not (the
    /// export module rebuilds the state from it alone).
    pub fn export_query(&self) -> String {
        Link { t: Some(self.lab.t()), ..self.link() }.to_query(&fmt::short)
    }

    /// The address bar's query for the current state (with its `?`).
    pub fn query(&self) -> String {
        format!("?{}", self.link().to_query(&fmt::short))
    }

    /// Time passes: while playing, the clock advances by the whole steps due.
    pub fn tick(&mut self, seconds: f64) -> Changes {
        let mut changes = Changes::default();
        self.sweep.waited += seconds;
        if self.sweep.stale && (self.drag.is_none() || self.sweep.waited >= SWEEP_DRAG_INTERVAL) {
            self.refresh_sweep(&mut changes, true);
        }
        if !self.playing {
            return changes;
        }
        let due = self.ticker.tick(seconds);
        if due > 0 {
            self.lab.step_by(i64::from(due));
            self.sync_sparse();
            self.moved(&mut changes);
            if self.lab.at_end() {
                self.set_playing(false, &mut changes);
                changes.url = Some(UrlWrite::Replace);
            }
        }
        // The ball glides between steps, so every frame draws while playing.
        changes.plots |= !self.reduced_motion || due > 0;
        self.announce(&mut changes);
        changes
    }

    /// Applies what the reader asked for and says what changed.
    pub fn apply(&mut self, intent: Intent) -> Changes {
        let ended_drag = matches!(intent, Intent::EndDrag | Intent::CancelDrag);
        // The sparse lab has no start to drag and no window to zoom.
        let sparse_only_ignores = matches!(
            intent,
            Intent::BeginDrag
                | Intent::MoveStart(_)
                | Intent::EndDrag
                | Intent::CancelDrag
                | Intent::SetView(_)
                | Intent::ResetView
        );
        if self.sparse.is_some() && sparse_only_ignores {
            return Changes::default();
        }
        let mut changes = self.apply_intent(intent);
        self.sync_sparse();
        // The sweep follows whatever changed (during a drag only every so often, see `tick`).
        self.refresh_sweep(&mut changes, ended_drag);
        changes
    }

    fn apply_intent(&mut self, intent: Intent) -> Changes {
        let mut changes = Changes::default();
        let replace = Some(UrlWrite::Replace);
        let push = Some(UrlWrite::Push);
        match intent {
            Intent::TogglePlay => {
                self.set_playing(!self.playing, &mut changes);
                changes.url = replace;
            }
            Intent::Play | Intent::Pause => {
                self.set_playing(matches!(intent, Intent::Play), &mut changes);
                changes.url = replace;
            }
            Intent::Step(k) => {
                self.set_playing(false, &mut changes);
                self.lab.step_by(k);
                self.moved(&mut changes);
                changes.url = replace;
            }
            Intent::Seek(t) => {
                self.set_playing(false, &mut changes);
                self.lab.seek(t);
                self.ticker.clear();
                self.moved(&mut changes);
                changes.url = replace;
            }
            Intent::Reset => {
                self.lab.reset();
                self.restarted(&mut changes);
                changes.url = replace;
            }
            Intent::SetSpeed(speed) => {
                self.ticker.set_speed(speed);
                changes.transport = true;
                changes.url = replace;
            }
            Intent::BeginDrag => {
                if self.drag.is_none() {
                    let (start, t, reached) = (self.lab.scenario().start, self.lab.t(), self.reached);
                    self.drag = Some(Drag { was_playing: self.playing, start, t, reached });
                }
                self.set_playing(false, &mut changes);
            }
            Intent::MoveStart(start) => {
                // Inside the window, wherever the start comes from (a drag, the keys, `setStart`), as a
                // link's `x0` is.
                let view = self.view();
                let start = [clamp(start[0], view.x.0, view.x.1), clamp(start[1], view.y.0, view.y.1)];
                self.lab.set_start(start);
                if self.drag.is_some() {
                    self.simulate_previews(PREVIEW_STEPS);
                }
                self.restarted(&mut changes);
                changes.url = replace;
            }
            Intent::EndDrag => {
                if let Some(drag) = self.drag.take() {
                    self.previews.iter_mut().for_each(Vec::clear);
                    self.set_playing(drag.was_playing, &mut changes);
                    changes.url = replace;
                }
            }
            Intent::CancelDrag => {
                if let Some(drag) = self.drag.take() {
                    self.previews.iter_mut().for_each(Vec::clear);
                    if self.lab.scenario().start != drag.start {
                        self.lab.set_start(drag.start);
                        self.lab.seek(drag.t);
                        self.restarted(&mut changes);
                        self.reached = drag.reached.max(drag.t);
                    }
                    self.set_playing(drag.was_playing, &mut changes);
                    changes.url = replace;
                }
            }
            Intent::SetLoss(loss) => {
                let scenario = self.lab.scenario().with_loss(loss.into());
                self.load(scenario, &mut changes);
                changes.url = push;
            }
            Intent::ChooseCustom => {
                if self.expression.trim().is_empty() {
                    self.expression = EXAMPLE_EXPRESSION.to_owned();
                }
                self.typed_expression(&mut changes);
                changes.expression_text = true;
                changes.focus_expression = true;
                changes.url = push;
            }
            Intent::TypeExpression(text) => {
                self.expression = text;
                self.typed_expression(&mut changes);
            }
            Intent::CommitExpression => changes.url = push,
            Intent::Editing(field) => self.editing = Some(field),
            Intent::DoneEditing(field) => {
                if self.editing.as_ref() == Some(&field) {
                    self.editing = None;
                }
            }
            Intent::SetOptimizer { panel, kind } => {
                let Some(current) = self.lab.scenario().panels.get(panel).map(|p| p.optimizer) else {
                    return changes;
                };
                if current.kind() != OptimizerKind::Adadelta {
                    self.learning_rates[panel] = Some(current.lr());
                }
                self.setting_notes[panel].clear();
                let next = switch_kind(&current, kind, self.learning_rates[panel]);
                self.set_optimizer(panel, next, &mut changes);
                changes.settings[panel] = Settings::Rebuild;
                changes.url = push;
            }
            Intent::SetTitle { panel, title } => {
                if panel >= PANELS {
                    return changes;
                }
                let title = steplab_core::link::clean_title(&title);
                self.lab.set_title(panel, if title.is_empty() { Title::Neutral } else { Title::Chosen(title) });
                changes.captions = true;
                changes.url = replace;
            }
            Intent::SetHyper { panel, name, value, commit } => {
                let Some(current) = self.lab.scenario().panels.get(panel).map(|p| p.optimizer) else {
                    return changes;
                };
                let Some((_, spec)) = current.kind().param(&name) else { return changes };
                let in_use = current.get(&name).unwrap_or(spec.default);
                if value.is_nan() {
                    // A half-typed number is not an intent yet; an empty or unreadable field, once left, shows
                    // the value still in use again, and says why.
                    if commit {
                        self.setting_notes[panel] =
                            format!("{} is not a number: {} is still in use.", spec.name, fmt::short(in_use));
                        changes.settings[panel] = Settings::Commit;
                    }
                    return changes;
                }
                let used = spec.clamp(value).unwrap_or(in_use);
                self.setting_notes[panel] = if used == value {
                    String::new()
                } else {
                    format!(
                        "{} lies in [{}, {}]: {} is in use.",
                        spec.name,
                        fmt::short(spec.min),
                        fmt::short(spec.max),
                        fmt::short(used)
                    )
                };
                if used != in_use {
                    self.set_optimizer(panel, with_param(&current, &name, used), &mut changes);
                }
                changes.settings[panel] = if commit { Settings::Commit } else { Settings::Values };
                changes.url = if commit { push } else { replace };
            }
            Intent::SetNoise(_) | Intent::SetSeed(_) if sigma_or_seed_unchanged(&intent, self.lab.scenario()) => {}
            Intent::SetNoise(sigma) => {
                let mut scenario = self.lab.scenario().clone();
                scenario.noise.sigma = clamp(if sigma.is_finite() { sigma } else { 0.0 }, 0.0, MAX_SIGMA);
                self.reload(scenario, &mut changes);
                changes.url = push;
            }
            Intent::SetSeed(seed) => {
                let mut scenario = self.lab.scenario().clone();
                scenario.noise.seed = seed;
                self.reload(scenario, &mut changes);
                changes.url = push;
            }
            Intent::SetSparse(setup) => {
                let mut scenario = self.lab.scenario().clone();
                if scenario.sparse.is_some() && scenario.sparse != Some(setup) {
                    scenario.sparse = Some(setup);
                    self.reload(scenario, &mut changes);
                    changes.scenario = true;
                    changes.url = push;
                }
            }
            Intent::SetView(view) => {
                self.lab.set_view(Some(view));
                changes.plots = true;
                changes.url = replace;
            }
            Intent::ResetView => {
                self.lab.set_view(None);
                changes.plots = true;
                changes.url = replace;
            }
            Intent::SetOverlay(on) => {
                self.overlay = on;
                changes.layout = true;
                changes.plots = true;
                changes.url = push;
            }
            Intent::Load(link) => {
                changes = self.open(*link);
                changes.url = push;
            }
            Intent::Restore(link) => {
                changes = self.open(*link);
                changes.url = None;
            }
            Intent::SetDark(dark) => {
                self.dark = dark;
                changes.plots = true;
                changes.charts = true;
                changes.sweep = true;
            }
            Intent::DismissNotices => {
                self.notices.clear();
                changes.notices = true;
            }
        }
        self.announce(&mut changes);
        changes
    }

    /// Opens a link: scenario, clock, embedding, and the notices about what it could not use.
    fn open(&mut self, link: Link) -> Changes {
        let mut changes = Changes::default();
        self.embed = link.embed;
        self.overlay = link.overlay;
        self.hide = link.hide;
        self.drag = None;
        self.previews.iter_mut().for_each(Vec::clear);
        self.load(link.scenario, &mut changes);
        if let steplab_core::loss::LossFn::Custom(custom) = &self.lab.scenario().loss {
            // A typed function from a link shows in the field, unless the reader is typing there.
            if self.editing != Some(Field::Expression) {
                self.expression = custom.expr.text();
                self.expression_status = ExpressionStatus::Accepted { dim: custom.expr.dim() };
                changes.expression_text = true;
                changes.expression_status = true;
            }
        }
        if let Some(speed) = link.speed {
            self.ticker.set_speed(speed);
        }
        match link.t {
            Some(t) => {
                self.set_playing(false, &mut changes);
                self.lab.seek(t);
                self.moved(&mut changes);
            }
            None => self.set_playing(!self.reduced_motion, &mut changes),
        }
        self.notices = link.notices.iter().map(|notice| notice.text(&fmt::short)).collect();
        changes.notices = true;
        changes.layout = true;
        changes.transport = true;
        changes
    }

    /// Replaces the whole scenario (a link, a preset, a new loss) and starts from step 0.
    /// The same scenario with other noise: the runs start again from the start, the clock at 0, the
    /// settings as they are.
    fn reload(&mut self, scenario: Scenario, changes: &mut Changes) {
        self.lab.load(scenario);
        changes.noise = true;
        self.restarted(changes);
    }

    /// Computes again each panel's sweep whose loss, start, noise, range or settings other than its rate
    /// changed (unless a drag is under way and `now` is false: then later, see `tick`), and each panel's
    /// dot, whose rate may have changed too.
    fn refresh_sweep(&mut self, changes: &mut Changes, now: bool) {
        let scenario = self.lab.scenario();
        // The sparse lab has no sweep strip.
        if scenario.sparse.is_some() {
            return;
        }
        let dragging = self.drag.is_some();
        for (panel, spec) in scenario.panels.iter().enumerate() {
            let key = SweepKey {
                objective: scenario.objective(),
                optimizer: with_param(&spec.optimizer, "lr", 1.0),
                start: scenario.start,
                noise: scenario.noise,
                spec: scenario.sweep,
            };
            let lr = spec.optimizer.lr();
            let current = self.sweep.curves[panel].as_ref().is_some_and(|(k, _)| *k == key);
            if !current {
                if dragging && !now {
                    self.sweep.stale = true;
                } else {
                    let curve = sweep::curve(&key.objective, &spec.optimizer, key.start, key.noise, &key.spec);
                    self.sweep.curves[panel] = Some((key.clone(), curve));
                    self.sweep.computed += 1;
                    changes.sweep = true;
                }
            }
            let dot_current = self.sweep.dots[panel].as_ref().is_some_and(|(k, l, _)| *k == key && *l == lr);
            if !dot_current {
                let outcome = sweep::outcome(&key.objective, &spec.optimizer, key.start, key.noise, key.spec.horizon);
                self.sweep.dots[panel] = Some((key, lr, outcome));
                changes.sweep = true;
            }
        }
        if now || !dragging {
            self.sweep.stale = self.sweep.stale && dragging && !now;
            self.sweep.waited = 0.0;
        }
    }

    /// The sparse-feature lab, when the page shows it.
    pub fn sparse(&self) -> Option<&SparseLab> {
        self.sparse.as_ref().map(|(_, _, lab)| lab)
    }

    /// Keeps the sparse lab in step with the scenario (built again when its data or an optimizer changed)
    /// and with the clock; gone when the scenario is the triptych.
    fn sync_sparse(&mut self) {
        let scenario = self.lab.scenario();
        let Some(data) = scenario.sparse_data() else {
            self.sparse = None;
            return;
        };
        let optimizers = scenario.panels.each_ref().map(|p| p.optimizer);
        let current = matches!(&self.sparse, Some((d, o, _)) if *d == data && *o == optimizers);
        if !current {
            self.sparse = Some((data, optimizers, SparseLab::new(data, optimizers)));
        }
        let t = self.lab.t();
        if let Some((_, _, lab)) = &mut self.sparse {
            lab.seek(t);
        }
    }

    /// How many panel sweeps have been computed since the page opened.
    pub fn sweeps_computed(&self) -> u32 {
        self.sweep.computed
    }

    /// Panel `panel`'s learning-rate sweep (`None` only before the first one is computed).
    pub fn sweep_curve(&self, panel: usize) -> Option<&Curve> {
        self.sweep.curves.get(panel)?.as_ref().map(|(_, curve)| curve)
    }

    /// Panel `panel`'s own rate and what it comes to after the sweep's horizon.
    pub fn sweep_dot(&self, panel: usize) -> Option<(f64, Outcome)> {
        self.sweep.dots.get(panel)?.as_ref().map(|(_, lr, outcome)| (*lr, *outcome))
    }

    fn load(&mut self, scenario: Scenario, changes: &mut Changes) {
        self.lab.load(scenario);
        changes.scenario = true;
        changes.captions = true;
        changes.layout = true;
        changes.settings = [Settings::Rebuild; PANELS];
        self.restarted(changes);
    }

    /// The expression field's text is a function: it replaces the loss at once (the panels keep their
    /// optimizers, and the start if it is still inside the new window); one that does not parse leaves
    /// the last good curve, and says why. The field itself is never rewritten.
    fn typed_expression(&mut self, changes: &mut Changes) {
        changes.expression_status = true;
        if self.expression.trim().is_empty() {
            self.expression_status = ExpressionStatus::Empty;
            return;
        }
        match steplab_core::expr::Expr::parse_with(&self.expression, &fmt::read) {
            Ok(expr) => {
                let loss = LossFn::custom(expr);
                let current = self.lab.scenario();
                let keep_start = loss.dim() == current.loss.dim() && {
                    let view = loss.default_view();
                    let [x, y] = current.start;
                    view.x.0 <= x && x <= view.x.1 && (loss.dim() == 1 || (view.y.0 <= y && y <= view.y.1))
                };
                let kept = current.start;
                self.expression_status = ExpressionStatus::Accepted { dim: loss.dim() };
                // The same function typed again (a space added) changes nothing, not even the titles.
                if current.loss == loss && current.view.is_none() {
                    return;
                }
                let mut scenario = current.with_loss(loss);
                if keep_start {
                    scenario.start = kept;
                }
                self.load(scenario, changes);
                changes.url = Some(UrlWrite::Replace);
            }
            Err(err) => self.expression_status = ExpressionStatus::Refused(err.to_string()),
        }
    }

    fn set_optimizer(&mut self, panel: usize, optimizer: Optimizer, changes: &mut Changes) {
        self.lab.set_optimizer(panel, optimizer);
        changes.captions = true;
        self.restarted(changes);
    }

    fn set_playing(&mut self, playing: bool, changes: &mut Changes) {
        if playing && self.lab.at_end() {
            self.lab.seek(0);
            self.moved(changes);
        }
        self.playing = playing;
        self.ticker.clear();
        changes.transport = true;
        changes.plots = true;
        changes.texts = true;
        changes.charts = true;
    }

    /// Re-simulates each panel's path preview from the start, `steps` steps long.
    fn simulate_previews(&mut self, steps: usize) {
        let scenario = self.lab.scenario();
        let objective = scenario.objective();
        for (spec, preview) in scenario.panels.iter().zip(&mut self.previews) {
            preview_path(objective.clone(), &spec.optimizer, scenario.start, scenario.noise, steps, preview);
        }
    }

    /// The three previews re-simulated `steps` steps long, `rounds` times, timed by `now` (ms), for the
    /// benchmark; the previews are cleared afterwards (none is shown outside a drag).
    pub fn time_previews(&mut self, steps: usize, rounds: u32, now: impl Fn() -> f64) -> Vec<f64> {
        let times = (0..rounds)
            .map(|_| {
                let started = now();
                self.simulate_previews(steps);
                now() - started
            })
            .collect();
        self.previews.iter_mut().for_each(Vec::clear);
        times
    }

    /// Computes the three panels' learning-rate sweeps `rounds` times from scratch and returns the
    /// milliseconds of each round (for the benchmark: the budget's full recompute, timed in the page's wasm).
    pub fn time_sweeps(&mut self, rounds: u32, now: impl Fn() -> f64) -> Vec<f64> {
        (0..rounds)
            .map(|_| {
                self.sweep.curves = Default::default();
                let started = now();
                self.refresh_sweep(&mut Changes::default(), true);
                now() - started
            })
            .collect()
    }

    /// After the clock moved.
    fn moved(&mut self, changes: &mut Changes) {
        self.reached = self.reached.max(self.lab.t());
        changes.plots = true;
        changes.texts = true;
        changes.charts = true;
    }

    /// After every panel went back to step 0.
    fn restarted(&mut self, changes: &mut Changes) {
        self.reached = self.lab.t();
        self.ticker.clear();
        changes.plots = true;
        changes.texts = true;
        changes.charts = true;
    }

    /// Tells screen readers about panels whose kind of status changed (to something other than running).
    fn announce(&mut self, changes: &mut Changes) {
        if !changes.texts {
            return;
        }
        let mut said = String::new();
        for panel in 0..PANELS {
            let record = self.lab.shown(panel);
            let kind = record.status.kind();
            if kind != self.announced[panel] {
                if record.n > 0 && kind != "running" {
                    said.push_str(&crate::text::title(&self.lab.scenario().panels[panel]));
                    said.push_str(": ");
                    said.push_str(&crate::text::status(&self.lab, panel));
                    said.push_str(". ");
                }
                self.announced[panel] = kind;
            }
        }
        if !said.is_empty() {
            said.pop();
            changes.announce = Some(said);
        }
    }
}

/// A panel's optimizer switched to `kind`: its defaults, keeping the learning rate the reader chose.
/// Adadelta's lr means something else (a multiplier of the step it sizes itself, 1 as published), so it
/// starts from its own; leaving it brings back `remembered`, the panel's last learning rate before it.
pub fn switch_kind(current: &Optimizer, kind: OptimizerKind, remembered: Option<f64>) -> Optimizer {
    let fresh = Optimizer::new(kind);
    if kind == OptimizerKind::Adadelta {
        return fresh;
    }
    let lr = if current.kind() == OptimizerKind::Adadelta { remembered } else { Some(current.lr()) };
    lr.and_then(|lr| fresh.with("lr", lr).ok()).unwrap_or(fresh)
}

/// The optimizer with `name` set to the nearest valid value to `value`; unchanged for unknown names or NaN.
pub fn with_param(current: &Optimizer, name: &str, value: f64) -> Optimizer {
    let Some((_, spec)) = current.kind().param(name) else { return *current };
    match spec.clamp(value) {
        Some(valid) => current.with(name, valid).unwrap_or(*current),
        None => *current,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use steplab_core::link;

    fn open(query: &str) -> Session {
        Session::new(link::parse_with(query, &fmt::read), false, false).0
    }

    fn load(query: &str) -> Intent {
        Intent::Load(Box::new(link::parse_with(query, &fmt::read)))
    }

    /// The export module writes its files from `export_query()` alone: for states a reader reaches (a
    /// preset played on, a start dragged and a zoomed view, retitled panels, a typed function, noise, the
    /// sparse lab), each file equals the one written from the session's own state.
    #[test]
    fn the_export_module_writes_from_the_link_the_files_of_the_state_on_screen() {
        use steplab_core::{export, figure};
        let mut states = Vec::new();
        let mut bounce = open("?preset=bounce");
        bounce.apply(Intent::Seek(37));
        states.push(bounce);
        let mut dragged = open("?preset=ellipse");
        dragged.apply(Intent::BeginDrag);
        dragged.apply(Intent::MoveStart([-3.3, 1.7]));
        dragged.apply(Intent::EndDrag);
        dragged.apply(Intent::SetView(View { x: (-4.0, 4.5), y: (-2.5, 2.5) }));
        dragged.apply(Intent::Step(12));
        states.push(dragged);
        let mut retitled = open("");
        retitled.apply(Intent::SetTitle { panel: 1, title: "Mine & yours <b>".to_owned() });
        retitled.apply(Intent::SetHyper { panel: 0, name: "lr".to_owned(), value: 0.731, commit: true });
        retitled.apply(Intent::Step(5));
        states.push(retitled);
        let mut typed = open("");
        typed.apply(Intent::ChooseCustom);
        typed.apply(Intent::TypeExpression("x^4 - 3*x^2 + x".to_owned()));
        typed.apply(Intent::CommitExpression);
        typed.apply(Intent::SetNoise(0.3));
        typed.apply(Intent::Step(40));
        states.push(typed);
        let mut sparse = open("?preset=sparse");
        sparse.apply(Intent::Seek(120));
        states.push(sparse);
        // Playing: the address bar's link has no step, the export's must.
        let mut playing = open("?preset=ellipse");
        playing.tick(1.0);
        assert!(playing.playing() && playing.link().t.is_none());
        states.push(playing);
        for session in &states {
            let query = session.export_query();
            let steps = session.export_horizon();
            let module = |kind| steplab_export::file(&query, kind, steps, &fmt::short, &fmt::read);
            let lab = session.lab();
            assert!(lab.t() > 0, "{query}");
            if let Some(sparse) = session.sparse() {
                assert_eq!(module("csv").as_deref(), Some(export::sparse_csv(sparse, steps, &fmt::short).as_str()));
                let json = export::sparse_json(sparse, lab.scenario(), steps, &fmt::short);
                assert_eq!(module("json").as_deref(), Some(json.as_str()));
                assert_eq!(module("svg"), None, "the sparse lab has no figure");
                continue;
            }
            assert_eq!(module("svg").as_deref(), Some(figure::triptych_svg(lab, &fmt::short).as_str()), "{query}");
            assert_eq!(module("csv").as_deref(), Some(export::csv(lab, steps, &fmt::short).as_str()), "{query}");
            assert_eq!(module("json").as_deref(), Some(export::json(lab, steps, &fmt::short).as_str()), "{query}");
        }
    }

    #[test]
    fn a_page_opens_playing_unless_the_reader_prefers_reduced_motion_or_the_link_names_a_step() {
        let (session, changes) = Session::new(link::parse_with("", &fmt::read), false, false);
        assert!(session.playing());
        assert!(changes.plots && changes.texts && changes.scenario);
        assert_eq!(changes.url, None, "the address bar keeps the link it was opened with");
        let (calm, _) = Session::new(link::parse_with("", &fmt::read), true, false);
        assert!(!calm.playing());
        assert_eq!(calm.glide(), 0.0);
        let at = open("preset=bounce&t=7");
        assert!(!at.playing());
        assert_eq!(at.lab().t(), 7);
    }

    #[test]
    fn typing_an_expression_while_editing_never_rewrites_the_field() {
        let mut session = open("");
        let chosen = session.apply(Intent::ChooseCustom);
        assert!(chosen.expression_text && chosen.focus_expression, "the example is shown and the field focused");
        assert_eq!(session.expression(), EXAMPLE_EXPRESSION);
        session.apply(Intent::Editing(Field::Expression));
        for text in ["x", "x^", "x^2", "x^2 ", "x^2 +", "x^2 + 2*x + 1"] {
            let changes = session.apply(Intent::TypeExpression(text.to_owned()));
            assert!(!changes.expression_text, "typing “{text}” rewrote the field");
            assert!(changes.expression_status);
            assert_eq!(session.expression(), text, "the session keeps the text as typed, spaces included");
        }
        assert_eq!(session.lab().scenario().loss.id(), "expr:x^2+2*x+1");
        assert_eq!(session.expression_status(), &ExpressionStatus::Accepted { dim: 1 });
        // A half-typed function leaves the last good one and says why.
        session.apply(Intent::TypeExpression("x^2 +".to_owned()));
        assert!(
            matches!(session.expression_status(), ExpressionStatus::Refused(message) if message.contains("expected a value"))
        );
        assert_eq!(session.lab().scenario().loss.id(), "expr:x^2+2*x+1");
        // A link opened meanwhile (back, say) does not overwrite what is being typed.
        let changes = session.apply(Intent::Restore(Box::new(link::parse_with("loss=expr:x^4", &fmt::read))));
        assert!(!changes.expression_text);
        assert_eq!(session.expression(), "x^2 +");
        session.apply(Intent::DoneEditing(Field::Expression));
        let changes = session.apply(Intent::Restore(Box::new(link::parse_with("loss=expr:x^4", &fmt::read))));
        assert!(changes.expression_text);
        assert_eq!(session.expression(), "x^4");
    }

    #[test]
    fn the_sweep_is_computed_again_only_when_what_it_depends_on_changes() {
        let mut session = open("");
        assert_eq!(session.sweeps_computed(), 3);
        assert!(session.sweep_curve(0).is_some_and(|c| c.rates.len() == 61));
        assert_eq!(session.sweep_dot(2).map(|(lr, _)| lr), Some(1.5));
        // Another rate moves only that panel's dot.
        let changed = session.apply(Intent::SetHyper { panel: 0, name: "lr".into(), value: 0.5, commit: true });
        assert!(changed.sweep);
        assert_eq!(session.sweeps_computed(), 3);
        assert_eq!(session.sweep_dot(0).map(|(lr, _)| lr), Some(0.5));
        // Another setting computes that panel's sweep again.
        session.apply(Intent::SetHyper { panel: 2, name: "eps".into(), value: 0.1, commit: true });
        assert_eq!(session.sweeps_computed(), 4);
        // A drag waits: the sweep follows at most every 0.2 s, and at the end.
        session.apply(Intent::BeginDrag);
        session.apply(Intent::MoveStart([2.0, 0.0]));
        session.apply(Intent::MoveStart([1.0, 0.0]));
        assert_eq!(session.sweeps_computed(), 4);
        assert!(!session.tick(0.1).sweep);
        assert!(session.tick(0.15).sweep, "0.25 s into the drag");
        assert_eq!(session.sweeps_computed(), 7);
        session.apply(Intent::MoveStart([0.5, 0.0]));
        session.apply(Intent::EndDrag);
        assert_eq!(session.sweeps_computed(), 10);
        // Noise is a new scenario for every sweep.
        let noisy = session.apply(Intent::SetNoise(1.0));
        assert!(noisy.noise && noisy.url.is_some());
        assert_eq!(session.lab().scenario().noise.sigma, 1.0);
        assert_eq!(session.sweeps_computed(), 13);
        assert!(!session.apply(Intent::SetNoise(1.0)).any(), "the same noise changes nothing");
    }

    #[test]
    fn a_cancelled_drag_puts_back_the_start_the_step_and_playing() {
        let mut session = open("");
        assert!(session.playing());
        session.tick(1.0);
        let (start, t) = (session.lab().scenario().start, session.lab().t());
        assert!(t > 0);
        session.apply(Intent::BeginDrag);
        session.apply(Intent::MoveStart([-0.9, 0.0]));
        assert_eq!(session.lab().t(), 0);
        let cancelled = session.apply(Intent::CancelDrag);
        assert_eq!(session.lab().scenario().start, start, "the start the finger moved comes back");
        assert_eq!(session.lab().t(), t, "and so does the step shown");
        assert!(session.playing(), "and playing");
        assert!(session.previews().iter().all(Vec::is_empty));
        assert!(cancelled.plots && cancelled.url.is_some());
        assert_eq!(session.apply(Intent::CancelDrag), Changes::default(), "nothing to take back");
    }

    #[test]
    fn a_drag_replaces_the_address_and_a_preset_pushes_it() {
        let mut session = open("");
        let begin = session.apply(Intent::BeginDrag);
        assert!(!session.playing(), "dragging pauses");
        assert_eq!(begin.url, None);
        let moved = session.apply(Intent::MoveStart([2.5, 0.0]));
        assert_eq!(moved.url, Some(UrlWrite::Replace));
        assert!(session.previews().iter().all(|p| p.len() > 10), "previews while dragging");
        let ended = session.apply(Intent::EndDrag);
        assert_eq!(ended.url, Some(UrlWrite::Replace));
        assert!(session.playing(), "playing resumes");
        assert!(session.previews().iter().all(Vec::is_empty));
        assert_eq!(session.query(), "?loss=smooth-abs&x0=2.5&a=sgd:lr=2.5&b=sgd:lr=0.05&c=adagrad:lr=1.5,eps=0");
        assert_eq!(session.apply(load("preset=bounce")).url, Some(UrlWrite::Push));
        assert_eq!(
            session.apply(Intent::SetOptimizer { panel: 0, kind: OptimizerKind::Adam }).url,
            Some(UrlWrite::Push)
        );
        assert_eq!(session.apply(Intent::SetLoss(Loss::Quartic)).url, Some(UrlWrite::Push));
        assert_eq!(session.apply(Intent::Step(3)).url, Some(UrlWrite::Replace));
    }

    #[test]
    fn back_and_forward_restore_a_state_without_writing_the_address() {
        let mut session = open("");
        session.apply(load("preset=bounce"));
        session.apply(Intent::Step(4));
        let earlier = session.query();
        session.apply(load("preset=double-well"));
        assert_eq!(session.lab().scenario().loss, Loss::DoubleWell);
        let restored = session.apply(Intent::Restore(Box::new(link::parse_with(&earlier, &fmt::read))));
        assert_eq!(restored.url, None);
        assert_eq!(session.query(), earlier);
        assert_eq!(session.lab().t(), 4);
        assert!(!session.playing());
    }

    #[test]
    fn settings_keep_the_field_being_typed_in_and_show_the_value_in_use_once_committed() {
        let mut session = open("");
        let typed = session.apply(Intent::SetHyper { panel: 1, name: "lr".into(), value: 0.5, commit: false });
        assert_eq!(typed.settings, [Settings::Keep, Settings::Values, Settings::Keep]);
        assert!(typed.captions);
        assert_eq!(session.lab().scenario().panels[1].optimizer.lr(), 0.5);
        let committed = session.apply(Intent::SetHyper { panel: 1, name: "lr".into(), value: 1e9, commit: true });
        assert_eq!(committed.settings[1], Settings::Commit);
        assert_eq!(session.lab().scenario().panels[1].optimizer.lr(), 100.0, "clamped into range");
        let half = session.apply(Intent::SetHyper { panel: 1, name: "lr".into(), value: f64::NAN, commit: false });
        assert!(!half.any(), "a half-typed number changes nothing");
        let switched = session.apply(Intent::SetOptimizer { panel: 1, kind: OptimizerKind::RmsProp });
        assert_eq!(switched.settings[1], Settings::Rebuild);
        assert_eq!(session.lab().scenario().panels[1].optimizer.lr(), 100.0, "the rate is kept");
    }

    #[test]
    fn exports_are_named_after_what_is_shown_and_cover_at_least_a_hundred_steps() {
        let mut session = open("preset=bounce&t=10");
        assert_eq!(session.export_name("csv"), "steplab-bounce-t10.csv");
        assert_eq!(session.export_horizon(), 100);
        session.apply(Intent::SetHyper { panel: 0, name: "lr".into(), value: 0.3, commit: true });
        assert_eq!(session.export_name("png"), "steplab-quadratic-t0.png", "no longer the preset");
        session.apply(Intent::Seek(250));
        assert_eq!(session.export_horizon(), 250);
        let typed = open("loss=expr:x^2&t=3");
        assert_eq!(typed.export_name("svg"), "steplab-custom-t3.svg");
        assert_eq!(open("").export_name("json"), "steplab-seed-t0.json", "the page opens on the seed preset");
    }

    #[test]
    fn the_clock_plays_at_its_speed_and_stops_at_the_end() {
        let mut session = open("");
        session.apply(Intent::SetSpeed(10.0));
        let changes = session.tick(0.25);
        assert_eq!(session.lab().t(), 2);
        assert!(changes.plots && changes.texts);
        session.apply(Intent::Seek(999));
        session.apply(Intent::Play);
        session.tick(0.25);
        assert_eq!(session.lab().t(), 1000);
        assert!(!session.playing(), "the clock stops at its last step");
        session.apply(Intent::Play);
        assert_eq!(session.lab().t(), 0, "playing again starts over");
    }

    #[test]
    fn status_changes_are_announced_once() {
        let mut session = open("t=0");
        let changes = session.apply(Intent::Step(40));
        let said = changes.announce.expect("an announcement");
        assert!(said.contains("Too fast!: bouncing") && said.contains("Spot on!: converged"), "{said}");
        assert_eq!(session.apply(Intent::Step(1)).announce, None, "the same statuses are not said again");
    }

    #[test]
    fn changes_add_up_until_drawn() {
        let mut all = Changes::default();
        all.merge(Changes { url: Some(UrlWrite::Replace), announce: Some("a".into()), ..Changes::default() });
        all.merge(Changes { url: Some(UrlWrite::Push), announce: Some("b".into()), plots: true, ..Changes::default() });
        all.merge(Changes { url: Some(UrlWrite::Replace), ..Changes::default() });
        assert_eq!(all.url, Some(UrlWrite::Push));
        assert_eq!(all.announce.as_deref(), Some("a b"));
        assert!(all.plots && !all.texts);
    }
}
