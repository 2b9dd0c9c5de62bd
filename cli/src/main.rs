//! `camskit`: sign, send and parse Alibaba Cloud CAMS requests from a shell.
//!
//! - `args`: the command line and the request it describes;
//! - `credentials`: the credentials chain (core plans it, this reads and fetches);
//! - `input`: bounded reads of regular files and standard input;
//! - `transport`: HTTP, and how its failures map to core's;
//! - `pages`: `call`, one answer or every page;
//! - `receipts`: `receipts parse`, `receipts pull` (the MNS consumer) and `mns-sign`;
//! - `output`: what is printed, and the exit codes.

#[macro_use]
mod failure;
mod args;
mod credentials;
mod input;
mod output;
mod pages;
mod prepare;
mod receipts;
mod transport;

use std::process::ExitCode;

use args::{CallOptions, Cli, Command, ReceiptsCommand};
use clap::Parser;

fn main() -> ExitCode {
    let cli = Cli::parse();
    failure::exit(match cli.command {
        Command::Sign { request, output } => output::sign(&request, output),
        Command::Call {
            request,
            timeout,
            allow_insecure_http,
            max_attempts,
            no_retry,
            all_pages,
            output,
        } => pages::call(
            &request,
            &CallOptions::new(
                timeout,
                allow_insecure_http,
                max_attempts,
                no_retry,
                all_pages,
                output,
            ),
        ),
        Command::Parse { status, file } => output::parse(status, &file),
        Command::Receipts { action } => match action {
            ReceiptsCommand::Parse {
                message_type,
                mns,
                file,
            } => receipts::parse(message_type.as_deref(), mns, &file),
            ReceiptsCommand::Pull(args) => receipts::pull(&args),
        },
        Command::MnsSign(args) => receipts::mns_sign(&args),
        Command::Credentials { chain } => credentials::show_credentials(&chain),
        Command::Ops { action } => output::ops(action.as_deref()),
    })
}
