//! A 2-D loss as a picture: a log-scaled heatmap with thin contour lines, rendered into a caller-owned RGBA
//! buffer for the page to cache and draw behind the optimizers' paths, and the conversion between that
//! image's pixels and world coordinates.

use crate::loss::Objective;
use crate::num::{clamp, Point, View};

/// The colour scale is log10(value − min + δ), mapped linearly so that the lowest sample is at 0 and the
/// highest at 1. The offset δ keeps the minimum's logarithm finite and sets how many decades the scale spans:
/// it is chosen so that the median sample sits in the middle of the scale, so each picture uses both halves
/// of the map whatever its range (about 5 decades for Beale's plateau, 2½ for Rosenbrock's valley, 1 for the
/// ellipse, and a linear scale for the saddle, whose median is already mid-range). δ stays between these
/// fractions of the sampled range: at most six decades, and at the upper end linear to within 0.2%.
const MIN_OFFSET: f64 = 1e-6;
const MAX_OFFSET: f64 = 1e2;

/// The median is estimated from the samples on a grid of this many × this many pixels.
const MEDIAN_GRID: usize = 32;

/// At most this many contour levels: a pixel's level index is kept in a byte while rendering.
pub const MAX_CONTOURS: u32 = 254;

/// The level index of a pixel whose value is not finite.
const NO_LEVEL: u8 = u8::MAX;

/// Cividis (Nuñez, Anderton & Renslow, "Optimizing colormaps with consideration for color vision
/// deficiency to enable accurate interpretation of scientific data", PLoS ONE 13(7): e0199239, 2018), in
/// sRGB: the authors' 256-entry table (github.com/pnnl/cmaputil, colormaps/cividis.txt) sampled at 17 evenly
/// spaced positions. Interpolating linearly between these stops stays within about 6/255 of the table.
///
/// Chosen over viridis because it was optimised to look the same to readers with red–green colour vision
/// deficiency, its lightness rises evenly, and it runs from navy through grey to yellow without viridis's
/// greens, so the bluish-green (#009E73) and blue (#0072B2) paths drawn on top do not melt into it.
#[allow(clippy::approx_constant)] // 0.4343 below is a colour that happens to be close to log10(e).
const CIVIDIS: [[f64; 3]; 17] = [
    [0.0000, 0.1262, 0.3015],
    [0.0000, 0.1712, 0.4098],
    [0.0213, 0.2126, 0.4315],
    [0.1741, 0.2578, 0.4225],
    [0.2545, 0.3025, 0.4201],
    [0.3197, 0.3472, 0.4243],
    [0.3785, 0.3922, 0.4343],
    [0.4339, 0.4378, 0.4503],
    [0.4879, 0.4841, 0.4710],
    [0.5481, 0.5321, 0.4736],
    [0.6104, 0.5815, 0.4677],
    [0.6745, 0.6325, 0.4550],
    [0.7402, 0.6852, 0.4348],
    [0.8078, 0.7399, 0.4066],
    [0.8775, 0.7966, 0.3681],
    [0.9493, 0.8558, 0.3153],
    [1.0000, 0.9169, 0.2731],
];

// Cividis as is runs from near-black navy to bright yellow, and what is drawn on top is the near-black ink
// (#1d1d22) and mid-lightness Okabe–Ito paths: on the navy end they would all but vanish. So in the light theme
// every colour is mixed 40% toward white, which lifts the map's relative luminance to 0.19–0.87: the ink
// (0.01) stands out everywhere and the paths (0.15–0.26) are darker than nearly all of it. In the dark theme
// the map is mixed 40% toward the page's #121214 instead (luminance 0.01–0.29), so that the yellow end does
// not glare and the dark theme's lighter paths (0.38–0.44) and ink are lighter than all of it. Every colour
// moves by the same fraction, so the order of lightness, which is what the reader compares, is kept. The mix
// is done in sRGB, where equal steps look roughly equal.
const LIGHT_TARGET: [f64; 3] = [255.0, 255.0, 255.0];
const LIGHT_MIX: f64 = 0.40;
const DARK_TARGET: [f64; 3] = [18.0, 18.0, 20.0];
const DARK_MIX: f64 = 0.40;

/// Contour lines: pixels blended this far toward a dark grey (light theme) or a light grey (dark theme).
const CONTOUR_MIX: f64 = 0.45;
const LIGHT_CONTOUR_INK: [f64; 3] = [40.0, 40.0, 46.0];
const DARK_CONTOUR_INK: [f64; 3] = [222.0, 222.0, 228.0];

/// Where the loss is not a finite number the page background shows through: it reads as "nothing here"
/// and is not on the map (whose middle is a neutral grey).
const LIGHT_NO_VALUE: [u8; 3] = [255, 255, 255];
const DARK_NO_VALUE: [u8; 3] = [18, 18, 20];

/// Colours and contours of a surface image.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SurfaceStyle {
    /// The dark theme's variant of the map and light contour lines.
    pub dark: bool,
    /// How many contour levels to draw, evenly spaced in the colour scale (0 for none, at most
    /// [`MAX_CONTOURS`]).
    pub contours: u32,
}

impl SurfaceStyle {
    /// The colour [`render`] gives a pixel off the contour lines at position `t` of the colour scale
    /// (0 at the lowest sample, 1 at the highest; clamped).
    pub fn colour(&self, t: f64) -> [u8; 3] {
        to_bytes(self.map_entry(colour_index(t)))
    }

    /// The themed map's entry `index` of 256, before rounding.
    fn map_entry(&self, index: u8) -> [f64; 3] {
        let x = f64::from(index) / 255.0 * (CIVIDIS.len() - 1) as f64;
        let stop = (x as usize).min(CIVIDIS.len() - 2);
        let along = x - stop as f64;
        let (low, high) = (CIVIDIS[stop], CIVIDIS[stop + 1]);
        let rgb = [0, 1, 2].map(|c| 255.0 * (low[c] + (high[c] - low[c]) * along));
        if self.dark {
            mix(rgb, DARK_TARGET, DARK_MIX)
        } else {
            mix(rgb, LIGHT_TARGET, LIGHT_MIX)
        }
    }

    /// The map's 256 colours off the contour lines and on them.
    fn tables(&self) -> ([[u8; 3]; 256], [[u8; 3]; 256]) {
        let ink = if self.dark { DARK_CONTOUR_INK } else { LIGHT_CONTOUR_INK };
        let mut plain = [[0; 3]; 256];
        let mut lined = [[0; 3]; 256];
        for index in 0..=u8::MAX {
            let rgb = self.map_entry(index);
            plain[usize::from(index)] = to_bytes(rgb);
            lined[usize::from(index)] = to_bytes(mix(rgb, ink, CONTOUR_MIX));
        }
        (plain, lined)
    }

    fn no_value(&self) -> [u8; 3] {
        if self.dark {
            DARK_NO_VALUE
        } else {
            LIGHT_NO_VALUE
        }
    }
}

/// How sampled loss values were mapped to colours, and where the contour levels sit: returned by [`render`]
/// so the page can label the levels or draw a colour key.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SurfaceScale {
    /// The smallest and the largest finite sample (both 0 when no sample is finite).
    pub min: f64,
    pub max: f64,
    /// How many contour levels were drawn: the style's count (at most [`MAX_CONTOURS`]), or 0 when all
    /// samples are equal.
    pub contours: u32,
    /// δ as a fraction of the range (see [`MIN_OFFSET`]).
    relative_offset: f64,
    /// 1/δ, or 0 when all samples are equal.
    inv_offset: f64,
    /// ln(1 + range/δ): the logarithm's span from the lowest sample to the highest.
    span: f64,
    /// 1 / span.
    inv_span: f64,
}

impl SurfaceScale {
    /// The scale for samples from `min` to `max` whose median is `median`.
    fn new(min: f64, max: f64, median: f64, contours: u32) -> SurfaceScale {
        // Finite samples of opposite signs near f64::MAX have an infinite range: take the largest finite
        // one, so that every sample still lands in 0..=1 without an ∞·0.
        let range = (max - min).min(f64::MAX);
        let inv_range = 1.0 / range;
        if !(range > 0.0 && inv_range.is_finite()) {
            return SurfaceScale {
                min,
                max,
                contours: 0,
                relative_offset: 1.0,
                inv_offset: 0.0,
                span: 1.0,
                inv_span: 1.0,
            };
        }
        // With m = (median − min)/range, ln(1 + m/δ) = ln(1 + 1/δ) / 2 solves to δ = m² / (1 − 2m).
        let m = clamp((median - min) * inv_range, 0.0, 1.0);
        let balanced = if 2.0 * m < 1.0 { m * m / (1.0 - 2.0 * m) } else { MAX_OFFSET };
        let relative_offset = clamp(balanced, MIN_OFFSET, MAX_OFFSET);
        let span = (1.0 / relative_offset).ln_1p();
        SurfaceScale {
            min,
            max,
            contours: contours.min(MAX_CONTOURS),
            relative_offset,
            inv_offset: inv_range / relative_offset,
            span,
            inv_span: 1.0 / span,
        }
    }

    /// Where `value` sits on the colour scale, from 0 at the lowest sample to 1 at the highest:
    /// ln(1 + (value − min)/δ) / ln(1 + (max − min)/δ), which is log10(value − min + δ) rescaled. Values
    /// outside the sampled range, and NaN, are clamped.
    #[inline]
    pub fn position(&self, value: f64) -> f64 {
        let above = (value - self.min).max(0.0);
        clamp((above * self.inv_offset).ln_1p() * self.inv_span, 0.0, 1.0)
    }

    /// The loss value at position `t` of the colour scale: the inverse of [`SurfaceScale::position`].
    pub fn value_at(&self, t: f64) -> f64 {
        let range = (self.max - self.min).min(f64::MAX);
        self.min + range * self.relative_offset * (clamp(t, 0.0, 1.0) * self.span).exp_m1()
    }

    /// The same scale with `contours` levels (at most [`MAX_CONTOURS`]; none when all samples are equal): for
    /// drawing the levels as lines of their own over an image rendered without them.
    pub fn with_contours(self, contours: u32) -> SurfaceScale {
        let contours = if self.inv_offset == 0.0 { 0 } else { contours.min(MAX_CONTOURS) };
        SurfaceScale { contours, ..self }
    }

    /// The loss values at which contour lines were drawn, ascending: positions k / (contours + 1) for
    /// k = 1..=contours, evenly spaced on the colour scale.
    pub fn levels(self) -> impl Iterator<Item = f64> {
        let slots = f64::from(self.contours + 1);
        (1..=self.contours).map(move |k| self.value_at(f64::from(k) / slots))
    }

    /// The number of contour levels at or below position `t`, so that a pixel is on a contour line when
    /// this differs from its neighbour's.
    fn level_index(&self, t: f64) -> u8 {
        // Truncation is the floor for t ≥ 0; the maximum (t = 1) belongs with the values just below it.
        ((t * f64::from(self.contours + 1)) as u32).min(self.contours) as u8
    }
}

/// Renders `objective` over `view` as a `width`×`height` RGBA image into `rgba` (resized to
/// `width * height * 4` bytes; row 0 at the top, at `view.y.1`; pixel (i, j) shows the value at its centre,
/// see [`pixel_to_world`]) and returns the colour scale it used.
///
/// Colour is the position on a log scale (see [`SurfaceScale::position`]) through cividis, themed by
/// `style`; a pixel lies on a contour line, blended toward the contour ink, when a level lies between its
/// value and its right or lower neighbour's, so lines are one pixel wide at any size. Each pixel is evaluated
/// once. The samples are kept in `rgba` itself between sampling and colouring, so its capacity grows to
/// `width * height * 8` bytes; once it has that, rendering allocates nothing.
pub fn render(
    objective: &Objective,
    view: View,
    width: usize,
    height: usize,
    style: &SurfaceStyle,
    rgba: &mut Vec<u8>,
) -> SurfaceScale {
    let pixels = width * height;
    if pixels == 0 {
        rgba.clear();
        return SurfaceScale::new(0.0, 0.0, 0.0, 0);
    }

    // Pass 1: one f64 sample per pixel, in the buffer's first 8 · pixels bytes. The coordinates are those of
    // `pixel_to_world`, with its divisions done once.
    rgba.resize(pixels * 8, 0);
    let step = ((view.x.1 - view.x.0) / width as f64, (view.y.1 - view.y.0) / height as f64);
    let (mut min, mut max) = (f64::INFINITY, f64::NEG_INFINITY);
    for (j, row) in rgba.as_chunks_mut::<8>().0.chunks_exact_mut(width).enumerate() {
        let y = view.y.1 - (j as f64 + 0.5) * step.1;
        for (i, sample) in row.iter_mut().enumerate() {
            let value = objective.value([view.x.0 + (i as f64 + 0.5) * step.0, y]);
            *sample = value.to_ne_bytes();
            if value.is_finite() {
                min = min.min(value);
                max = max.max(value);
            }
        }
    }
    if min > max {
        (min, max) = (0.0, 0.0);
    }
    let scale = SurfaceScale::new(min, max, median_estimate(rgba, width, height, min, max), style.contours);

    // Pass 2: in 4-byte cells, pixel k's sample fills cells 2k and 2k + 1; it becomes its colour index and
    // level index in cell k, which held part of pixel k / 2's sample, already read.
    let cells = rgba.as_chunks_mut::<4>().0;
    for k in 0..pixels {
        let ([a, b, c, d], [e, f, g, h]) = (cells[2 * k], cells[2 * k + 1]);
        let value = f64::from_ne_bytes([a, b, c, d, e, f, g, h]);
        cells[k] = if value.is_finite() {
            let t = scale.position(value);
            [colour_index(t), scale.level_index(t), 0, 0]
        } else {
            [0, NO_LEVEL, 0, 0]
        };
    }
    rgba.truncate(pixels * 4);

    // Pass 3: colours, in reading order, so that the right and lower neighbours still hold their codes.
    let (plain, lined) = style.tables();
    let no_value = style.no_value();
    let cells = rgba.as_chunks_mut::<4>().0;
    for j in 0..height {
        for i in 0..width {
            let k = j * width + i;
            let [index, level, _, _] = cells[k];
            let right = if i + 1 < width { cells[k + 1][1] } else { level };
            let below = if j + 1 < height { cells[k + width][1] } else { level };
            let crossed = |other: u8| other != level && other != NO_LEVEL;
            let [r, g, b] = if level == NO_LEVEL {
                no_value
            } else if crossed(right) || crossed(below) {
                lined[usize::from(index)]
            } else {
                plain[usize::from(index)]
            };
            cells[k] = [r, g, b, u8::MAX];
        }
    }
    scale
}

/// The median of the finite samples on a [`MEDIAN_GRID`]² grid of pixels of the `width`×`height` image whose
/// samples (within `min..=max`) fill `samples`, 8 bytes each; `min` when none of them is finite.
fn median_estimate(samples: &[u8], width: usize, height: usize, min: f64, max: f64) -> f64 {
    let samples = samples.as_chunks::<8>().0;
    let mut grid = [0.0; MEDIAN_GRID * MEDIAN_GRID];
    let mut count = 0;
    for b in 0..MEDIAN_GRID {
        for a in 0..MEDIAN_GRID {
            let i = (2 * a + 1) * width / (2 * MEDIAN_GRID);
            let j = (2 * b + 1) * height / (2 * MEDIAN_GRID);
            let value = f64::from_ne_bytes(samples[j * width + i]);
            if value.is_finite() {
                grid[count] = value;
                count += 1;
            }
        }
    }
    if count == 0 {
        return min;
    }
    // Bisection on the value rather than a sort: a few lines, and no sorting code in the wasm.
    let grid = &grid[..count];
    let (mut low, mut high) = (min, max);
    for _ in 0..64 {
        let mid = low + (high - low) / 2.0;
        if 2 * grid.iter().filter(|&&value| value <= mid).count() >= count {
            high = mid;
        } else {
            low = mid;
        }
    }
    high
}

/// The world point at pixel position (`i`, `j`) of a `width`×`height` image of `view` (both at least 1):
/// (0, 0) is the image's top-left corner (`view.x.0`, `view.y.1`), (`width`, `height`) its bottom-right
/// corner, and the centre of pixel (i, j), where [`render`] samples, is (i + 0.5, j + 0.5).
pub fn pixel_to_world(view: View, width: usize, height: usize, i: f64, j: f64) -> Point {
    [view.x.0 + i * ((view.x.1 - view.x.0) / width as f64), view.y.1 - j * ((view.y.1 - view.y.0) / height as f64)]
}

/// The pixel position of world point `p` in a `width`×`height` image of `view`: the inverse of
/// [`pixel_to_world`].
pub fn world_to_pixel(view: View, width: usize, height: usize, p: Point) -> (f64, f64) {
    (
        (p[0] - view.x.0) * width as f64 / (view.x.1 - view.x.0),
        (view.y.1 - p[1]) * height as f64 / (view.y.1 - view.y.0),
    )
}

/// The map entry (0..=255) for position `t`, clamped.
fn colour_index(t: f64) -> u8 {
    (clamp(t, 0.0, 1.0) * 255.0 + 0.5) as u8
}

/// `from` moved the fraction `amount` of the way to `to`.
fn mix(from: [f64; 3], to: [f64; 3], amount: f64) -> [f64; 3] {
    [0, 1, 2].map(|c| from[c] + (to[c] - from[c]) * amount)
}

fn to_bytes(rgb: [f64; 3]) -> [u8; 3] {
    rgb.map(|c| (c + 0.5) as u8)
}
