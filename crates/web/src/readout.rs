//! A panel's readout in the page: its markup is built when its shape changes (another optimizer,
//! dimension or variant), keeping the element of every number; a step then only sets the texts that
//! changed (see `text::readout`, which writes both).

use crate::text::{self, Markup, Shape, Values};
use steplab_core::Lab;
use wasm_bindgen::JsCast;
use web_sys::Element;

pub struct Readout {
    element: Element,
    shape: Option<Shape>,
    /// The elements holding the numbers, in order, and the text each shows.
    slots: Vec<(Element, String)>,
}

impl Readout {
    pub fn new(element: Element) -> Readout {
        Readout { element, shape: None, slots: Vec::new() }
    }

    /// Shows markup built elsewhere (the sparse lab's table), written only when it changed.
    pub fn show_markup(&mut self, html: &str) {
        if self.shape.is_some() || self.slots.first().is_none_or(|(_, shown)| shown != html) {
            // Trusted markup: static text of this crate and numbers.
            self.element.set_inner_html(html);
            self.shape = None;
            self.slots.clear();
            self.slots.push((self.element.clone(), html.to_owned()));
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
            self.slots.clear();
            if let Ok(found) = self.element.query_selector_all("[data-v]") {
                for i in 0..found.length() {
                    if let Some(element) = found.item(i).and_then(|node| node.dyn_into::<Element>().ok()) {
                        let shown = element.text_content().unwrap_or_default();
                        self.slots.push((element, shown));
                    }
                }
            }
            self.shape = Some(shape);
            return;
        }
        let mut values = Values::default();
        text::readout(&mut values, lab, panel);
        for ((element, shown), value) in self.slots.iter_mut().zip(values.0) {
            if *shown != value {
                match element.first_child() {
                    Some(node) => node.set_node_value(Some(&value)),
                    None => element.set_text_content(Some(&value)),
                }
                *shown = value;
            }
        }
    }
}
