//! The in-page terminal (SPEC §18): takes `aliyun ecs …` and `snaplab …` lines, keeps a
//! history (up/down), prints the reply's JSON, the `--output` table, or the error as the
//! aliyun CLI does. It also shows the command log: every action done with the mouse, with its
//! equivalent command line.

use crate::engine::{use_engine, Source};
use crate::state::use_console;
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
    // Position in the history while browsing with up/down (None: a new line).
    let cursor = use_state(|| None::<usize>);
    let out = use_node_ref();
    let log_len = engine.state.log_len;
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
                <button type="button" class="btn small" onclick={{ let e = engine.clone(); Callback::from(move |_| e.clear_log()) }}>
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
        let (input, cursor, engine) = (input.clone(), cursor.clone(), engine.clone());
        Callback::from(move |e: KeyboardEvent| {
            let history = engine.history();
            match e.key().as_str() {
                "Enter" => {
                    e.prevent_default();
                    let line = (*input).trim().to_string();
                    input.set(String::new());
                    cursor.set(None);
                    if line.is_empty() {
                        return;
                    }
                    engine.push_history(&line);
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
    let entries = engine.log();
    html! {
        <section class="terminal" aria-label={console.t(T::Terminal)}>
            { head }
            <div class="terminal-out" role="log" aria-label={console.t(T::Output)} ref={out}>
                { for entries.iter().map(|e| html! {
                    <div key={e.seq} class={classes!("entry", e.is_error.then_some("error"), (e.source == Source::Console).then_some("from-console"))}>
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
