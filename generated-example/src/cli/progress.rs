//! How `sync` shows its progress: a bar on a terminal, plain lines in logs and pipes.

use std::io::IsTerminal;

use generated_example::sync::Progress;

/// Progress for a long run: a bar on a terminal, plain lines otherwise.
pub fn progress() -> Box<dyn Progress> {
    if std::io::stderr().is_terminal() {
        Box::new(Bar::default())
    } else {
        Box::new(Lines::default())
    }
}

/// A progress bar, for a terminal.
struct Bar(indicatif::ProgressBar);

impl Default for Bar {
    fn default() -> Self {
        Self(indicatif::ProgressBar::hidden())
    }
}

impl Progress for Bar {
    fn start(&self, total: u64) {
        self.0.set_length(total);
        self.0
            .set_draw_target(indicatif::ProgressDrawTarget::stderr());
        self.0.set_style(
            indicatif::ProgressStyle::with_template(
                "{bar:40} {pos}/{len} rows ({per_sec}, {eta} left)",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
    }

    fn advance(&self) {
        self.0.inc(1);
    }

    fn finish(&self) {
        self.0.finish_and_clear();
    }
}

/// Plain progress lines (about every tenth of the rows), for logs and pipes.
#[derive(Default)]
struct Lines {
    total: std::sync::atomic::AtomicU64,
    done: std::sync::atomic::AtomicU64,
}

impl Progress for Lines {
    fn start(&self, total: u64) {
        self.total
            .store(total, std::sync::atomic::Ordering::Relaxed);
        eprintln!("progress: sending {total} rows");
    }

    fn advance(&self) {
        let done = self.done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        let total = self.total.load(std::sync::atomic::Ordering::Relaxed);
        let step = (total / 10).max(1);
        if done.is_multiple_of(step) && done < total {
            eprintln!("progress: {done}/{total} rows");
        }
    }

    fn finish(&self) {
        let done = self.done.load(std::sync::atomic::Ordering::Relaxed);
        eprintln!("progress: {done}/{done} rows done");
    }
}
