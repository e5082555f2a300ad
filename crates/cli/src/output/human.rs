//! `path:line:col: TYPE (score) masked-value [rule]`, one finding a line.

use std::io::{self, Write};

use anstyle::{AnsiColor, Style};

use super::Printer;
use crate::report::FileReport;

pub(super) struct Human<'w> {
    out: Box<dyn Write + 'w>,
    color: bool,
}

impl<'w> Human<'w> {
    pub(super) fn new(out: Box<dyn Write + 'w>, color: bool) -> Human<'w> {
        Human { out, color }
    }

    fn paint(&self, style: Style, text: &str) -> String {
        if self.color {
            format!("{style}{text}{style:#}")
        } else {
            text.to_owned()
        }
    }
}

impl Printer for Human<'_> {
    fn file(&mut self, report: &FileReport) -> io::Result<()> {
        let path_style = AnsiColor::Magenta.on_default();
        let pos_style = AnsiColor::Green.on_default();
        let type_style = AnsiColor::Red.on_default().bold();
        let dim = Style::new().dimmed();
        for l in &report.findings {
            let f = &l.finding;
            let line = format!(
                "{}:{}: {} ({:.2}) {} {}",
                self.paint(path_style, &report.path),
                self.paint(pos_style, &format!("{}:{}", l.line, l.column)),
                self.paint(type_style, f.entity_type().as_str()),
                f.score(),
                l.masked,
                self.paint(dim, &format!("[{}]", f.rule().as_str())),
            );
            writeln!(self.out, "{line}")?;
        }
        Ok(())
    }

    fn finish(&mut self, _ok: bool) -> io::Result<()> {
        self.out.flush()
    }
}
