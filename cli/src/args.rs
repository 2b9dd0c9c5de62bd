//! The command line: its options (clap), nothing resolved yet.

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Parser)]
#[command(
    name = "camskit",
    version,
    about = "Sign, send and parse Alibaba Cloud Chat App Message Service (CAMS) requests",
    long_about = "Sign, send and parse Alibaba Cloud Chat App Message Service (CAMS) requests.\n\n\
        Credentials come from ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET and \
        ALIBABA_CLOUD_SECURITY_TOKEN (empty means none). With none set, `sign` uses a built-in \
        demo key pair and says so on stderr.\n\n\
        Exit codes: 0 success, 1 CAMS answered with an error, 2 bad usage, transport or parse \
        failure, 3 outcome unknown (a request that changes state was sent and got a server \
        error or no answer: it may have taken effect, and was not sent again)."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Sign a request and print it (nothing is sent).
    Sign {
        #[command(flatten)]
        request: RequestArgs,
        /// What to print: the signed URL (and body), or one JSON object.
        #[arg(long, value_enum, default_value_t = Output::Url)]
        output: Output,
    },
    /// Sign a request, send it, and print CAMS's answer as JSON.
    Call {
        #[command(flatten)]
        request: RequestArgs,
        /// Seconds to wait for the answer (1 to 3600).
        #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600))]
        timeout: u64,
        /// Send credentials over plain http:// to a host that is not loopback (they travel in
        /// clear text: the key id, the signature and any STS token).
        #[arg(long)]
        allow_insecure_http: bool,
        /// Attempts in all, the first included (1 to 10; default 4). Writes are re-sent only
        /// when the request surely did not take effect.
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..=10), conflicts_with = "no_retry")]
        max_attempts: Option<u32>,
        /// One attempt: no retry (a clock-skew rejection is still re-signed once).
        #[arg(long)]
        no_retry: bool,
        /// Walk every page of a list operation and print the items of all pages.
        #[arg(long)]
        all_pages: bool,
        /// With --all-pages: one JSON array (json), or one item per line as pages arrive (ndjson).
        #[arg(long, value_enum, default_value_t = CallOutput::Json)]
        output: CallOutput,
    },
    /// List the CAMS operations, or describe one (its parameters: location, type, style, required).
    Ops {
        /// An operation to describe.
        action: Option<String>,
    },
    /// Show which credentials the chain picks (source, key id, expiry; never the secret).
    Credentials {
        #[command(flatten)]
        chain: ChainArgs,
    },
    /// Receipts and inbound messages (ChatAppStatus, ChatAppInbound, ChatAppAudit): parse a
    /// saved push body, or pull them from the receipts queue (MNS consumer mode).
    Receipts {
        #[command(subcommand)]
        action: ReceiptsCommand,
    },
    /// Sign one MNS request and print the headers to send (nothing is sent): for curl, or to
    /// compare with another client.
    MnsSign(MnsSignArgs),
    /// Parse a saved CAMS answer (a file, or - for standard input) as `call` would.
    Parse {
        /// The HTTP status the answer came with.
        #[arg(long)]
        status: u16,
        /// The body (default: standard input).
        #[arg(default_value = "-")]
        file: String,
    },
}

#[derive(Subcommand)]
pub enum ReceiptsCommand {
    /// Parse a saved HTTP batch push body (a JSON array of events, or one event object) and
    /// print one typed event per line (NDJSON: {"MessageType": ..., "Event": {...}}).
    Parse {
        /// The receipts' type: ChatAppStatus, ChatAppInbound or ChatAppAudit (default: each
        /// event recognised from its fields; a type camskit does not know keeps every event
        /// raw).
        #[arg(long, value_name = "TYPE")]
        message_type: Option<String>,
        /// Read the body as an MNS MessageBody (base64 of the JSON text, or the JSON itself).
        #[arg(long)]
        mns: bool,
        /// The body (default: standard input).
        #[arg(default_value = "-", value_name = "FILE|-")]
        file: String,
    },
    /// Pull receipts from their MNS queue (Dybaseapi QueryTokenForMnsQueue gives the queue's
    /// temporary credentials) and print each message's events as NDJSON lines. A message is
    /// deleted only after its lines are written and standard output flushed; one whose body
    /// cannot be parsed is reported on stderr and left in the queue.
    #[command(
        after_help = "Each line: {\"message_id\", \"dequeue_count\", \"duplicate\", \"poison\", \"event\": {\"MessageType\", \"Event\"}}.\n\
        duplicate: every event of the message was already printed by this run (a redelivery); \
        poison: received more often than --max-dequeue-count.\n\n\
        --endpoint defaults to https://1943695596114318.mns.cn-hangzhou.aliyuncs.com, the \
        endpoint Alibaba's official pullers hard-code for every Cloud Communications receipt \
        queue (Dybaseapi MNS demo, https://help.aliyun.com/document_detail/214645.htm); the CAMS \
        pages name queues only by MessageType and QueueName."
    )]
    Pull(PullArgs),
}

#[derive(Args)]
pub struct PullArgs {
    /// The receipts' type: ChatAppStatus, ChatAppInbound, ChatAppAudit (QueryTokenForMnsQueue's
    /// MessageType; also how each body is read).
    #[arg(long, value_name = "TYPE")]
    pub message_type: String,
    /// The queue's name (Alicom-Queue-<id>-<MessageType>, as the CAMS console shows it).
    #[arg(long, value_name = "NAME")]
    pub queue: String,
    /// Stop after this many messages (the default: run until interrupted).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub max: Option<u64>,
    /// The long poll's waitseconds, 0 to 30.
    #[arg(long, value_name = "S", default_value_t = 30, value_parser = clap::value_parser!(u32).range(0..=30))]
    pub wait: u32,
    /// Messages asked for per poll, 1 to 16 (default: 16, or --max when smaller).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=16))]
    pub batch: Option<u64>,
    /// Leave every message in the queue (to look without consuming); each comes back once its
    /// visibility timeout ends.
    #[arg(long)]
    pub no_delete: bool,
    /// A message received more often than this is printed with "poison": true.
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub max_dequeue_count: i64,
    /// The MNS account endpoint of the queue (default: Alibaba Cloud Communications' receipt
    /// queues, the one the official pullers use).
    #[arg(long, value_name = "MNS_URL", default_value = camskit::mns::ALICOM_MNS_ENDPOINT)]
    pub endpoint: String,
    /// Where QueryTokenForMnsQueue goes (default: dybaseapi.aliyuncs.com).
    #[arg(long, value_name = "URL")]
    pub token_endpoint: Option<String>,
    /// Send credentials over plain http:// to a host that is not loopback.
    #[arg(long)]
    pub allow_insecure_http: bool,
    #[command(flatten)]
    pub chain: ChainArgs,
}

#[derive(Args)]
pub struct MnsSignArgs {
    /// The MNS endpoint (https://<account id>.mns.<region>.aliyuncs.com).
    #[arg(long, value_name = "URL")]
    pub endpoint: String,
    /// GET, PUT, POST or DELETE.
    #[arg(long, value_name = "M")]
    pub method: String,
    /// The path with its query, signed and sent as written
    /// ('/queues/q/messages?waitseconds=10').
    #[arg(long, value_name = "RESOURCE")]
    pub resource: String,
    /// The Date header, RFC 1123 in GMT ('Sun, 06 Dec 2026 02:40:35 GMT'; default: now).
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
    /// The XML body, from a file or - (standard input); signed with its content-md5.
    #[arg(long, value_name = "FILE|-")]
    pub body: Option<String>,
    /// The body's content type (MNS's, text/xml;charset=UTF-8, is the only one core signs).
    #[arg(long, value_name = "T")]
    pub content_type: Option<String>,
    /// An x-mns-* header to sign and send, as x-mns-NAME=VALUE (x-mns-version: 2015-06-06
    /// is added unless given).
    #[arg(long = "header", value_name = "x-mns-NAME=VALUE")]
    pub headers: Vec<String>,
    /// What to print: the method and URL, then the headers to send (and the body); or one
    /// JSON object (method, url, resource, headers, body, string_to_sign, authorization).
    #[arg(long, value_enum, default_value_t = Output::Url)]
    pub output: Output,
    #[command(flatten)]
    pub chain: ChainArgs,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CallOutput {
    /// The answer (or, with --all-pages, the items of every page) as pretty JSON.
    Json,
    /// With --all-pages: one item per line, as each page arrives.
    Ndjson,
}

/// How `call` runs.
pub struct CallOptions {
    pub timeout: u64,
    pub allow_insecure_http: bool,
    pub policy: camskit::RetryPolicy,
    pub all_pages: bool,
    pub output: CallOutput,
}

impl CallOptions {
    /// The options of `call`; `--no-retry` and `--max-attempts` become the retry policy.
    pub fn new(
        timeout: u64,
        allow_insecure_http: bool,
        max_attempts: Option<u32>,
        no_retry: bool,
        all_pages: bool,
        output: CallOutput,
    ) -> CallOptions {
        let mut policy = camskit::RetryPolicy::default();
        if no_retry {
            policy = camskit::RetryPolicy::no_retry();
        }
        if let Some(n) = max_attempts {
            policy.max_attempts = n;
        }
        CallOptions {
            timeout,
            allow_insecure_http,
            policy,
            all_pages,
            output,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Output {
    /// The URL, then headers to send (signature v3) and the form body, if any.
    Url,
    /// One JSON object: method, url, headers, body, string_to_sign, signature, ...
    Json,
}

/// Where credentials come from, besides the environment.
#[derive(Args, Clone, Default)]
pub struct ChainArgs {
    /// A profile of ~/.aliyun/config.json (or ~/.alibabacloud/credentials.ini) to use
    /// (default: ALIBABA_CLOUD_PROFILE, then the file's current profile).
    #[arg(long)]
    pub profile: Option<String>,
    /// Where STS AssumeRole requests go (default sts[-vpc][.<region>].aliyuncs.com).
    #[arg(long, value_name = "URL")]
    pub sts_endpoint: Option<String>,
    /// The ECS metadata service to ask for a RAM role's key (it is asked only when
    /// ALIBABA_CLOUD_ECS_METADATA names the role or this option is given).
    #[arg(long, value_name = "URL")]
    pub ecs_metadata_endpoint: Option<String>,
}

#[derive(Args)]
pub struct RequestArgs {
    /// The CAMS action, such as ChatappMigrationRegister.
    pub action: String,
    /// Query parameters as NAME=VALUE (split at the first '='; the value is signed exactly).
    pub params: Vec<String>,
    /// Form-body parameters as NAME=VALUE (with --raw; for CAMS the catalog places them).
    #[arg(long = "form", value_name = "NAME=VALUE")]
    pub form: Vec<String>,
    /// All parameters as one JSON object, from a file or - (standard input).
    #[arg(long, value_name = "FILE|-")]
    pub params_json: Option<String>,
    /// HTTP method (default: the catalog's, POST).
    #[arg(long)]
    pub method: Option<String>,
    /// Region of the CAMS endpoint (cams.<region>.aliyuncs.com; default ap-southeast-1, the
    /// only region CAMS is offered in). With --endpoint too, both must name the same host.
    #[arg(long)]
    pub region: Option<String>,
    /// An explicit endpoint: a host, or a URL such as http://127.0.0.1:8080.
    #[arg(long)]
    pub endpoint: Option<String>,
    /// API version.
    #[arg(long, default_value = camskit::CAMS_API_VERSION)]
    pub api_version: String,
    /// Signature version: 1.0 (HMAC-SHA1, the default) or v3 (ACS3-HMAC-SHA256).
    #[arg(long, default_value = "1.0")]
    pub signature: String,
    /// Request time: YYYY-MM-DDThh:mm:ssZ or unix seconds (default: now).
    #[arg(long)]
    pub timestamp: Option<String>,
    /// Signature nonce (default: a random UUIDv4).
    #[arg(long)]
    pub nonce: Option<String>,
    /// An extra header to send (signed under v3), as NAME=VALUE.
    #[arg(long = "header", value_name = "NAME=VALUE")]
    pub headers: Vec<String>,
    /// Skip the CAMS catalog (no checks, values as given): signs any Alibaba Cloud RPC API.
    #[arg(long)]
    pub raw: bool,
    #[command(flatten)]
    pub chain: ChainArgs,
}
