//! The hooks pages use: the engine, queries that re-run when the world changes, dry runs.

use super::handle::{ClockTime, Engine};
use super::reply::{Answer, EcsErr};
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

/// The engine of the nearest provider.
#[hook]
pub fn use_engine() -> Engine {
    use_context::<Engine>().expect("the App provides the engine")
}

/// The simulated time's counter ([`ClockTime`]).
#[hook]
pub fn use_clock_time() -> ClockTime {
    use_context::<ClockTime>().unwrap_or_default()
}

/// Runs a read `line` and answers it; runs again when the world changes or the line does.
/// `None` while the first answer for this line is on its way (or for no line).
#[hook]
pub fn use_query(line: Option<String>) -> Option<Answer> {
    use_query_at(line, 0)
}

/// [`use_query`] that also runs again when `key` changes (the clock control: at every move of
/// the simulated time).
#[hook]
pub fn use_query_at(line: Option<String>, key: u64) -> Option<Answer> {
    let engine = use_engine();
    let state = use_state(|| None::<(String, Answer)>);
    let generation = use_mut_ref(|| 0u64);
    {
        let state = state.clone();
        let deps = (line.clone(), engine.version(), engine.ready(), key);
        use_effect_with(deps, move |(line, _, ready, _)| {
            if let (Some(line), true) = (line.clone(), *ready) {
                *generation.borrow_mut() += 1;
                let mine = *generation.borrow();
                let reply = engine.query(&line);
                spawn_local(async move {
                    let a = reply.await;
                    if *generation.borrow() == mine {
                        state.set(Some((line, a)));
                    }
                });
            }
            || ()
        });
    }
    match (&*state, &line) {
        (Some((l, a)), Some(line)) if l == line => Some(a.clone()),
        _ => None,
    }
}

/// What the engine says of an action before it is confirmed (its `--DryRun true`).
#[derive(Clone, Debug, PartialEq)]
pub enum Check {
    /// No complete line to check yet.
    Idle,
    Checking,
    Passed,
    Refused(EcsErr),
}

/// Dry-runs `line` (an `aliyun ecs` action) whenever it or the world changes: the confirm
/// button of a dialog is enabled only when the engine would accept the action.
#[hook]
pub fn use_dry_run(line: Option<String>) -> Check {
    let api = line.as_deref().is_some_and(|l| l.trim_start().starts_with("aliyun "));
    let probe = line.as_ref().filter(|_| api).map(|l| format!("{l} --DryRun true"));
    let answer = use_query(probe);
    match (line, api, answer) {
        (None, _, _) => Check::Idle,
        (Some(_), false, _) => Check::Passed,
        (Some(_), true, None) => Check::Checking,
        (Some(_), true, Some(Err(e))) if e.code == "DryRunOperation" => Check::Passed,
        (Some(_), true, Some(Err(e))) => Check::Refused(e),
        (Some(_), true, Some(Ok(_))) => Check::Passed,
    }
}
