//! Shared building blocks: modal dialog, action dialog (dry-run before confirm), data table,
//! error banner, buttons that say why they are disabled, form fields.

use crate::engine::{answer, use_dry_run, use_engine, Check, EcsErr};
use crate::state::use_console;
use serde_json::Value;
use std::cell::Cell;
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, HtmlInputElement, HtmlSelectElement, KeyboardEvent};
use yew::prelude::*;

crate::texts! {
    pub enum T {
        Cancel => ("Cancel", "取消"),
        Close => ("Close", "关闭"),
        Checking => ("Checking with the service…", "正在校验…"),
        Running => ("Running…", "执行中…"),
        Equivalent => ("Equivalent command line", "等效命令行"),
        Loading => ("Loading…", "加载中…"),
        Refused => ("The service refuses this operation", "服务拒绝了此操作"),
        Failed => ("The operation failed", "操作失败"),
    }
}

thread_local! {
    static NEXT_ID: Cell<u64> = const { Cell::new(0) };
}

/// A document-unique element id (`prefix-N`).
pub fn unique_id(prefix: &str) -> String {
    NEXT_ID.with(|n| {
        n.set(n.get() + 1);
        format!("{prefix}-{}", n.get())
    })
}

#[hook]
pub fn use_id(prefix: &'static str) -> String {
    (*use_memo((), move |_| unique_id(prefix))).clone()
}

#[derive(Properties, PartialEq)]
pub struct ModalProps {
    pub title: AttrValue,
    pub on_close: Callback<()>,
    #[prop_or_default]
    pub children: Children,
    #[prop_or_default]
    pub footer: Html,
    #[prop_or_default]
    pub wide: bool,
}

/// A modal dialog: `role=dialog`, labelled by its title; focus moves into it when it opens
/// and back when it closes; Escape closes it.
#[function_component(Modal)]
pub fn modal(props: &ModalProps) -> Html {
    let console = use_console();
    let title_id = use_id("dialog-title");
    let node = use_node_ref();
    {
        let node = node.clone();
        use_effect_with((), move |_| {
            let doc = web_sys::window().and_then(|w| w.document());
            let before = doc
                .as_ref()
                .and_then(|d| d.active_element())
                .and_then(|e| e.dyn_into::<HtmlElement>().ok());
            if let Some(root) = node.cast::<HtmlElement>() {
                let first = root
                    .query_selector(
                        "input:not([disabled]), select:not([disabled]), textarea, button.primary:not([disabled])",
                    )
                    .ok()
                    .flatten()
                    .and_then(|e| e.dyn_into::<HtmlElement>().ok());
                match first {
                    Some(el) => {
                        let _ = el.focus();
                    }
                    None => {
                        let _ = root.focus();
                    }
                }
            }
            move || {
                if let Some(el) = before {
                    if el.is_connected() {
                        let _ = el.focus();
                    }
                }
            }
        });
    }
    let onkeydown = {
        let close = props.on_close.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                e.stop_propagation();
                close.emit(());
            }
        })
    };
    let close = props.on_close.reform(|_: MouseEvent| ());
    html! {
        <div class="modal-backdrop">
            <div class={classes!("modal", props.wide.then_some("wide"))} role="dialog" aria-modal="true"
                aria-labelledby={title_id.clone()} tabindex="-1" ref={node} {onkeydown}>
                <header class="modal-head">
                    <h2 id={title_id}>{ props.title.clone() }</h2>
                    <button type="button" class="icon" aria-label={console.t(T::Close)} onclick={close}>{ "×" }</button>
                </header>
                <div class="modal-body">{ props.children.clone() }</div>
                <footer class="modal-foot">{ props.footer.clone() }</footer>
            </div>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct ErrorBannerProps {
    pub err: EcsErr,
    #[prop_or_default]
    pub title: Option<AttrValue>,
}

/// An ECS error: its `Code` and `Message` (and RequestId), announced as an alert.
#[function_component(ErrorBanner)]
pub fn error_banner(props: &ErrorBannerProps) -> Html {
    let e = &props.err;
    html! {
        <div class="error-banner" role="alert">
            if let Some(t) = &props.title { <div class="error-title">{ t.clone() }</div> }
            <div><code class="error-code">{ e.code.clone() }</code></div>
            <div class="error-message">{ e.message.clone() }</div>
            if !e.request_id.is_empty() {
                <div class="muted small">{ format!("RequestId: {}", e.request_id) }</div>
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct BtnProps {
    pub label: AttrValue,
    #[prop_or_default]
    pub onclick: Callback<MouseEvent>,
    /// Why the button is disabled; `None` enables it.
    #[prop_or_default]
    pub disabled: Option<AttrValue>,
    #[prop_or_default]
    pub primary: bool,
    #[prop_or_default]
    pub danger: bool,
    #[prop_or_default]
    pub small: bool,
}

/// A button; when disabled it says why (title and `aria-describedby`).
#[function_component(Btn)]
pub fn btn(props: &BtnProps) -> Html {
    let reason_id = use_id("why");
    let class = classes!(
        "btn",
        props.primary.then_some("primary"),
        props.danger.then_some("danger"),
        props.small.then_some("small")
    );
    match &props.disabled {
        None => html! {
            <button type="button" {class} onclick={props.onclick.clone()}>{ props.label.clone() }</button>
        },
        Some(why) => html! {
            <>
                <button type="button" {class} disabled=true title={why.clone()} aria-describedby={reason_id.clone()}>
                    { props.label.clone() }
                </button>
                <span id={reason_id} class="sr-only">{ why.clone() }</span>
            </>
        },
    }
}

#[derive(Properties, PartialEq)]
pub struct ActionDialogProps {
    pub title: AttrValue,
    /// The command the dialog runs, once its fields are complete.
    pub line: Option<String>,
    /// The line as logged and shown, when it differs from `line` (a world import).
    #[prop_or_default]
    pub display: Option<String>,
    /// Why there is no line yet (a field is missing).
    #[prop_or_default]
    pub incomplete: Option<AttrValue>,
    pub confirm: AttrValue,
    #[prop_or_default]
    pub danger: bool,
    /// An irreversible-operation warning, shown above the fields.
    #[prop_or_default]
    pub warning: Option<Html>,
    #[prop_or_default]
    pub children: Children,
    pub on_close: Callback<()>,
    /// Called with the reply after the command succeeded (the dialog then closes).
    #[prop_or_default]
    pub on_done: Callback<Value>,
    #[prop_or_default]
    pub wide: bool,
}

/// A dialog that runs one command. The engine checks the command (`--DryRun true`) while the
/// user fills the fields: the confirm button stays disabled, with the engine's reason, until
/// the service would accept it; the command line it will run is shown.
#[function_component(ActionDialog)]
pub fn action_dialog(props: &ActionDialogProps) -> Html {
    let console = use_console();
    let engine = use_engine();
    let check = use_dry_run(props.line.clone());
    let busy = use_state(|| false);
    let failed = use_state(|| None::<EcsErr>);
    let reason: Option<AttrValue> = if *busy {
        Some(console.t(T::Running).into())
    } else {
        match &check {
            Check::Idle => Some(
                props
                    .incomplete
                    .clone()
                    .unwrap_or_else(|| console.t(T::Checking).into()),
            ),
            Check::Checking => Some(console.t(T::Checking).into()),
            Check::Refused(e) => Some(format!("{}: {}", e.code, e.message).into()),
            Check::Passed => None,
        }
    };
    let onconfirm = {
        let line = props.line.clone();
        let display = props.display.clone();
        let busy = busy.clone();
        let failed = failed.clone();
        let done = props.on_done.clone();
        let close = props.on_close.clone();
        Callback::from(move |_: MouseEvent| {
            let Some(line) = line.clone() else { return };
            busy.set(true);
            failed.set(None);
            let shown = display.clone().unwrap_or_else(|| line.clone());
            let reply = engine.run_as(&line, &shown, crate::engine::Source::Console);
            let (busy, failed, done, close) = (busy.clone(), failed.clone(), done.clone(), close.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match answer(reply.await) {
                    Ok(v) => {
                        done.emit(v);
                        close.emit(());
                    }
                    Err(e) => {
                        failed.set(Some(e));
                        busy.set(false);
                    }
                }
            });
        })
    };
    let footer = html! {
        <>
            <Btn label={props.confirm.clone()} primary={!props.danger} danger={props.danger}
                disabled={reason.clone()} onclick={onconfirm} />
            <Btn label={console.t(T::Cancel)} onclick={props.on_close.reform(|_| ())} />
        </>
    };
    html! {
        <Modal title={props.title.clone()} on_close={props.on_close.clone()} {footer} wide={props.wide}>
            if let Some(w) = &props.warning {
                <div class="warning" role="note">{ w.clone() }</div>
            }
            <div class="form">{ props.children.clone() }</div>
            if let Check::Refused(e) = &check {
                <ErrorBanner err={e.clone()} title={AttrValue::from(console.t(T::Refused))} />
            }
            if let Some(e) = &*failed {
                <ErrorBanner err={e.clone()} title={AttrValue::from(console.t(T::Failed))} />
            }
            if let Some(line) = props.display.as_ref().or(props.line.as_ref()) {
                <div class="equivalent">
                    <span class="muted small">{ console.t(T::Equivalent) }</span>
                    <code class="cmdline">{ line.clone() }</code>
                </div>
            }
        </Modal>
    }
}

#[derive(Properties, PartialEq)]
pub struct TableProps {
    pub label: AttrValue,
    pub headers: Vec<AttrValue>,
    /// (key, cells).
    pub rows: Vec<(String, Vec<Html>)>,
    pub empty: AttrValue,
    #[prop_or_default]
    pub loading: bool,
}

/// A data table with a caption for assistive technology and an empty state.
#[function_component(DataTable)]
pub fn data_table(props: &TableProps) -> Html {
    let console = use_console();
    html! {
        <div class="table-wrap">
            <table class="data" aria-label={props.label.clone()}>
                <thead><tr>{ for props.headers.iter().map(|h| html! { <th scope="col">{ h.clone() }</th> }) }</tr></thead>
                <tbody>
                    { for props.rows.iter().map(|(key, cells)| html! {
                        <tr key={key.clone()}>{ for cells.iter().map(|c| html! { <td>{ c.clone() }</td> }) }</tr>
                    }) }
                </tbody>
            </table>
            if props.rows.is_empty() {
                <div class="empty" role="status">
                    <p>{ if props.loading { console.t(T::Loading).to_string() } else { props.empty.to_string() } }</p>
                    <p class="muted"><code>{ console.region }</code></p>
                </div>
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct TextFieldProps {
    pub label: AttrValue,
    pub value: AttrValue,
    pub oninput: Callback<String>,
    #[prop_or_default]
    pub number: bool,
    #[prop_or_default]
    pub placeholder: AttrValue,
    #[prop_or_default]
    pub hint: Option<AttrValue>,
}

#[function_component(TextField)]
pub fn text_field(props: &TextFieldProps) -> Html {
    let oninput = props
        .oninput
        .reform(|e: InputEvent| e.target_unchecked_into::<HtmlInputElement>().value());
    html! {
        <label class="field">
            <span class="field-label">{ props.label.clone() }</span>
            <input type={if props.number { "number" } else { "text" }} value={props.value.clone()}
                placeholder={props.placeholder.clone()} {oninput} />
            if let Some(h) = &props.hint { <span class="muted small">{ h.clone() }</span> }
        </label>
    }
}

#[derive(Properties, PartialEq)]
pub struct SelectFieldProps {
    pub label: AttrValue,
    pub value: AttrValue,
    /// (value, text).
    pub options: Vec<(String, String)>,
    pub onchange: Callback<String>,
}

#[function_component(SelectField)]
pub fn select_field(props: &SelectFieldProps) -> Html {
    let onchange = props
        .onchange
        .reform(|e: Event| e.target_unchecked_into::<HtmlSelectElement>().value());
    // Exactly one option is selected: the value's, or the first when no option has it (with
    // none marked, Chromium showed the last option while the page used the empty value).
    let current = props
        .options
        .iter()
        .find(|(v, _)| *v == *props.value)
        .or(props.options.first())
        .map(|(v, _)| v.clone());
    html! {
        <label class="field">
            <span class="field-label">{ props.label.clone() }</span>
            <select {onchange}>
                { for props.options.iter().map(|(v, t)| html! {
                    <option value={v.clone()} selected={Some(v) == current.as_ref()}>{ t.clone() }</option>
                }) }
            </select>
        </label>
    }
}

#[derive(Properties, PartialEq)]
pub struct CheckFieldProps {
    pub label: AttrValue,
    pub checked: bool,
    pub onchange: Callback<bool>,
}

#[function_component(CheckField)]
pub fn check_field(props: &CheckFieldProps) -> Html {
    let onchange = props
        .onchange
        .reform(|e: Event| e.target_unchecked_into::<HtmlInputElement>().checked());
    html! {
        <label class="field check">
            <input type="checkbox" checked={props.checked} {onchange} />
            <span>{ props.label.clone() }</span>
        </label>
    }
}
