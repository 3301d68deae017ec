//! Any bytes as a typed loss: parsing never panics or overflows the stack; an accepted expression
//! prints to text that parses back to the same expression, and evaluating it anywhere never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use steplab_core::expr::Expr;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    match Expr::parse(&text) {
        Ok(expr) => {
            let printed = expr.text();
            let again = Expr::parse(&printed).expect("printed text parses");
            assert_eq!(again, expr);
            for p in [[0.0, 0.0], [1.5, -2.0], [-1e3, 1e-3], [f64::MAX, f64::MIN_POSITIVE]] {
                let _ = expr.value(p);
                let _ = expr.value_and_gradient(p);
            }
        }
        Err(err) => {
            let _ = err.to_string();
        }
    }
});
