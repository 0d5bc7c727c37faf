//! The engine handle every page gets from the context ([`Engine`]), the reducers that make
//! pages render ([`EngineState`], [`ClockTime`]) and the provider that opens the session.

use super::queue::{Kind, LogEntry, Shared, Source};
use super::reply::{answer, gone, Answer};
use super::PageStore;
#[cfg(target_arch = "wasm32")]
use super::DB_NAME;
use snaplab_engine::session::{LineReply, Session};
use std::future::Future;
use std::rc::Rc;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

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
    /// Goes up after every line that changed what the pages show.
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

    /// Empties the log shown by the terminal.
    pub fn clear_log(&self) {
        self.shared.log.borrow_mut().clear();
        self.shared.notify(Change::Ran {
            logged: true,
            world: false,
        });
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
