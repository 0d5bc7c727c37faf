//! The run queue: every line of the page goes through one queue and runs to its end before the
//! next starts; the runner gives the browser a turn after a slice of work. What a line changed
//! (its reply's `changed`, or what the clock did: [`ClockProbe`]) decides whether the pages read
//! the world again; actions are logged.

use super::handle::{Change, ClockTime, EngineState};
use super::reply::cli_output;
use super::PageStore;
use futures_channel::oneshot;
use snaplab_engine::clock::Timestamp;
use snaplab_engine::session::{LineReply, Replaced, Session};
use snaplab_engine::world::World;
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

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
    /// Whether the line replaced the world whole (its reply's `replaced`).
    pub replaced: Option<Replaced>,
}

/// The line the queue is running, or ran last: the panic hook (`crate::panic`) shows it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum CurrentLine {
    #[default]
    None,
    /// A line is running (as the log shows it: an import shows the file's name).
    Running(String),
    /// The queue is between lines; this one ran last.
    Last(String),
}

thread_local! {
    static CURRENT: RefCell<CurrentLine> = const { RefCell::new(CurrentLine::None) };
}

/// The line running now or last (for the panic page).
pub fn current_line() -> CurrentLine {
    CURRENT.with(|c| c.borrow().clone())
}

/// Debug builds only (the release build compiles none of it): on a page opened with
/// `?debug-panic`, the line `snaplab debug panic` panics while it runs, so that
/// `tests/e2e/panic.test.js` can show the panic page (issue 12 item 2) without a real bug.
#[cfg(debug_assertions)]
fn debug_panic(line: &str) {
    let search = web_sys::window()
        .and_then(|w| js_sys::Reflect::get(&w.into(), &"location".into()).ok())
        .and_then(|l| js_sys::Reflect::get(&l, &"search".into()).ok())
        .and_then(|s| s.as_string())
        .unwrap_or_default();
    if search.contains("debug-panic") && line.trim() == "snaplab debug panic" {
        panic!("debug panic requested by the test page");
    }
}

/// The most entries the log keeps.
const LOG_LIMIT: usize = 400;

/// What a queued line is.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
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
pub(super) struct Shared {
    pub(super) session: RefCell<Option<Session<PageStore>>>,
    running: Cell<bool>,
    queue: RefCell<VecDeque<Job>>,
    pub(super) log: RefCell<VecDeque<Rc<LogEntry>>>,
    seq: Cell<u64>,
    pub(super) dispatch: RefCell<Option<UseReducerDispatcher<EngineState>>>,
    /// Bumps [`ClockTime`] when the simulated time moved.
    pub(super) time: RefCell<Option<UseReducerDispatcher<ClockTime>>>,
}

impl Shared {
    pub(super) fn new() -> Self {
        Shared {
            session: RefCell::new(None),
            running: Cell::new(false),
            queue: RefCell::new(VecDeque::new()),
            log: RefCell::new(VecDeque::new()),
            seq: Cell::new(0),
            dispatch: RefCell::new(None),
            time: RefCell::new(None),
        }
    }

    pub(super) fn notify(&self, change: Change) {
        if let Some(d) = self.dispatch.borrow().as_ref() {
            d.dispatch(change);
        }
    }

    fn notify_time(&self) {
        if let Some(d) = self.time.borrow().as_ref() {
            d.dispatch(());
        }
    }

    pub(super) fn enqueue(
        self: &Rc<Self>,
        line: String,
        display: String,
        kind: Kind,
    ) -> oneshot::Receiver<Option<LineReply>> {
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
    pub(super) fn pump(self: &Rc<Self>) {
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
                CURRENT.with(|c| *c.borrow_mut() = CurrentLine::Running(job.display.clone()));
                #[cfg(debug_assertions)]
                debug_panic(&job.line);
                let reply = session.exec_line(&job.line).await;
                CURRENT.with(|c| *c.borrow_mut() = CurrentLine::Last(job.display.clone()));
                let now = session.world().now();
                *shared.session.borrow_mut() = Some(session);
                let changes = match job.kind {
                    // A tick changes only what the clock does (R-CRT-4 progress, transitions);
                    // a read changes the world only through a waiter's polls, which move the
                    // clock.
                    Kind::Silent | Kind::Query => before.pages_changed(now),
                    // An action says whether it committed a change (not a read, a dry run or
                    // a refusal); what the clock did besides is the probe's to say.
                    Kind::Action(_) => reply.as_ref().is_some_and(|r| r.changed) || before.pages_changed(now),
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
                        replaced: reply.as_ref().and_then(|r| r.replaced),
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
