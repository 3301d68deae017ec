//! What the page measures about itself for `steplab.stats()` and `cargo xtask bench`: rings of recent
//! times (frames, pointer moves while dragging) and the clock they are read from.

/// How many frame times the page keeps (ten seconds at 60 Hz).
pub const FRAME_SAMPLES: usize = 600;
/// How many drag pointer-move times the page keeps.
pub const DRAG_SAMPLES: usize = 256;

/// The last `capacity` times (ms) of something measured again and again.
pub struct Samples {
    times: Vec<f64>,
    /// Where the next time goes once the ring is full.
    next: usize,
    capacity: usize,
}

impl Samples {
    pub fn new(capacity: usize) -> Samples {
        Samples { times: Vec::with_capacity(capacity), next: 0, capacity }
    }

    pub fn push(&mut self, ms: f64) {
        if self.times.len() < self.capacity {
            self.times.push(ms);
        } else {
            self.times[self.next] = ms;
            self.next = (self.next + 1) % self.capacity;
        }
    }

    pub fn clear(&mut self) {
        self.times.clear();
        self.next = 0;
    }

    /// Count, median, p95 and max.
    pub fn summary(&self) -> (usize, f64, f64, f64) {
        let mut times = self.times.clone();
        times.sort_unstable_by(f64::total_cmp);
        let at = |q: f64| times.get(((times.len() as f64 - 1.0) * q).round() as usize).copied().unwrap_or(0.0);
        (times.len(), at(0.5), at(0.95), times.last().copied().unwrap_or(0.0))
    }
}

/// The page's own measurements.
pub struct Stats {
    pub frames: Samples,
    /// Main-thread milliseconds of the pointer moves while dragging the start (restart and previews).
    pub drags: Samples,
    /// Frames drawn since the page started.
    pub frame_count: usize,
}

impl Default for Stats {
    fn default() -> Stats {
        Stats { frames: Samples::new(FRAME_SAMPLES), drags: Samples::new(DRAG_SAMPLES), frame_count: 0 }
    }
}

/// `performance.now()` in the page (0 where there is none); a steady clock natively.
#[cfg(target_arch = "wasm32")]
pub fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
}

#[cfg(not(target_arch = "wasm32"))]
pub fn now_ms() -> f64 {
    use std::sync::OnceLock;
    use std::time::Instant;
    static ORIGIN: OnceLock<Instant> = OnceLock::new();
    ORIGIN.get_or_init(Instant::now).elapsed().as_secs_f64() * 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ring_keeps_the_last_times_and_summarises_them() {
        let mut samples = Samples::new(4);
        for ms in [9.0, 1.0, 2.0, 3.0, 4.0, 5.0] {
            samples.push(ms);
        }
        // 9 and 1 were overwritten by 4 and 5.
        assert_eq!(samples.summary(), (4, 4.0, 5.0, 5.0));
        samples.clear();
        assert_eq!(samples.summary(), (0, 0.0, 0.0, 0.0));
    }
}
