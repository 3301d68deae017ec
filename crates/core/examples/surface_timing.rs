//! How long `surface::render` takes for each 2-D loss at the page's usual panel size: the median of 20 renders
//! into a reused buffer. `cargo run --release -p steplab-core --example surface_timing`

use std::time::Instant;
use steplab_core::surface::{render, SurfaceStyle};
use steplab_core::{Loss, Objective};

const WIDTH: usize = 380;
const HEIGHT: usize = 240;
const RUNS: usize = 20;

fn main() {
    let style = SurfaceStyle { dark: false, contours: 14 };
    let mut rgba = Vec::new();
    println!("surface::render at {WIDTH}×{HEIGHT}, median of {RUNS} runs");
    for loss in Loss::ALL.into_iter().filter(|loss| loss.dim() == 2) {
        let objective = Objective::from(loss);
        let mut millis: Vec<f64> = (0..RUNS)
            .map(|_| {
                let started = Instant::now();
                let scale = render(&objective, loss.default_view(), WIDTH, HEIGHT, &style, &mut rgba);
                std::hint::black_box((scale, &rgba));
                started.elapsed().as_secs_f64() * 1e3
            })
            .collect();
        millis.sort_by(f64::total_cmp);
        println!("{:<12} {:>7.3} ms", loss.id(), millis[RUNS / 2]);
    }
}
