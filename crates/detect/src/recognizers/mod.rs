//! The built-in recognizer families. Each is a [`Module`]; see
//! [`crate::engine`] for how they plug into the scanner.

use crate::engine::Module;

mod email;
mod names;
mod numeric;
mod secrets;

/// Every built-in module, in dispatch order.
pub(crate) fn all() -> Vec<Box<dyn Module>> {
    vec![
        Box::new(secrets::Secrets::new()),
        Box::new(email::Email),
        Box::new(numeric::Numeric),
        Box::new(names::Names::new()),
    ]
}
