// The JavaScript API of an embedded or linked Step Lab page: `window.steplab`, in place as soon as the
// page's WebAssembly has started. For course authors who script the page from a parent frame or a
// notebook, and for tests. See the README's "JavaScript API" section.

/** A coordinate vector: one entry for a 1-D loss, two for a 2-D one. */
export type Vector = number[];

/** A vector whose entries are null where the quantity is not defined. */
export type MaybeVector = (number | null)[];

/** Where a run stands. */
export interface StepLabStatus {
  kind: 'running' | 'converged' | 'bouncing' | 'blowing-up' | 'diverged' | 'undefined';
  /** The step the status refers to (0 while running). */
  step: number;
  /** The status in words, as the panel's badge shows it. */
  text: string;
}

/** One of the three panels at the shown step. */
export interface StepLabPanel {
  id: 'a' | 'b' | 'c';
  title: string;
  optimizer: 'sgd' | 'momentum' | 'adagrad' | 'rmsprop' | 'adadelta' | 'adam';
  /** "Adagrad · lr 1.5 · eps 0" */
  caption: string;
  /** Hyperparameters by their link names, in the optimizer's order. */
  hyper: Record<string, number>;
  /** The step shown (the shared clock, or the last finite step of a diverged run). */
  n: number;
  x: Vector;
  /** null where the loss (or below, the gradient, the rate or the step) is not defined: a start where
   * the function has no value or no slope. */
  loss: number | null;
  gradient: MaybeVector;
  /** The gradient the optimizer used: `gradient` plus the link's noise (the same without noise). */
  used_gradient: MaybeVector;
  /** The optimizer's accumulators by name, e.g. `sum_sq_grad`, `velocity`, `m`, `v`. */
  accumulators: Record<string, Vector>;
  effective_lr: MaybeVector;
  /** What the effective rate multiplies: g, the velocity, or Adam's m̂. */
  direction: MaybeVector;
  /** The step taken from here: x_{n+1} = x + step. */
  step: MaybeVector;
  status: StepLabStatus;
  /** The learning-rate sweep of this panel's optimizer (every other setting fixed). */
  sweep: StepLabSweep | null;
}

/** Where a panel's optimizer works on the learning-rate strip. */
export interface StepLabSweep {
  /** The first and last rate of the widest run of rates that leave at most a millionth of the loss after
   * the horizon; null when no rate does. */
  band: [number, number] | null;
  band_decades: number;
  /** The panel's own rate, and what it comes to after the horizon. */
  lr: number;
  result: 'left' | 'diverged' | 'undefined';
  /** The share of the loss (above its minimum) left after the horizon, when `result` is `left`. */
  share: number | null;
}

/** A snapshot of the page. */
export interface StepLabState {
  step: number;
  playing: boolean;
  /** Steps per second. */
  speed: number;
  /** A loss id (`smooth-abs`, `ellipse`, …) or `expr:` and a typed function. */
  loss: string;
  start: Vector;
  dim: 1 | 2;
  /** The window shown. */
  view: { x: [number, number]; y: [number, number] };
  overlay: boolean;
  /** Gaussian noise on every gradient (sigma 0: none), its seed, and the ensemble's number of seeds. */
  noise: { sigma: number; seed: number; runs: number };
  /** The learning-rate sweep's horizon (steps per run) and range of rates. */
  sweep: { horizon: number; from: number; to: number };
  /** Which lab the page shows: the triptych of curves and surfaces, or the sparse-feature lab. */
  lab: 'triptych' | 'sparse';
  /** The sparse-feature lab at the shown example; null in the triptych. */
  sparse: StepLabSparse | null;
  panels: [StepLabPanel, StepLabPanel, StepLabPanel];
}

/** The sparse-feature lab: vectors have one entry per feature. */
export interface StepLabSparse {
  example: number;
  features: number;
  /** The index (from 0) of the rarest feature. */
  rare: number;
  /** Each feature's share of the examples (0 to 1) at this example. */
  shares: number[];
  true_weights: number[];
  panels: [StepLabSparsePanel, StepLabSparsePanel, StepLabSparsePanel];
}

export interface StepLabSparsePanel {
  w: number[];
  /** How many examples so far had each feature. */
  seen: number[];
  /** The optimizer's first accumulator per feature (Σg² for Adagrad; 0 where it keeps none). */
  accumulator: number[];
  effective_lr: number[];
  /** ½(w·x − y)² on the shown example. */
  loss: number;
  /** How far the rare weight has come toward its true value (1: there). */
  rare_progress: number | null;
  diverged: boolean;
}

/** The page's own measurements (milliseconds of main-thread work). */
export interface StepLabStats {
  frames: number;
  frames_total: number;
  frame_median_ms: number;
  frame_p95_ms: number;
  frame_max_ms: number;
  drag_moves: number;
  drag_median_ms: number;
  drag_p95_ms: number;
  drag_max_ms: number;
  heatmap_ms: number;
  heatmap_recomputes: number;
  /** How many panel sweeps were computed since the page opened. */
  sweep_recomputes: number;
  /** Drawing calls refused for a NaN or an infinity; stays 0. */
  non_finite_draws: number;
}

/** A link's keys as an object, e.g. `{ preset: 'bounce', x0: 2, a: 'sgd:lr=0.5' }`. */
export type StepLabLinkKeys = Record<string, string | number | boolean | number[]>;

export interface StepLab {
  state(): StepLabState;
  /** Pauses and moves the clock by k steps (negative goes back; 1 when omitted). */
  step(k?: number): void;
  play(): void;
  pause(): void;
  /** Back to step 0 from the same start. */
  reset(): void;
  /** Every panel restarts from x. */
  setStart(x: number | Vector): void;
  /** Steps per second, clamped to 0.5–60. */
  setSpeed(speed: number): void;
  /** Opens a link (its query string, with or without `?`, or its keys); returns what it could not use. */
  load(link: string | StepLabLinkKeys): string[];
  stats(): StepLabStats;
}

declare global {
  interface Window {
    steplab: StepLab;
  }
}
