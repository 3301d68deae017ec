//! Time: the farthest the shared clock goes, and the fixed-timestep ticker that turns elapsed seconds
//! into whole steps. Above `num` only.

/// The farthest the shared clock goes. Runs keep every record up to here, so every step stays scrubbable.
pub const MAX_STEP: u32 = 1000;

/// A fixed-timestep clock for the animation loop: it accumulates elapsed time and says how many whole
/// steps are due, so the speed is the same at 60 Hz and 120 Hz.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Ticker {
    /// Steps per second, 0.5 to 60.
    speed: f64,
    /// Seconds accumulated toward the next step.
    pending: f64,
}

impl Ticker {
    pub const MIN_SPEED: f64 = 0.5;
    pub const MAX_SPEED: f64 = 60.0;
    /// A frame longer than this (a background tab) counts as this long, so nothing jumps.
    pub const MAX_FRAME: f64 = 0.25;

    pub fn new(speed: f64) -> Ticker {
        let mut ticker = Ticker { speed: 8.0, pending: 0.0 };
        ticker.set_speed(speed);
        ticker
    }

    pub fn speed(&self) -> f64 {
        self.speed
    }

    /// Sets the speed, clamped to 0.5..=60 (NaN keeps the old one).
    pub fn set_speed(&mut self, speed: f64) {
        if !speed.is_nan() {
            self.speed = crate::num::clamp(speed, Ticker::MIN_SPEED, Ticker::MAX_SPEED);
        }
    }

    /// Adds `seconds` of elapsed time and returns how many steps are now due.
    pub fn tick(&mut self, seconds: f64) -> u32 {
        let seconds = if seconds.is_finite() { crate::num::clamp(seconds, 0.0, Ticker::MAX_FRAME) } else { 0.0 };
        self.pending += seconds * self.speed;
        let due = self.pending.floor();
        self.pending -= due;
        due as u32
    }

    /// How far the animation is between the last step and the next, 0 to 1.
    pub fn fraction(&self) -> f64 {
        self.pending
    }

    /// Forgets any partial step (after a pause, a seek or a restart).
    pub fn clear(&mut self) {
        self.pending = 0.0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_remember_every_step_the_clock_can_reach_and_no_more() {
        assert_eq!(crate::run::HISTORY_LIMIT, MAX_STEP as usize + 1);
    }

    #[test]
    fn the_ticker_runs_at_the_same_speed_whatever_the_frame_rate() {
        for hz in [30.0, 60.0, 120.0, 144.0] {
            let mut ticker = Ticker::new(8.0);
            let steps: u32 = (0..(hz as usize * 10)).map(|_| ticker.tick(1.0 / hz)).sum();
            assert!((79..=80).contains(&steps), "{hz} Hz: {steps} steps in 10 s");
        }
        let mut ticker = Ticker::new(1000.0);
        assert_eq!(ticker.speed(), Ticker::MAX_SPEED);
        assert_eq!(ticker.tick(10.0), 15, "a long pause counts as a quarter second");
        assert_eq!(ticker.tick(f64::NAN), 0);
    }
}
