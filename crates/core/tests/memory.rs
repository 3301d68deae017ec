//! What a lab costs in memory. A page makes a new lab on every keystroke in the expression field and on
//! every link it opens: it must not set aside room for steps nobody has computed yet (it used to take
//! 3 × 4096 records, ~1.6 MB, each time). Measured with a counting allocator.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use steplab_core::{Lab, Scenario, MAX_STEP};

struct Counting;

static ALLOCATED: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATED.fetch_add(layout.size(), Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static COUNTING: Counting = Counting;

/// Bytes allocated while `f` runs (this file has one test, so no other thread allocates meanwhile).
fn allocated_by<R>(f: impl FnOnce() -> R) -> (usize, R) {
    let before = ALLOCATED.load(Ordering::Relaxed);
    let result = f();
    (ALLOCATED.load(Ordering::Relaxed) - before, result)
}

#[test]
fn a_new_lab_holds_only_what_it_computed_and_a_full_one_keeps_every_step() {
    let (fresh, mut lab) = allocated_by(|| Lab::new(Scenario::seed()));
    assert!(fresh < 16 * 1024, "a new lab allocated {fresh} bytes");
    let (full, ()) = allocated_by(|| lab.seek(MAX_STEP));
    // Three runs of 1001 records of 152 bytes, grown by doubling: at most about twice that.
    assert!(
        full < 2 * 3 * 1024 * std::mem::size_of::<steplab_core::Record>() + 64 * 1024,
        "a lab run to its last step allocated {full} bytes"
    );
    for panel in 0..3 {
        assert_eq!(lab.run(panel).record(0).map(|r| r.n), Some(0), "step 0 is still there to scrub back to");
    }
}
