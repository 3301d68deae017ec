//! The 2-D loss surface image: where its colours and contour lines fall, that odd losses render cleanly, the
//! pixel ↔ world conventions the page draws with, and that re-rendering into the page's buffer allocates
//! nothing.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use steplab_core::surface::{pixel_to_world, render, world_to_pixel, SurfaceScale, SurfaceStyle};
use steplab_core::{Loss, Objective, View};

/// Counts this thread's allocations, so that a test can tell whether a call allocated.
struct CountingAllocator;

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
        System.alloc(layout)
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }
}

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

fn allocations() -> usize {
    ALLOCATIONS.with(Cell::get)
}

/// The ellipse 0.1x₁² + 2x₂² in its default window, at a size whose middle pixel is centred on the minimum.
const ELLIPSE_VIEW: View = View { x: (-6.0, 6.0), y: (-3.0, 3.0) };
const WIDTH: usize = 121;
const HEIGHT: usize = 61;
const CENTRE: (usize, usize) = (60, 30);

const LIGHT: SurfaceStyle = SurfaceStyle { dark: false, contours: 14 };
const DARK: SurfaceStyle = SurfaceStyle { dark: true, contours: 14 };

fn ellipse() -> Objective {
    Objective::from(Loss::Ellipse)
}

fn draw(objective: Objective, view: View, width: usize, height: usize, style: SurfaceStyle) -> (Vec<u8>, SurfaceScale) {
    let mut rgba = Vec::new();
    let scale = render(&objective, view, width, height, &style, &mut rgba);
    assert_eq!(rgba.len(), width * height * 4, "{} at {width}×{height}", objective.loss.id());
    (rgba, scale)
}

fn rgb(rgba: &[u8], width: usize, (i, j): (usize, usize)) -> [u8; 3] {
    let k = 4 * (j * width + i);
    [rgba[k], rgba[k + 1], rgba[k + 2]]
}

/// WCAG relative luminance of an sRGB colour.
fn luminance([r, g, b]: [u8; 3]) -> f64 {
    let linear = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
}

fn style_colour(dark: bool, t: f64) -> [u8; 3] {
    SurfaceStyle { dark, contours: 0 }.colour(t)
}

/// The indices of the contour pixels along row `j` (or column `i`): those that differ from the same picture
/// drawn without contour lines.
fn contour_pixels(dark: bool, line: Line) -> Vec<usize> {
    let (lined, _) = draw(ellipse(), ELLIPSE_VIEW, WIDTH, HEIGHT, SurfaceStyle { dark, contours: 14 });
    let (plain, _) = draw(ellipse(), ELLIPSE_VIEW, WIDTH, HEIGHT, SurfaceStyle { dark, contours: 0 });
    let at = |n: usize| match line {
        Line::Row(j) => (n, j),
        Line::Column(i) => (i, n),
    };
    let length = match line {
        Line::Row(_) => WIDTH,
        Line::Column(_) => HEIGHT,
    };
    (0..length).filter(|&n| rgb(&lined, WIDTH, at(n)) != rgb(&plain, WIDTH, at(n))).collect()
}

#[derive(Clone, Copy, Debug)]
enum Line {
    Row(usize),
    Column(usize),
}

#[test]
fn the_minimum_gets_the_first_colour_and_the_corners_the_last() {
    for style in [LIGHT, DARK] {
        let (rgba, scale) = draw(ellipse(), ELLIPSE_VIEW, WIDTH, HEIGHT, style);
        assert_eq!(scale.min, 0.0, "the middle pixel's centre is the minimum (0, 0)");
        assert_eq!(rgb(&rgba, WIDTH, CENTRE), style.colour(0.0), "dark: {}", style.dark);
        for corner in [(0, 0), (WIDTH - 1, 0), (0, HEIGHT - 1), (WIDTH - 1, HEIGHT - 1)] {
            assert_eq!(rgb(&rgba, WIDTH, corner), style.colour(1.0), "corner {corner:?}, dark: {}", style.dark);
        }
        assert!(
            luminance(style.colour(1.0)) > luminance(style.colour(0.0)) + 0.2,
            "the map runs from dark to light, dark: {}",
            style.dark
        );
    }
}

#[test]
fn the_map_gets_lighter_at_every_step_in_both_themes() {
    for dark in [false, true] {
        let style = SurfaceStyle { dark, contours: 0 };
        let shade = |k: u32| luminance(style.colour(f64::from(k) / 255.0));
        for k in 0..255 {
            // Rounding to bytes can darken one entry by a hair (a blue step); never by more.
            assert!(shade(k + 1) >= shade(k) - 1e-3, "entry {k}, dark: {dark}: {} → {}", shade(k), shade(k + 1));
        }
        for k in (0..=247).step_by(8) {
            assert!(shade(k + 8) > shade(k), "entries {k}..{}, dark: {dark}: no rise", k + 8);
        }
    }
}

#[test]
fn luminance_rises_from_the_minimum_outward_along_the_long_axis() {
    for dark in [false, true] {
        // Without contour lines, which are meant to break the ramp.
        let (rgba, _) = draw(ellipse(), ELLIPSE_VIEW, WIDTH, HEIGHT, SurfaceStyle { dark, contours: 0 });
        let (centre_i, j) = CENTRE;
        let shade = |i: usize| luminance(rgb(&rgba, WIDTH, (i, j)));
        for i in centre_i..WIDTH - 1 {
            assert!(shade(i + 1) >= shade(i) - 1e-3, "right of the minimum, column {i}, dark: {dark}");
        }
        for i in 1..=centre_i {
            assert!(shade(i - 1) >= shade(i) - 1e-3, "left of the minimum, column {i}, dark: {dark}");
        }
        // The edges are a third of the way up the scale (0.1·6² of a range of 21, on a nearly linear scale),
        // which is about a sixth of the map's luminance: luminance grows faster than lightness.
        let full = luminance(style_colour(dark, 1.0)) - luminance(style_colour(dark, 0.0));
        for edge in [0, WIDTH - 1] {
            assert!(shade(edge) - shade(centre_i) > 0.1 * full, "column {edge}, dark: {dark}");
        }
    }
}

#[test]
fn contour_lines_cross_the_axes_where_the_loss_crosses_the_returned_levels() {
    let (centre_i, centre_j) = CENTRE;
    for dark in [false, true] {
        let (_, scale) = draw(ellipse(), ELLIPSE_VIEW, WIDTH, HEIGHT, SurfaceStyle { dark, contours: 14 });
        // Along x₂ = 0 the loss is 0.1x₁², along x₁ = 0 it is 2x₂²: level L is crossed at x₁ = ±√(L/0.1) and
        // at x₂ = ±√(L/2). As a pixel index (whose centre is at index + 0.5) that is world_to_pixel − 0.5;
        // only crossings between the first and the last pixel centre can be drawn.
        for (line, coefficient) in [(Line::Row(centre_j), 0.1), (Line::Column(centre_i), 2.0)] {
            let expected: Vec<f64> = scale
                .levels()
                .flat_map(|level| {
                    let x = (level / coefficient).sqrt();
                    [-x, x]
                })
                .filter_map(|x| {
                    let (i, j) = match line {
                        Line::Row(_) => world_to_pixel(ELLIPSE_VIEW, WIDTH, HEIGHT, [x, 0.0]),
                        Line::Column(_) => world_to_pixel(ELLIPSE_VIEW, WIDTH, HEIGHT, [0.0, x]),
                    };
                    let (along, length) = match line {
                        Line::Row(_) => (i, WIDTH),
                        Line::Column(_) => (j, HEIGHT),
                    };
                    (0.5 < along && along < length as f64 - 0.5).then_some(along - 0.5)
                })
                .collect();
            assert!(expected.len() >= 6, "{line:?}: at least three levels cross on each side: {expected:?}");
            let drawn = contour_pixels(dark, line);
            for position in &expected {
                assert!(
                    drawn.iter().any(|&n| (n as f64 - position).abs() <= 1.0),
                    "{line:?}, dark: {dark}: no contour pixel within 1 px of {position:.2}; drawn {drawn:?}"
                );
            }
            // And no line where no level is crossed. A pixel is marked from its right and lower neighbours
            // too, off this line, whose values are a little higher: that can mark it a pixel before the
            // crossing.
            for &n in &drawn {
                assert!(
                    expected.iter().any(|position| (n as f64 - position).abs() <= 2.0),
                    "{line:?}, dark: {dark}: contour pixel {n} crosses no level; expected {expected:?}"
                );
            }
        }
    }
}

#[test]
fn every_pixel_off_the_contours_shows_the_value_at_its_centre() {
    let (width, height) = (64, 40);
    for loss in Loss::ALL.into_iter().filter(|loss| loss.dim() == 2) {
        let view = loss.default_view();
        let style = SurfaceStyle { dark: false, contours: 0 };
        let (rgba, scale) = draw(Objective::from(loss), view, width, height, style);
        for j in 0..height {
            for i in 0..width {
                let value = loss.value(pixel_to_world(view, width, height, i as f64 + 0.5, j as f64 + 0.5));
                let expected = style.colour(scale.position(value));
                assert_eq!(rgb(&rgba, width, (i, j)), expected, "{}: pixel ({i}, {j})", loss.id());
            }
        }
    }
}

#[test]
fn the_ink_and_the_paths_stand_out_from_the_map_in_both_themes() {
    // The page's colours (crates/web/src/draw.rs): the ink, and the dark theme's lighter Okabe–Ito paths.
    let light_ink = [0x1d, 0x1d, 0x22];
    let dark_paths = [[0xF2, 0x8A, 0x4B], [0x56, 0xB4, 0xE9], [0x2F, 0xC7, 0x9A]];
    let contrast = |a: [u8; 3], b: [u8; 3]| {
        let (la, lb) = (luminance(a), luminance(b));
        (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
    };
    for k in 0..=255 {
        let t = f64::from(k) / 255.0;
        let light = style_colour(false, t);
        assert!(contrast(light_ink, light) >= 3.0, "the ink on entry {k} {light:?}: {}", contrast(light_ink, light));
        let dark = style_colour(true, t);
        for path in dark_paths {
            assert!(luminance(path) > luminance(dark), "the dark theme's path {path:?} on entry {k} {dark:?}");
        }
    }
}

#[test]
fn levels_ascend_inside_the_sampled_range_at_even_steps_of_the_scale() {
    for loss in Loss::ALL.into_iter().filter(|loss| loss.dim() == 2) {
        let (_, scale) = draw(Objective::from(loss), loss.default_view(), 95, 60, LIGHT);
        let levels: Vec<f64> = scale.levels().collect();
        assert_eq!(levels.len(), 14, "{}", loss.id());
        assert!(scale.min < levels[0] && levels[13] < scale.max, "{}: {levels:?} in {scale:?}", loss.id());
        for (k, pair) in levels.windows(2).enumerate() {
            assert!(pair[0] < pair[1], "{}: level {k} not below the next: {levels:?}", loss.id());
        }
        for (k, &level) in levels.iter().enumerate() {
            let t = scale.position(level);
            assert!((t - (k + 1) as f64 / 15.0).abs() < 1e-9, "{}: level {k} at position {t}", loss.id());
        }
    }
}

#[test]
fn half_of_each_picture_lies_in_each_half_of_the_map() {
    // The scale's offset puts the median sample mid-scale (estimated from a subsample of pixels), so that
    // Beale's plateau and Rosenbrock's valley get as much of the map as the steep walls around them.
    let (width, height) = (190, 120);
    for loss in Loss::ALL.into_iter().filter(|loss| loss.dim() == 2) {
        let view = loss.default_view();
        let (_, scale) = draw(Objective::from(loss), view, width, height, LIGHT);
        let mut values: Vec<f64> = (0..height)
            .flat_map(|j| (0..width).map(move |i| (i, j)))
            .map(|(i, j)| loss.value(pixel_to_world(view, width, height, i as f64 + 0.5, j as f64 + 0.5)))
            .collect();
        values.sort_by(f64::total_cmp);
        let t = scale.position(values[values.len() / 2]);
        assert!((t - 0.5).abs() < 0.05, "{}: the median sample is at {t}", loss.id());
    }
}

#[test]
fn negative_and_scaled_losses_render_opaque_pictures_that_use_the_whole_map() {
    let cases = [
        Objective::from(Loss::Saddle),
        Objective { loss: Loss::Ellipse.into(), scale: 1000.0 },
        Objective { loss: Loss::Beale.into(), scale: 1000.0 },
        Objective { loss: Loss::Rosenbrock.into(), scale: 1e-3 },
    ];
    let (width, height) = (160, 100);
    for objective in cases {
        for style in [LIGHT, DARK] {
            let (rgba, scale) = draw(objective.clone(), objective.view(), width, height, style);
            let id = objective.loss.id();
            assert!(rgba.chunks_exact(4).all(|pixel| pixel[3] == 255), "{id}: not opaque");
            assert!(scale.min.is_finite() && scale.max.is_finite() && scale.min < scale.max, "{id}: {scale:?}");
            assert!(scale.levels().all(f64::is_finite), "{id}: {scale:?}");
            let pixels: Vec<[u8; 3]> = rgba.chunks_exact(4).map(|p| [p[0], p[1], p[2]]).collect();
            // A NaN position would paint everything in one colour; a healthy picture has both ends and
            // a lot in between.
            assert!(pixels.contains(&style.colour(0.0)) && pixels.contains(&style.colour(1.0)), "{id}");
            let mut distinct = pixels.clone();
            distinct.sort_unstable();
            distinct.dedup();
            assert!(distinct.len() > 100, "{id}: only {} colours", distinct.len());
        }
    }
    let (_, saddle) = draw(Objective::from(Loss::Saddle), Loss::Saddle.default_view(), width, height, LIGHT);
    assert!(saddle.min < -3.9 && saddle.max > 3.9, "the saddle's values reach ±4 near the edges: {saddle:?}");
}

#[test]
fn scaling_the_loss_scales_the_levels_and_leaves_the_picture() {
    for loss in [Loss::Ellipse, Loss::Rosenbrock, Loss::Beale] {
        let view = loss.default_view();
        let (plain, plain_scale) = draw(Objective::from(loss), view, 150, 90, LIGHT);
        let (scaled, scaled_scale) = draw(Objective { loss: loss.into(), scale: 1000.0 }, view, 150, 90, LIGHT);
        // Rounding may move a value across a colour step or a level here and there, nowhere more.
        let differing = plain.chunks_exact(4).zip(scaled.chunks_exact(4)).filter(|(a, b)| a != b).count();
        assert!(differing <= 150 * 90 / 200, "{}: {differing} pixels differ", loss.id());
        for (level, scaled_level) in plain_scale.levels().zip(scaled_scale.levels()) {
            assert!((scaled_level / (1000.0 * level) - 1.0).abs() < 1e-9, "{}: {level} vs {scaled_level}", loss.id());
        }
    }
}

#[test]
fn a_flat_picture_is_the_first_colour_without_contours() {
    // A window shrunk to a point: every sample is the same value.
    let point = View { x: (1.0, 1.0), y: (2.0, 2.0) };
    let (rgba, scale) = draw(Objective::from(Loss::Himmelblau), point, 7, 5, LIGHT);
    assert_eq!(scale.contours, 0);
    assert_eq!(scale.levels().count(), 0);
    let [r, g, b] = LIGHT.colour(0.0);
    assert!(rgba.chunks_exact(4).all(|pixel| pixel == [r, g, b, 255]), "{rgba:?}");

    let mut empty = vec![1, 2, 3];
    render(&ellipse(), ELLIPSE_VIEW, 0, 10, &LIGHT, &mut empty);
    assert!(empty.is_empty());
}

#[test]
fn values_that_are_not_numbers_show_the_page_background() {
    // x₁² − x₂² overflows to ±∞ (and ∞ − ∞ = NaN) this far out, except on the middle row and column.
    let far = View { x: (-1e200, 1e200), y: (-1e200, 1e200) };
    let (width, height) = (9, 9);
    for (style, background) in [(LIGHT, [255, 255, 255]), (DARK, [18, 18, 20])] {
        let (rgba, scale) = draw(Objective::from(Loss::Saddle), far, width, height, style);
        assert!(scale.min.is_finite() && scale.max.is_finite(), "{scale:?}");
        assert!(rgba.chunks_exact(4).all(|pixel| pixel[3] == 255));
        for j in 0..height {
            for i in 0..width {
                let value = Loss::Saddle.value(pixel_to_world(far, width, height, i as f64 + 0.5, j as f64 + 0.5));
                let colour = rgb(&rgba, width, (i, j));
                if value.is_finite() {
                    assert_ne!(colour, background, "pixel ({i}, {j}) has the value {value}");
                } else {
                    assert_eq!(colour, background, "pixel ({i}, {j}) has no value");
                }
            }
        }
    }
}

#[test]
fn pixel_and_world_coordinates_round_trip_with_row_zero_at_the_top() {
    let view = View { x: (-2.0, 4.0), y: (-1.0, 3.0) };
    let (width, height) = (300, 200);
    assert_eq!(pixel_to_world(view, width, height, 0.0, 0.0), [-2.0, 3.0], "top-left corner");
    assert_eq!(pixel_to_world(view, width, height, 300.0, 200.0), [4.0, -1.0], "bottom-right corner");
    let [x, y] = pixel_to_world(view, width, height, 0.5, 0.5);
    assert!((x - (-2.0 + 0.01)).abs() < 1e-12 && (y - (3.0 - 0.01)).abs() < 1e-12, "pixel (0, 0)'s centre: {x}, {y}");
    let [x, y] = pixel_to_world(view, width, height, 299.5, 199.5);
    assert!((x - (4.0 - 0.01)).abs() < 1e-12 && (y - (-1.0 + 0.01)).abs() < 1e-12, "the last pixel's centre");
    for (i, j) in [(0.0, 0.0), (12.25, 190.5), (150.0, 100.0), (299.9, 0.1), (-5.0, 250.0)] {
        let (back_i, back_j) = world_to_pixel(view, width, height, pixel_to_world(view, width, height, i, j));
        assert!((back_i - i).abs() < 1e-9 && (back_j - j).abs() < 1e-9, "({i}, {j}) came back as ({back_i}, {back_j})");
    }
    assert_eq!(world_to_pixel(view, width, height, [1.0, 1.0]), (150.0, 100.0), "the window's centre");
}

#[test]
fn rendering_again_into_the_same_buffer_allocates_nothing() {
    let mut rgba = Vec::new();
    let (width, height) = (380, 240);
    render(&Objective::from(Loss::Rosenbrock), Loss::Rosenbrock.default_view(), width, height, &LIGHT, &mut rgba);
    for (loss, size) in
        [(Loss::Beale, (width, height)), (Loss::Saddle, (200, 100)), (Loss::Himmelblau, (width, height))]
    {
        let before = allocations();
        let scale = render(&Objective::from(loss), loss.default_view(), size.0, size.1, &DARK, &mut rgba);
        let levels = scale.levels().fold(0.0, |sum, level| sum + level);
        assert_eq!(allocations(), before, "{} at {size:?}", loss.id());
        assert_eq!(rgba.len(), size.0 * size.1 * 4);
        assert!(levels.is_finite());
    }
}
