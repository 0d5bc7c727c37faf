//! The in-page terminal (SPEC §18): takes `aliyun ecs …` and `snaplab …` lines, keeps a
//! history (up/down), prints the reply's JSON, the `--output` table, or the error as the
//! aliyun CLI does. It also shows the command log: every action done with the mouse, with its
//! equivalent command line.
//!
//! The printed output survives a reload: the last [`SCROLLBACK_LIMIT`] entries are kept in the
//! browser's `localStorage` (beside the typed history and the language) and shown again, above
//! a divider, when the page opens. A successful `snaplab world reset` — the toolbar's "Reset
//! world" or a typed line; its reply says so ([`Replaced::Reset`]) — clears it: the entries
//! before the reset are dropped, on screen and in storage. The typed lines' history is kept in
//! `localStorage` too (the last [`HISTORY_LIMIT`]). Why not the engine's IndexedDB: the scrollback is the page's, not the world's
//! (an exported world must not carry it), `localStorage` is read synchronously so the output is
//! back on the first paint, and the engine's stores and schema stay the engine's.

use crate::engine::{use_engine, LogEntry, Source};
use crate::state::use_console;
use serde_json::{json, Value};
use snaplab_engine::session::Replaced;
use std::cell::RefCell;
use std::rc::Rc;
use web_sys::{HtmlElement, HtmlInputElement, KeyboardEvent};
use yew::prelude::*;

crate::texts! {
    pub enum T {
        Terminal => ("Terminal", "终端"),
        Output => ("Terminal output", "终端输出"),
        FromConsole => ("console action — equivalent command line", "控制台操作 — 等效命令行"),
        Hint => (
            "Type aliyun ecs … or snaplab … and press Enter; ↑/↓ for history.",
            "输入 aliyun ecs … 或 snaplab … 后按回车；↑/↓ 浏览历史。"
        ),
        Clear => ("Clear", "清屏"),
        Show => ("Show terminal", "显示终端"),
        Hide => ("Hide terminal", "隐藏终端"),
        Restored => ("↑ output from before the page was reloaded", "↑ 页面重新加载之前的输出"),
        CutWhenSaved => ("characters in all; cut when kept for the next visit", "个字符，保存时已截断"),
    }
}

/// The scrollback kept across reloads.
const SCROLLBACK_KEY: &str = "snaplab.scrollback";
/// The most entries kept.
pub const SCROLLBACK_LIMIT: usize = 200;
/// Longer outputs are cut when kept (an export is megabytes of JSON).
const KEPT_OUTPUT_LIMIT: usize = 4_000;
/// The most characters kept in all (localStorage holds about 5 MB per site).
const KEPT_BUDGET: usize = 600_000;

/// One entry of the scrollback as kept in the browser.
#[derive(Clone, Debug, PartialEq)]
pub struct Kept {
    pub console: bool,
    pub line: String,
    pub error: bool,
    pub output: String,
    /// The output's length when it was cut to keep it.
    pub cut: Option<usize>,
}

impl Kept {
    fn of(e: &LogEntry) -> Kept {
        let total = e.output.chars().count();
        let (output, cut) = if total > KEPT_OUTPUT_LIMIT {
            (e.output.chars().take(KEPT_OUTPUT_LIMIT).collect(), Some(total))
        } else {
            (e.output.clone(), None)
        };
        Kept {
            console: e.source == Source::Console,
            line: e.line.clone(),
            error: e.is_error,
            output,
            cut,
        }
    }

    fn to_json(&self) -> Value {
        json!({ "console": self.console, "line": self.line, "error": self.error, "output": self.output, "cut": self.cut })
    }

    /// An entry read back; anything malformed is skipped.
    fn from_json(v: &Value) -> Option<Kept> {
        Some(Kept {
            console: v.get("console")?.as_bool()?,
            line: v.get("line")?.as_str()?.to_string(),
            error: v.get("error")?.as_bool()?,
            output: v.get("output")?.as_str()?.to_string(),
            cut: v.get("cut").and_then(Value::as_u64).map(|n| n as usize),
        })
    }

    fn size(&self) -> usize {
        self.line.len() + self.output.len() + 64
    }
}

/// The scrollback's entries as stored text: the last [`SCROLLBACK_LIMIT`], at most
/// [`KEPT_BUDGET`] bytes, oldest first.
pub fn encode_scrollback(entries: &[Kept]) -> String {
    let mut from = entries.len().saturating_sub(SCROLLBACK_LIMIT);
    let mut size: usize = entries[from..].iter().map(Kept::size).sum();
    while size > KEPT_BUDGET && from < entries.len() {
        size -= entries[from].size();
        from += 1;
    }
    Value::Array(entries[from..].iter().map(Kept::to_json).collect()).to_string()
}

/// The kept entries in `text` (none when it is not a scrollback).
pub fn decode_scrollback(text: &str) -> Vec<Kept> {
    let Ok(Value::Array(items)) = serde_json::from_str::<Value>(text) else {
        return Vec::new();
    };
    let kept: Vec<Kept> = items.iter().filter_map(Kept::from_json).collect();
    let from = kept.len().saturating_sub(SCROLLBACK_LIMIT);
    kept[from..].to_vec()
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

fn load_scrollback() -> Vec<Kept> {
    storage()
        .and_then(|s| s.get_item(SCROLLBACK_KEY).ok().flatten())
        .map(|t| decode_scrollback(&t))
        .unwrap_or_default()
}

fn save_scrollback(entries: &[Kept]) {
    let Some(s) = storage() else { return };
    // A full storage keeps the newer half, then nothing.
    let mut from = 0;
    loop {
        if s.set_item(SCROLLBACK_KEY, &encode_scrollback(&entries[from..])).is_ok() || from == entries.len() {
            return;
        }
        from += (entries.len() - from).div_ceil(2);
    }
}

/// The terminal's history of typed lines, kept in the browser across reloads.
const HISTORY_KEY: &str = "snaplab.history";
/// The most typed lines the history keeps.
pub const HISTORY_LIMIT: usize = 200;

fn load_history() -> Vec<String> {
    storage()
        .and_then(|s| s.get_item(HISTORY_KEY).ok().flatten())
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

fn save_history(lines: &[String]) {
    if let Some(s) = storage() {
        let _ = s.set_item(HISTORY_KEY, &serde_json::to_string(lines).unwrap_or_default());
    }
}

/// Adds a typed line to the history (not twice in a row), keeping the last [`HISTORY_LIMIT`];
/// whether it was added.
fn push_history(history: &mut Vec<String>, line: &str) -> bool {
    if history.last().map(String::as_str) == Some(line) {
        return false;
    }
    history.push(line.to_string());
    let extra = history.len().saturating_sub(HISTORY_LIMIT);
    history.drain(..extra);
    true
}

/// What the terminal shows and keeps: the entries restored from the last visit and, of the live
/// log, those from `since` on (the last world reset).
struct Scrollback {
    restored: Vec<Kept>,
    since: u64,
    seen: u64,
}

impl Scrollback {
    /// Takes in the log's new entries: a successful world reset drops everything before it.
    fn follow(&mut self, log: &[Rc<LogEntry>]) {
        for e in log.iter().filter(|e| e.seq > self.seen) {
            if !e.is_error && e.replaced == Some(Replaced::Reset) {
                self.restored.clear();
                self.since = e.seq;
            }
        }
        if let Some(last) = log.last() {
            self.seen = self.seen.max(last.seq);
        }
    }

    fn live<'a>(&self, log: &'a [Rc<LogEntry>]) -> impl Iterator<Item = &'a Rc<LogEntry>> + 'a {
        let since = self.since;
        log.iter().filter(move |e| e.seq >= since)
    }
}

const OPEN_KEY: &str = "snaplab.terminal";

fn load_open() -> bool {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .and_then(|s| s.get_item(OPEN_KEY).ok().flatten())
        .is_none_or(|v| v != "closed")
}

fn save_open(open: bool) {
    if let Some(s) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = s.set_item(OPEN_KEY, if open { "open" } else { "closed" });
    }
}

#[function_component(Terminal)]
pub fn terminal() -> Html {
    let console = use_console();
    let engine = use_engine();
    let open = use_state(load_open);
    let input = use_state(String::new);
    // The typed lines (oldest first), and the position in them while browsing with up/down
    // (None: a new line).
    let history = use_mut_ref(load_history);
    let cursor = use_state(|| None::<usize>);
    let out = use_node_ref();
    let log_len = engine.state.log_len;
    let scrollback = use_mut_ref(|| Scrollback {
        restored: load_scrollback(),
        since: 0,
        seen: 0,
    });
    let log = engine.log();
    scrollback.borrow_mut().follow(&log);
    // Keep what is shown whenever it changes (the terminal folded away included) — not at
    // every clock tick, which moves `log_len` too.
    {
        let (scrollback, engine) = (scrollback.clone(), engine.clone());
        let shown = {
            let sb = scrollback.borrow();
            (log.last().map(|e| e.seq), log.len(), sb.restored.len(), sb.since)
        };
        use_effect_with(shown, move |_| {
            let log = engine.log();
            let sb: &RefCell<Scrollback> = &scrollback;
            let sb = sb.borrow();
            let kept: Vec<Kept> = sb
                .restored
                .iter()
                .cloned()
                .chain(sb.live(&log).map(|e| Kept::of(e)))
                .collect();
            save_scrollback(&kept);
            || ()
        });
    }
    {
        let out = out.clone();
        use_effect_with((log_len, *open), move |_| {
            if let Some(el) = out.cast::<HtmlElement>() {
                el.set_scroll_top(el.scroll_height());
            }
            || ()
        });
    }
    let toggle = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| {
            save_open(!*open);
            open.set(!*open);
        })
    };
    let head = html! {
        <div class="terminal-head">
            <h2 class="terminal-title">{ console.t(T::Terminal) }</h2>
            <span class="muted small">{ console.t(T::Hint) }</span>
            <span class="spacer"></span>
            if *open {
                <button type="button" class="btn small" onclick={{
                    let (e, sb) = (engine.clone(), scrollback.clone());
                    Callback::from(move |_| {
                        sb.borrow_mut().restored.clear();
                        e.clear_log();
                    })
                }}>
                    { console.t(T::Clear) }
                </button>
            }
            <button type="button" class="btn small" aria-expanded={open.to_string()} onclick={toggle}>
                { console.t(if *open { T::Hide } else { T::Show }) }
            </button>
        </div>
    };
    if !*open {
        return html! { <section class="terminal closed" aria-label={console.t(T::Terminal)}>{ head }</section> };
    }
    let oninput = {
        let input = input.clone();
        Callback::from(move |e: InputEvent| input.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let onkeydown = {
        let (input, cursor, engine, typed) = (input.clone(), cursor.clone(), engine.clone(), history.clone());
        Callback::from(move |e: KeyboardEvent| {
            let history = typed.borrow().clone();
            match e.key().as_str() {
                "Enter" => {
                    e.prevent_default();
                    let line = (*input).trim().to_string();
                    input.set(String::new());
                    cursor.set(None);
                    if line.is_empty() {
                        return;
                    }
                    let mut typed = typed.borrow_mut();
                    if push_history(&mut typed, &line) {
                        save_history(&typed);
                    }
                    let run = engine.run_as(&line, &line, Source::Terminal);
                    wasm_bindgen_futures::spawn_local(async move {
                        let _ = run.await;
                    });
                }
                "ArrowUp" if !history.is_empty() => {
                    e.prevent_default();
                    let at = match *cursor {
                        None => history.len() - 1,
                        Some(i) => i.saturating_sub(1),
                    };
                    cursor.set(Some(at));
                    input.set(history[at].clone());
                }
                "ArrowDown" => {
                    e.prevent_default();
                    match *cursor {
                        Some(i) if i + 1 < history.len() => {
                            cursor.set(Some(i + 1));
                            input.set(history[i + 1].clone());
                        }
                        _ => {
                            cursor.set(None);
                            input.set(String::new());
                        }
                    }
                }
                _ => {}
            }
        })
    };
    let sb = scrollback.borrow();
    let restored = sb.restored.iter().enumerate().map(|(i, k)| {
        html! {
            <div key={format!("r{i}")} class={classes!("entry", "restored", k.error.then_some("error"), k.console.then_some("from-console"))}>
                if k.console {
                    <div class="entry-source">{ format!("# {}", console.t(T::FromConsole)) }</div>
                }
                <div class="entry-line"><span class="prompt">{ "$ " }</span>{ k.line.clone() }</div>
                if !k.output.is_empty() {
                    <pre class="entry-output">
                        { k.output.clone() }
                        if let Some(n) = k.cut { { format!("\n… ({n} {})", console.t(T::CutWhenSaved)) } }
                    </pre>
                }
            </div>
        }
    });
    let divider = (!sb.restored.is_empty()).then(|| {
        html! { <div key="restored" class="entry-divider" role="separator">{ console.t(T::Restored) }</div> }
    });
    html! {
        <section class="terminal" aria-label={console.t(T::Terminal)}>
            { head }
            <div class="terminal-out" role="log" aria-label={console.t(T::Output)} ref={out}>
                { for restored }
                { for divider }
                { for sb.live(&log).map(|e| html! {
                    <div key={e.seq} data-seq={e.seq.to_string()} class={classes!("entry", e.is_error.then_some("error"), (e.source == Source::Console).then_some("from-console"))}>
                        if e.source == Source::Console {
                            <div class="entry-source">{ format!("# {}", console.t(T::FromConsole)) }</div>
                        }
                        <div class="entry-line"><span class="prompt">{ "$ " }</span>{ e.line.clone() }</div>
                        if !e.output.is_empty() { <pre class="entry-output">{ e.output.clone() }</pre> }
                    </div>
                }) }
            </div>
            <div class="terminal-in">
                <span class="prompt" aria-hidden="true">{ "$" }</span>
                <input type="text" aria-label={console.t(T::Terminal)} value={(*input).clone()} {oninput} {onkeydown}
                    spellcheck="false" autocomplete="off" autocapitalize="off" />
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(seq: u64, line: &str, is_error: bool, output: &str) -> Rc<LogEntry> {
        Rc::new(LogEntry {
            seq,
            source: Source::Terminal,
            line: line.into(),
            is_error,
            output: output.into(),
            replaced: None,
        })
    }

    /// The log entry of a `snaplab world reset` that its reply says replaced the world.
    fn reset(seq: u64, line: &str) -> Rc<LogEntry> {
        let mut e = (*entry(seq, line, false, "{}")).clone();
        e.replaced = Some(Replaced::Reset);
        Rc::new(e)
    }

    #[test]
    fn the_scrollback_round_trips_bounded() {
        let many: Vec<Kept> = (0..SCROLLBACK_LIMIT + 5)
            .map(|i| Kept::of(&entry(i as u64, &format!("snaplab clock show #{i}"), i % 2 == 0, "{}")))
            .collect();
        let back = decode_scrollback(&encode_scrollback(&many));
        assert_eq!(back.len(), SCROLLBACK_LIMIT);
        assert_eq!(back[0], many[5]);
        assert_eq!(back.last(), many.last());
        // A huge output is cut, and says how long it was.
        let big = Kept::of(&entry(1, "snaplab world export", false, &"x".repeat(50_000)));
        assert_eq!((big.output.len(), big.cut), (KEPT_OUTPUT_LIMIT, Some(50_000)));
        // Anything that is not a scrollback reads as empty; malformed entries are skipped.
        assert!(decode_scrollback("nonsense").is_empty());
        assert!(decode_scrollback("{\"a\":1}").is_empty());
        let mixed = r#"[{"console":false,"line":"x","error":false,"output":""},{"line":3},null]"#;
        assert_eq!(decode_scrollback(mixed).len(), 1);
    }

    #[test]
    fn a_world_reset_drops_what_came_before() {
        // Which lines replace the world is the engine's to say (`engine/tests/session_reply.rs`).
        let mut sb = Scrollback {
            restored: vec![Kept::of(&entry(1, "old", false, ""))],
            since: 0,
            seen: 0,
        };
        let log = vec![
            entry(1, "snaplab clock show", false, ""),
            entry(2, "snaplab world reset --Seed 'x'", true, "ERROR"),
        ];
        sb.follow(&log);
        assert_eq!(
            (sb.restored.len(), sb.live(&log).count()),
            (1, 2),
            "a refused reset changes nothing"
        );
        // An import replaces the world too, but keeps the terminal's output.
        let mut import = (*entry(3, "snaplab world import --Json \"$(cat w.json)\"", false, "{}")).clone();
        import.replaced = Some(Replaced::Import);
        let log = [log, vec![Rc::new(import)]].concat();
        sb.follow(&log);
        assert_eq!((sb.restored.len(), sb.live(&log).count()), (1, 3));
        let log = [
            log,
            vec![
                reset(4, "snaplab world reset"),
                entry(5, "snaplab clock show", false, ""),
            ],
        ]
        .concat();
        sb.follow(&log);
        assert!(sb.restored.is_empty());
        assert_eq!(sb.live(&log).map(|e| e.seq).collect::<Vec<_>>(), vec![4, 5]);
    }

    #[test]
    fn the_history_skips_repeats_and_keeps_the_last_lines() {
        let mut h = Vec::new();
        assert!(push_history(&mut h, "snaplab world show"));
        assert!(!push_history(&mut h, "snaplab world show"), "not twice in a row");
        assert!(push_history(&mut h, "snaplab clock show"));
        assert!(push_history(&mut h, "snaplab world show"));
        for i in 0..HISTORY_LIMIT {
            push_history(&mut h, &format!("snaplab clock advance --Seconds {i}"));
        }
        assert_eq!(h.len(), HISTORY_LIMIT);
        assert_eq!(h[0], "snaplab clock advance --Seconds 0");
    }
}
