//! The block-reference view: every snapshot of a disk's chain as a row, every block (or, zoomed
//! out, every run of blocks) as a cell, owned vs referenced with the owning snapshot, the live
//! disk as the last row. Drawn as SVG with one rectangle per span of equal cells (never one node
//! per block), with a table mode for assistive technology, and the deletion-merge animation.

use super::chain::{grid, labels, spans, Cell, Chain, Row, Run, Span, State, Window, SEVERAL};
use super::text::T;
use super::util::{fmt_bytes, fmt_count};
use crate::state::use_console;
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Owner colours, one per snapshot row (cycled); red is kept for freed blocks.
const PALETTE: [&str; 8] = [
    "#ff6a00", "#1f77b4", "#2ca02c", "#9467bd", "#17a2b8", "#8c564b", "#e377c2", "#bcbd22",
];
/// Blocks in no snapshot yet (the live disk's own writes).
const UNSAVED: &str = "#444";
/// Blocks a deletion frees.
const FREED: &str = "#d0021b";
/// Cells whose blocks have several owners.
const SEVERAL_COLOUR: &str = "#999";

const LABEL_W: f64 = 200.0;
const ROW_H: f64 = 34.0;
const CELL_H: f64 = 26.0;
const HEAD_H: f64 = 22.0;
const PLOT_W: f64 = 896.0;

thread_local! {
    /// The palette slot each snapshot got when the page first drew it: a snapshot keeps its
    /// colour while the page lives, so a merge does not repaint the rows that stay.
    static SLOTS: RefCell<HashMap<String, usize>> = RefCell::new(HashMap::new());
}

/// Each row's colour: the slot the snapshot already has, or the first slot from its position
/// that no other row of the chain uses.
pub fn colours(chain: &Chain) -> Vec<&'static str> {
    SLOTS.with(|slots| {
        let mut slots = slots.borrow_mut();
        let mut used = [false; PALETTE.len()];
        for r in &chain.rows {
            if let Some(i) = slots.get(&r.id) {
                used[*i] = true;
            }
        }
        chain
            .rows
            .iter()
            .enumerate()
            .map(|(pos, r)| {
                if r.is_disk {
                    return UNSAVED;
                }
                if let Some(i) = slots.get(&r.id) {
                    return PALETTE[*i];
                }
                if used.iter().all(|u| *u) {
                    used = [false; PALETTE.len()];
                }
                let mut i = pos % PALETTE.len();
                while used[i] {
                    i = (i + 1) % PALETTE.len();
                }
                used[i] = true;
                slots.insert(r.id.clone(), i);
                PALETTE[i]
            })
            .collect()
    })
}

/// A name cut to fit the label column (the whole name is in the row's title).
fn fit(name: &str) -> String {
    if name.chars().count() <= 24 {
        name.to_string()
    } else {
        format!("{}…", name.chars().take(23).collect::<String>())
    }
}

/// A deletion about to be drawn as a merge: the deleted snapshots' blocks that move into a
/// remaining snapshot slide down to its row, the freed ones fade out (R-DEL-3). One snapshot or
/// several deleted at once (their combined effect, from the engine's preview).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct MergeAnim {
    /// The snapshots deleted.
    pub deleted: Vec<String>,
    /// (LBA, blocks, from, to): versions a deleted snapshot owned that a remaining one owns now.
    pub moved: Vec<(u64, u64, String, String)>,
    /// (LBA, blocks, from): versions a deleted snapshot owned that are freed.
    pub freed: Vec<(u64, u64, String)>,
}

#[derive(Properties, PartialEq)]
pub struct BlockViewProps {
    pub chain: Rc<Chain>,
    /// Display names by snapshot ID (a snapshot without a name shows its ID).
    #[prop_or_default]
    pub names: Rc<BTreeMap<String, String>>,
    /// When set, `chain` is the chain before the deletion and the merge is animated.
    #[prop_or_default]
    pub merge: Option<Rc<MergeAnim>>,
    #[prop_or_default]
    pub on_merge_done: Callback<()>,
}

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Chart,
    Table,
}

/// The block-reference view of one chain.
#[function_component(BlockView)]
pub fn block_view(props: &BlockViewProps) -> Html {
    let console = use_console();
    let lang = console.lang;
    let t = move |x: T| x.get(lang);
    let chain = &props.chain;
    let limit = chain.used_end().max(1);
    let window = use_state(|| None::<Window>);
    let mode = use_state(|| Mode::Chart);
    // A new disk resets the zoom.
    {
        let window = window.clone();
        use_effect_with(chain.disk_id.clone(), move |_| window.set(None));
    }
    // The merge animation ends with its `animationend`; this fallback ends it when nothing
    // visible moves (the merged blocks are outside the zoomed window, or the table is shown).
    {
        let done = props.on_merge_done.clone();
        use_effect_with(props.merge.clone(), move |m| {
            let timer = m
                .as_ref()
                .map(|_| gloo_timers::callback::Timeout::new(2_000, move || done.emit(())));
            move || drop(timer)
        });
    }
    let w = window
        .filter(|w| w.start < limit)
        .unwrap_or_else(|| Window::fit(chain.used_end()));
    let cells = grid(chain, w);
    let names = |i: usize| -> String {
        chain
            .rows
            .get(i)
            .map(|r| props.names.get(&r.id).cloned().unwrap_or_else(|| r.id.clone()))
            .unwrap_or_default()
    };

    if chain.rows.is_empty() {
        return html! { <p class="muted" role="status">{ t(T::NoChainRows) }</p> };
    }

    let toolbar = {
        let zoom_in = w.zoom_in(w.cols / 2, limit);
        let zoom_out = w.zoom_out(limit);
        let set = |next: Option<Window>| {
            let window = window.clone();
            Callback::from(move |_: MouseEvent| {
                if let Some(n) = next {
                    window.set(Some(n));
                }
            })
        };
        let pan_left = (w.start > 0).then(|| w.pan(-1, limit));
        let pan_right = (w.end() < limit).then(|| w.pan(1, limit));
        let set_mode = |m: Mode| {
            let mode = mode.clone();
            Callback::from(move |_: MouseEvent| mode.set(m))
        };
        let bytes = w.per_col * chain.block_size;
        html! {
            <div class="bv-toolbar" role="toolbar" aria-label={t(T::BlockViewControls)}>
                <button type="button" disabled={zoom_in.is_none()} onclick={set(zoom_in)}>{ t(T::ZoomIn) }</button>
                <button type="button" disabled={zoom_out.is_none()} onclick={set(zoom_out)}>{ t(T::ZoomOut) }</button>
                <button type="button" disabled={pan_left.is_none()} onclick={set(pan_left)} aria-label={t(T::PanLeft)}>{ "◀" }</button>
                <button type="button" disabled={pan_right.is_none()} onclick={set(pan_right)} aria-label={t(T::PanRight)}>{ "▶" }</button>
                <button type="button" onclick={set(Some(Window::fit(chain.used_end())))}>{ t(T::ZoomFit) }</button>
                <span class="bv-scale" data-per-col={w.per_col.to_string()}>
                    { format!("{} {} ({}) · LBA {}–{}", fmt_count(w.per_col),
                        t(if w.per_col == 1 { T::BlockPerColumn } else { T::BlocksPerColumn }), fmt_bytes(bytes),
                        fmt_count(w.start), fmt_count(w.end().min(limit).saturating_sub(1))) }
                </span>
                <span class="bv-modes">
                    <button type="button" aria-pressed={(*mode == Mode::Chart).to_string()} onclick={set_mode(Mode::Chart)}>{ t(T::Chart) }</button>
                    <button type="button" aria-pressed={(*mode == Mode::Table).to_string()} onclick={set_mode(Mode::Table)}>{ t(T::TableMode) }</button>
                </span>
            </div>
        }
    };

    let body = match *mode {
        Mode::Chart => chart(props, &cells, w, limit, &window, &names, lang),
        Mode::Table => table(chain, &cells, w, &names, lang),
    };

    html! {
        <div class="blockview" data-disk={chain.disk_id.clone()} data-phase={if props.merge.is_some() { "merging" } else { "idle" }}>
            { toolbar }
            { body }
            <ul class="bv-legend" aria-label={t(T::Legend)}>
                <li><span class="sw owned"></span>{ t(T::LegendOwned) }</li>
                <li><span class="sw referenced"></span>{ t(T::LegendReferenced) }</li>
                <li><span class="sw unsaved"></span>{ t(T::LegendUnsaved) }</li>
                <li><span class="sw mixed"></span>{ t(T::LegendMixed) }</li>
                if props.merge.is_some() {
                    <li><span class="sw freed"></span>{ t(T::LegendFreed) }</li>
                }
            </ul>
        </div>
    }
}

/// One row's visible counts, e.g. "owns 2 · references 2".
fn row_summary(row: &Row, lang: crate::i18n::Lang) -> String {
    let t = |x: T| x.get(lang);
    let owned = if row.is_disk { T::Unsaved } else { T::Owns };
    format!(
        "{} {} · {} {}",
        t(owned),
        fmt_count(row.owned_blocks),
        t(T::References),
        fmt_count(row.referenced_blocks)
    )
}

/// What a span shows on hover and to screen readers.
fn describe(
    row_name: &str,
    span: &Span,
    w: Window,
    label: Option<&str>,
    owner: &dyn Fn(usize) -> String,
    is_disk: bool,
    lang: crate::i18n::Lang,
) -> String {
    let t = |x: T| x.get(lang);
    let first = w.start + span.from as u64 * w.per_col;
    let last = w.start + span.to as u64 * w.per_col - 1;
    let lbas = if first == last {
        format!("LBA {first}")
    } else {
        format!("LBA {}–{}", fmt_count(first), fmt_count(last))
    };
    let label = label.map(|l| format!(" {l}")).unwrap_or_default();
    let owner_name = match span.ref_owner {
        Some(SEVERAL) => t(T::SeveralSnapshots).to_string(),
        Some(o) => owner(o),
        None => String::new(),
    };
    let what = match span.state {
        State::Owned if is_disk => format!("{} {}", fmt_count(span.owned), t(T::UnsavedBlocks)),
        State::Owned => format!("{} {}", fmt_count(span.owned), t(T::OwnedBlocks)),
        State::Referenced => format!(
            "{} {} {}",
            fmt_count(span.referenced),
            t(T::ReferencedBlocksFrom),
            owner_name
        ),
        State::Mixed => format!(
            "{} {}, {} {} {}",
            fmt_count(span.owned),
            if is_disk {
                t(T::UnsavedBlocks)
            } else {
                t(T::OwnedBlocks)
            },
            fmt_count(span.referenced),
            t(T::ReferencedBlocksFrom),
            owner_name
        ),
        State::Empty => String::new(),
    };
    format!("{row_name} · {lbas}{label}: {what}")
}

fn span_style(span: &Span, row: usize, is_disk: bool, colours: &[&'static str]) -> (&'static str, &'static str, f64) {
    // (fill, stroke, fill-opacity)
    let base = 0.3 + 0.07 * f64::from(span.fill);
    let colour = |r: usize| colours.get(r).copied().unwrap_or(SEVERAL_COLOUR);
    let owner_colour = match span.ref_owner {
        Some(SEVERAL) | None => SEVERAL_COLOUR,
        Some(o) => colour(o),
    };
    match span.state {
        State::Owned if is_disk => (UNSAVED, UNSAVED, base),
        State::Owned => (colour(row), colour(row), base),
        State::Referenced => (owner_colour, owner_colour, 0.18 * base),
        State::Mixed => (if is_disk { UNSAVED } else { colour(row) }, owner_colour, 0.55 * base),
        State::Empty => ("none", "none", 0.0),
    }
}

#[allow(clippy::too_many_arguments)]
fn chart(
    props: &BlockViewProps,
    cells: &[Vec<Cell>],
    w: Window,
    limit: u64,
    window: &UseStateHandle<Option<Window>>,
    names: &dyn Fn(usize) -> String,
    lang: crate::i18n::Lang,
) -> Html {
    let t = |x: T| x.get(lang);
    let chain = &props.chain;
    let cell_w = (PLOT_W / w.cols as f64).floor().clamp(6.0, 96.0);
    let width = LABEL_W + cell_w * w.cols as f64 + 8.0;
    let height = HEAD_H + ROW_H * chain.rows.len() as f64 + 4.0;
    let labels = labels(cells, w);
    let show_labels = w.per_col == 1 && cell_w >= 24.0;
    let x_of = |c: usize| LABEL_W + c as f64 * cell_w;
    let colours = colours(chain);
    let y_of = |r: usize| HEAD_H + r as f64 * ROW_H;

    // The merge: which rows go, where their blocks go, and which columns move or are freed:
    // (from row, to row, spans, freed).
    let as_spans = |runs: &mut dyn Iterator<Item = (u64, u64)>| {
        let row = Row {
            id: String::new(),
            is_disk: false,
            owned: runs
                .map(|(lba, len)| Run {
                    lba,
                    len,
                    owner: None,
                    version: 0,
                    label: None,
                })
                .collect(),
            referenced: vec![],
            owned_blocks: 0,
            referenced_blocks: 0,
        };
        let pseudo = Chain {
            rows: vec![row],
            ..Chain::default()
        };
        spans(&grid(&pseudo, w)[0], w.per_col)
    };
    let leaving: Vec<usize> = props
        .merge
        .iter()
        .flat_map(|m| m.deleted.iter().filter_map(|d| chain.row_of(d)))
        .collect();
    let merge: Vec<(usize, Option<usize>, Vec<Span>, bool)> = props
        .merge
        .as_ref()
        .map(|m| {
            let mut groups = Vec::new();
            for id in &m.deleted {
                let Some(from) = chain.row_of(id) else { continue };
                let freed = as_spans(&mut m.freed.iter().filter(|f| f.2 == *id).map(|f| (f.0, f.1)));
                groups.push((from, None, freed, true));
                let mut targets: Vec<&str> = m.moved.iter().filter(|x| x.2 == *id).map(|x| x.3.as_str()).collect();
                targets.sort_unstable();
                targets.dedup();
                for to in targets {
                    let moved = as_spans(&mut m.moved.iter().filter(|x| x.2 == *id && x.3 == to).map(|x| (x.0, x.1)));
                    groups.push((from, chain.row_of(to), moved, false));
                }
            }
            groups
        })
        .unwrap_or_default();

    // Column ticks: every column at one block per column when they fit, else every 16th.
    let tick_every = if w.per_col == 1 && cell_w >= 24.0 { 1 } else { 16 };
    let ticks = (0..w.cols as usize).step_by(tick_every).map(|c| {
        let lba = w.start + c as u64 * w.per_col;
        html! {
            <text class="bv-tick" x={format!("{:.1}", x_of(c) + 2.0)} y={format!("{:.1}", HEAD_H - 7.0)}>
                { if tick_every == 1 { format!("LBA {lba}") } else { fmt_count(lba) } }
            </text>
        }
    });

    let rows = chain.rows.iter().enumerate().map(|(r, row)| {
        let name = names(r);
        let y = y_of(r);
        let hidden = leaving.contains(&r);
        let row_spans = spans(&cells[r], w.per_col);
        let rects = row_spans.iter().map(|s| {
            let (fill, stroke, opacity) = span_style(s, r, row.is_disk, &colours);
            let label = (s.to - s.from == 1).then(|| labels[r][s.from].clone()).flatten();
            let title = describe(&name, s, w, label.as_deref(), names, row.is_disk, lang);
            let x = x_of(s.from) + 1.0;
            let wd = (s.to - s.from) as f64 * cell_w - 2.0;
            // One rectangle (and its title) per span; a text node only for one-block labels.
            let referenced = s.state == State::Referenced;
            html! {
                <>
                    <rect class="bv-span" data-state={s.state.as_str()} data-col={s.from.to_string()}
                          data-blocks={(s.owned + s.referenced).to_string()}
                          x={format!("{x:.1}")} y={format!("{:.1}", y + 2.0)} width={format!("{:.1}", wd.max(1.0))}
                          height={format!("{CELL_H:.1}")} rx="2" fill={fill} fill-opacity={format!("{opacity:.2}")}
                          stroke={if referenced { stroke } else { "none" }}
                          stroke-dasharray={if referenced { Some("3 2") } else { None }}>
                        <title>{ title }</title>
                    </rect>
                    if show_labels {
                        if let Some(l) = label {
                            <text class={classes!("bv-label", s.state.as_str())} x={format!("{:.1}", x + wd / 2.0)}
                                  y={format!("{:.1}", y + 2.0 + CELL_H / 2.0 + 4.0)} text-anchor="middle">{ l }</text>
                        }
                    }
                </>
            }
        });
        let summary = row_summary(row, lang);
        html! {
            <g class={classes!("bv-row", row.is_disk.then_some("disk"), hidden.then_some("merging"))}
               data-id={row.id.clone()} data-owned={row.owned_blocks.to_string()}
               data-referenced={row.referenced_blocks.to_string()}>
                <rect class="bv-rowbg" x="0" y={format!("{y:.1}")} width={format!("{width:.1}")} height={format!("{ROW_H:.1}")} />
                <rect x="4" y={format!("{:.1}", y + 8.0)} width="10" height="18" rx="2"
                      fill={colours[r]} />
                <text class="bv-name" x="20" y={format!("{:.1}", y + 15.0)}>
                    <title>{ if row.is_disk { format!("{} {}", t(T::LiveDisk), row.id) } else { format!("{name} ({})", row.id) } }</title>
                    { fit(&if row.is_disk { format!("{} {}", t(T::LiveDisk), row.id) } else { name.clone() }) }
                </text>
                <text class="bv-sum" x="20" y={format!("{:.1}", y + 29.0)}>{ summary }</text>
                if !hidden {
                    { for rects }
                }
            </g>
        }
    });

    // The merge overlay: the deleted rows' moved spans slide to the rows that own them now,
    // freed ones fade.
    let overlay = (!merge.is_empty()).then(|| {
        let rect = |from: usize, to: Option<usize>, s: &Span, class: &'static str, fill: &'static str| {
            let dy = to.map(|to| (to as f64 - from as f64) * ROW_H).unwrap_or(0.0);
            let y = y_of(from) + 2.0;
            let x = x_of(s.from) + 1.0;
            let wd = (s.to - s.from) as f64 * cell_w - 2.0;
            let label = (show_labels && s.to - s.from == 1)
                .then(|| labels[from].get(s.from).cloned().flatten())
                .flatten();
            html! {
                <MergeGroup class={class} dy={format!("{dy:.1}px")}
                   from={chain.rows[from].id.clone()} to={to.map(|t| chain.rows[t].id.clone())}>
                    <rect x={format!("{x:.1}")} y={format!("{y:.1}")} width={format!("{:.1}", wd.max(1.0))}
                          height={format!("{CELL_H:.1}")} rx="2" fill={fill} />
                    if let Some(l) = label {
                        <text class="bv-label owned" x={format!("{:.1}", x + wd / 2.0)}
                              y={format!("{:.1}", y + CELL_H / 2.0 + 4.0)} text-anchor="middle">{ l }</text>
                    }
                </MergeGroup>
            }
        };
        let on_end = {
            let done = props.on_merge_done.clone();
            Callback::from(move |_: AnimationEvent| done.emit(()))
        };
        html! {
            <g class="bv-merge" onanimationend={on_end}>
                { for merge.iter().filter(|g| g.3).flat_map(|(from, _, spans, _)| spans.iter().map(|s| rect(*from, None, s, "merge-free", FREED)).collect::<Vec<_>>()) }
                { for merge.iter().filter(|g| !g.3).flat_map(|(from, to, spans, _)| spans.iter().map(|s| rect(*from, *to, s, "merge-move", colours[*from])).collect::<Vec<_>>()) }
            </g>
        }
    });

    let onclick = {
        let window = window.clone();
        Callback::from(move |e: MouseEvent| {
            let col = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|el| el.get_attribute("data-col"))
                .and_then(|c| c.parse::<u64>().ok());
            if let Some(next) = col.and_then(|c| w.zoom_in(c, limit)) {
                window.set(Some(next));
            }
        })
    };
    let title = format!("{} {}", t(T::BlockViewOf), chain.disk_id);
    html! {
        <div class="bv-scroll">
            <svg class="bv-chart" role="img" aria-label={title.clone()} width={format!("{width:.0}")}
                 height={format!("{height:.0}")} viewBox={format!("0 0 {width:.0} {height:.0}")} onclick={onclick}>
                <title>{ title }</title>
                { for ticks }
                { for rows }
                { for overlay }
            </svg>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct MergeGroupProps {
    class: &'static str,
    /// How far the group slides (a CSS length).
    dy: String,
    from: String,
    to: Option<String>,
    children: Html,
}

/// One group of the merge overlay. Its slide distance is the custom property `--dy`, set
/// through the CSS object model after render: the Content-Security-Policy (issue 12 item 5)
/// refuses `style` attributes, not `element.style`.
#[function_component(MergeGroup)]
fn merge_group(props: &MergeGroupProps) -> Html {
    let node = use_node_ref();
    {
        let node = node.clone();
        use_effect_with(props.dy.clone(), move |dy| {
            if let Some(el) = node.get() {
                let style = js_sys::Reflect::get(&el, &"style".into()).ok();
                let set = style
                    .as_ref()
                    .and_then(|s| js_sys::Reflect::get(s, &"setProperty".into()).ok());
                if let (Some(style), Some(set)) = (style, set.and_then(|f| f.dyn_into::<js_sys::Function>().ok())) {
                    let _ = set.call2(&style, &"--dy".into(), &dy.as_str().into());
                }
            }
        });
    }
    html! {
        <g ref={node} class={props.class} data-state={props.class} data-from={props.from.clone()}
           data-to={props.to.clone()} data-dy={props.dy.clone()}>
            { props.children.clone() }
        </g>
    }
}

/// The table mode: one header cell per column, one table cell per row and column, each saying
/// what it holds in words (at most 64 columns; zoom in for more).
fn table(
    chain: &Chain,
    cells: &[Vec<Cell>],
    w: Window,
    names: &dyn Fn(usize) -> String,
    lang: crate::i18n::Lang,
) -> Html {
    let t = |x: T| x.get(lang);
    if w.cols > 64 {
        return html! { <p class="muted" role="status">{ t(T::TableTooWide) }</p> };
    }
    let labels = labels(cells, w);
    let head = (0..w.cols).map(|c| {
        let first = w.start + c * w.per_col;
        let text = if w.per_col == 1 {
            format!("LBA {first}")
        } else {
            format!("LBA {}–{}", fmt_count(first), fmt_count(first + w.per_col - 1))
        };
        html! { <th scope="col">{ text }</th> }
    });
    let rows = chain.rows.iter().enumerate().map(|(r, row)| {
        let name = if row.is_disk {
            format!("{} {}", t(T::LiveDisk), row.id)
        } else {
            names(r)
        };
        let tds = cells[r].iter().enumerate().map(|(c, cell)| {
            let owner = match cell.ref_owner {
                Some(SEVERAL) => t(T::SeveralSnapshots).to_string(),
                Some(o) => names(o),
                None => String::new(),
            };
            let label = labels[r][c].clone().unwrap_or_default();
            let words = match cell.state() {
                State::Empty => t(T::EmptyCell).to_string(),
                State::Owned if row.is_disk => format!("{} {}", fmt_count(cell.owned), t(T::UnsavedBlocks)),
                State::Owned => format!("{} {}", fmt_count(cell.owned), t(T::OwnedBlocks)),
                State::Referenced => format!("{} {} {owner}", fmt_count(cell.referenced), t(T::ReferencedBlocksFrom)),
                State::Mixed => format!(
                    "{} {}, {} {} {owner}",
                    fmt_count(cell.owned),
                    t(T::OwnedBlocks),
                    fmt_count(cell.referenced),
                    t(T::ReferencedBlocksFrom)
                ),
            };
            let text = if label.is_empty() {
                words
            } else {
                format!("{label}: {words}")
            };
            html! { <td data-state={cell.state().as_str()} class={cell.state().as_str()}>{ text }</td> }
        });
        html! {
            <tr data-id={row.id.clone()}>
                <th scope="row">{ name }<br /><small class="muted">{ row_summary(row, lang) }</small></th>
                { for tds }
            </tr>
        }
    });
    html! {
        <div class="bv-scroll">
            <table class="bv-table">
                <caption>{ format!("{} {}", t(T::BlockViewOf), chain.disk_id) }</caption>
                <thead><tr><th scope="col">{ t(T::SnapshotOrDisk) }</th>{ for head }</tr></thead>
                <tbody>{ for rows }</tbody>
            </table>
        </div>
    }
}
