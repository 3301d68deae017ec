//! A panel's readout in the page: its markup is built when its shape changes (another optimizer,
//! dimension or variant), keeping the element of every number; a step then only sets the texts that
//! changed (see `text::readout`, which writes both).

use crate::text::{self, Markup, Shape, Values};
use steplab_core::Lab;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};

pub struct Readout {
    element: Element,
    shape: Option<Shape>,
    /// The shape of markup built elsewhere (the sparse lab's table), when that is shown.
    other: Option<String>,
    /// The elements holding the numbers, in order, and the text each shows.
    slots: Vec<(Element, String)>,
    /// Bars whose width (percent) changes, in order, and the width each has.
    bars: Vec<(HtmlElement, i32)>,
}

impl Readout {
    pub fn new(element: Element) -> Readout {
        Readout { element, shape: None, other: None, slots: Vec::new(), bars: Vec::new() }
    }

    /// Shows markup built elsewhere (the sparse lab's table): built by `markup` only when `shape` changes,
    /// then only the texts of its `[data-v]` elements and the widths of its `[data-w]` bars are set.
    pub fn show_shaped(&mut self, shape: &str, markup: impl FnOnce() -> String, texts: &[String], widths: &[i32]) {
        if self.shape.is_some() || self.other.as_deref() != Some(shape) {
            // Trusted markup: static text of this crate and numbers.
            self.element.set_inner_html(&markup());
            self.shape = None;
            self.other = Some(shape.to_owned());
            self.collect_slots();
            self.bars.clear();
            if let Ok(found) = self.element.query_selector_all("[data-w]") {
                for i in 0..found.length() {
                    if let Some(bar) = found.item(i).and_then(|node| node.dyn_into::<HtmlElement>().ok()) {
                        self.bars.push((bar, -1));
                    }
                }
            }
        }
        self.set_texts(texts.iter().cloned());
        for ((bar, shown), &width) in self.bars.iter_mut().zip(widths) {
            if *shown != width {
                bar.style().set_property("width", &format!("{width}%")).ok();
                *shown = width;
            }
        }
    }

    /// The `[data-v]` elements of the markup just written, with the texts they show.
    fn collect_slots(&mut self) {
        self.slots.clear();
        if let Ok(found) = self.element.query_selector_all("[data-v]") {
            for i in 0..found.length() {
                if let Some(element) = found.item(i).and_then(|node| node.dyn_into::<Element>().ok()) {
                    let shown = element.text_content().unwrap_or_default();
                    self.slots.push((element, shown));
                }
            }
        }
    }

    /// Sets each slot's text to the next of `values`, where it changed.
    fn set_texts(&mut self, values: impl IntoIterator<Item = String>) {
        for ((element, shown), value) in self.slots.iter_mut().zip(values) {
            if *shown != value {
                match element.first_child() {
                    Some(node) => node.set_node_value(Some(&value)),
                    None => element.set_text_content(Some(&value)),
                }
                *shown = value;
            }
        }
    }

    /// Shows panel `panel` of `lab` at its current step.
    pub fn show(&mut self, lab: &Lab, panel: usize) {
        let shape = text::shape(lab, panel);
        if self.shape != Some(shape) {
            let mut markup = Markup::default();
            text::readout(&mut markup, lab, panel);
            // Trusted markup: static text of this crate and numbers.
            self.element.set_inner_html(&markup.0);
            self.collect_slots();
            self.bars.clear();
            self.other = None;
            self.shape = Some(shape);
            return;
        }
        let mut values = Values::default();
        text::readout(&mut values, lab, panel);
        self.set_texts(values.0);
    }
}
