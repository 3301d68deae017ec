//! `steplab`: Step Lab's scenarios outside the browser. For now it prints one run's trajectory; the
//! link grammar, `trace` and `figure` come with the scenarios issue.

use std::process::ExitCode;
use steplab_core::{Loss, Optimizer, OptimizerKind, Run};

fn main() -> ExitCode {
    let loss = Loss::SmoothAbs;
    let optimizer = match Optimizer::new(OptimizerKind::Adagrad).with("lr", 1.5).and_then(|o| o.with("eps", 0.0)) {
        Ok(optimizer) => optimizer,
        Err(err) => {
            eprintln!("steplab: {err}");
            return ExitCode::from(2);
        }
    };
    let mut run = Run::new(loss, optimizer, loss.default_start());
    println!("n,x,loss,eff_lr,status");
    for _ in 0..=40 {
        let r = *run.current();
        println!("{},{},{},{},{}", r.n, r.x[0], r.loss, r.effective_lr[0], r.status.kind());
        run.advance();
    }
    ExitCode::SUCCESS
}
