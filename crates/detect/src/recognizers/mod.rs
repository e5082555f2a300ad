//! The built-in recognizer families. Each is a [`Module`]; see
//! [`crate::engine`] for how they plug into the scanner.

use crate::engine::Module;

mod email;
mod injection;

/// Every built-in module, in dispatch order.
pub(crate) fn all() -> Vec<Box<dyn Module>> {
    vec![
        Box::new(email::Email),
        Box::new(injection::Injection::new()),
    ]
}
