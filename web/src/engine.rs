//! The engine session in the page, shared through a Yew context.
//!
//! On start the provider opens the IndexedDB store `snaplab` and a [`Session`] on it. Every
//! command line — a page's Describe query, a button's action, a terminal line, a clock tick —
//! goes through **one queue** and runs to its end before the next starts (`exec_line` needs
//! `&mut Session`): the session is taken out of its cell while a line runs, so no borrow is
//! ever held across an await. After a line that may change the world the context's
//! [`Engine::version`] goes up, and every [`use_query`] re-runs.
//!
//! The clock moves the world without a command that changes it (a tick, a `--waiter`'s polls):
//! such a line changes what the pages show only when something was in progress (a `Progress`,
//! an instance transition) or a scheduled event fell due ([`ClockProbe`]); otherwise only the
//! simulated time changed, which only the clock control shows ([`ClockTime`]).
//!
//! Actions (not queries) are appended to the command log, which the terminal shows: every
//! action done with the mouse shows its equivalent command line there.

use futures_channel::oneshot;
use serde_json::Value;
use snaplab_engine::cli::{self, Target};
use snaplab_engine::clock::Timestamp;
use snaplab_engine::session::{LineReply, Session};
use snaplab_engine::world::World;
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::future::Future;
use std::rc::Rc;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

#[cfg(target_arch = "wasm32")]
type PageStore = snaplab_engine::store::idb::IdbStore;
#[cfg(not(target_arch = "wasm32"))]
type PageStore = snaplab_engine::store::memory::MemoryStore;

/// The IndexedDB database of the console's world.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub const DB_NAME: &str = "snaplab";

/// An ECS error (or a command-line error) as the console shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct EcsErr {
    pub code: String,
    pub message: String,
    pub request_id: String,
    /// The whole error object.
    pub body: Value,
}

impl EcsErr {
    pub fn from_body(body: &Value) -> Self {
        let s = |k: &str| body.get(k).and_then(Value::as_str).unwrap_or_default().to_string();
        EcsErr {
            code: s("Code"),
            message: s("Message"),
            request_id: s("RequestId"),
            body: body.clone(),
        }
    }

    /// A console-side failure (the engine could not be reached).
    pub fn console(message: impl Into<String>) -> Self {
        let message = message.into();
        EcsErr {
            code: "InternalError".into(),
            message: message.clone(),
            request_id: String::new(),
            body: serde_json::json!({ "Code": "InternalError", "Message": message }),
        }
    }
}

/// A reply: the API's JSON, or its error.
pub type Answer = Result<Value, EcsErr>;

/// The answer of a line's reply (`Null` for a blank line).
pub fn answer(reply: Option<LineReply>) -> Answer {
    match reply {
        None => Ok(Value::Null),
        Some(r) if r.is_error => Err(EcsErr::from_body(&r.body)),
        Some(r) => Ok(r.body),
    }
}

/// Where a logged command came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// A button or dialog of the console: the log shows its equivalent command line.
    Console,
    /// Typed in the terminal.
    Terminal,
}

/// One entry of the command log.
#[derive(Clone, Debug, PartialEq)]
pub struct LogEntry {
    pub seq: u64,
    pub source: Source,
    /// The line as shown (a world import shows the file's name instead of its content).
    pub line: String,
    pub is_error: bool,
    /// What the CLI prints for the reply: the `--output` table, the JSON, or the error.
    pub output: String,
}

/// The terminal's history, kept in the browser across reloads.
const HISTORY_KEY: &str = "snaplab.history";
const HISTORY_LIMIT: usize = 200;

fn load_history() -> Vec<String> {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .and_then(|s| s.get_item(HISTORY_KEY).ok().flatten())
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

fn save_history(lines: &[String]) {
    if let Some(s) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = s.set_item(HISTORY_KEY, &serde_json::to_string(lines).unwrap_or_default());
    }
}

/// The most entries the log keeps.
const LOG_LIMIT: usize = 400;
/// Longer outputs are cut in the log (an export is megabytes of JSON).
const OUTPUT_LIMIT: usize = 20_000;

/// What the terminal prints for a reply, as the aliyun CLI does (SPEC §18).
pub fn cli_output(reply: &Option<LineReply>) -> String {
    let mut text = match reply {
        None => String::new(),
        Some(r) if r.is_error => cli::format_error(&r.body),
        Some(r) => match &r.table {
            Some(t) => t.clone(),
            None => serde_json::to_string_pretty(&r.body).unwrap_or_default(),
        },
    };
    if text.len() > OUTPUT_LIMIT {
        let total = text.chars().count();
        let mut cut = OUTPUT_LIMIT;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
        text.push_str(&format!("\n… ({total} characters in all)"));
    }
    text
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A read: not logged.
    Query,
    /// Logged.
    Action(Source),
    /// Not logged, but it changes the world (clock ticks).
    Silent,
}

struct Job {
    line: String,
    display: String,
    kind: Kind,
    tx: oneshot::Sender<Option<LineReply>>,
}

/// The engine state that lives outside Yew's render cycle.
struct Shared {
    session: RefCell<Option<Session<PageStore>>>,
    running: Cell<bool>,
    queue: RefCell<VecDeque<Job>>,
    log: RefCell<VecDeque<Rc<LogEntry>>>,
    history: RefCell<Vec<String>>,
    seq: Cell<u64>,
    dispatch: RefCell<Option<UseReducerDispatcher<EngineState>>>,
    /// Bumps [`ClockTime`] when the simulated time moved.
    time: RefCell<Option<UseReducerDispatcher<ClockTime>>>,
}

impl Shared {
    fn new() -> Self {
        Shared {
            session: RefCell::new(None),
            running: Cell::new(false),
            queue: RefCell::new(VecDeque::new()),
            log: RefCell::new(VecDeque::new()),
            history: RefCell::new(load_history()),
            seq: Cell::new(0),
            dispatch: RefCell::new(None),
            time: RefCell::new(None),
        }
    }

    fn notify(&self, change: Change) {
        if let Some(d) = self.dispatch.borrow().as_ref() {
            d.dispatch(change);
        }
    }

    fn notify_time(&self) {
        if let Some(d) = self.time.borrow().as_ref() {
            d.dispatch(());
        }
    }

    fn enqueue(self: &Rc<Self>, line: String, display: String, kind: Kind) -> oneshot::Receiver<Option<LineReply>> {
        let (tx, rx) = oneshot::channel();
        self.queue.borrow_mut().push_back(Job {
            line,
            display,
            kind,
            tx,
        });
        self.pump();
        rx
    }

    /// Runs the queued lines one after the other (one runner at a time).
    fn pump(self: &Rc<Self>) {
        if self.running.get() || self.session.borrow().is_none() {
            return;
        }
        self.running.set(true);
        let shared = Rc::clone(self);
        spawn_local(async move {
            let mut slice_start = now_ms();
            loop {
                // Lines that do not touch IndexedDB complete without giving the event loop a
                // turn, and the renders they cause run in the same task: after a slice of work
                // the runner yields, so a page re-reading many queries never blocks for long.
                if now_ms() - slice_start > SLICE_MS {
                    yield_to_browser().await;
                    slice_start = now_ms();
                }
                let job = shared.queue.borrow_mut().pop_front();
                let Some(job) = job else { break };
                // Taken out while the line runs: nothing else can borrow it meanwhile.
                let Some(mut session) = shared.session.borrow_mut().take() else {
                    break;
                };
                let before = ClockProbe::of(session.world());
                let reply = session.exec_line(&job.line).await;
                let now = session.world().now();
                *shared.session.borrow_mut() = Some(session);
                let changes = match job.kind {
                    // A tick changes only what the clock does (R-CRT-4 progress, transitions);
                    // a read changes the world only through a waiter's polls, which move the
                    // clock.
                    Kind::Silent | Kind::Query => before.pages_changed(now),
                    Kind::Action(_) => changes_world(&job.line) || before.pages_changed(now),
                };
                let logged = matches!(job.kind, Kind::Action(_));
                if let Kind::Action(source) = job.kind {
                    let seq = shared.seq.get() + 1;
                    shared.seq.set(seq);
                    let mut log = shared.log.borrow_mut();
                    log.push_back(Rc::new(LogEntry {
                        seq,
                        source,
                        line: job.display,
                        is_error: reply.as_ref().is_some_and(|r| r.is_error),
                        output: cli_output(&reply),
                    }));
                    if log.len() > LOG_LIMIT {
                        log.pop_front();
                    }
                }
                let _ = job.tx.send(reply);
                if changes || logged {
                    shared.notify(Change::Ran { logged, world: changes });
                }
                if now != before.now {
                    shared.notify_time();
                }
            }
            shared.running.set(false);
        });
    }
}

/// The longest the command runner works before it lets the browser render and take input.
const SLICE_MS: f64 = 12.0;

fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// Lets the event loop run a turn: a message to itself is a new task, so rendering and input
/// come first (unlike a timer, it is not slowed down in a background tab).
async fn yield_to_browser() {
    let promise = js_sys::Promise::new(&mut |resolve, _| match web_sys::MessageChannel::new() {
        Ok(channel) => {
            channel.port1().set_onmessage(Some(&resolve));
            let _ = channel.port2().post_message(&wasm_bindgen::JsValue::NULL);
        }
        Err(_) => {
            if let Some(w) = web_sys::window() {
                let _ = w.set_timeout_with_callback(&resolve);
            }
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Whether a line may change the world (so pages must read it again). Reads and dry runs do
/// not; a line that does not parse changes nothing. (A read with `--waiter` moves the clock:
/// what that changes is [`ClockProbe`]'s to say.)
pub fn changes_world(line: &str) -> bool {
    let Ok(Some(cmd)) = cli::parse_line(line) else {
        return false;
    };
    if cmd.params.raw("DryRun").is_some_and(|v| v.eq_ignore_ascii_case("true")) {
        return false;
    }
    let export = matches!(&cmd.target, Target::Snaplab { words } if words.len() == 2 && words[0] == "world" && words[1] == "export");
    !cli::is_read_only(&cmd) && !export
}

/// What the clock can change in the pages, read from the world before a line runs.
///
/// Every reply that depends on the time depends on something the engine schedules: a
/// snapshot's or image's `Progress` and status until it is done, an instance's transitions
/// ([`World::next_activity`]), a retention or instant access ending ([`World::next_event`]).
/// When none of these is under way or falls due, moving the clock changes only the time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClockProbe {
    pub now: Timestamp,
    /// Something is in progress: its `Progress` follows the clock.
    pub busy: bool,
    /// The next scheduled event.
    pub next_event: Option<Timestamp>,
}

impl ClockProbe {
    pub fn of(world: &World) -> Self {
        ClockProbe {
            now: world.now(),
            busy: world.next_activity().is_some(),
            next_event: world.next_event(),
        }
    }

    /// Whether moving the clock from the probe's time to `now` changed what pages show.
    pub fn pages_changed(&self, now: Timestamp) -> bool {
        now != self.now && (self.busy || self.next_event.is_some_and(|t| t <= now))
    }
}

/// Whether the session is open.
#[derive(Clone, Debug, PartialEq)]
pub enum Status {
    Loading,
    Ready,
    Failed(String),
}

/// The part of the engine that renders: the world version, the log length, the status.
#[derive(Clone, Debug, PartialEq)]
pub struct EngineState {
    pub version: u64,
    pub log_len: u64,
    pub status: Status,
}

pub enum Change {
    Opened,
    Failed(String),
    /// A line ran: it was logged (the terminal shows it) and/or it changed the world.
    Ran {
        logged: bool,
        world: bool,
    },
}

impl Reducible for EngineState {
    type Action = Change;

    fn reduce(self: Rc<Self>, change: Change) -> Rc<Self> {
        let mut next = (*self).clone();
        match change {
            Change::Opened => {
                next.status = Status::Ready;
                next.version += 1;
            }
            Change::Failed(why) => next.status = Status::Failed(why),
            Change::Ran { logged, world } => {
                if logged {
                    next.log_len += 1;
                }
                if world {
                    next.version += 1;
                }
            }
        }
        Rc::new(next)
    }
}

/// Goes up whenever the simulated time moved (a tick that changed nothing else included):
/// only the clock control reads it, so a tick re-renders nothing else.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ClockTime(pub u64);

impl Reducible for ClockTime {
    type Action = ();

    fn reduce(self: Rc<Self>, _: ()) -> Rc<Self> {
        Rc::new(ClockTime(self.0 + 1))
    }
}

/// The engine handle every page gets from the context.
#[derive(Clone)]
pub struct Engine {
    shared: Rc<Shared>,
    pub state: EngineState,
}

impl PartialEq for Engine {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.shared, &other.shared) && self.state == other.state
    }
}

impl Engine {
    /// Goes up after every line that may have changed the world.
    pub fn version(&self) -> u64 {
        self.state.version
    }

    pub fn ready(&self) -> bool {
        self.state.status == Status::Ready
    }

    /// A read (Describe…, `snaplab … show`, a dry run): queued, not logged.
    pub fn query(&self, line: &str) -> impl Future<Output = Answer> + 'static {
        let rx = self.shared.enqueue(line.to_string(), String::new(), Kind::Query);
        async move { answer(rx.await.unwrap_or_else(|_| Some(gone()))) }
    }

    /// An action of the console: queued, logged with its command line, pages refreshed.
    pub fn run(&self, line: &str) -> impl Future<Output = Option<LineReply>> + 'static {
        self.run_as(line, line, Source::Console)
    }

    /// An action whose logged line differs from the line run (a world import shows the
    /// file's name, not its content).
    pub fn run_as(
        &self,
        line: &str,
        display: &str,
        source: Source,
    ) -> impl Future<Output = Option<LineReply>> + 'static {
        let rx = self
            .shared
            .enqueue(line.to_string(), display.to_string(), Kind::Action(source));
        async move { rx.await.unwrap_or_else(|_| Some(gone())) }
    }

    /// A line that changes the world but is not logged (the clock's ticks).
    pub fn run_silent(&self, line: &str) -> impl Future<Output = Answer> + 'static {
        let rx = self.shared.enqueue(line.to_string(), String::new(), Kind::Silent);
        async move { answer(rx.await.unwrap_or_else(|_| Some(gone()))) }
    }

    /// The command log, oldest first.
    pub fn log(&self) -> Vec<Rc<LogEntry>> {
        self.shared.log.borrow().iter().cloned().collect()
    }

    /// The terminal's history of typed lines (oldest first).
    pub fn history(&self) -> Vec<String> {
        self.shared.history.borrow().clone()
    }

    pub fn push_history(&self, line: &str) {
        let mut h = self.shared.history.borrow_mut();
        if h.last().map(String::as_str) != Some(line) {
            h.push(line.to_string());
            let extra = h.len().saturating_sub(HISTORY_LIMIT);
            h.drain(..extra);
            save_history(&h);
        }
    }

    /// Empties the log shown by the terminal.
    pub fn clear_log(&self) {
        self.shared.log.borrow_mut().clear();
        self.shared.notify(Change::Ran {
            logged: true,
            world: false,
        });
    }
}

fn gone() -> LineReply {
    LineReply {
        body: serde_json::json!({ "Code": "InternalError", "Message": "the engine stopped before answering" }),
        is_error: true,
        table: None,
    }
}

#[derive(Properties, PartialEq)]
pub struct EngineProviderProps {
    pub children: Children,
}

/// Opens the session and provides the [`Engine`] to everything below it.
#[function_component(EngineProvider)]
pub fn engine_provider(props: &EngineProviderProps) -> Html {
    let shared = use_memo((), |_| Shared::new());
    let state = use_reducer(|| EngineState {
        version: 0,
        log_len: 0,
        status: Status::Loading,
    });
    let time = use_reducer(ClockTime::default);
    if shared.dispatch.borrow().is_none() {
        *shared.dispatch.borrow_mut() = Some(state.dispatcher());
        *shared.time.borrow_mut() = Some(time.dispatcher());
    }
    {
        let shared = Rc::clone(&shared);
        use_effect_with((), move |_| {
            spawn_local(async move {
                match open().await {
                    Ok(session) => {
                        *shared.session.borrow_mut() = Some(session);
                        shared.notify(Change::Opened);
                        shared.pump();
                    }
                    Err(why) => shared.notify(Change::Failed(why)),
                }
            });
            || ()
        });
    }
    let engine = Engine {
        shared: Rc::clone(&shared),
        state: (*state).clone(),
    };
    html! {
        <ContextProvider<Engine> context={engine}>
            <ContextProvider<ClockTime> context={*time}>{ props.children.clone() }</ContextProvider<ClockTime>>
        </ContextProvider<Engine>>
    }
}

#[cfg(target_arch = "wasm32")]
async fn open() -> Result<Session<PageStore>, String> {
    let store = PageStore::open(DB_NAME).await.map_err(|e| e.to_string())?;
    Session::open(store).await.map_err(|e| e.to_string())
}

#[cfg(not(target_arch = "wasm32"))]
async fn open() -> Result<Session<PageStore>, String> {
    Session::open(PageStore::new()).await.map_err(|e| e.to_string())
}

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

/// Builds a command line with quoted values: `Line::ecs("CreateSnapshot").arg("DiskId", id)`.
#[derive(Clone, Debug, PartialEq)]
pub struct Line(String);

impl Line {
    pub fn ecs(action: &str) -> Self {
        Line(format!("aliyun ecs {action}"))
    }

    pub fn snaplab(words: &str) -> Self {
        Line(format!("snaplab {words}"))
    }

    pub fn arg(mut self, name: &str, value: impl AsRef<str>) -> Self {
        self.0.push_str(" --");
        self.0.push_str(name);
        self.0.push(' ');
        self.0.push_str(&cli::quote(value.as_ref()));
        self
    }

    /// Adds the parameter only when the value is not blank.
    pub fn opt(self, name: &str, value: impl AsRef<str>) -> Self {
        let v = value.as_ref().trim();
        if v.is_empty() {
            self
        } else {
            self.arg(name, v)
        }
    }

    /// Adds `--name true` when `on`.
    pub fn flag(self, name: &str, on: bool) -> Self {
        if on {
            self.arg(name, "true")
        } else {
            self
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The line as a dialog's `line` property.
    pub fn some(self) -> Option<String> {
        Some(self.0)
    }
}

impl std::fmt::Display for Line {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<Line> for String {
    fn from(l: Line) -> String {
        l.0
    }
}

/// Small readers of reply JSON.
pub mod json {
    use serde_json::Value;

    /// A field as text (numbers and booleans printed), empty when absent.
    pub fn s(v: &Value, key: &str) -> String {
        match v.get(key) {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Null) | None => String::new(),
            Some(other) => other.to_string(),
        }
    }

    pub fn b(v: &Value, key: &str) -> bool {
        v.get(key).and_then(Value::as_bool).unwrap_or(false)
    }

    /// The array at a dotted path (`Disks.Disk`), empty when absent.
    pub fn list<'a>(v: &'a Value, path: &str) -> Vec<&'a Value> {
        let mut cur = v;
        for part in path.split('.') {
            match cur.get(part) {
                Some(next) => cur = next,
                None => return Vec::new(),
            }
        }
        cur.as_array().map(|a| a.iter().collect()).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_dry_runs_do_not_change_the_world() {
        assert!(!changes_world("aliyun ecs DescribeDisks --RegionId cn-hangzhou"));
        assert!(!changes_world("aliyun ecs CreateSnapshot --DiskId d-1 --DryRun true"));
        assert!(!changes_world("snaplab clock show"));
        assert!(!changes_world("snaplab world export"));
        assert!(!changes_world("aliyun ecs 'unclosed"));
        assert!(changes_world("aliyun ecs CreateSnapshot --DiskId d-1"));
        assert!(changes_world("snaplab clock advance --Seconds 1"));
        assert!(changes_world("snaplab world reset"));
        assert!(changes_world("snaplab guest write --DiskId d-1 --Block 0 --Text A"));
    }

    /// Runs `line` and returns whether the clock's move changed what pages show.
    fn tick(s: &mut Session<PageStore>, line: &str) -> bool {
        let before = ClockProbe::of(s.world());
        let r = snaplab_engine::session::block_on(s.exec_line(line)).expect("a reply");
        assert!(!r.is_error, "{line}: {}", r.body);
        before.pages_changed(s.world().now())
    }

    fn session() -> Session<PageStore> {
        snaplab_engine::session::block_on(Session::open(PageStore::new())).expect("a world")
    }

    #[test]
    fn an_idle_tick_changes_only_the_time() {
        let mut s = session();
        assert!(!tick(&mut s, "snaplab clock advance --Seconds 60"));
        // An instance starting: its transitions follow the clock.
        tick(&mut s, "snaplab service activate");
        tick(
            &mut s,
            "aliyun ecs RunInstances --RegionId cn-hangzhou --ImageId centos_7_9_x64_20G_alibase_20230815.vhd --InstanceType ecs.g7.large --DataDisk.1.Category cloud_essd --DataDisk.1.Size 20",
        );
        assert!(tick(&mut s, "snaplab clock advance --Seconds 1"));
        tick(&mut s, "snaplab clock run-until-idle");
        assert!(!tick(&mut s, "snaplab clock advance --Seconds 1"));
        assert!(
            !tick(&mut s, "snaplab clock advance --Seconds 0"),
            "the clock did not move"
        );
    }

    #[test]
    fn progress_and_scheduled_events_change_the_pages() {
        let mut s = session();
        tick(&mut s, "snaplab service activate");
        tick(
            &mut s,
            "aliyun ecs RunInstances --RegionId cn-hangzhou --ImageId centos_7_9_x64_20G_alibase_20230815.vhd --InstanceType ecs.g7.large --DataDisk.1.Category cloud_essd --DataDisk.1.Size 20",
        );
        tick(&mut s, "snaplab clock run-until-idle");
        let disks = snaplab_engine::session::block_on(
            s.exec_line("aliyun ecs DescribeDisks --RegionId cn-hangzhou --DiskType data"),
        )
        .expect("a reply");
        let disk = disks.body["Disks"]["Disk"][0]["DiskId"]
            .as_str()
            .expect("a data disk")
            .to_string();
        tick(
            &mut s,
            &format!("snaplab guest write --DiskId {disk} --Block 0 --Text A"),
        );
        // R-CRT-4: a snapshot's Progress follows the clock until it is done.
        tick(
            &mut s,
            &format!("aliyun ecs CreateSnapshot --DiskId {disk} --SnapshotName S1 --RetentionDays 1"),
        );
        assert!(tick(&mut s, "snaplab clock advance --Seconds 1"));
        tick(&mut s, "snaplab clock run-until-idle");
        assert!(!tick(&mut s, "snaplab clock advance --Seconds 60"));
        // R-CRT-5: the retention's end is an event: the tick that passes it changes the pages.
        assert!(tick(&mut s, "snaplab clock advance --Seconds 86400"));
        assert!(!tick(&mut s, "snaplab clock advance --Seconds 60"));
        // A waiter's polls move the clock: the pages follow what it waited for.
        tick(
            &mut s,
            &format!("aliyun ecs CreateSnapshot --DiskId {disk} --SnapshotName S2"),
        );
        assert!(tick(
            &mut s,
            "aliyun ecs DescribeSnapshots --RegionId cn-hangzhou --SnapshotName S2 --waiter expr='Snapshots.Snapshot[0].Status' to=accomplished"
        ));
    }

    #[test]
    fn lines_quote_their_values() {
        let l = Line::ecs("CreateSnapshot")
            .arg("DiskId", "d-1")
            .opt("Description", " ")
            .arg("SnapshotName", "it's mine")
            .flag("InstantAccess", true);
        assert_eq!(
            l.as_str(),
            "aliyun ecs CreateSnapshot --DiskId d-1 --SnapshotName 'it'\\''s mine' --InstantAccess true"
        );
        let cmd = cli::parse_line(l.as_str()).unwrap().unwrap();
        assert_eq!(cmd.params.raw("SnapshotName"), Some("it's mine"));
    }
}
