//! The snapshot service's activation dialog (R-SVC-1): a new world starts with the service
//! not activated (`snaplab world show` says so); "Activate now" runs `snaplab service activate`.

use crate::components::ui::{Btn, ErrorBanner, Modal};
use crate::engine::{answer, use_engine, EcsErr};
use crate::pages::common::use_reply;
use crate::state::use_console;
use snaplab_engine::replies::WorldShow;
use yew::prelude::*;

crate::texts! {
    pub enum T {
        Title => ("Activate the snapshot service", "开通快照服务"),
        Body => (
            "Snapshots are billed by the capacity they use. The snapshot service must be activated once before you create snapshots.",
            "快照按使用容量计费。创建快照前需要先开通快照服务。"
        ),
        Activate => ("Activate now", "立即开通"),
        Later => ("Not now", "暂不开通"),
    }
}

/// "Not now" lasts for the browser tab's session (a reload does not ask again).
const LATER_KEY: &str = "snaplab.activation.later";

fn session_flag(key: &str) -> bool {
    web_sys::window()
        .and_then(|w| w.session_storage().ok().flatten())
        .and_then(|s| s.get_item(key).ok().flatten())
        .is_some()
}

fn set_session_flag(key: &str) {
    if let Some(s) = web_sys::window().and_then(|w| w.session_storage().ok().flatten()) {
        let _ = s.set_item(key, "1");
    }
}

#[function_component(Activation)]
pub fn activation() -> Html {
    let console = use_console();
    let engine = use_engine();
    let world = use_reply::<WorldShow>(Some("snaplab world show".to_string()));
    let dismissed = use_state(|| session_flag(LATER_KEY));
    let busy = use_state(|| false);
    let failed = use_state(|| None::<EcsErr>);
    let needed = matches!(&world, Some(Ok(w)) if !w.service_activated);
    if !needed || *dismissed {
        return html! {};
    }
    let on_activate = {
        let (busy, failed) = (busy.clone(), failed.clone());
        Callback::from(move |_| {
            busy.set(true);
            let run = engine.run("snaplab service activate");
            let (busy, failed) = (busy.clone(), failed.clone());
            wasm_bindgen_futures::spawn_local(async move {
                if let Err(e) = answer(run.await) {
                    failed.set(Some(e));
                }
                busy.set(false);
            });
        })
    };
    let later = {
        let dismissed = dismissed.clone();
        Callback::from(move |_| {
            set_session_flag(LATER_KEY);
            dismissed.set(true)
        })
    };
    let footer = html! {
        <>
            <Btn label={console.t(T::Activate)} primary=true onclick={on_activate}
                disabled={busy.then(|| AttrValue::from("…"))} />
            <Btn label={console.t(T::Later)} onclick={later.reform(|_: MouseEvent| ())} />
        </>
    };
    html! {
        <Modal title={console.t(T::Title)} on_close={later} {footer}>
            <p>{ console.t(T::Body) }</p>
            if let Some(e) = &*failed { <ErrorBanner err={e.clone()} /> }
        </Modal>
    }
}
