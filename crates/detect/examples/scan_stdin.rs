//! Reads text from stdin, scans it with every built-in recognizer and
//! prints the findings as one JSON array (types, byte offsets, scores,
//! rules — never the values).
//!
//! ```sh
//! echo "write to jane.doe@example.com" | cargo run -p deepsentinel-detect --example scan_stdin
//! ```

use std::io::{Read, Write};

use deepsentinel_detect::Scanner;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut text = String::new();
    std::io::stdin().read_to_string(&mut text)?;
    let findings = Scanner::new().scan(&text);
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, &findings)?;
    writeln!(out)?;
    Ok(())
}
