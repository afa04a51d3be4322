//! The text of a raw HTML block, as the outline's blocks: paragraphs, list items and table
//! rows. Old TechNet pages and some system-requirement pages write their tables in HTML
//! (`<table><tr><td><p>...</p></td></tr></table>`), and the facts in them are the same kind
//! as in a Markdown table. Reading them needs no tree: html5ever's tokenizer gives tags and
//! decoded text, and a few flags say where the text belongs. Text in `<pre>`, `<code>`,
//! `<script>` and `<style>` is skipped, as code blocks are in Markdown.

use std::cell::RefCell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

use crate::model::BlockKind;

/// A block of text read from HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HtmlPart {
    /// A paragraph, a list item or a table row (the first row of each table is its header).
    pub kind: BlockKind,
    /// The text, whitespace collapsed; for a row, its cells joined by ` | `.
    pub text: String,
    /// A row's cells.
    pub cells: Vec<String>,
    /// List items: how deep the list is, 1 for a top-level list.
    pub depth: u16,
    /// The 0-based line of the HTML on which the block starts.
    pub line: u32,
    /// Where each later line of the block starts: (byte offset in `text`, 0-based line).
    pub line_starts: Vec<(usize, u32)>,
}

/// Text being collected: whitespace collapsed as it comes, and the line each stretch of it
/// was written on.
#[derive(Debug, Default)]
struct Text {
    text: String,
    /// (byte offset in `text`, line) where the line changes; the first entry is the start.
    starts: Vec<(usize, u32)>,
    /// Whitespace was seen since the last word.
    space: bool,
}

impl Text {
    fn push(&mut self, chunk: &str, line: u32) {
        for c in chunk.chars() {
            if c.is_whitespace() {
                self.space = true;
                continue;
            }
            if self.space && !self.text.is_empty() {
                self.text.push(' ');
            }
            self.space = false;
            if self.starts.last().is_none_or(|&(_, l)| l != line) {
                self.starts.push((self.text.len(), line));
            }
            self.text.push(c);
        }
    }

    fn is_empty(&self) -> bool {
        self.text.is_empty()
    }
}

/// Elements whose text is code or not text at all.
const SKIPPED: &[&str] = &["pre", "code", "script", "style", "textarea", "title", "svg"];

/// Elements that end the text before them and start a new block.
const BREAKS: &[&str] = &[
    "p",
    "div",
    "li",
    "dd",
    "dt",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "section",
    "article",
    "ul",
    "ol",
    "dl",
    "table",
    "hr",
];

/// Runs html5ever's tokenizer over all of `html` into `sink`, and hands the sink back.
pub fn tokenize<S: TokenSink>(html: &str, sink: S) -> S {
    let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
    let queue = BufferQueue::default();
    queue.push_back(StrTendril::from_slice(html));
    // The sinks never ask to run a script, so one feed consumes all the input.
    let _ = tokenizer.feed(&queue);
    tokenizer.end();
    tokenizer.sink
}

/// The blocks of text in `html`, in order.
pub fn parts(html: &str) -> Vec<HtmlPart> {
    let mut state = tokenize(html, Sink(RefCell::new(State::default())))
        .0
        .into_inner();
    // Unclosed tables end with the HTML.
    while !state.tables.is_empty() {
        state.end("table");
    }
    state.flush();
    state.parts
}

/// A table being read.
#[derive(Default)]
struct Table {
    /// The cells of the open row, if one is open.
    row: Option<Vec<Text>>,
    /// The line the open row started on.
    row_line: u32,
    /// How many rows of this table were emitted (the first one is the header).
    rows: usize,
    /// Whether text goes to the open row's last cell (inside a `<td>` or `<th>`).
    in_cell: bool,
}

#[derive(Default)]
struct State {
    parts: Vec<HtmlPart>,
    /// The open text block: its kind, depth, line and text.
    open: Option<(BlockKind, u16, u32, Text)>,
    /// Open tables, innermost last. Only the outermost one's rows become rows; a table in a
    /// cell is text of that cell.
    tables: Vec<Table>,
    /// How deep lists are.
    lists: u16,
    /// How many skipped elements are open.
    skipping: usize,
    /// The 0-based line of the token being read.
    line: u32,
}

impl State {
    /// Ends the open text block, keeping it when it has text.
    fn flush(&mut self) {
        if let Some((kind, depth, line, text)) = self.open.take()
            && !text.is_empty()
        {
            let line = text.starts.first().map_or(line, |&(_, l)| l);
            self.parts.push(HtmlPart {
                kind,
                cells: Vec::new(),
                depth,
                line,
                line_starts: text.starts.into_iter().skip(1).collect(),
                text: text.text,
            });
        }
    }

    /// The cell text is written to, when the text stands in a table's cell.
    fn cell(&mut self) -> Option<&mut Text> {
        let table = self.tables.first_mut()?;
        if !table.in_cell {
            return None;
        }
        table.row.as_mut()?.last_mut()
    }

    fn text(&mut self, text: &str) {
        if self.skipping > 0 {
            return;
        }
        let line = self.line;
        if !self.tables.is_empty() {
            if let Some(cell) = self.cell() {
                cell.push(text, line);
            }
            return;
        }
        if self.open.is_none() {
            if text.trim().is_empty() {
                return;
            }
            self.open = Some((BlockKind::Paragraph, 0, line, Text::default()));
        }
        if let Some((_, _, _, open)) = &mut self.open {
            open.push(text, line);
        }
    }

    fn start(&mut self, name: &str) {
        if name == "br" {
            self.text(" ");
            return;
        }
        if SKIPPED.contains(&name) {
            self.skipping += 1;
            return;
        }
        if !self.tables.is_empty() {
            self.start_in_table(name);
            return;
        }
        match name {
            "table" => {
                self.flush();
                self.tables.push(Table::default());
            }
            "ul" | "ol" => {
                self.flush();
                self.lists = self.lists.saturating_add(1);
            }
            "li" => {
                self.flush();
                self.open = Some((
                    BlockKind::ListItem,
                    self.lists.max(1),
                    self.line,
                    Text::default(),
                ));
            }
            _ if BREAKS.contains(&name) => {
                // A paragraph inside a list item continues the item.
                if !matches!(self.open, Some((BlockKind::ListItem, ..))) || name != "p" {
                    self.flush();
                } else if let Some((_, _, _, open)) = &mut self.open {
                    open.space = true;
                }
            }
            _ => {}
        }
    }

    fn start_in_table(&mut self, name: &str) {
        let line = self.line;
        let outer_only = self.tables.len() == 1;
        match name {
            "table" => {
                self.text(" ");
                self.tables.push(Table::default());
            }
            "tr" if outer_only => {
                self.end_row();
                if let Some(table) = self.tables.first_mut() {
                    table.row = Some(Vec::new());
                    table.row_line = line;
                    table.in_cell = false;
                }
            }
            "td" | "th" if outer_only => {
                if let Some(table) = self.tables.first_mut() {
                    if table.row.is_none() {
                        table.row = Some(Vec::new());
                        table.row_line = line;
                    }
                    if let Some(row) = &mut table.row {
                        row.push(Text::default());
                    }
                    table.in_cell = true;
                }
            }
            _ if BREAKS.contains(&name) => self.text(" "),
            _ => {}
        }
    }

    fn end(&mut self, name: &str) {
        if SKIPPED.contains(&name) {
            self.skipping = self.skipping.saturating_sub(1);
            return;
        }
        if !self.tables.is_empty() {
            match name {
                "table" => {
                    if self.tables.len() == 1 {
                        self.end_row();
                    }
                    self.tables.pop();
                }
                "tr" if self.tables.len() == 1 => self.end_row(),
                "td" | "th" if self.tables.len() == 1 => {
                    if let Some(table) = self.tables.first_mut() {
                        table.in_cell = false;
                    }
                }
                _ if BREAKS.contains(&name) => self.text(" "),
                _ => {}
            }
            return;
        }
        match name {
            "ul" | "ol" => {
                self.flush();
                self.lists = self.lists.saturating_sub(1);
            }
            "p" if matches!(self.open, Some((BlockKind::ListItem, ..))) => {}
            _ if BREAKS.contains(&name) => self.flush(),
            _ => {}
        }
    }

    /// Emits the open row of the outermost table, if it has a cell with text.
    fn end_row(&mut self) {
        let Some(table) = self.tables.first_mut() else {
            return;
        };
        table.in_cell = false;
        let Some(cells) = table.row.take() else {
            return;
        };
        if cells.iter().all(Text::is_empty) {
            return;
        }
        let header = table.rows == 0;
        table.rows += 1;
        let line = table.row_line;
        // The row's text is its cells joined as a Markdown row's are; each cell's lines
        // move by where the cell starts in it.
        let mut text = String::new();
        let mut starts: Vec<(usize, u32)> = Vec::new();
        for (i, cell) in cells.iter().enumerate() {
            if i > 0 {
                text.push_str(" | ");
            }
            for &(offset, l) in &cell.starts {
                if starts.last().map_or(line, |&(_, last)| last) != l {
                    starts.push((text.len() + offset, l));
                }
            }
            text.push_str(&cell.text);
        }
        self.parts.push(HtmlPart {
            kind: BlockKind::TableRow { header },
            text,
            cells: cells.into_iter().map(|c| c.text).collect(),
            depth: 0,
            line,
            line_starts: starts,
        });
    }
}

struct Sink(RefCell<State>);

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, line: u64) -> TokenSinkResult<()> {
        let mut state = self.0.borrow_mut();
        state.line = u32::try_from(line.saturating_sub(1)).unwrap_or(u32::MAX);
        match token {
            Token::TagToken(tag) => match tag.kind {
                TagKind::StartTag => {
                    let name: &str = &tag.name;
                    if tag.self_closing && name != "br" {
                        return TokenSinkResult::Continue;
                    }
                    state.start(name);
                    return match name {
                        "style" => TokenSinkResult::RawData(RawKind::Rawtext),
                        "textarea" | "title" => TokenSinkResult::RawData(RawKind::Rcdata),
                        "script" => TokenSinkResult::RawData(RawKind::ScriptData),
                        _ => TokenSinkResult::Continue,
                    };
                }
                TagKind::EndTag => state.end(&tag.name),
            },
            Token::CharacterTokens(text) => state.text(&text),
            Token::NullCharacterToken
            | Token::CommentToken(_)
            | Token::DoctypeToken(_)
            | Token::EOFToken
            | Token::ParseError(_) => {}
        }
        TokenSinkResult::Continue
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(html: &str) -> Vec<(BlockKind, String, u32)> {
        parts(html)
            .into_iter()
            .map(|p| (p.kind, p.text, p.line))
            .collect()
    }

    #[test]
    fn tables_give_rows_and_the_first_row_is_the_header() {
        let html = "<table>\n<thead><tr><th><p>Component</p></th><th><p>Minimum</p></th></tr></thead>\n\
                    <tbody>\n<tr>\n<td><p>Contoso Server</p></td>\n<td><p>2012 R2 &amp; later</p><p>(64-bit)</p></td>\n</tr>\n\
                    <tr><td>Fabrikam<br/>Agent</td><td><code>x = 1.2</code> 2.0 or later</td></tr>\n</tbody></table>";
        assert_eq!(
            read(html),
            [
                (
                    BlockKind::TableRow { header: true },
                    "Component | Minimum".to_string(),
                    1
                ),
                (
                    BlockKind::TableRow { header: false },
                    "Contoso Server | 2012 R2 & later (64-bit)".to_string(),
                    3
                ),
                (
                    BlockKind::TableRow { header: false },
                    "Fabrikam Agent | 2.0 or later".to_string(),
                    7
                ),
            ]
        );
    }

    #[test]
    fn a_row_written_over_lines_knows_where_each_cell_is() {
        let html = "<table>\n<tr><th>A</th><th>B</th></tr>\n<tr>\n<td>Contoso Server</td>\n<td><p>2012 R2</p>\n<p>or later</p></td>\n</tr>\n</table>";
        let row = &parts(html)[1];
        assert_eq!(row.text, "Contoso Server | 2012 R2 or later");
        assert_eq!(row.line, 2);
        assert_eq!(row.line_starts, [(0, 3), (17, 4), (25, 5)]);
    }

    #[test]
    fn paragraphs_and_list_items_stay_apart() {
        let html = "<p>Requires <strong>Contoso 2.0</strong> or later.</p>\n<ul>\n<li>Item one</li>\n\
                    <li><p>Item</p><p>two</p><ul><li>nested</li></ul></li>\n</ul>\n<pre>version 9.9</pre>\
                    <script>var v = '1.0';</script><div>Loose text</div>";
        assert_eq!(
            read(html),
            [
                (
                    BlockKind::Paragraph,
                    "Requires Contoso 2.0 or later.".to_string(),
                    0
                ),
                (BlockKind::ListItem, "Item one".to_string(), 2),
                (BlockKind::ListItem, "Item two".to_string(), 3),
                (BlockKind::ListItem, "nested".to_string(), 3),
                (BlockKind::Paragraph, "Loose text".to_string(), 5),
            ]
        );
        let depths: Vec<u16> = parts(html).iter().map(|p| p.depth).collect();
        assert_eq!(depths, [0, 1, 1, 2, 0]);
    }

    #[test]
    fn nested_tables_are_text_of_their_cell_and_broken_html_is_read_anyway() {
        let html = "<table><tr><td>Outer</td><td><table><tr><td>inner 1.0</td></tr></table></td></tr>\
                    <tr><td>Second<td>row";
        assert_eq!(
            read(html),
            [
                (
                    BlockKind::TableRow { header: true },
                    "Outer | inner 1.0".to_string(),
                    0
                ),
                (
                    BlockKind::TableRow { header: false },
                    "Second | row".to_string(),
                    0
                ),
            ]
        );
        assert!(parts("<!-- a comment --><a name=\"x\"></a>").is_empty());
        assert!(parts("").is_empty());
    }
}
