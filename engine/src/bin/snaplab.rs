//! `snaplab`: the native batch runner — the headless console for scripts, tests and tutorial
//! authors (SPEC §18). Reads command lines, prints one JSON object per line, flushed after each.

#[cfg(target_arch = "wasm32")]
fn main() {
    // The runner is a native program; in the browser the engine is used through its JS API.
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    native::main()
}

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use snaplab_engine::cli::{CliError, Limit};
    use snaplab_engine::session::{block_on, Session};
    use snaplab_engine::store::memory::MemoryStore;
    use snaplab_engine::world::Failure;
    use std::io::{BufRead, BufReader, Write};

    const HELP: &str = "\
snaplab — the Alibaba Cloud ECS snapshot service, emulated (Snaplab's batch runner)

USAGE:
    snaplab [FILE...]        run the command lines of each FILE in order ('-' or none: stdin)
    snaplab --help           print this help

Each line is one command, as in the aliyun CLI or Snaplab's emulator namespace:
    aliyun ecs CreateSnapshot --DiskId d-bp1... --SnapshotName before-upgrade
    aliyun ecs DescribeSnapshots --RegionId cn-hangzhou --output cols=SnapshotId,Status rows=Snapshots.Snapshot[]
    snaplab service activate
    snaplab guest write --DiskId d-bp1... --Block 1 --Text B1
    snaplab clock run-until-idle
Blank lines and lines starting with '#' are skipped. Quoting follows a POSIX shell.
Lines are UTF-8 (a byte-order mark at the start of a file is skipped; a line that is not
UTF-8 is answered with an InvalidParameter error naming its number, and the run goes on).

LIMITS:
    A line has at most 128 MiB, a command at most 1000 parameters, an --output table at most
    256 columns; beyond, the line is refused with an InvalidParameter error naming the limit.

OUTPUT:
    One JSON object per command line, on one line, flushed at once, so that another program can
    drive snaplab line by line through a pipe:
      - the API's reply (RequestId and the action's fields), or
      - {\"Output\": \"<table>\"} for a command with --output, or
      - the API error object {\"RequestId\", \"HostId\", \"Code\", \"Message\", \"Recommend\", \"HttpStatus\"}.
    A refused command changes nothing. All lines share one world, kept in memory; it starts new
    (seed 1, 1 MiB blocks, the snapshot service not activated): 'snaplab world reset' changes that.

EXIT STATUS:
    0 when every line was read (refused commands included), 1 when a file cannot be read.
";

    /// A line as read: its bytes (without the line end), or that it was longer than the limit.
    enum Line {
        Bytes,
        TooLong,
    }

    /// Reads one line into `buf` (its `\n` removed), keeping at most `max` bytes: the rest of a
    /// longer line is read and dropped, so that no line costs more memory than the limit.
    /// `None` at the end of the input.
    fn read_line(input: &mut dyn BufRead, buf: &mut Vec<u8>, max: usize) -> std::io::Result<Option<Line>> {
        buf.clear();
        let mut read_any = false;
        let mut too_long = false;
        loop {
            let chunk = match input.fill_buf() {
                Ok(chunk) => chunk,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if chunk.is_empty() {
                break;
            }
            read_any = true;
            let (part, used, end) = match chunk.iter().position(|&b| b == b'\n') {
                Some(at) => (chunk.get(..at).unwrap_or_default(), at + 1, true),
                None => (chunk, chunk.len(), false),
            };
            if !too_long {
                if buf.len() + part.len() > max {
                    too_long = true;
                    buf.clear();
                } else {
                    buf.extend_from_slice(part);
                }
            }
            input.consume(used);
            if end {
                break;
            }
        }
        Ok(match (read_any, too_long) {
            (false, _) => None,
            (true, false) => Some(Line::Bytes),
            (true, true) => Some(Line::TooLong),
        })
    }

    /// Runs the lines of one input (a file, or stdin). The runner reads bytes (issue 12): a
    /// line that is not UTF-8, or longer than the limit, is answered with an error object and
    /// the run goes on; a UTF-8 byte-order mark at the start of the input is skipped.
    fn run(session: &mut Session<MemoryStore>, input: &mut dyn BufRead, out: &mut dyn Write) -> std::io::Result<()> {
        const BOM: &[u8] = b"\xEF\xBB\xBF";
        let max = Limit::LineBytes.max();
        let mut buf = Vec::new();
        let mut number: u64 = 0;
        loop {
            // One byte more than the limit: a line of the limit plus its `\r` still fits.
            let Some(line) = read_line(input, &mut buf, max.saturating_add(1))? else {
                return Ok(());
            };
            number = number.saturating_add(1);
            let mut bytes = buf.as_slice();
            if number == 1 {
                bytes = bytes.strip_prefix(BOM).unwrap_or(bytes);
            }
            let bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
            let reply = match (line, std::str::from_utf8(bytes)) {
                (Line::TooLong, _) => Some(session.refusal(Failure::Cli(CliError::LimitExceeded {
                    limit: Limit::LineBytes,
                }))),
                (Line::Bytes, Err(_)) => Some(session.refusal(Failure::Cli(CliError::InvalidUtf8 { line: number }))),
                (Line::Bytes, Ok(text)) => block_on(session.exec_line(text)),
            };
            if let Some(reply) = reply {
                let value = match reply.table {
                    Some(table) => serde_json::json!({ "Output": table }),
                    None => reply.body,
                };
                writeln!(out, "{value}")?;
                out.flush()?;
            }
        }
    }

    pub fn main() {
        let args: Vec<String> = std::env::args().skip(1).collect();
        if args.iter().any(|a| a == "--help" || a == "-h") {
            print!("{HELP}");
            return;
        }
        let mut session = match block_on(Session::open(MemoryStore::new())) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("snaplab: {e}");
                std::process::exit(1);
            }
        };
        let stdout = std::io::stdout();
        let mut out = stdout.lock();
        let files = if args.is_empty() { vec!["-".to_string()] } else { args };
        for file in files {
            let result = if file == "-" {
                run(&mut session, &mut std::io::stdin().lock(), &mut out)
            } else {
                match std::fs::File::open(&file) {
                    Ok(f) => run(&mut session, &mut BufReader::new(f), &mut out),
                    Err(e) => {
                        eprintln!("snaplab: cannot read {file}: {e}");
                        std::process::exit(1);
                    }
                }
            };
            if let Err(e) = result {
                // A closed pipe ends the run quietly; other errors are reported.
                if e.kind() != std::io::ErrorKind::BrokenPipe {
                    eprintln!("snaplab: {e}");
                    std::process::exit(1);
                }
                return;
            }
        }
    }
}
