//! The built-in recognizer families. Each is a [`Module`]; see
//! [`crate::engine`] for how they plug into the scanner.

use crate::engine::Module;

mod crypto;
mod datetime;
mod email;
mod iban;
mod injection;
mod names;
mod network;
mod numeric;
mod secrets;
mod url;

/// Every built-in module, in dispatch order.
pub(crate) fn all() -> Vec<Box<dyn Module>> {
    vec![
        Box::new(secrets::Secrets::new()),
        Box::new(email::Email),
        Box::new(url::Url),
        Box::new(network::Network),
        Box::new(datetime::DateTime),
        Box::new(iban::Iban),
        Box::new(crypto::Crypto),
        Box::new(numeric::Numeric),
        Box::new(names::Names::new()),
        Box::new(injection::Injection::new()),
    ]
}
