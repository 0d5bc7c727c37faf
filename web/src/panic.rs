//! Issue 12 item 2: a panic shows an error page, not a dead tab.
//!
//! The console builds with `panic = "abort"` (and wasm32 aborts anyway): after a panic the wasm
//! instance has trapped and nothing of the Yew tree can run again. The panic hook runs before
//! the abort, so it replaces the page's `<body>` with a page written in plain DOM text: what
//! went wrong, the command line that was running (the run queue keeps it in
//! [`queue::current_line`](crate::engine::current_line)), and a "Reload" button that works
//! without wasm (a form that reloads the page: the policy allows no inline script, and the wasm
//! cannot answer a click any more). The old `<body>` is replaced whole, so Yew's listeners on it
//! go with it.

use crate::engine::CurrentLine;
use crate::i18n::{Lang, Tr};
use std::sync::atomic::{AtomicBool, Ordering};
use wasm_bindgen::JsValue;

crate::texts! {
    pub enum T {
        Title => ("The console stopped", "控制台已停止运行"),
        Body => (
            "Snaplab hit an internal error and cannot go on in this tab. Every command that committed is stored in the browser: reload the page to continue from there.",
            "Snaplab 遇到内部错误，无法在此标签页中继续运行。所有已提交的命令都保存在浏览器中：请重新加载页面，从那里继续。"
        ),
        Command => ("Command that was running:", "正在运行的命令："),
        LastCommand => ("Last command run (the error came after it):", "最后运行的命令（错误发生在它之后）："),
        NoCommand => ("(no command was running)", "（当时没有正在运行的命令）"),
        Message => ("Error:", "错误："),
        Reload => ("Reload", "重新加载"),
    }
}

/// The first panic is the one shown: later ones come from a trapped instance.
static SHOWN: AtomicBool = AtomicBool::new(false);

/// What the error page says, in `lang`: (title, body, the command's label, the command,
/// the message's label, the message, the button).
pub fn page_text(lang: Lang, message: &str, line: &CurrentLine) -> [String; 7] {
    let (label, line) = match line {
        CurrentLine::Running(l) => (T::Command, l.clone()),
        CurrentLine::Last(l) => (T::LastCommand, l.clone()),
        CurrentLine::None => (T::Command, T::NoCommand.get(lang).to_string()),
    };
    [
        T::Title.get(lang).to_string(),
        T::Body.get(lang).to_string(),
        label.get(lang).to_string(),
        line,
        T::Message.get(lang).to_string(),
        message.to_string(),
        T::Reload.get(lang).to_string(),
    ]
}

/// The panic's message and where it happened.
fn message(info: &std::panic::PanicHookInfo<'_>) -> String {
    let payload = info.payload();
    let text = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".to_string());
    match info.location() {
        Some(l) => format!("{text} ({}:{})", l.file(), l.line()),
        None => text,
    }
}

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = console, js_name = error)]
    fn console_error(s: &str);
}

/// Installs the hook. Call first thing in `main`: through Yew, which otherwise installs its
/// own (`console_error_panic_hook`) when the app starts rendering.
pub fn install() {
    yew::set_custom_panic_hook(Box::new(|info| {
        let message = message(info);
        console_error(&format!("snaplab panicked: {message}"));
        if SHOWN.swap(true, Ordering::SeqCst) {
            return;
        }
        let line = crate::engine::current_line();
        let _ = show(&message, &line);
    }));
}

/// Replaces the `<body>` with the error page. Text only: the message and the line go in as
/// text nodes, never as markup.
fn show(message: &str, line: &CurrentLine) -> Option<()> {
    let document = web_sys::window()?.document()?;
    let root = document.document_element()?;
    let lang = Lang::from_tag(&root.get_attribute("lang").unwrap_or_default());
    let [title, body, command, line, label, message, reload] = page_text(lang, message, line);
    let el = |tag: &str, class: &str, text: Option<&str>| -> Option<web_sys::Element> {
        let e = document.create_element(tag).ok()?;
        if !class.is_empty() {
            e.set_class_name(class);
        }
        if let Some(t) = text {
            e.set_text_content(Some(t));
        }
        Some(e)
    };
    let page = el("main", "panic-page", None)?;
    page.set_attribute("role", "alert").ok()?;
    for (tag, class, text) in [
        ("h1", "", &title),
        ("p", "", &body),
        ("p", "", &command),
        ("pre", "panic-line", &line),
        ("p", "", &label),
        ("pre", "panic-message", &message),
    ] {
        let child = el(tag, class, Some(text))?;
        page.append_child(&child).ok()?;
    }
    // A GET form to this page reloads it with no wasm and no script (the CSP allows none inline).
    let form = el("form", "", None)?;
    form.set_attribute("method", "get").ok()?;
    let path = js_sys::Reflect::get(&JsValue::from(web_sys::window()?), &"location".into())
        .and_then(|l| js_sys::Reflect::get(&l, &"pathname".into()))
        .ok()
        .and_then(|p| p.as_string())
        .unwrap_or_else(|| "/".to_string());
    form.set_attribute("action", &path).ok()?;
    let button = el("button", "btn primary", Some(&reload))?;
    button.set_attribute("type", "submit").ok()?;
    let _ = form.append_child(&button).ok()?;
    let _ = page.append_child(&form).ok()?;
    let new_body = el("body", "", None)?;
    let _ = new_body.append_child(&page).ok()?;
    let old = document.body()?;
    root.replace_child(&new_body, &old).ok()?;
    document.set_title(&title);
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 12 item 2: the error page is translated, and shows the line and the message.
    #[test]
    fn issue12_panic_page_is_translated_and_names_the_command() {
        let line = CurrentLine::Running("snaplab world import --File w.json".into());
        let en = page_text(Lang::En, "boom", &line);
        let zh = page_text(Lang::Zh, "boom", &line);
        assert_eq!(en[3], "snaplab world import --File w.json");
        assert_eq!(en[5], "boom");
        assert_eq!((zh[3].as_str(), zh[5].as_str()), (en[3].as_str(), "boom"));
        for i in [0, 1, 2, 4, 6] {
            assert_ne!(en[i], zh[i], "text {i} is translated");
        }
        assert_eq!(en[6], "Reload");
        assert_eq!(
            page_text(Lang::En, "x", &CurrentLine::None)[3],
            "(no command was running)"
        );
        let last = page_text(Lang::Zh, "x", &CurrentLine::Last("aliyun ecs DescribeDisks".into()));
        assert_eq!(
            (last[2].as_str(), last[3].as_str()),
            ("最后运行的命令（错误发生在它之后）：", "aliyun ecs DescribeDisks")
        );
    }
}
