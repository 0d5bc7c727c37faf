//! The always-visible clock control: the simulated time (`snaplab clock show`), pause, run at
//! ×1/×60/×3600 (a tick every second runs `snaplab clock advance --Seconds N`), and "next
//! event" (`snaplab clock next`).

use crate::components::ui::Btn;
use crate::engine::{use_clock_time, use_engine};
use crate::pages::common::use_reply_at;
use crate::state::use_console;
use gloo_timers::callback::Interval;
use snaplab_engine::replies::ClockShow;
use std::cell::Cell;
use std::rc::Rc;
use yew::prelude::*;

crate::texts! {
    pub enum T {
        Clock => ("Simulated clock", "模拟时钟"),
        Time => ("Simulated time", "模拟时间"),
        Pause => ("Pause", "暂停"),
        Next => ("Next event", "下一事件"),
        NothingScheduled => ("Nothing is scheduled", "没有待发生的事件"),
        NextAt => ("Next event at", "下一事件时间"),
        Speed => ("Clock speed", "时钟速度"),
    }
}

const SPEED_KEY: &str = "snaplab.clock";
/// Simulated seconds per real second; 0 is paused.
const SPEEDS: [u32; 4] = [0, 1, 60, 3600];

fn load_speed() -> u32 {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .and_then(|s| s.get_item(SPEED_KEY).ok().flatten())
        .and_then(|v| v.parse::<u32>().ok())
        .filter(|v| SPEEDS.contains(v))
        .unwrap_or(1)
}

fn save_speed(speed: u32) {
    if let Some(s) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = s.set_item(SPEED_KEY, &speed.to_string());
    }
}

/// `2026-01-01T00:00:30Z` → `2026-01-01 00:00:30 UTC`.
pub fn show_time(iso: &str) -> String {
    match iso.strip_suffix('Z') {
        Some(t) => format!("{} UTC", t.replacen('T', " ", 1)),
        None => iso.to_string(),
    }
}

#[function_component(ClockControl)]
pub fn clock_control() -> Html {
    let console = use_console();
    let engine = use_engine();
    let speed = use_state(load_speed);
    // Read again at every move of the time (a tick that changed nothing else does not move the
    // world's version, so the pages do not read again).
    let time = use_clock_time();
    let clock = use_reply_at::<ClockShow>(Some("snaplab clock show".to_string()), time.0);
    {
        let engine = engine.clone();
        let ready = engine.ready();
        use_effect_with((*speed, ready), move |(speed, ready)| {
            let speed = *speed;
            let interval = (speed > 0 && *ready).then(|| {
                let busy = Rc::new(Cell::new(false));
                Interval::new(1_000, move || {
                    // One tick at a time: a slow tick is not stacked up behind itself.
                    if busy.get() {
                        return;
                    }
                    busy.set(true);
                    let tick = engine.run_silent(&format!("snaplab clock advance --Seconds {speed}"));
                    let busy = busy.clone();
                    wasm_bindgen_futures::spawn_local(async move {
                        let _ = tick.await;
                        busy.set(false);
                    });
                })
            });
            move || drop(interval)
        });
    }
    let (now, next) = match &clock {
        Some(Ok(c)) => (c.now.clone(), c.next_event.clone().unwrap_or_default()),
        _ => (String::new(), String::new()),
    };
    let on_next = {
        let engine = engine.clone();
        Callback::from(move |_| {
            let run = engine.run("snaplab clock next");
            wasm_bindgen_futures::spawn_local(async move {
                let _ = run.await;
            });
        })
    };
    let speed_button = |s: u32| {
        let pressed = *speed == s;
        let speed = speed.clone();
        let label = if s == 0 {
            console.t(T::Pause).to_string()
        } else {
            format!("×{s}")
        };
        html! {
            <button type="button" class={classes!("btn", "small", pressed.then_some("active"))}
                aria-pressed={pressed.to_string()}
                onclick={Callback::from(move |_| { save_speed(s); speed.set(s); })}>
                { label }
            </button>
        }
    };
    let next_disabled = next.is_empty().then(|| AttrValue::from(console.t(T::NothingScheduled)));
    html! {
        <div class="clock" role="group" aria-label={console.t(T::Clock)}>
            <span class="muted">{ console.t(T::Time) }</span>
            <time class="clock-now" datetime={now.clone()} aria-live="off">{ show_time(&now) }</time>
            <div class="speeds" role="group" aria-label={console.t(T::Speed)}>
                { for SPEEDS.iter().map(|s| speed_button(*s)) }
            </div>
            <Btn label={console.t(T::Next)} small=true disabled={next_disabled} onclick={on_next} />
            if !next.is_empty() {
                <span class="muted small">{ format!("{} {}", console.t(T::NextAt), show_time(&next)) }</span>
            }
            if let Some(Err(e)) = &clock {
                <span class="small error-message">{ format!("{}: {}", e.code, e.message) }</span>
            }
        </div>
    }
}
