//! World actions: reset (with confirmation), export as a downloaded JSON file, import from a
//! chosen file (the engine validates it whole and refuses a malformed or hostile file,
//! changing nothing).

use crate::components::ui::{ActionDialog, Btn, ErrorBanner, Modal};
use crate::engine::{answer, use_engine, EcsErr, Line};
use crate::state::use_console;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::HtmlInputElement;
use yew::prelude::*;

crate::texts! {
    pub enum T {
        World => ("World", "世界"),
        Reset => ("Reset world", "重置世界"),
        ResetTitle => ("Reset the world", "重置世界"),
        ResetWarning => (
            "Resetting deletes every instance, disk, snapshot and image of every region, and all stored blocks. This cannot be undone. Export the world first to keep a copy.",
            "重置会删除所有地域的全部实例、云盘、快照和镜像以及已存储的数据块，且无法恢复。如需保留，请先导出世界。"
        ),
        Export => ("Export world", "导出世界"),
        Import => ("Import world", "导入世界"),
        ImportFile => ("Import world file", "导入世界文件"),
        ImportTitle => ("Import a world", "导入世界"),
        ImportWarning => (
            "Importing replaces the current world (every region) with the world in the file. The file is checked first: a file that is not a valid Snaplab export is refused and nothing changes.",
            "导入会用文件中的世界替换当前世界（所有地域）。导入前会校验文件：不是有效 Snaplab 导出文件的会被拒绝，当前世界保持不变。"
        ),
        File => ("File", "文件"),
        ExportFailed => ("The export failed", "导出失败"),
        Unreadable => ("The file could not be read", "无法读取文件"),
    }
}

/// Saves `text` as a downloaded file.
fn download(name: &str, text: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type("application/json");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts).map_err(|e| format!("{e:?}"))?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|e| format!("{e:?}"))?;
    let doc = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let a: web_sys::HtmlAnchorElement = doc
        .create_element("a")
        .map_err(|e| format!("{e:?}"))?
        .dyn_into()
        .map_err(|_| "not an anchor")?;
    a.set_href(&url);
    a.set_download(name);
    a.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

#[function_component(WorldActions)]
pub fn world_actions() -> Html {
    let console = use_console();
    let engine = use_engine();
    let resetting = use_state(|| false);
    // (file name, content) of the file chosen for import.
    let importing = use_state(|| None::<(String, String)>);
    let failed = use_state(|| None::<(AttrValue, EcsErr)>);
    let file_input = use_node_ref();

    let on_export = {
        let engine = engine.clone();
        let failed = failed.clone();
        let title = AttrValue::from(console.t(T::ExportFailed));
        Callback::from(move |_| {
            let run = engine.run("snaplab world export");
            let (failed, title) = (failed.clone(), title.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let result = answer(run.await)
                    .and_then(|v| download("snaplab-world.json", &v.to_string()).map_err(EcsErr::console));
                if let Err(e) = result {
                    failed.set(Some((title, e)));
                }
            });
        })
    };
    let on_pick = {
        let input = file_input.clone();
        Callback::from(move |_| {
            if let Some(i) = input.cast::<HtmlInputElement>() {
                i.click();
            }
        })
    };
    let on_file = {
        let importing = importing.clone();
        let failed = failed.clone();
        let title = AttrValue::from(console.t(T::Unreadable));
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let Some(file) = input.files().and_then(|f| f.get(0)) else {
                return;
            };
            input.set_value("");
            let (importing, failed, title) = (importing.clone(), failed.clone(), title.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match JsFuture::from(file.text()).await.ok().and_then(|t| t.as_string()) {
                    Some(text) => importing.set(Some((file.name(), text))),
                    None => failed.set(Some((title, EcsErr::console(file.name())))),
                }
            });
        })
    };

    html! {
        <div class="world-actions" role="group" aria-label={console.t(T::World)}>
            <Btn label={console.t(T::Reset)} small=true onclick={{ let r = resetting.clone(); Callback::from(move |_| r.set(true)) }} />
            <Btn label={console.t(T::Export)} small=true onclick={on_export} />
            <Btn label={console.t(T::Import)} small=true onclick={on_pick} />
            <input type="file" class="sr-only" accept=".json,application/json" tabindex="-1"
                aria-label={console.t(T::ImportFile)} ref={file_input} onchange={on_file} />
            if *resetting {
                <ActionDialog title={console.t(T::ResetTitle)} line={Some(String::from(Line::snaplab("world reset")))}
                    confirm={console.t(T::Reset)} danger=true
                    warning={html! { console.t(T::ResetWarning) }}
                    on_close={{ let r = resetting.clone(); Callback::from(move |_| r.set(false)) }} />
            }
            if let Some((name, text)) = &*importing {
                <ActionDialog title={console.t(T::ImportTitle)}
                    line={Some(String::from(Line::snaplab("world import").arg("Json", text)))}
                    display={Some(format!("snaplab world import --Json \"$(cat {})\"", snaplab_engine::cli::quote(name)))}
                    confirm={console.t(T::Import)} danger=true
                    warning={html! { console.t(T::ImportWarning) }}
                    on_close={{ let i = importing.clone(); Callback::from(move |_| i.set(None)) }}>
                    <p>{ format!("{}: {name} ({} bytes)", console.t(T::File), text.len()) }</p>
                </ActionDialog>
            }
            if let Some((title, e)) = &*failed {
                <Modal title={title.clone()} on_close={{ let f = failed.clone(); Callback::from(move |_| f.set(None)) }}>
                    <ErrorBanner err={e.clone()} />
                </Modal>
            }
        </div>
    }
}
