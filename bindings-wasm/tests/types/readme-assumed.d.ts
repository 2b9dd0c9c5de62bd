// The names the README's ```ts examples use without defining them: they stand for the reader's
// own code (a fetch Response, a database, a handler). readme.test.mjs compiles every example with
// this file and nothing else added.
declare const process: { env: Record<string, string | undefined> };
declare const res: Response;
declare const accessKeyId: string;
declare const accessKeySecret: string;
declare const body: string;
declare const message: { MessageBody: string };
declare const db: {
  status(messageId: string): Promise<import("camskit").ReceiptStatus | null>;
  setStatus(messageId: string, status: import("camskit").ReceiptStatus, errorCode: string | null): Promise<void>;
};
declare function reply(to: string | null, text: string): Promise<void>;
declare function download(url: string | null): Promise<void>;
declare function store(event: import("camskit").ReceiptEvent): Promise<void>;
declare function handle(events: import("camskit").ReceiptEvent[]): Promise<void>;
